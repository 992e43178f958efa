"""Step 2b, rules that look at values in context or across documents.

One small generator per rule; each yields Problems. They run only on documents
that passed the schema, so they may trust types.
"""
from __future__ import annotations

import difflib
import math
import re
import sys
from collections import defaultdict
from datetime import date
from functools import lru_cache

import opening_hours

from .config import SiteConfig
from .errors import Problem, error, warning
from .validate import Doc, key_path

Catalogue = dict[str, dict[str, Doc]]  # kind → id → doc

# re.ASCII: without it \d also matches "٠٩٣١" and other non-ASCII digits
_LANDLINE = re.compile(r"^0\d{2,3}-?\d{7,8}$", re.ASCII)
_MOBILE = re.compile(r"^1[3-9]\d{9}$", re.ASCII)
_HOTLINE = re.compile(r"^(1\d{2,4}|9\d{4}|[48]00-?\d{3}-?\d{4})$", re.ASCII)
_OH_POS = re.compile(r"--> 1:(\d+)")


def _err(doc: Doc, keys, code, message, hint=""):
    line, col = doc.pos(*keys)
    return error(doc.path, line, col, code, message, hint, key_path(keys))


def _warn(doc: Doc, keys, code, message, hint=""):
    line, col = doc.pos(*keys)
    return warning(doc.path, line, col, code, message, hint, key_path(keys))


def check_id_matches_file(docs: Catalogue, cfg: SiteConfig):
    for kind in docs.values():
        for doc in kind.values():
            if doc.path.endswith(".yml"):
                yield _err(doc, (), "file-extension", "文件扩展名应为 .yaml（use the .yaml extension）",
                           f"把文件改名为 {doc.stem}.yaml / rename the file")
            if doc.data.get("id") != doc.stem:
                yield _err(doc, ("id",), "id-mismatch",
                           f"id \"{doc.data.get('id')}\" 与文件名 \"{doc.stem}\" 不一致（id must equal the file name）",
                           f"写 id: {doc.stem}，或把文件改名为 {doc.data.get('id')}.yaml / make them equal")


SINGULAR = {"stations": "station", "services": "service", "policies": "policy", "kinds": "kind", "amenities": "amenity"}

# (kind, field, target kind); a field holding one id or a list of ids
REFERENCES = [
    ("stations", "kind", "kinds"),
    ("stations", "services", "services"),
    ("stations", "amenities", "amenities"),
    ("stations", "policies", "policies"),
    ("services", "amenities", "amenities"),
    ("services", "policies", "policies"),
    ("policies", "applies_to_kinds", "kinds"),
    ("policies", "applies_to_services", "services"),
]


def _label(doc: Doc) -> str:
    return doc.data.get("name") or doc.data.get("title") or doc.stem


def check_references(docs: Catalogue, cfg: SiteConfig):
    for kind, field, target in REFERENCES:
        known = docs.get(target, {})
        for doc in docs.get(kind, {}).values():
            value = doc.data.get(field)
            pairs = [((field,), value)] if isinstance(value, str) else \
                [((field, i), v) for i, v in enumerate(value or [])]
            for keys, ref in pairs:
                if ref in known:
                    continue
                guess = difflib.get_close_matches(str(ref), list(known), n=1, cutoff=0.5)
                choices = "、".join(f"{k}（{_label(d)}）" for k, d in sorted(known.items()))
                yield _err(doc, keys, "unknown-reference",
                           f"\"{ref}\" 在 content/{target}/ 里不存在（unknown {SINGULAR[target]} id）"
                           + (f"：是否想写 \"{guess[0]}\"？" if guess else ""),
                           f"可选 / one of: {choices}" if choices else f"先在 content/{target}/ 里建立它 / create it first")


def check_coordinates(docs: Catalogue, cfg: SiteConfig):
    for doc in docs.get("stations", {}).values():
        loc = doc.data.get("location")
        if not loc:
            continue
        lat, lon = loc["lat"], loc["lon"]
        if lat == 0 and lon == 0:
            yield _err(doc, ("location",), "zero-coordinates", "坐标是 0,0（coordinates are 0,0: a placeholder, not a place）",
                       "不知道位置就删除整个 location；大致位置请写 precision: approximate / remove location if unknown")
        elif not cfg.outer_area.contains(lat, lon):
            yield _err(doc, ("location", "lat"), "outside-area",
                       f"坐标 {lat},{lon} 远在兰州市以外（far outside Lanzhou）",
                       "检查是否用了 WGS-84 坐标、是否漏了小数点 / use WGS-84 degrees, e.g. lat: 36.09 lon: 103.62")
        elif not cfg.expected_area.contains(lat, lon):
            yield _warn(doc, ("location", "lat"), "outside-xigu",
                        f"坐标 {lat},{lon} 不在西固区范围内（outside Xigu district）",
                        "如果驿站确实在西固区以外可以忽略；否则请核对坐标 / check the coordinates")


