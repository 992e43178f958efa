"""/data/hsds/: the stations as an Open Referral HSDS 3 tabular data package.

Mapping (each station is a place run by its own small organisation):

- organizations: one per station (the station is the body that delivers its services);
- locations + addresses: one per station; latitude/longitude WGS-84; our station id is
  kept as `external_identifier`;
- services + service_at_location: one HSDS service per (station, service) pair, because
  an HSDS service belongs to one organisation; its status follows the station's
  (closed → defunct, temporarily-closed → temporarily closed);
- schedules: the station's weekly opening hours as RFC 5545 weekly rules on the
  location, one row per distinct opening interval with the days it applies to (byday),
  opens_at/closes_at with the +08:00 offset; a closes_at at or before opens_at means
  the next day. Public holidays cannot be written as a weekly rule: `description`
  says what happens on them and `notes` keeps the OpenStreetMap opening_hours text;
- phones: the station's numbers, as text;
- taxonomies, taxonomy_terms, attributes: station kinds, amenities and our service
  vocabulary as taxonomies, linked to locations and services.

Identifiers are UUIDv5 of our own ids in a fixed namespace: they are the same in every
build and change only when the thing they name changes.

This module holds the mapping (identifiers, taxonomies, schedule rules, the rows each
table is made of); `hsds_tables` defines the published columns.
"""
from __future__ import annotations

import hashlib
import uuid
from dataclasses import dataclass, field
from functools import lru_cache

from ..hours import CompiledHours, HolidayCalendar, describe_holidays, describe_week
from ..model import Catalog, Station
from .fields import Context

# Never change: every published HSDS identifier is derived from it.
NAMESPACE = uuid.UUID("21f8aeb7-42e1-599b-b01a-5c68288b7cac")
HSDS_VERSION = "3.0"
DAY_CODES = ("MO", "TU", "WE", "TH", "FR", "SA", "SU")
UTC_OFFSET = "+08:00"
STATUS = {"active": "active", "temporarily-closed": "temporarily closed", "closed": "defunct"}
PHONE_TYPE = {"landline": "voice", "mobile": "cell", "hotline": "voice"}
NEXT_DAY_NOTE = ("closes_at 早于或等于 opens_at 表示次日关门 / "
                 "a closes_at at or before opens_at means closing on the next day")


# uuid.uuid5 builds a UUID object for each id, and there is an id per HSDS row (~190,000 at 10,000
# stations): hid takes the same steps (RFC 9562 §5.5) on the digest itself, 3-4× faster; a test checks
# that it equals uuid.uuid5.
_NAMESPACE_SHA1 = hashlib.sha1(NAMESPACE.bytes)


def hid(*parts: str) -> str:
    """Deterministic UUID for an HSDS row: uuid5(NAMESPACE, "table/our-id/...")."""
    sha1 = _NAMESPACE_SHA1.copy()
    sha1.update("/".join(parts).encode("utf-8"))
    b = bytearray(sha1.digest()[:16])
    b[6] = b[6] & 0x0F | 0x50  # version 5
    b[8] = b[8] & 0x3F | 0x80  # variant: RFC 4122
    h = b.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


@dataclass(frozen=True)
class HsdsContext(Context):
    hours: dict = field(default_factory=dict)  # station id → CompiledHours
    _refs: dict = field(default_factory=dict, repr=False, compare=False)

    def absolute(self, section: str, slug: str) -> str | None:
        """HSDS URLs must be absolute: None when the site URL is not configured."""
        return self.page_url(section, slug) if self.site_url else None

    def station_absolute(self, station_id: str) -> str | None:
        """As `absolute`, for a station's page or its place on its town's sheet."""
        return self.station_url(station_id) if self.site_url else None

    def ref(self, *parts: str) -> str:
        """hid() of a row other rows point to (an organisation, location, service or taxonomy term).

        Each is named from several tables, so it is worked out once per build, and its rows share one string.
        """
        found = self._refs.get(parts)
        if found is None:
            found = self._refs[parts] = hid(*parts)
        return found


def hsds_context(catalog: Catalog, site_url: str, hours: dict[str, CompiledHours],
                 sheet_of: dict[str, str] | None = None) -> HsdsContext:
    return HsdsContext(catalog, site_url, sheet_of or {}, hours=hours)


