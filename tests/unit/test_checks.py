"""generator.checks: the rules that look at values in context or across documents, one by one."""
from __future__ import annotations

from datetime import date

import pytest

from generator import checks
from generator.config import SiteConfig
from generator.errors import Severity
from generator.load import RawDoc, parse
from generator.validate import Doc, validate_doc

TODAY = date(2026, 6, 1)
CFG = SiteConfig(today=TODAY)

STATION = """\
id: {id}
name: {name}
kind: test-kind
status: active
town: 测试街道
location:
  lat: {lat}
  lon: {lon}
  precision: exact
  note: 测试
verified_on: {verified_on}
sources:
  - title: 来源
    publisher: 测试报
    date: 2026-05-01
"""


def doc(kind: str, stem: str, text: str, ext: str = "yaml") -> Doc:
    path = f"content/{kind}/{stem}.{ext}"
    root, problems = parse(path, text)
    d, found = validate_doc(RawDoc(path, kind, root, problems))
    assert problems + found == [], [(p.code, p.line, p.message) for p in problems + found]
    return d


def station(stem="s", *, name="测试驿站", lat=36.1, lon=103.6, verified_on="2026-05-01", extra="", id=None) -> Doc:
    text = STATION.format(id=id or stem, name=name, lat=lat, lon=lon, verified_on=verified_on) + extra
    return doc("stations", stem, text)


def catalogue(*docs: Doc) -> dict:
    out: dict = {}
    for d in docs:
        out.setdefault(d.kind, {})[d.stem] = d
    return out


def run(rule, *docs: Doc, cfg: SiteConfig = CFG):
    return list(rule(catalogue(*docs), cfg))


def brief(problems):
    return [(p.code, p.line, p.col, p.severity.value) for p in problems]


# ── id equals the file name ──

def test_id_matches_file_name():
    assert run(checks.check_id_matches_file, station("a")) == []


def test_id_mismatch():
    (p,) = run(checks.check_id_matches_file, station("a", id="b"))
    assert brief([p]) == [("id-mismatch", 1, 5, "error")]
    assert '"b"' in p.message and '"a"' in p.message and "id: a" in p.hint and "b.yaml" in p.hint


def test_yml_extension():
    d = doc("amenities", "x", "id: x\nname: 测试\n", ext="yml")
    assert [p.code for p in run(checks.check_id_matches_file, d)] == ["file-extension"]


# ── references ──

KIND = "id: test-kind\nname: 类型\ndescription: d\naudience: a\nmarker: circle\n"
SERVICE = "id: {id}\nname: 服务\ndescription: d\naudience: [a]\n"
AMENITY = "id: {id}\nname: 设施\n"
POLICY = ("id: {id}\ntitle: 政策\nissuer: 机关\nissued: 2020-01-01\nsummary: s\n"
          "sources:\n  - {{title: t, publisher: p, date: 2020-01-01}}\n")


def world(*extra: Doc) -> list[Doc]:
    return [doc("kinds", "test-kind", KIND), doc("services", "rest", SERVICE.format(id="rest")),
            doc("amenities", "water", AMENITY.format(id="water")), doc("policies", "law", POLICY.format(id="law")),
            *extra]


def test_references_that_resolve():
    s = station(extra="services: [rest]\namenities: [water]\npolicies: [law]\n")
    svc = doc("services", "nap", SERVICE.format(id="nap") + "amenities: [water]\npolicies: [law]\n")
    pol = doc("policies", "rule", POLICY.format(id="rule") + "applies_to_kinds: [test-kind]\napplies_to_services: [rest]\n")
    assert run(checks.check_references, *world(s, svc, pol)) == []


@pytest.mark.parametrize("kind, stem, text, line, target", [
    ("stations", "s", STATION.format(id="s", name="n", lat=36.1, lon=103.6, verified_on="2026-05-01")
     .replace("kind: test-kind", "kind: test-knid"), 3, "kinds"),
    ("stations", "s", STATION.format(id="s", name="n", lat=36.1, lon=103.6, verified_on="2026-05-01")
     + "services:\n  - rest\n  - nap\n", 18, "services"),
    ("stations", "s", STATION.format(id="s", name="n", lat=36.1, lon=103.6, verified_on="2026-05-01")
     + "amenities: [wifi]\n", 16, "amenities"),
    ("stations", "s", STATION.format(id="s", name="n", lat=36.1, lon=103.6, verified_on="2026-05-01")
     + "policies: [lw]\n", 16, "policies"),
    ("services", "x", SERVICE.format(id="x") + "amenities: [watr]\n", 5, "amenities"),
    ("services", "x", SERVICE.format(id="x") + "policies: [nope]\n", 5, "policies"),
    ("policies", "p", POLICY.format(id="p") + "applies_to_kinds: [linggong]\n", 8, "kinds"),
    ("policies", "p", POLICY.format(id="p") + "applies_to_services: [rset]\n", 8, "services"),
])
def test_unknown_references(kind, stem, text, line, target):
    (p,) = run(checks.check_references, *world(doc(kind, stem, text)))
    assert (p.code, p.line, p.severity) == ("unknown-reference", line, Severity.ERROR)
    assert f"content/{target}/" in p.message