def _metres(a: dict, b: dict) -> float:
    lat1, lon1, lat2, lon2 = map(math.radians, (a["lat"], a["lon"], b["lat"], b["lon"]))
    h = math.sin((lat2 - lat1) / 2) ** 2 + math.cos(lat1) * math.cos(lat2) * math.sin((lon2 - lon1) / 2) ** 2
    return 2 * 6371000 * math.asin(math.sqrt(h))


NEAR_METRES = 50
_EARTH_RADIUS = 6371000  # metres, as in _metres
# Latitude bands a little wider than NEAR_METRES. No two points are closer than the meridian arc
# between their latitudes (R·Δφ), so stations less than NEAR_METRES apart lie in the same or in
# neighbouring bands; the margin absorbs rounding. Longitude is not banded: near the poles a
# degree of longitude has no useful lower bound in metres.
_BAND_DEGREES = math.degrees(1.2 * NEAR_METRES / _EARTH_RADIUS)
_SPACES = re.compile(r"\s+")


def check_near_duplicates(docs: Catalogue, cfg: SiteConfig):
    by_name = defaultdict(list)  # grouping by name keeps this linear for large catalogues
    for doc in docs.get("stations", {}).values():
        if doc.data.get("location"):
            by_name[_SPACES.sub("", doc.data["name"])].append(doc)
    for group in by_name.values():
        bands: dict[int, list[int]] = defaultdict(list)  # band → indices into group, ascending
        for i, b in enumerate(group):
            band = math.floor(b.data["location"]["lat"] / _BAND_DEGREES)
            # one warning per station, naming the first earlier file it duplicates (n copies: n-1
            # warnings); only earlier stations in nearby bands can be that close, so many
            # stations of one name are not compared all with all
            for j in sorted(bands.get(band - 1, []) + bands.get(band, []) + bands.get(band + 1, [])):
                a = group[j]
                d = _metres(a.data["location"], b.data["location"])
                if d < NEAR_METRES:
                    yield _warn(b, ("name",), "near-duplicate",
                                f"与 {a.path} 同名且相距仅 {d:.0f} 米，可能重复（possible duplicate station）",
                                "如果是同一个驿站，请删除重复文件并保留一个 / keep one file per station")
                    break
            bands[band].append(i)


def _phone_kind(number: str) -> str | None:
    compact = number.replace(" ", "")
    for kind, rx in (("landline", _LANDLINE), ("mobile", _MOBILE), ("hotline", _HOTLINE)):
        # mobiles are often grouped as 139-1234-5678; only landlines give the hyphen a meaning
        if rx.match(compact.replace("-", "") if kind == "mobile" else compact):
            return kind
    return None


def check_phones(docs: Catalogue, cfg: SiteConfig):
    for doc in docs.get("stations", {}).values():
        for i, phone in enumerate(doc.data.get("phones") or []):
            number, declared = phone.get("number") or "", phone.get("type")
            keys = ("phones", i, "number")
            ascii_number = number.translate(str.maketrans("０１２３４５６７８９－", "0123456789-"))
            if ascii_number != number:
                yield _err(doc, keys, "fullwidth-digit", f"电话 \"{number}\" 里有全角字符（full-width digits）",
                           f"写成半角：{ascii_number} / use ASCII digits")
                continue
            found = _phone_kind(number)
            if found is None:
                hint = ("座机请加区号，如 0931-7512345 / add the area code"
                        if re.fullmatch(r"[0-9]{7,8}", number) else
                        "座机 0931-1234567、手机 13912345678（11 位）或热线 12345 / landline, mobile or hotline")
                yield _err(doc, keys, "invalid-phone", f"\"{number}\" 不是有效的电话号码（not a valid Chinese phone number）", hint)
            elif found == "hotline" and declared != "hotline":
                yield _err(doc, keys, "hotline-without-type",
                           f"\"{number}\" 是服务热线，需要标明（a hotline must say type: hotline）",
                           "在这个号码下面加一行 type: hotline / add type: hotline")
            elif declared and declared != found:
                yield _err(doc, ("phones", i, "type"), "phone-type-mismatch",
                           f"号码 \"{number}\" 看起来是 {found}，不是 {declared}（type does not match the number）",
                           f"写 type: {found}，或删除 type 让它自动判断 / fix or remove type")


