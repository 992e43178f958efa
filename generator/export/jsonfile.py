"""stations.json: the full station records, in the schema's field names.

Every field of the record is present; an empty value is null (a list is []),
never "nan"; NaN and Infinity cannot be written (allow_nan=False).

The two large files, stations.json and stations.geojson, have an indented header and then
one compact record per line (`dumps_records`): json only uses its C encoder without
`indent`, and written fully indented they took ~1.7 s of pure-Python encoding at
10,000 stations. A record per line still reads in a text editor and a diff still shows
which records changed. The small files stay fully indented (`dumps`).
"""
from __future__ import annotations

import json
from dataclasses import fields

from ..model import Record
from .fields import json_number
from .files import DataFile, Written

_COMPACT = json.JSONEncoder(ensure_ascii=False, allow_nan=False, separators=(",", ":"))
_NAMES: dict[type, tuple[str, ...]] = {}  # field names by record class: dataclasses.fields() is slow per record


def record_dict(record) -> dict:
    names = _NAMES.get(type(record))
    if names is None:
        names = _NAMES[type(record)] = tuple(f.name for f in fields(record))
    return {name: _value(getattr(record, name)) for name in names}


def _value(value):
    if value is None or isinstance(value, (str, bool)):  # most values: first
        return value
    if isinstance(value, Record):
        return record_dict(value)
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    if isinstance(value, (int, float)):
        return json_number(value)
    return value


def _indented(data) -> str:
    return json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n"


def dumps(data) -> bytes:
    """Deterministic, readable JSON: keys in the order given, UTF-8, final newline."""
    return _indented(data).encode("utf-8")


class RecordsFile:
    """Like dumps({**head, key: records}) into `file`, with the records added as they come, each
    written compact on a line of its own."""

    def __init__(self, file: DataFile, head: dict, key: str):
        if key in head:
            raise ValueError(f"{key!r} must be the last member")
        self.file, self.count = file, 0
        self._empty = _indented({**head, key: []})
        self._opening = self._empty.removesuffix("[]\n}\n")  # the placeholder list and the closing brace

    def add(self, records: list) -> None:
        if not records:
            return
        lines = ",\n    ".join(map(_COMPACT.encode, records))
        self.file.write((f"{self._opening}[\n    " if not self.count else ",\n    ") + lines)
        self.count += len(records)

    def close(self) -> Written:
        self.file.write("\n  ]\n}\n" if self.count else self._empty)
        return self.file.close()


def dumps_records(head: dict, key: str, records: list) -> bytes:
    """The whole file at once."""
    f = RecordsFile(DataFile(None, key), head, key)
    f.add(records)
    return f.close().content


def station_records(stations) -> list[dict]:
    """stations.json's records, by id: a catalogue's stations are in that order, a slice at a time."""
    return [record_dict(s) for s in sorted(stations, key=lambda s: s.id)]
