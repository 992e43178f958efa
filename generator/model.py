"""Step 3, model: typed, immutable records built only from data that already passed validation.

Field names equal the schema's property names (tests/unit/test_model_contract.py
keeps them in step), so the published schema documents this model too.
"""
from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from functools import lru_cache
from typing import Any, ClassVar


class Record:
    """Base of the records: `from_dict` builds one from a validated dict.

    Absent or empty keys take the field's default; lists become tuples; `nested`
    names the fields that hold other records.
    """

    nested: ClassVar[dict[str, type]] = {}

    @classmethod
    def from_dict(cls, data: dict):
        kwargs: dict[str, Any] = {}
        for name in _field_names(cls):
            value = data.get(name)
            if value is None:
                continue
            maker = cls.nested.get(name)
            if isinstance(value, list):
                value = tuple(maker.from_dict(v) for v in value) if maker else tuple(value)
            elif maker:
                value = maker.from_dict(value)
            kwargs[name] = value
        return cls(**kwargs)


@lru_cache(maxsize=None)  # dataclasses.fields() rebuilds its tuple on every call, once per record and nested record
def _field_names(cls: type) -> tuple[str, ...]:
    return tuple(f.name for f in fields(cls))


@dataclass(frozen=True)
class Source(Record):
    title: str
    publisher: str
    date: str
    url: str | None = None
    via: str | None = None



@dataclass(frozen=True)
class Location(Record):
    lat: float
    lon: float
    precision: str
    note: str

    @property
    def approximate(self) -> bool:
        return self.precision == "approximate"



@dataclass(frozen=True)
class Phone(Record):
    number: str
    type: str | None = None
    label: str | None = None

    @property
    def tel(self) -> str:
        """The dialable form for tel: links (digits only; the hyphen is for reading)."""
        return "".join(ch for ch in self.number if ch.isdigit())



@dataclass(frozen=True)
class Fact(Record):
    name: str
    value: float
    as_of: str
    unit: str | None = None
    qualifier: str | None = None
    scope: str | None = None

    @property
    def display_value(self) -> str:
        number = f"{self.value:g}"
        if self.qualifier == "at-least":
            number += " 余"
        elif self.qualifier == "about":
            number = "约 " + number
        return f"{number} {self.unit}" if self.unit else number



@dataclass(frozen=True)
class Kind(Record):
    id: str
    name: str
    description: str
    audience: str
    marker: str
    name_en: str | None = None
    color: str | None = None



@dataclass(frozen=True)
class Amenity(Record):
    id: str
    name: str
    name_en: str | None = None
    icon: str | None = None
    description: str | None = None



@dataclass(frozen=True)
class Service(Record):
    id: str
    name: str
    description: str
    audience: tuple[str, ...]
    free: bool = True
    fee_note: str | None = None
    amenities: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()



@dataclass(frozen=True)
class Policy(Record):
    nested: ClassVar[dict[str, type]] = {"sources": Source}
    id: str
    title: str
    issuer: str
    issued: str
    summary: str
    sources: tuple[Source, ...]
    number: str | None = None
    effective_from: str | None = None
    effective_to: str | None = None
    url: str | None = None
    applies_to_kinds: tuple[str, ...] = ()
    applies_to_services: tuple[str, ...] = ()



STATUS_ZH = {"active": "开放", "temporarily-closed": "暂停开放", "closed": "已关闭"}


@dataclass(frozen=True)
class Station(Record):
    nested: ClassVar[dict[str, type]] = {"sources": Source, "location": Location, "phones": Phone, "facts": Fact}
    id: str
    name: str
    kind: str
    status: str
    town: str
    verified_on: str
    sources: tuple[Source, ...]
    operator: str | None = None
    community: str | None = None
    address: str | None = None
    location: Location | None = None
    opening_hours: str | None = None
    phones: tuple[Phone, ...] = ()
    services: tuple[str, ...] = ()
    amenities: tuple[str, ...] = ()
    policies: tuple[str, ...] = ()
    facts: tuple[Fact, ...] = ()
    description: str | None = None

    @property
    def status_zh(self) -> str:
        return STATUS_ZH[self.status]



@dataclass(frozen=True)
class Catalog:
    """Everything the site and the datasets are made from; each tuple sorted by id."""

    stations: Sequence[Station]  # on disk, read as needed (generator/store.py), or a tuple
    services: tuple[Service, ...]
    policies: tuple[Policy, ...]
    kinds: tuple[Kind, ...]
    amenities: tuple[Amenity, ...]

    def index(self, name: str) -> dict[str, Any]:
        return {r.id: r for r in getattr(self, name)}


RECORD_TYPES = {
    "stations": Station,
    "services": Service,
    "policies": Policy,
    "kinds": Kind,
    "amenities": Amenity,
}


def build_catalog(data_by_kind: dict[str, dict[str, dict]], stations: Sequence[Station] | None = None) -> Catalog:
    """From validated data (kind → id → dict) to the catalogue; `stations`, when given, are its
    stations already made (by id), as generator/store.py keeps them on disk."""
    parts = {
        kind: tuple(cls.from_dict(data_by_kind.get(kind, {})[i]) for i in sorted(data_by_kind.get(kind, {})))
        for kind, cls in RECORD_TYPES.items() if not (kind == "stations" and stations is not None)
    }
    return Catalog(**parts, **({"stations": stations} if stations is not None else {}))