@lru_cache(maxsize=4096)  # many stations share their hours; the rule sees one document at a time
def hours_problem(text: str) -> str | None:
    try:
        opening_hours.OpeningHours(text)
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as e:  # ParserError, or a Rust panic (pyo3's PanicException is not an Exception)
        return str(e) or type(e).__name__
    return None


def check_opening_hours(docs: Catalogue, cfg: SiteConfig):
    for doc in docs.get("stations", {}).values():
        text = doc.data.get("opening_hours")
        if not text:
            continue
        message = hours_problem(text)
        if message is None:
            continue
        node = doc.node("opening_hours")
        m = _OH_POS.search(message)
        offset = int(m.group(1)) - 1 if m and "\n" not in text else 0
        quoted = 0 if node.plain or "\n" in text else 1  # a block scalar (|) points at its indicator
        expected = message.strip().splitlines()[-1].strip(" =") if message else ""
        yield error(doc.path, node.line, node.col + quoted + offset, "invalid-opening-hours",
                    f"开放时间 \"{text}\" 无法识别（cannot parse opening_hours）：{expected}",
                    "按 OpenStreetMap 写法，例如 Mo-Fr 08:30-12:00,14:30-18:00; Sa-Su off; PH off；"
                    "24 小时写 24/7；不知道就删除这一行 / see https://wiki.openstreetmap.org/wiki/Key:opening_hours",
                    "opening_hours")


def check_staleness(docs: Catalogue, cfg: SiteConfig):
    for doc in docs.get("stations", {}).values():
        verified = doc.data.get("verified_on")
        if verified and date.fromisoformat(verified) > cfg.today:  # usually a typo in the year
            yield _err(doc, ("verified_on",), "future-date",
                       f"核实日期 {verified} 还没有到（verified_on is in the future）",
                       "写实际核实信息的那一天 / write the day the information was checked")
        elif verified and (cfg.today - date.fromisoformat(verified)).days > cfg.stale_after_days:
            yield _warn(doc, ("verified_on",), "stale",
                        f"信息最近核实于 {verified}，已超过一年（not verified for over a year）",
                        "请电话或实地核实后更新 verified_on / verify and update verified_on")


def check_policy_dates(docs: Catalogue, cfg: SiteConfig):
    for doc in docs.get("policies", {}).values():
        start, end = doc.data.get("effective_from"), doc.data.get("effective_to")
        if start and end and end < start:
            yield _err(doc, ("effective_to",), "date-order", f"失效日期 {end} 早于施行日期 {start}（ends before it starts）",
                       "检查这两个日期 / check both dates")


def check_holiday_years(docs: Catalogue, cfg: SiteConfig):
    from .hours import holiday_year_from_data

    for doc in docs.get("holidays", {}).values():
        for message in holiday_year_from_data(doc.data).problems():
            yield _err(doc, ("holidays",), "invalid-holiday-year", message,
                       "对照国务院办公厅的放假通知核对日期 / check against the State Council's notice")


# Each of these looks at one document at a time, so they run where the document is read (in the
# check's forked readers, on a large site), while it still has its positions and all its data.
DOCUMENT_RULES = [
    check_id_matches_file,
    check_coordinates,
    check_phones,
    check_opening_hours,
    check_staleness,
    check_policy_dates,
    check_holiday_years,
]
# These compare documents, and see a station only as `cross_document_data` keeps it.
CROSS_DOCUMENT_RULES = [
    check_references,
    check_near_duplicates,
]
RULES = DOCUMENT_RULES + CROSS_DOCUMENT_RULES

# the fields of a station that refer to other documents (check_references)
_STATION_REFERENCES = tuple(f for kind, f, _ in REFERENCES if kind == "stations")


def cross_document_data(kind: str, data: dict) -> dict:
    """A document as the cross-document rules need it. A station's record is most of a large
    site's content; the check holds only these few fields of each until the rules have run.
    The ids it refers to are interned: a few dozen ids, each then sent and held once
    (marshal writes an object it meets again as a reference), not once per station."""
    if kind != "stations":
        return data
    kept = {k: sys.intern(v) if isinstance(v, str) else tuple(map(sys.intern, v))
            for k in _STATION_REFERENCES if (v := data.get(k)) is not None}
    kept["name"] = data.get("name")  # and the name and place check_near_duplicates compares
    if (loc := data.get("location")) is not None:
        kept["location"] = {"lat": loc["lat"], "lon": loc["lon"]}
    return kept


def run_checks(docs: Catalogue, cfg: SiteConfig, rules=RULES) -> list[Problem]:
    return [p for rule in rules for p in rule(docs, cfg)]
