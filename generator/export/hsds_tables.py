"""The HSDS tables of /data/hsds/: Open Referral HSDS 3 resource names and columns, in published order.

What each row stands for (one organisation, location and address per station, one
service per station and service, …) is explained in `hsds`, which also makes the rows.

A table made from the stations lists its rows station by station, in the order of the
stations' ids, rather than by its own id: a UUID, whose order means nothing and would
need every row at once to sort (the datasets are made a slice of the stations at a time).
"""
from __future__ import annotations

from ..model import Station
from .fields import Column, Context, ForeignKey, Table, phone_type
from .hsds import (DAY_CODES, KINDS_TAX, PHONE_TYPE, STATUS, TAXONOMIES, attribute_rows, clock, hid, phone_rows,
                   schedule_description, schedule_notes, schedule_rows, service_rows, term_rows)


def _org_description(st: Station, ctx: Context) -> str:
    text = st.description or f"{ctx.kinds[st.kind].name}，{st.town}"
    return f"{text}（管理单位：{st.operator}）" if st.operator else text


def _location_description(st: Station, ctx: Context) -> str | None:
    if not st.location:
        return "位置未知 / location unknown"
    label = "大致位置（只精确到街道或村）" if st.location.approximate else "门口位置"
    return f"{label}：{st.location.note}"


def _fees(service) -> str:
    return ("免费" if service.free else "收费") + (f"（{service.fee_note}）" if service.fee_note else "")


def _alert(st: Station) -> str | None:
    return {"temporarily-closed": "驿站暂停开放 / The station is temporarily closed",
            "closed": "驿站已关闭 / The station has closed"}.get(st.status)


def C(name, get, type="string", zh="", en="", **kw) -> Column:  # noqa: N802 - a short column maker
    return Column(name, get, type, zh, en, **kw)


UUID_EXAMPLE = hid("location", "chenping-linggong")


def _id_col(zh: str, en: str, get) -> Column:
    return C("id", get, zh=f"{zh}（由本站标识生成的 UUID，不随构建改变）",
             en=f"{en} (a UUID derived from our id; stable across builds)",
             required=True, unique=True, example=UUID_EXAMPLE)


def _ref(name: str, get, zh: str, en: str, required: bool = True) -> Column:
    return C(name, get, zh=zh, en=en, required=required, example=UUID_EXAMPLE)


def _fk(name: str, resource: str) -> ForeignKey:
    return ForeignKey((name,), resource)


ORGANIZATIONS = Table(
    "organization", "组织", "Organizations", "提供服务的组织：每个驿站一个", "Organisations delivering services: one per station",
    columns=(
        _id_col("组织标识", "Organization id", lambda st, c: c.ref("organization", st.id)),
        C("name", lambda st, c: st.name, zh="名称（驿站名称）", en="Name (the station's name)", required=True,
          example="陈坪街道零工驿站"),
        C("description", _org_description, zh="简介（含管理单位）", en="Description, with the managing unit",
          required=True),
        C("website", lambda st, c: c.station_absolute(st.id), zh="本站上的驿站网页",
          en="The station's page on this site", example="https://example.org/stations/chenping-linggong/"),
    ),
    file="organizations.csv",
    group="hsds",
    items=lambda ctx: ctx.catalog.stations,
    by_station=True, sort=False,
)

LOCATIONS = Table(
    "location", "地点", "Locations", "驿站所在地点，每个驿站一个", "Where each station is, one per station",
    columns=(
        _id_col("地点标识", "Location id", lambda st, c: c.ref("location", st.id)),
        C("location_type", lambda st, c: "physical", zh="地点类型（实体地点）", en="Location type (physical)",
          required=True, enum=("physical", "postal", "virtual"), example="physical"),
        C("url", lambda st, c: c.station_absolute(st.id), zh="本站上的驿站网页", en="The station's page on this site"),
        _ref("organization_id", lambda st, c: c.ref("organization", st.id), "组织标识（organizations.csv）",
             "Organization id (organizations.csv)"),
        C("name", lambda st, c: st.name, zh="地点名称（驿站名称）", en="Name of the location (the station's name)",
          required=True, example="陈坪街道零工驿站"),
        C("description", _location_description, zh="位置说明：精度和坐标来源",
          en="About the position: its precision and where the coordinates came from"),
        C("latitude", lambda st, c: st.location.lat if st.location else None, "number",
          "纬度（WGS-84）", "Latitude, WGS-84", minimum=-90, maximum=90, example=36.09),
        C("longitude", lambda st, c: st.location.lon if st.location else None, "number",
          "经度（WGS-84）", "Longitude, WGS-84", minimum=-180, maximum=180, example=103.62),
        C("external_identifier", lambda st, c: st.id, zh="本站的驿站标识（stations.csv 的 id）",
          en="Our station id (id in ../stations.csv)", required=True, unique=True, example="chenping-linggong"),
        C("external_identifier_type", lambda st, c: "xigu-yizhan-station-id", zh="外部标识的类型",
          en="Type of the external identifier", required=True, example="xigu-yizhan-station-id"),
    ),
    file="locations.csv",
    group="hsds",
    items=lambda ctx: ctx.catalog.stations,
    by_station=True, sort=False,
    foreign_keys=(_fk("organization_id", "organization"),),
)