def test_unknown_reference_suggests_the_closest_id():
    s = station(extra="services: [rset]\n")
    (p,) = run(checks.check_references, *world(s))
    assert '是否想写 "rest"' in p.message and "rest（服务）" in p.hint


def test_reference_into_an_empty_folder():
    s = station(extra="services: [rest]\n")
    (p,) = run(checks.check_references, doc("kinds", "test-kind", KIND), s)
    assert "先在 content/services/" in p.hint


# ── coordinates ──

@pytest.mark.parametrize("lat, lon, expected", [
    (36.1, 103.6, []),
    (35.95, 103.35, []),  # the corner of Xigu's box is inside
    (0, 0, [("zero-coordinates", 7, 3, "error")]),
    (39.9042, 116.4074, [("outside-area", 7, 8, "error")]),           # Beijing
    (-36.1, 103.6, [("outside-area", 7, 8, "error")]),                # a lost minus sign
    (36.1, -103.6, [("outside-area", 7, 8, "error")]),
    (3.61, 103.6, [("outside-area", 7, 8, "error")]),                 # a lost digit
    (36.0611, 103.8343, [("outside-xigu", 7, 8, "warning")]),         # Chengguan district, still Lanzhou
    (36.5, 103.6, [("outside-xigu", 7, 8, "warning")]),
])
def test_coordinates(lat, lon, expected):
    assert brief(run(checks.check_coordinates, station(lat=lat, lon=lon))) == expected


def test_station_without_location_is_fine():
    d = doc("stations", "s", STATION.format(id="s", name="n", lat=1, lon=1, verified_on="2026-05-01")
            .replace("location:\n  lat: 1\n  lon: 1\n  precision: exact\n  note: 测试\n", ""))
    assert run(checks.check_coordinates, d) == []


# ── near duplicates ──

def test_same_name_within_50_metres_is_a_warning():
    a = station("a", name="测试驿站", lat=36.1, lon=103.6)
    b = station("b", name="测试驿站", lat=36.1003, lon=103.6)  # about 33 m north
    (p,) = run(checks.check_near_duplicates, a, b)
    assert brief([p]) == [("near-duplicate", 2, 7, "warning")]
    assert p.path == "content/stations/b.yaml" and "content/stations/a.yaml" in p.message and "33 米" in p.message


def test_names_compare_without_whitespace():
    a = station("a", name="测试 驿站")
    b = station("b", name="测试驿站", lat=36.1001)
    assert [p.code for p in run(checks.check_near_duplicates, a, b)] == ["near-duplicate"]


@pytest.mark.parametrize("name_b, lat_b", [("测试驿站", 36.1006), ("别的驿站", 36.1)])
def test_not_near_duplicates(name_b, lat_b):
    a = station("a", name="测试驿站")
    b = station("b", name=name_b, lat=lat_b)  # 67 m apart, or a different name at the same place
    assert run(checks.check_near_duplicates, a, b) == []


# ── phones ──

def phone_station(number: str, type_: str | None = None) -> Doc:
    extra = f"phones:\n  - number: '{number}'\n" + (f"    type: {type_}\n" if type_ else "")
    return station(extra=extra)


@pytest.mark.parametrize("number, type_", [
    ("0931-7512345", None), ("09317512345", None), ("0931-75123456", None), ("010-12345678", None),
    ("0931 7512345", None), ("0931-7512345", "landline"),
    ("13912345678", None), ("13912345678", "mobile"), ("139 1234 5678", None), ("19912345678", None),
    ("12345", "hotline"), ("12348", "hotline"), ("110", "hotline"), ("400-123-4567", "hotline"), ("95598", "hotline"),
])
def test_valid_phones(number, type_):
    assert run(checks.check_phones, phone_station(number, type_)) == []


@pytest.mark.parametrize("number", [
    "1391234567",      # ten digits
    "139123456789",    # twelve
    "12912345678",     # no such mobile prefix
    "931-7512345",     # area code without the 0
    "0931-751234",     # six-digit local number
    "+86 13912345678".replace("+", "00"),
    "0931-7512345 转 8",
    "电话 0931-7512345",
    "٠٩٣١-٧٥١٢٣٤٥",   # Arabic-Indic digits: \d alone would accept them
    "𝟎𝟗𝟑𝟏-𝟕𝟓𝟏𝟐𝟑𝟒𝟓",  # mathematical digits
])
def test_invalid_phones(number):
    (p,) = run(checks.check_phones, phone_station(number))
    assert (p.code, p.line, p.col) == ("invalid-phone", 17, 13)


def test_landline_without_area_code_hint():
    (p,) = run(checks.check_phones, phone_station("7512345"))
    assert p.code == "invalid-phone" and "区号" in p.hint and "0931" in p.hint


