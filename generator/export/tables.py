"""The main tables of the open data (/data/*.csv and the workbook sheets), in published order.

Each table lists its columns once, with the getter that reads a cell from the
catalogue; `fields` has what a column and a table are. Lists in a record (a
station's services, phones, sources …) become link tables, one row per item.
"""
from __future__ import annotations

from collections.abc import Callable, Iterable

from ..model import STATUS_ZH, Catalog, Station
from .fields import Column, ForeignKey, Getter, Table, at, from_schema, phone_type
from .schemadoc import lookup

STATION, SERVICE, POLICY, KIND, AMENITY = (
    "station.schema.json", "service.schema.json", "policy.schema.json", "kind.schema.json", "amenity.schema.json")


def _id_of(owner: str, schema_file: str, file: str) -> Column:
    """The link column naming the owning record, e.g. station_id."""
    zh, en = {"station": ("驿站标识", "Station id"), "service": ("服务标识", "Service id"),
              "policy": ("政策标识", "Policy id")}[owner]
    return from_schema(f"{owner}_id", schema_file, "id", get=at(0), zh=f"{zh}（{file} 的 id）",
                       en=f"{en} (id in {file})", required=True, unique=False)


_POSITION = Column("position", at(1), "integer", "在原记录列表中的顺序，从 1 开始",
                   "Order in the record's list, starting at 1", required=True, example=1, minimum=1)


def _pairs(records: Callable[[Catalog], Iterable], field_name: str):
    """(owner id, target id) for every id in a list field."""
    return lambda ctx: ((r.id, x) for r in records(ctx.catalog) for x in getattr(r, field_name))


def _positioned(records: Callable[[Catalog], Iterable], field_name: str):
    """(owner id, position from 1, item) for every item of a list field."""
    return lambda ctx: ((r.id, i, x) for r in records(ctx.catalog) for i, x in enumerate(getattr(r, field_name), 1))


def _loc(name: str) -> Getter:
    return lambda s, ctx: getattr(s.location, name) if s.location else None


def _first_phone(s: Station, ctx) -> str | None:
    return s.phones[0].number if s.phones else None


_SCHEMA_OF = {"station": STATION, "service": SERVICE, "policy": POLICY, "kind": KIND, "amenity": AMENITY}


def _link_table(name, title_zh, title_en, owner, owner_file, owner_schema, records, field_name,
                target, target_file, zh, en) -> Table:
    return Table(
        name, title_zh, title_en, zh, en,
        columns=(
            _id_of(owner, owner_schema, owner_file),
            from_schema(f"{target}_id", owner_schema, field_name, get=at(1), required=True,
                        zh=lookup(owner_schema, field_name).zh + f"（{target_file} 的 id）",
                        en=lookup(owner_schema, field_name).en + f" (id in {target_file})",
                        example=lookup(_SCHEMA_OF[target], "id").example),
        ),
        items=_pairs(records, field_name),
        primary_key=(f"{owner}_id", f"{target}_id"),
        foreign_keys=(ForeignKey((f"{owner}_id",), owner_file.removesuffix(".csv")),
                      ForeignKey((f"{target}_id",), target_file.removesuffix(".csv"))),
        group="link",
        by_station=records is _stations,
    )


def _sources_table(name, owner, owner_file, owner_schema, records) -> Table:
    return Table(
        name, f"{'驿站' if owner == 'station' else '政策'}信息来源",
        f"{'Station' if owner == 'station' else 'Policy'} sources",
        f"每条{'驿站' if owner == 'station' else '政策'}信息的来源，一行一条来源",
        f"Where each {owner}'s information comes from, one row per source",
        columns=(
            _id_of(owner, owner_schema, owner_file),
            _POSITION,
            from_schema("title", owner_schema, "sources.title", get=lambda t, c: t[2].title),
            from_schema("publisher", owner_schema, "sources.publisher", get=lambda t, c: t[2].publisher),
            from_schema("date", owner_schema, "sources.date", get=lambda t, c: t[2].date),
            from_schema("url", owner_schema, "sources.url", get=lambda t, c: t[2].url),
            from_schema("via", owner_schema, "sources.via", get=lambda t, c: t[2].via),
        ),
        items=_positioned(records, "sources"),
        primary_key=(f"{owner}_id", "position"),
        foreign_keys=(ForeignKey((f"{owner}_id",), owner_file.removesuffix(".csv")),),
        group="link",
        by_station=records is _stations,
    )


def _stations(cat: Catalog):
    return cat.stations


def _services(cat: Catalog):
    return cat.services


def _policies(cat: Catalog):
    return cat.policies