ADDRESSES = Table(
    "address", "地址", "Addresses", "驿站地址，每个驿站一个；邮编未知时留空",
    "The station's address, one per station; the postcode is left empty while unknown",
    columns=(
        _id_col("地址标识", "Address id", lambda st, c: hid("address", st.id)),
        _ref("location_id", lambda st, c: c.ref("location", st.id), "地点标识（locations.csv）",
             "Location id (locations.csv)"),
        C("address_1", lambda st, c: st.address or " ".join(x for x in (st.town, st.community) if x),
          zh="地址；没有门牌时为镇/街道和社区", en="Address; the town and community when there is no street address",
          required=True, example="西固区环形东路附近"),
        C("address_2", lambda st, c: " ".join(x for x in (st.town, st.community) if x) if st.address else None,
          zh="镇/街道和社区", en="Town and community", example="陈坪街道 中街社区"),
        C("city", lambda st, c: "兰州市", zh="城市", en="City", required=True, example="兰州市"),
        C("region", lambda st, c: "西固区", zh="区", en="District", example="西固区"),
        C("state_province", lambda st, c: "甘肃省", zh="省", en="Province", required=True, example="甘肃省"),
        C("postal_code", lambda st, c: None, zh="邮政编码（文字；数据来源未给出时留空）",
          en="Postcode, as text (empty while our sources do not give it)", example="730060"),
        C("country", lambda st, c: "CN", zh="国家（ISO 3166-1 代码）", en="Country (ISO 3166-1 code)",
          required=True, example="CN"),
        C("address_type", lambda st, c: "physical", zh="地址类型", en="Address type", required=True,
          enum=("physical", "postal", "virtual"), example="physical"),
    ),
    file="addresses.csv",
    group="hsds",
    items=lambda ctx: ctx.catalog.stations,
    by_station=True, sort=False,
    foreign_keys=(_fk("location_id", "location"),),
)

SERVICES = Table(
    "service", "服务", "Services", "每个驿站提供的每项服务一行（一个 HSDS 服务属于一个组织）",
    "One row per service a station offers (an HSDS service belongs to one organisation)",
    columns=(
        _id_col("服务标识", "Service id", lambda p, c: c.ref("service", p[0].id, p[1].id)),
        _ref("organization_id", lambda p, c: c.ref("organization", p[0].id), "组织标识（organizations.csv）",
             "Organization id (organizations.csv)"),
        C("name", lambda p, c: p[1].name, zh="服务名称", en="Name of the service", required=True, example="手机充电"),
        C("description", lambda p, c: p[1].description, zh="服务内容", en="What the service is"),
        C("url", lambda p, c: c.absolute("services", p[1].id), zh="本站上的服务网页", en="The service's page on this site"),
        C("status", lambda p, c: STATUS[p[0].status], zh="状态：随驿站（已关闭的驿站为 defunct）",
          en="Status, following the station's (a closed station's services are defunct)", required=True,
          enum=("active", "inactive", "defunct", "temporarily closed"), example="active"),
        C("fees_description", lambda p, c: _fees(p[1]), zh="费用", en="Fees", example="免费"),
        C("eligibility_description", lambda p, c: "、".join(p[1].audience), zh="服务对象",
          en="Who the service is for", example="快递员、外卖骑手、环卫工人"),
        C("assured_date", lambda p, c: p[0].verified_on, "date", "最近一次核实驿站信息的日期",
          "Date the station's information was last verified", example="2024-04-16"),
        C("alert", lambda p, c: _alert(p[0]), zh="提示：驿站暂停开放或已关闭", en="Alert: the station is closed"),
    ),
    file="services.csv",
    group="hsds",
    items=service_rows,
    by_station=True, sort=False,
    foreign_keys=(_fk("organization_id", "organization"),),
)

