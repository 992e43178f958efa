"""Run one piece of work in a forked process while this one goes on.

The datasets (CSV, Excel, JSON, HSDS) and the pages are made from the same checked
content but not from each other; on a machine with two cores they can be made at
once. A fork inherits the content already in memory, so nothing is sent to the
child; only the result comes back (pickled through a pipe).
"""
from __future__ import annotations

import multiprocessing
import os
import traceback
from typing import Callable, Generic, TypeVar

T = TypeVar("T")


class Background(Generic[T]):
    """`work()` in a forked child; `result()` waits for it and returns its value or raises its error."""

    def __init__(self, work: Callable[[], T]):
        ctx = multiprocessing.get_context("fork")
        self._conn, child_end = ctx.Pipe(duplex=False)
        self._proc = ctx.Process(target=_child, args=(work, child_end), daemon=True)
        self._proc.start()
        child_end.close()

    def result(self) -> T:
        try:
            ok, value = self._conn.recv()
        except EOFError:  # the child died without a word (killed, out of memory)
            self._proc.join()
            raise RuntimeError(f"background work ended without a result (exit code {self._proc.exitcode})") from None
        finally:
            self._conn.close()
        self._proc.join()
        if not ok:
            raise value
        return value

    def cancel(self) -> None:
        """Stop the work when its result will not be wanted (the build failed meanwhile)."""
        self._proc.kill()
        self._proc.join()
        self._conn.close()


class Now(Generic[T]):
    """The same interface, done at once: for small sites, one core or no fork."""

    def __init__(self, work: Callable[[], T]):
        self._value = work()

    def result(self) -> T:
        return self._value

    def cancel(self) -> None:
        pass


def _child(work, conn) -> None:
    try:
        outcome = (True, work())
    except BaseException as e:  # noqa: BLE001 - handed to the parent, which raises it
        outcome = (False, e)
    try:
        conn.send(outcome)
    except Exception as e:  # what was to be sent cannot be pickled: send that as text
        ok, value = outcome
        text = f"background work's result could not be sent back: {e!r}" if ok else \
            "".join(traceback.format_exception(value))
        conn.send((False, RuntimeError(text)))
    conn.close()


def start(work: Callable[[], T], worth_it: bool) -> Background[T] | Now[T]:
    """In the background when `worth_it` and this machine can: more than one core, and fork."""
    if worth_it and (os.cpu_count() or 1) > 1 and "fork" in multiprocessing.get_all_start_methods():
        return Background(work)
    return Now(work)
