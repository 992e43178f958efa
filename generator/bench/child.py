"""Each benchmark phase runs as a child process: its wall time, and its peak memory, its own.

`os.wait4` returns the child's resource usage, and ru_maxrss is its peak resident set (KiB
on Linux), unless that is no more than this process's own (see `_child_peak_mb`).
A timeout or a failure is a note on the phase, not a crash of the run.
"""
from __future__ import annotations

import os
import resource
import signal
import subprocess
import sys
import time
from dataclasses import dataclass
from datetime import datetime, time as dtime
from pathlib import Path

from .fake import BASE_DATE


@dataclass
class Phase:
    seconds: float | None
    peak_rss_mb: float | None  # the largest single process (the child or one of its children)
    note: str = ""
    output: str = ""
    peak_tree_mb: float | None = None  # the child and its children together, sampled while it ran

    @property
    def ok(self) -> bool:
        return self.seconds is not None


def child_env() -> dict[str, str]:
    """The children's environment: a fixed "today" so warnings and hours do not drift between runs."""
    env = dict(os.environ)
    from ..config import CHINA_TZ

    env["SOURCE_DATE_EPOCH"] = str(int(datetime.combine(BASE_DATE, dtime(12), CHINA_TZ).timestamp()))
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    return env


def run_child(cmd: list[str], log: Path, timeout: float | None, cwd: Path | None = None) -> Phase:
    """Run `cmd`, wall time and peak RSS of that one process; a timeout or a failure is a note, not a crash."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=child_env(), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        delay = 0.001
        tree = _TreeMemory(proc.pid)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            tree.sample()
            if timeout is not None and time.perf_counter() - start > timeout:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                os.wait4(proc.pid, 0)
                proc.returncode = -signal.SIGKILL
                return Phase(None, None, f"超时 timeout after {timeout:g} s", _tail(log))
            time.sleep(delay)
            delay = min(delay * 2, 0.02)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss_mb = _child_peak_mb(usage.ru_maxrss, tree)
    text = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        return Phase(None, round(rss_mb, 1), f"失败 failed (exit {proc.returncode}): {_tail(log, 400)}", text)
    return Phase(seconds, round(rss_mb, 1), "", text, tree.peak_mb)


def _child_peak_mb(child_maxrss: int, tree: "_TreeMemory") -> float:
    """The child's peak resident set. Linux gives a program started from this process the high-water
    mark of this process as its own (exec keeps the larger of the two), so a ru_maxrss no larger than
    this process's may be only that: then the largest process seen while sampling, a lower bound."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    per_mb = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    if child_maxrss <= own and tree.single_peak_mb is not None:
        return tree.single_peak_mb
    return child_maxrss / per_mb


class _TreeMemory:
    """The largest sum of resident memory of a process and its descendants, seen by sampling.

    ru_maxrss only gives the largest single process; while Pagefind or the datasets'
    process runs, the build process holds its own memory too, and a machine needs both.
    Sampling can miss a short peak, so this is a lower bound on the true sum.
    """

    EVERY = 0.1  # seconds; reading /proc costs a little CPU, and the phases last seconds

    def __init__(self, pid: int):
        try:
            import psutil  # in the test extras, which `make bench` installs
        except ImportError:
            psutil = None
        self.psutil = psutil
        self.pid = pid
        self.peak = 0
        self.single = 0  # the largest one process seen
        self.last = 0.0

    def sample(self) -> None:
        now = time.perf_counter()
        if self.psutil is None or now - self.last < self.EVERY:
            return
        self.last = now
        try:
            root = self.psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except self.psutil.Error:
            return
        total = 0
        for p in procs:
            try:
                rss = p.memory_info().rss
            except self.psutil.Error:
                continue
            total += rss
            self.single = max(self.single, rss)
        self.peak = max(self.peak, total)

    @property
    def peak_mb(self) -> float | None:
        return round(self.peak / 2**20, 1) if self.peak else None

    @property
    def single_peak_mb(self) -> float | None:
        return round(self.single / 2**20, 1) if self.single else None


def _tail(log: Path, chars: int = 2000) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-chars:].strip()
    except OSError:
        return ""
