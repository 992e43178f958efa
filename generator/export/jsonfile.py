"""stations.json: the full station records, in the schema's field names.

Every field of the record is present; an empty value is null (a list is []),
never "nan"; NaN and Infinity cannot be written (allow_nan=False).
"""
from __future__ import annotations

import json
from dataclasses import fields

from ..model import Catalog, Record
from .fields import json_number


def record_dict(record) -> dict:
    out = {}
    for f in fields(record):
        value = getattr(record, f.name)
        out[f.name] = _value(value)
    return out


def _value(value):
    if isinstance(value, Record):
        return record_dict(value)
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    if isinstance(value, bool) or value is None or isinstance(value, str):
        return value
    if isinstance(value, (int, float)):
        return json_number(value)
    return value


def dumps(data) -> bytes:
    """Deterministic, readable JSON: keys in the order given, UTF-8, final newline."""
    return (json.dumps(data, ensure_ascii=False, indent=2, allow_nan=False) + "\n").encode("utf-8")


def stations_json(catalog: Catalog, meta: dict) -> bytes:
    return dumps({**meta, "stations": [record_dict(s) for s in sorted(catalog.stations, key=lambda s: s.id)]})