SERVICE_AT_LOCATION = Table(
    "service_at_location", "服务所在地点", "Services at locations", "每项服务在哪个驿站提供",
    "Which station each service is offered at",
    columns=(
        _id_col("标识", "Id", lambda p, c: hid("service_at_location", p[0].id, p[1].id)),
        _ref("service_id", lambda p, c: c.ref("service", p[0].id, p[1].id), "服务标识（services.csv）",
             "Service id (services.csv)"),
        _ref("location_id", lambda p, c: c.ref("location", p[0].id), "地点标识（locations.csv）",
             "Location id (locations.csv)"),
    ),
    file="service_at_location.csv",
    group="hsds",
    items=service_rows,
    by_station=True, sort=False,
    foreign_keys=(_fk("service_id", "service"), _fk("location_id", "location")),
)

SCHEDULES = Table(
    "schedule", "开放时间", "Schedules",
    "驿站每周的开放时间（RFC 5545 每周规则），每个开放时段一行；开放时间未知的驿站没有行",
    "Weekly opening hours as RFC 5545 weekly rules, one row per opening interval; stations with unknown hours have none",
    columns=(
        _id_col("标识", "Id", lambda r, c: r.id),
        _ref("location_id", lambda r, c: c.ref("location", r.station.id), "地点标识（locations.csv）",
             "Location id (locations.csv)"),
        C("timezone", lambda r, c: 8, "number", "时区：与 UTC 相差的小时数（北京时间 +8）",
          "Time zone as hours from UTC (China Standard Time, +8)", required=True, example=8),
        C("freq", lambda r, c: "WEEKLY", zh="重复频率", en="Frequency", required=True,
          enum=("WEEKLY", "MONTHLY"), example="WEEKLY"),
        C("interval", lambda r, c: 1, "number", "间隔（每 1 周）", "Interval (every week)", required=True, example=1),
        C("byday", lambda r, c: ",".join(DAY_CODES[d] for d in r.days), zh="适用的星期（MO 周一 … SU 周日，逗号分隔）",
          en="Weekdays it applies to (MO … SU, comma separated)", required=True, example="MO,TU,WE,TH,FR"),
        C("opens_at", lambda r, c: clock(r.start), zh="开门时间（北京时间，带 +08:00）",
          en="Opening time, local, with the +08:00 offset", required=True, example="08:30:00+08:00"),
        C("closes_at", lambda r, c: clock(r.end), zh="关门时间（早于或等于开门时间表示次日）",
          en="Closing time; at or before opens_at means the next day", required=True, example="18:00:00+08:00"),
        C("description", lambda r, c: schedule_description(r.hours), zh="整个驿站开放时间的中文说明，含法定节假日",
          en="The station's whole opening hours in Chinese, public holidays included", required=True,
          example="周一至周五 08:30–12:00、14:30–18:00；周六、周日 休息；法定节假日休息"),
        C("notes", schedule_notes, zh="原始的 OpenStreetMap opening_hours 文字；过午夜时注明次日关门",
          en="The original OpenStreetMap opening_hours text; says so when closing is on the next day",
          example="opening_hours: Mo-Fr 08:30-12:00,14:30-18:00; PH off"),
    ),
    file="schedules.csv",
    group="hsds",
    items=schedule_rows,
    by_station=True, sort=False,
    foreign_keys=(_fk("location_id", "location"),),
)

PHONES = Table(
    "phone", "电话", "Phones", "驿站的电话号码（文字，保留开头的 0）", "The stations' phone numbers (text, leading 0 kept)",
    columns=(
        _id_col("电话标识", "Phone id", lambda t, c: hid("phone", t[0].id, t[2])),
        _ref("location_id", lambda t, c: c.ref("location", t[0].id), "地点标识（locations.csv）",
             "Location id (locations.csv)"),
        C("number", lambda t, c: t[1].number, zh="电话号码", en="Phone number", required=True, example="0931-7512345"),
        C("type", lambda t, c: PHONE_TYPE[phone_type(t[1])], zh="类型（RFC 6350：voice 电话，cell 手机）",
          en="Type, from RFC 6350 (voice, cell)", enum=("text", "voice", "fax", "cell", "video", "pager", "textphone"),
          example="voice"),
        C("description", lambda t, c: t[1].label or ("服务热线" if t[1].type == "hotline" else None),
          zh="说明", en="Description", example="值班电话"),
    ),
    file="phones.csv",
    group="hsds",
    items=phone_rows,
    by_station=True, sort=False,
    foreign_keys=(_fk("location_id", "location"),),
)