STATIONS = Table(
    "stations", "驿站", "Stations",
    "每个驿站一行，已关闭的驿站也保留（见 status）；列表类字段在关联表中",
    "One row per station; closed stations stay, with their status. List fields are in the link tables",
    columns=(
        from_schema("id", STATION, unique=True, required=True),
        from_schema("name", STATION),
        from_schema("kind", STATION),
        Column("kind_name", lambda s, ctx: ctx.kinds[s.kind].name, zh="驿站类型名称（kinds.csv 的 name）",
               en="Name of the station kind (name in kinds.csv)", required=True, example="零工驿站"),
        from_schema("status", STATION),
        Column("status_zh", lambda s, ctx: s.status_zh, zh="状态的中文名称", en="Status in Chinese",
               required=True, enum=tuple(STATUS_ZH.values()), example="开放"),
        from_schema("town", STATION),
        from_schema("community", STATION),
        from_schema("address", STATION),
        from_schema("operator", STATION),
        from_schema("lat", STATION, "location.lat", get=_loc("lat")),
        from_schema("lon", STATION, "location.lon", get=_loc("lon")),
        from_schema("location_precision", STATION, "location.precision", get=_loc("precision")),
        from_schema("location_note", STATION, "location.note", get=_loc("note")),
        from_schema("opening_hours", STATION),
        Column("phone", _first_phone, zh="第一个电话号码，文字（全部电话见 station_phones.csv）",
               en="First phone number, as text (all numbers are in station_phones.csv)", example="0931-7512345"),
        from_schema("description", STATION),
        from_schema("verified_on", STATION),
        Column("url", lambda s, ctx: ctx.station_url(s.id),
               zh="本站上的驿站网页（驿站极多、不再一站一页的网站上，是它在所在镇 / 街道汇总页上的位置，# 后为驿站标识）",
               en="The station's page on this site (on a site too large for a page per station, its place on "
                  "its town's sheet: the id follows the #)", required=True,
               example="stations/chenping-linggong/"),
    ),
    items=lambda ctx: _stations(ctx.catalog),
    foreign_keys=(ForeignKey(("kind",), "kinds"),),
    by_station=True,
)

SERVICES = Table(
    "services", "服务", "Services",
    "驿站提供的服务（受控词表），每项服务一行", "Services offered at stations (a controlled vocabulary), one row each",
    columns=(
        from_schema("id", SERVICE, unique=True, required=True),
        from_schema("name", SERVICE),
        from_schema("description", SERVICE),
        from_schema("free", SERVICE, required=True, example=True),
        from_schema("fee_note", SERVICE),
        Column("url", lambda s, ctx: ctx.page_url("services", s.id), zh="本站上的服务网页",
               en="The service's page on this site", required=True, example="services/phone-charging/"),
    ),
    items=lambda ctx: _services(ctx.catalog),
)

POLICIES = Table(
    "policies", "政策", "Policies",
    "驿站服务所依据的政策或法律，每项一行", "Policies and laws the services rest on, one row each",
    columns=(
        from_schema("id", POLICY, unique=True, required=True),
        from_schema("title", POLICY),
        from_schema("issuer", POLICY),
        from_schema("number", POLICY),
        from_schema("issued", POLICY),
        from_schema("effective_from", POLICY),
        from_schema("effective_to", POLICY),
        from_schema("url", POLICY),
        from_schema("summary", POLICY),
        Column("page_url", lambda p, ctx: ctx.page_url("policies", p.id), zh="本站上的政策网页",
               en="The policy's page on this site", required=True, example="policies/people-mediation-law/"),
    ),
    items=lambda ctx: _policies(ctx.catalog),
)

KINDS = Table(
    "kinds", "驿站类型", "Station kinds",
    "驿站类型（受控词表）", "Kinds of station (a controlled vocabulary)",
    columns=tuple(from_schema(n, KIND, unique=True, required=True) if n == "id" else from_schema(n, KIND)
                  for n in ("id", "name", "name_en", "description", "audience", "marker", "color")),
    items=lambda ctx: ctx.catalog.kinds,
)

AMENITIES = Table(
    "amenities", "设施", "Amenities",
    "驿站设施（受控词表）", "Amenities found at stations (a controlled vocabulary)",
    columns=tuple(from_schema(n, AMENITY, unique=True, required=True) if n == "id" else from_schema(n, AMENITY)
                  for n in ("id", "name", "name_en", "icon", "description")),
    items=lambda ctx: ctx.catalog.amenities,
)

