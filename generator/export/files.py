"""Where a published file's bytes go as they are made: a file in the output folder, or memory.

The datasets are written a slice of the stations at a time (generator/export/__init__.py), so
a file is never whole in memory when it has a folder to go to: at 100,000 stations the largest,
stations.json, was ~0.4 GB as text. Its size and SHA-256 are counted on the way, as the Data
Package describes the file as published (gzipped, when it is).
"""
from __future__ import annotations

import gzip
import hashlib
import io
from dataclasses import dataclass
from pathlib import Path

GZ = ".gz"
# Level 3: level 6 took twice as long, 10 of the 53 s `yizhan datasets` took at 100,000 stations,
# to save 19 MB more.
GZ_LEVEL = 3


@dataclass(frozen=True)
class Written:
    path: str  # relative to the site root, as published (with .gz when gzipped)
    size: int
    sha256: str
    content: bytes | None  # only when there was no folder to write to


class _Counted:
    """The raw file, counting and hashing what goes in (GzipFile writes its output here)."""

    def __init__(self, raw):
        self.raw, self.size, self.hash = raw, 0, hashlib.sha256()

    def write(self, data) -> int:
        self.raw.write(data)
        self.size += len(data)
        self.hash.update(data)
        return len(data)

    def flush(self) -> None:
        self.raw.flush()


class DataFile:
    """`path` under `out_dir`, or in memory when `out_dir` is None; gzipped when `gz`.
    mtime 0 in the gzip header: the same bytes every build."""

    def __init__(self, out_dir: Path | None, path: str, gz: bool = False):
        self.path = path + GZ if gz else path
        if out_dir is None:
            raw = io.BytesIO()
        else:
            dest = out_dir / self.path
            dest.parent.mkdir(parents=True, exist_ok=True)
            raw = open(dest, "wb")  # noqa: SIM115 - closed by close()
        self._raw = raw
        self._out = _Counted(raw)
        self._gz = gzip.GzipFile(fileobj=self._out, mode="wb", compresslevel=GZ_LEVEL, mtime=0) if gz else None

    def write(self, text: str) -> None:
        self.write_bytes(text.encode("utf-8"))

    def write_bytes(self, data: bytes) -> None:
        (self._gz or self._out).write(data)

    def close(self) -> Written:
        if self._gz is not None:
            self._gz.close()  # writes the gzip trailer; the raw file stays open
        content = self._raw.getvalue() if isinstance(self._raw, io.BytesIO) else None
        self._raw.close()
        return Written(self.path, self._out.size, self._out.hash.hexdigest(), content)


def whole(out_dir: Path | None, path: str, content: bytes, gz: bool = False) -> Written:
    """A file made at once (a descriptor, a schema)."""
    f = DataFile(out_dir, path, gz)
    f.write_bytes(content)
    return f.close()