TAXONOMY_TABLE = Table(
    "taxonomy", "分类体系", "Taxonomies", "本站的三个分类：驿站类型、设施、服务",
    "This site's three taxonomies: station kinds, amenities and services",
    columns=(
        _id_col("分类体系标识", "Taxonomy id", lambda t, c: t.id),
        C("name", lambda t, c: t.name, zh="名称", en="Name", required=True, example=KINDS_TAX.name),
        C("description", lambda t, c: f"{t.zh} / {t.en}", zh="说明", en="Description", required=True),
    ),
    file="taxonomies.csv",
    group="hsds",
    items=lambda ctx: TAXONOMIES,
)

TAXONOMY_TERMS = Table(
    "taxonomy_term", "分类词", "Taxonomy terms", "各分类体系中的词（代码即本站标识）",
    "Terms of the taxonomies (the code is our id)",
    columns=(
        _id_col("分类词标识", "Term id", lambda t, c: c.ref("taxonomy_term", t[0].key, t[1])),
        C("code", lambda t, c: t[1], zh="代码：本站的标识", en="Code: our id", required=True, example="drinking-water"),
        C("name", lambda t, c: t[2], zh="名称", en="Name", required=True, example="饮水"),
        C("description", lambda t, c: t[3], zh="说明", en="Description", required=True),
        C("taxonomy", lambda t, c: t[0].name, zh="分类体系名称", en="Name of the taxonomy", required=True),
        C("language", lambda t, c: "zh", zh="语言（ISO 639-1）", en="Language (ISO 639-1)", required=True, example="zh"),
        _ref("taxonomy_id", lambda t, c: t[0].id, "分类体系标识（taxonomies.csv）", "Taxonomy id (taxonomies.csv)"),
        C("term_uri", lambda t, c: c.absolute(t[0].section, t[1]) if t[0].section else None,
          zh="本站上该词的网页", en="The term's page on this site"),
    ),
    file="taxonomy_terms.csv",
    group="hsds",
    items=term_rows,
    foreign_keys=(_fk("taxonomy_id", "taxonomy"),),
)

ATTRIBUTES = Table(
    "attribute", "属性", "Attributes",
    "把分类词连到地点（驿站类型、设施）和服务（本站服务词表）",
    "Links taxonomy terms to locations (station kind, amenities) and to services (our service vocabulary)",
    columns=(
        _id_col("标识", "Id", lambda a, c: hid("attribute", a[2], a[3], a[4], a[1])),
        # a service's key is "station/service": split, it names the memo entry the services table made
        _ref("link_id", lambda a, c: c.ref(a[2], *a[3].split("/")), "所连的地点或服务的标识",
             "Id of the linked location or service"),
        _ref("taxonomy_term_id", lambda a, c: c.ref("taxonomy_term", a[0].key, a[1]),
             "分类词标识（taxonomy_terms.csv）", "Taxonomy term id (taxonomy_terms.csv)"),
        C("link_type", lambda a, c: a[4], zh="关系类型：station_kind 驿站类型、amenity 设施、service_type 服务",
          en="What the term describes: station_kind, amenity or service_type", required=True,
          enum=("station_kind", "amenity", "service_type"), example="amenity"),
        C("link_entity", lambda a, c: a[2], zh="所连的表：location 或 service", en="Table of link_id: location or service",
          required=True, enum=("location", "service"), example="location"),
    ),
    file="attributes.csv",
    group="hsds",
    items=attribute_rows,
    by_station=True, sort=False,
    foreign_keys=(_fk("taxonomy_term_id", "taxonomy_term"),),
)

# Published order. Resource names are HSDS's table names; files are plural, as in HSDS tabular packages.
HSDS_TABLES: tuple[Table, ...] = (ORGANIZATIONS, LOCATIONS, ADDRESSES, SERVICES, SERVICE_AT_LOCATION, SCHEDULES,
                                  PHONES, TAXONOMY_TABLE, TAXONOMY_TERMS, ATTRIBUTES)
