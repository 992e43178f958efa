"""Prepared, typed data for templates: every join, sort and format decision happens here, not in Jinja."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from ..config import SiteConfig
from ..hours import CompiledHours, day_rows, describe, describe_holidays
from ..model import Catalog, Station
from ..sheets import sheet_id
from . import links
from .env import AttrJson
from .icons import icon_class

WEEKDAYS = "一二三四五六日"
KIND_COLOR = "#37474f"  # for a kind without a colour of its own


@dataclass(frozen=True)
class Link:
    text: str
    url: str


@dataclass(frozen=True)
class AmenityView:
    id: str
    name: str
    icon: str  # the classes that draw its icon (generator/render/icons.py), or ""


@dataclass(frozen=True)
class PhoneView:
    number: str
    tel: str
    label: str


@dataclass(frozen=True)
class FactView:
    name: str
    value: str
    as_of: str
    scope: str


@dataclass(frozen=True)
class DayRow:
    label: str
    text: str
    weekday: int  # 0 = Monday; hours.js highlights today in the visitor's time zone


@dataclass(frozen=True)
class ExceptionRow:
    date: str
    label: str  # 10月1日（周四）
    text: str
    reason: str


@dataclass(frozen=True)
class HoursView:
    unknown: bool
    summary: str
    holidays_note: str
    rows: tuple[DayRow, ...]
    upcoming: tuple[ExceptionRow, ...]
    compact: dict  # for data-hours; hours.js evaluates it at the visitor's current time
    valid_until: str
    schema_org: dict  # openingHoursSpecification and specialOpeningHoursSpecification


@dataclass(frozen=True)
class StationView:
    id: str
    url: str  # relative to the site root
    name: str
    kind: Link
    kind_id: str
    marker: str
    color: str
    status: str
    status_zh: str
    town: Link
    community: str
    address: str
    operator: str
    description: str
    lat: float | None
    lon: float | None
    approximate: bool
    location_note: str
    phones: tuple[PhoneView, ...]
    services: tuple[Link, ...]
    service_ids: tuple[str, ...]
    amenities: tuple[AmenityView, ...]
    policies: tuple[Link, ...]
    facts: tuple[FactView, ...]
    verified_on: str
    stale: bool
    sources: tuple[str, ...]
    hours: HoursView
    source_path: str


@dataclass(frozen=True)
class StationLinks:
    """Links only the station's own page shows, made as that page renders: ~2 KB of URL a station,
    they were most of what every station's view held through a build (0.2 GB at 100,000 stations)."""

    nav: tuple[Link, ...]  # the station in map apps
    edit_url: str
    report_url: str


@dataclass(frozen=True)
class SheetView:
    """A page of a town's stations, on a site too large for a page each (generator/sheets.py)."""

    title: str
    intro: str
    town: Link
    pages: tuple[Link, ...]  # every sheet of the town, this one with no URL


def _date_label(d: date) -> str:
    return f"{d.month}月{d.day}日（周{WEEKDAYS[d.weekday()]}）"


@lru_cache(maxsize=1024)  # stations share a few dozen distinct hours (and compile_hours shares the objects)
def hours_view(hours: CompiledHours) -> HoursView:
    from ..hours.describe import day_text

    upcoming = tuple(
        ExceptionRow(e.day.isoformat(), _date_label(e.day), day_text(e.intervals), e.reason)
        for e in hours.exceptions
    )
    return HoursView(
        unknown=hours.unknown,
        summary=describe(hours) if not hours.unknown else "营业时间未知，请致电确认",
        holidays_note=(describe_holidays(hours) or "") if not hours.unknown else "",
        rows=tuple(DayRow(label, text, i) for i, (label, text) in enumerate(day_rows(hours))),
        upcoming=upcoming,
        compact=AttrJson(hours.to_json()),
        valid_until=hours.valid_until.isoformat() if hours.valid_until else "",
        schema_org={} if hours.unknown else hours.specification(),
    )


def _source_text(s) -> str:
    via = f"，{s.via}转载" if s.via else ""
    return f"{s.publisher}《{s.title}》，{s.date}{via}"