@pytest.mark.parametrize("number", ["12345", "12348", "110"])
def test_hotline_needs_its_type(number):
    (p,) = run(checks.check_phones, phone_station(number))
    assert (p.code, p.line) == ("hotline-without-type", 17)
    assert "type: hotline" in p.hint


@pytest.mark.parametrize("number, declared, found", [
    ("13912345678", "landline", "mobile"), ("0931-7512345", "mobile", "landline"), ("0931-7512345", "hotline", "landline"),
])
def test_phone_type_mismatch(number, declared, found):
    (p,) = run(checks.check_phones, phone_station(number, declared))
    assert (p.code, p.line, p.col) == ("phone-type-mismatch", 18, 11)
    assert found in p.message


def test_fullwidth_digits_in_a_phone():
    (p,) = run(checks.check_phones, phone_station("０９３１－７５１２３４５"))
    assert p.code == "fullwidth-digit" and "0931-7512345" in p.hint


def test_every_phone_is_checked():
    d = station(extra="phones:\n  - number: '1'\n  - number: '0931-7512345'\n  - number: '12345'\n")
    assert [(p.code, p.line) for p in run(checks.check_phones, d)] == [
        ("invalid-phone", 17), ("hotline-without-type", 19)]


# ── opening hours ──

@pytest.mark.parametrize("hours", [
    "24/7", "Mo-Fr 08:30-12:00,14:30-18:00; PH off", "Mo-Su 09:00-21:00", "Mo-Fr 8:30-17:00",
    "Mo-Fr 08:00-12:00; Sa,Su off", "sunrise-sunset",
])
def test_valid_opening_hours(hours):
    assert run(checks.check_opening_hours, station(extra=f'opening_hours: "{hours}"\n')) == []


@pytest.mark.parametrize("line, col", [
    ("opening_hours: 8:30", 20),                    # would have been 510; the parser stops at the end
    ('opening_hours: "Mo-Fx 08:30-18:00"', 20),     # +1 for the quote, pointing at "Fx"
    ("opening_hours: Mo-Fx 08:30-18:00", 19),
    ("opening_hours: 周一至周五 8:30-18:00", 16),
    ("opening_hours: Mo-Fr 25:00-26:00", 22),
])
def test_invalid_opening_hours_point_into_the_value(line, col):
    (p,) = run(checks.check_opening_hours, station(extra=line + "\n"))
    assert (p.code, p.line, p.col, p.key) == ("invalid-opening-hours", 16, col, "opening_hours")
    assert "opening_hours" in p.message and "Mo-Fr" in p.hint


def test_invalid_opening_hours_in_a_block_scalar_points_at_the_value():
    (p,) = run(checks.check_opening_hours, station(extra="opening_hours: |\n  Mo-Fx 08:00-12:00\n"))
    assert (p.line, p.col) == (16, 16)


def test_hours_problem_never_raises(monkeypatch):
    class Panic(BaseException):  # what pyo3 raises when the Rust side panics
        pass

    def boom(text):
        raise Panic("panicked at src/lib.rs")

    monkeypatch.setattr(checks.opening_hours, "OpeningHours", boom)
    checks.hours_problem.cache_clear()  # it remembers each text's answer
    try:
        assert "panicked" in checks.hours_problem("Mo-Fr 08:00-12:00")
    finally:
        checks.hours_problem.cache_clear()  # not a panic for the tests after this one


# ── staleness and dates ──

@pytest.mark.parametrize("verified_on, expected", [
    ("2026-06-01", []),
    ("2025-06-01", []),                                   # exactly 365 days
    ("2025-05-31", [("stale", 11, 14, "warning")]),       # 366 days
    ("2020-01-01", [("stale", 11, 14, "warning")]),
    ("2026-06-02", [("future-date", 11, 14, "error")]),
])
def test_staleness(verified_on, expected):
    assert brief(run(checks.check_staleness, station(verified_on=verified_on))) == expected


def test_policy_dates_in_order():
    ok = doc("policies", "p", POLICY.format(id="p") + "effective_from: 2020-02-01\neffective_to: 2030-01-01\n")
    assert run(checks.check_policy_dates, ok) == []
    same = doc("policies", "p", POLICY.format(id="p") + "effective_from: 2020-02-01\neffective_to: 2020-02-01\n")
    assert run(checks.check_policy_dates, same) == []
    bad = doc("policies", "p", POLICY.format(id="p") + "effective_from: 2020-02-01\neffective_to: 2019-12-31\n")
    (p,) = run(checks.check_policy_dates, bad)
    assert brief([p]) == [("date-order", 9, 15, "error")]


# ── all rules together ──

def test_run_checks_runs_every_rule():
    names = {r.__name__ for r in checks.RULES}
    assert names == {name for name in dir(checks) if name.startswith("check_")}
    a = station("a", id="x", lat=0, lon=0, verified_on="2020-01-01", extra="services: [nope]\nopening_hours: 8:30\n")
    found = {p.code for p in checks.run_checks(catalogue(*world(a)), CFG)}
    assert found == {"id-mismatch", "unknown-reference", "zero-coordinates", "invalid-opening-hours", "stale"}