STATION_SERVICES = _link_table(
    "station_services", "驿站—服务", "Station services", "station", "stations.csv", STATION, _stations,
    "services", "service", "services.csv", "每个驿站提供的每项服务一行", "One row per service a station offers")
STATION_AMENITIES = _link_table(
    "station_amenities", "驿站—设施", "Station amenities", "station", "stations.csv", STATION, _stations,
    "amenities", "amenity", "amenities.csv", "每个驿站的每项设施一行", "One row per amenity of a station")
STATION_POLICIES = _link_table(
    "station_policies", "驿站—政策", "Station policies", "station", "stations.csv", STATION, _stations,
    "policies", "policy", "policies.csv", "驿站记录中直接列出的政策", "Policies listed on the station record itself")

STATION_PHONES = Table(
    "station_phones", "驿站电话", "Station phones",
    "每个电话号码一行；号码是文字，保留开头的 0", "One row per phone number; numbers are text and keep their leading 0",
    columns=(
        _id_of("station", STATION, "stations.csv"),
        _POSITION,
        from_schema("number", STATION, "phones.number", get=lambda t, c: t[2].number),
        from_schema("type", STATION, "phones.type", get=lambda t, c: phone_type(t[2]), required=True,
                    zh="类型：landline 座机、mobile 手机、hotline 服务热线（记录未写时按号码判断）",
                    en="Type: landline, mobile or hotline (inferred from the number when the record leaves it out)"),
        from_schema("label", STATION, "phones.label", get=lambda t, c: t[2].label),
    ),
    items=_positioned(_stations, "phones"),
    primary_key=("station_id", "position"),
    foreign_keys=(ForeignKey(("station_id",), "stations"),),
    group="link",
    by_station=True,
)

STATION_FACTS = Table(
    "station_facts", "驿站数字", "Station facts",
    "数字和事实（面积、人数等），每条一行，带日期", "Facts and figures, one row each, with their date",
    columns=(
        _id_of("station", STATION, "stations.csv"),
        _POSITION,
        *(from_schema(n, STATION, f"facts.{n}", get=(lambda n: lambda t, c: getattr(t[2], n))(n))
          for n in ("name", "value", "unit", "qualifier", "as_of", "scope")),
    ),
    items=_positioned(_stations, "facts"),
    primary_key=("station_id", "position"),
    foreign_keys=(ForeignKey(("station_id",), "stations"),),
    group="link",
    by_station=True,
)

STATION_SOURCES = _sources_table("station_sources", "station", "stations.csv", STATION, _stations)

SERVICE_AUDIENCES = Table(
    "service_audiences", "服务对象", "Service audiences",
    "每项服务的每类服务对象一行", "One row per group of people a service is for",
    columns=(
        _id_of("service", SERVICE, "services.csv"),
        _POSITION,
        from_schema("audience", SERVICE, get=at(2), required=True),
    ),
    items=_positioned(_services, "audience"),
    primary_key=("service_id", "position"),
    foreign_keys=(ForeignKey(("service_id",), "services"),),
    group="link",
)
SERVICE_AMENITIES = _link_table(
    "service_amenities", "服务—设施", "Service amenities", "service", "services.csv", SERVICE, _services,
    "amenities", "amenity", "amenities.csv", "服务相关的设施", "Amenities related to a service")
SERVICE_POLICIES = _link_table(
    "service_policies", "服务—政策", "Service policies", "service", "services.csv", SERVICE, _services,
    "policies", "policy", "policies.csv", "服务相关的政策", "Policies related to a service")
POLICY_KINDS = _link_table(
    "policy_kinds", "政策—驿站类型", "Policy station kinds", "policy", "policies.csv", POLICY, _policies,
    "applies_to_kinds", "kind", "kinds.csv", "政策适用的驿站类型", "Station kinds a policy applies to")
POLICY_SERVICES = _link_table(
    "policy_services", "政策—服务", "Policy services", "policy", "policies.csv", POLICY, _policies,
    "applies_to_services", "service", "services.csv", "政策适用的服务", "Services a policy applies to")
POLICY_SOURCES = _sources_table("policy_sources", "policy", "policies.csv", POLICY, _policies)

# Published order: the order of resources in datapackage.json, of sheets in the workbook and on the page.
TABLES: tuple[Table, ...] = (
    STATIONS, SERVICES, POLICIES, KINDS, AMENITIES,
    STATION_SERVICES, STATION_AMENITIES, STATION_POLICIES, STATION_PHONES, STATION_FACTS, STATION_SOURCES,
    SERVICE_AUDIENCES, SERVICE_AMENITIES, SERVICE_POLICIES,
    POLICY_KINDS, POLICY_SERVICES, POLICY_SOURCES,
)