def station_view(st: Station, cat: "CatalogView", hours: CompiledHours) -> StationView:
    kind = cat.kinds[st.kind]
    loc = st.location
    return StationView(
        id=st.id,
        url=links.station_url(st.id, cat.sheet_of.get(st.id)),
        name=st.name,
        kind=Link(kind.name, links.page_url("kinds", kind.id)),
        kind_id=kind.id,
        marker=kind.marker,
        color=kind.color or KIND_COLOR,
        status=st.status,
        status_zh=st.status_zh,
        town=Link(st.town, cat.town_url(st.town)),
        community=st.community or "",
        address=st.address or "",
        operator=st.operator or "",
        description=st.description or "",
        lat=loc.lat if loc else None,
        lon=loc.lon if loc else None,
        approximate=bool(loc and loc.approximate),
        location_note=loc.note if loc else "",
        phones=tuple(PhoneView(p.number, p.tel, p.label or {"hotline": "服务热线"}.get(p.type or "", "电话"))
                     for p in st.phones),
        services=tuple(Link(cat.services[s].name, links.page_url("services", s)) for s in st.services),
        service_ids=st.services,
        amenities=tuple(cat.amenity_views[a] for a in st.amenities),
        policies=tuple(Link(cat.policies[p].title, links.page_url("policies", p)) for p in st.policies),
        facts=tuple(FactView(f.name, f.display_value, f.as_of, f.scope or "") for f in st.facts),
        verified_on=st.verified_on,
        stale=(cat.today - date.fromisoformat(st.verified_on)) > timedelta(days=cat.stale_after_days),
        sources=tuple(_source_text(s) for s in st.sources),
        hours=hours_view(hours),
        source_path=_source_path(st),
    )


def _source_path(st: Station) -> str:
    return f"content/stations/{st.id}.yaml"


def station_links(st: Station, cat: "CatalogView") -> StationLinks:
    path = _source_path(st)
    return StationLinks(nav=tuple(Link(t, u) for t, u in links.nav_links(st)),
                        edit_url=links.edit_url(cat.repo_url, cat.branch, path),
                        report_url=links.report_url(cat.repo_url, st, path))


@dataclass
class CatalogView:
    """Lookups shared by all page contexts."""

    catalog: Catalog
    today: date
    stale_after_days: int
    repo_url: str
    branch: str
    sheet_of: dict[str, str] = field(default_factory=dict)  # station id → its sheet, on a very large site

    def __post_init__(self):
        self.kinds = self.catalog.index("kinds")
        self.services = self.catalog.index("services")
        self.policies = self.catalog.index("policies")
        self.amenities = self.catalog.index("amenities")
        # the same few amenities on every station: one view each
        self.amenity_views = {a.id: AmenityView(a.id, a.name, icon_class(a)) for a in self.catalog.amenities}

    def town_url(self, town: str) -> str:
        """The town's page, or on a site of town sheets, its first sheet: there the sheets are its pages."""
        if self.sheet_of:
            return links.page_url("stations", sheet_id(town, 1))
        return links.page_url("towns", links.town_slug(town))  # cached by page_url and town_slug

    @classmethod
    def of(cls, catalog: Catalog, cfg: SiteConfig, branch: str = "main",
           sheet_of: dict[str, str] | None = None) -> "CatalogView":
        return cls(catalog, cfg.today, cfg.stale_after_days, cfg.repo_url, branch, sheet_of or {})


def station_jsonld(v: StationView, site_url: str) -> dict:
    """schema.org CivicStructure; JSON is escaped for <script> by the json_script filter."""
    data = {
        "@context": "https://schema.org",
        "@type": "CivicStructure",
        "@id": (site_url.rstrip("/") + "/" + v.url) if site_url else v.url,
        "identifier": v.id,
        "name": v.name,
        "address": {
            "@type": "PostalAddress",
            "addressCountry": "CN",
            "addressRegion": "甘肃省",
            "addressLocality": "兰州市西固区",
            "streetAddress": " ".join(x for x in (v.town.text, v.community, v.address) if x),
        },
        "amenityFeature": [
            {"@type": "LocationFeatureSpecification", "name": a.name, "value": True} for a in v.amenities
        ],
    }
    if site_url:
        data["url"] = site_url.rstrip("/") + "/" + v.url
    if v.description:
        data["description"] = v.description
    if v.lat is not None:
        data["geo"] = {"@type": "GeoCoordinates", "latitude": v.lat, "longitude": v.lon}
    if v.phones:
        data["telephone"] = v.phones[0].number
    if v.status == "active":  # a closed station has no opening hours to advertise
        data.update(v.hours.schema_org)
    return data
