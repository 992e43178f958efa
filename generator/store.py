"""The stations' records kept on disk, each read back when a page or a file needs it.

Held as objects from the check to the last page written, 100,000 stations' records were
0.44 GB of a build, and the parsing that made them left ~0.25 GB of gaps around them. A
build needs a station for a moment at a time (its page, its card, its map entry), so the
records go to an anonymous temporary file as they are read, and the catalogue keeps only
where each one is: 12 bytes a station.

A record is the station's validated data, marshalled: plain dicts, lists and text between
processes of one interpreter (what marshal is for, and faster to read back than pickle or
JSON). The readers that the check forks (generator/check.py) each append to a file of their
own, made before the fork, so nothing but the records' ends has to come back.
"""
from __future__ import annotations

import marshal
import os
import tempfile
from array import array
from collections.abc import Iterator, Sequence

from .model import Station


class RecordFile:
    """Records appended by one process; any process that has this object can read them back."""

    def __init__(self) -> None:
        self._file = tempfile.TemporaryFile(prefix="yizhan-records-")  # gone when closed, even after a crash
        self.ends = array("Q")  # where each record ends

    def append(self, data: dict) -> int:
        """Add a record; its number."""
        blob = marshal.dumps(data)
        self._file.write(blob)
        self.ends.append((self.ends[-1] if self.ends else 0) + len(blob))
        return len(self.ends) - 1

    def finish(self) -> bytes:
        """Flush what this process wrote; the ends, for the process that will read them (`adopt`)."""
        self._file.flush()
        return self.ends.tobytes()

    def adopt(self, ends: bytes) -> None:
        self.ends = array("Q")
        self.ends.frombytes(ends)

    def read(self, number: int) -> dict:
        start = self.ends[number - 1] if number else 0
        # pread: the offset of a file shared with forked processes is theirs too
        return marshal.loads(os.pread(self._file.fileno(), self.ends[number] - start, start))


class Stations(Sequence[Station]):
    """The catalogue's stations in the order given (by id), each made from its record when asked for.

    Every access reads and builds the record again (~18 µs): whatever goes through the stations many
    times should read them once, a slice at a time, as the datasets do (generator/export/__init__.py).
    """

    def __init__(self, files: Sequence[RecordFile], places: Sequence[tuple[int, int]]):
        self._files = tuple(files)
        self._file = array("B", (f for f, _ in places))  # which file, by station
        self._number = array("I", (n for _, n in places))  # which record in it

    def __len__(self) -> int:
        return len(self._number)

    def __getitem__(self, index):
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        return Station.from_dict(self._files[self._file[index]].read(self._number[index]))

    def __iter__(self) -> Iterator[Station]:
        files, read = self._files, Station.from_dict
        for f, n in zip(self._file, self._number):
            yield read(files[f].read(n))

    def __eq__(self, other) -> bool:
        return isinstance(other, Sequence) and len(self) == len(other) and all(a == b for a, b in zip(self, other))

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"<Stations: {len(self)} on disk>"