def station_hours(stations, cfg, calendar: HolidayCalendar) -> dict[str, CompiledHours]:
    """Each station's hours over the site's window, for its schedules. compile_hours compiles each
    distinct text once."""
    from ..hours import compile_hours

    return {st.id: compile_hours(st.opening_hours, calendar, cfg.today, cfg.holiday_window_days) for st in stations}


@dataclass(frozen=True)
class Taxonomy:
    key: str
    name: str
    zh: str
    en: str
    section: str | None  # site section with a page per term

    @property
    def id(self) -> str:
        return hid("taxonomy", self.key)


KINDS_TAX = Taxonomy("kinds", "西固驿站类型 / Xigu station kinds", "驿站类型", "Kinds of station", "kinds")
AMENITIES_TAX = Taxonomy("amenities", "西固驿站设施 / Xigu station amenities", "驿站设施",
                         "Amenities found at stations", None)
SERVICES_TAX = Taxonomy("services", "西固驿站服务 / Xigu station services", "驿站服务（本站的服务词表）",
                        "Services offered at stations (this site's vocabulary)", "services")
TAXONOMIES = (KINDS_TAX, AMENITIES_TAX, SERVICES_TAX)


@dataclass(frozen=True)
class Rule:
    """One schedule row: an opening interval and the weekdays it applies to."""

    station: Station
    days: tuple[int, ...]
    start: int
    end: int  # may pass 1440: closes after midnight
    hours: CompiledHours

    @property
    def id(self) -> str:
        return hid("schedule", self.station.id, f"{self.start}-{self.end}")


def clock(minute: int) -> str:
    """Minutes after local midnight → "HH:MM:SS+08:00" (RFC 3339 time); 1440 and later wrap to the next day."""
    minute %= 1440
    return f"{minute // 60:02d}:{minute % 60:02d}:00{UTC_OFFSET}"


def weekly_rules(station: Station, hours: CompiledHours) -> list[Rule]:
    return [Rule(station, days, s, e, hours) for days, s, e in _intervals(hours)]


# Stations share a few dozen distinct hours: what depends on the hours alone is worked out once each.
@lru_cache(maxsize=1024)
def _intervals(hours: CompiledHours) -> tuple[tuple[tuple[int, ...], int, int], ...]:
    """(weekdays, start, end) of each distinct opening interval, by start and end."""
    if hours.unknown:
        return ()
    groups: dict[tuple[int, int], list[int]] = {}
    for day, intervals in enumerate(hours.weekly):
        for start, end in intervals:
            groups.setdefault((start, end), []).append(day)
    return tuple((tuple(days), s, e) for (s, e), days in sorted(groups.items()))


@lru_cache(maxsize=1024)
def schedule_description(hours: CompiledHours) -> str:
    parts = [describe_week(hours)]
    holidays = describe_holidays(hours)
    if holidays:
        parts.append(holidays)
    return "；".join(parts)


def schedule_notes(rule: Rule, ctx) -> str:
    text = f"opening_hours: {rule.hours.text}"
    return f"{text}；{NEXT_DAY_NOTE}" if rule.end >= 1440 else text


# ---------------------------------------------------------------- row sources

def service_rows(ctx: HsdsContext):
    services = ctx.catalog.index("services")
    return ((st, services[s]) for st in ctx.catalog.stations for s in st.services)


def phone_rows(ctx: HsdsContext):
    for st in ctx.catalog.stations:
        seen: set[str] = set()
        for i, phone in enumerate(st.phones, 1):
            key = phone.number if phone.number not in seen else f"{phone.number}#{i}"
            seen.add(phone.number)
            yield st, phone, key


def schedule_rows(ctx: HsdsContext):
    for st in ctx.catalog.stations:
        yield from weekly_rules(st, ctx.hours[st.id])


def term_rows(ctx: HsdsContext):
    cat = ctx.catalog
    for k in cat.kinds:
        yield KINDS_TAX, k.id, k.name, k.description
    for a in cat.amenities:
        yield AMENITIES_TAX, a.id, a.name, a.description or a.name_en or a.name
    for s in cat.services:
        yield SERVICES_TAX, s.id, s.name, s.description


def attribute_rows(ctx: HsdsContext):
    """(taxonomy, code, link entity, our key for the linked row, link type)."""
    for st in ctx.catalog.stations:
        yield KINDS_TAX, st.kind, "location", st.id, "station_kind"
        for a in st.amenities:
            yield AMENITIES_TAX, a, "location", st.id, "amenity"
        for s in st.services:
            yield SERVICES_TAX, s, "service", f"{st.id}/{s}", "service_type"
