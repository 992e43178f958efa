"""generator.validate: the schema decides what each text becomes, and every schema error
becomes a Problem with a stable code, the right place, a message and a hint."""
from __future__ import annotations

import pytest

from generator import report
from generator.load import MAX_PROBLEMS, RawDoc, parse
from generator.validate import suggest_key, validate_doc

STATION = """\
id: s
name: 测试驿站
kind: test-kind
status: active
town: 测试街道
location:
  lat: 36.1
  lon: 103.6
  precision: exact
  note: 测试
verified_on: 2026-05-01
sources:
  - title: 来源
    publisher: 测试报
    date: 2026-05-01
"""


def check(text: str, kind: str = "stations", path: str = "content/stations/s.yaml"):
    root, problems = parse(path, text)
    assert root is not None, problems
    raw = RawDoc(path, kind, root, problems)
    doc, found = validate_doc(raw)
    return doc, problems + found


def edit(old: str, new: str, text: str = STATION) -> str:
    assert text.count(old) == 1, old
    return text.replace(old, new)


def codes(problems) -> list[str]:
    return [p.code for p in problems]


def test_a_valid_station_has_no_problems_and_typed_values():
    doc, problems = check(STATION)
    assert problems == []
    assert doc.data["location"] == {"lat": 36.1, "lon": 103.6, "precision": "exact", "note": "测试"}
    assert doc.data["verified_on"] == "2026-05-01"  # dates stay ISO text
    assert doc.data["sources"][0]["date"] == "2026-05-01"


# ── coercion: numbers only where the schema wants a number ──

@pytest.mark.parametrize("text, value", [
    ("36", 36), ("36.0", 36.0), ("36.09", 36.09), ("+36.5", 36.5), (" 36.1", 36.1), ("'36.1'", 36.1), (".5", 0.5),
])
def test_numbers(text, value):
    doc, problems = check(edit("  lat: 36.1", f"  lat: {text}"))
    assert problems == [] and doc.data["location"]["lat"] == value
    assert type(doc.data["location"]["lat"]) is type(value)


@pytest.mark.parametrize("text", ["北纬36度", "36,1", "36.1.2", "1e1", "0x24", ".nan", ".inf", "-.inf", "'٣٦'",
                                  "9" * 400, "36。1", "[36]"])
def test_not_numbers(text):
    _, problems = check(edit("  lat: 36.1", f"  lat: {text}"))
    assert codes(problems) == ["wrong-type"]
    assert (problems[0].line, problems[0].col, problems[0].key) == (7, 8, "location.lat")
    assert "应为数字" in problems[0].message and "expected number" in problems[0].message


def test_long_values_are_shortened_in_messages():
    _, problems = check(edit("  lat: 36.1", "  lat: " + "9" * 400))
    assert len(problems[0].message) < 120 and "…" in problems[0].message


def test_fullwidth_digits_in_a_number():
    doc, problems = check(edit("  lat: 36.1", "  lat: ３６．１"))
    assert codes(problems) == ["fullwidth-digit"]  # not also wrong-type
    assert (problems[0].line, problems[0].col) == (7, 8)
    assert "36.1" in problems[0].hint
    assert doc.data["location"]["lat"] == 36.1


def test_fullwidth_minus_in_a_number():
    _, problems = check(edit("  lon: 103.6", "  lon: －103.6"))
    assert "fullwidth-digit" in codes(problems)


def test_phone_numbers_stay_text():
    doc, problems = check(STATION + "phones:\n  - number: 09317512345\n  - number: 0931-7512345\n")
    assert problems == []
    assert [p["number"] for p in doc.data["phones"]] == ["09317512345", "0931-7512345"]


def test_an_integer_field_does_not_truncate_a_fraction():
    text = "id: '2027'\nyear: 2027.5\nholidays:\n  - {date: 2027-01-01, name: 元旦}\nsources:\n  - {title: t, publisher: p, date: 2026-12-01}\n"
    _, problems = check(text, kind="holidays", path="content/holidays/2027.yaml")
    assert codes(problems) == ["wrong-type"] and "整数" in problems[0].message


# ── booleans: only true and false ──

@pytest.mark.parametrize("text, value", [("true", True), ("false", False), ("True", True), ("FALSE", False)])
def test_booleans(text, value):
    doc, problems = check(f"id: s\nname: n\ndescription: d\naudience: [a]\nfree: {text}\n", kind="services")
    assert problems == [] and doc.data["free"] is value


@pytest.mark.parametrize("text", ["yes", "no", "on", "off", "y", "n", "Yes", "NO", "是", "否"])
def test_yaml11_booleans_are_refused(text):
    _, problems = check(f"id: s\nname: n\ndescription: d\naudience: [a]\nfree: {text}\n", kind="services")
    assert codes(problems) == ["ambiguous-boolean"]
    assert (problems[0].line, problems[0].col) == (5, 7)
    assert "true" in problems[0].hint or "false" in problems[0].hint


@pytest.mark.parametrize("text", ["1", "0", "免费", "[true]"])
def test_other_booleans_are_wrong_type(text):
    _, problems = check(f"id: s\nname: n\ndescription: d\naudience: [a]\nfree: {text}\n", kind="services")
    assert codes(problems) == ["wrong-type"]


# ── free text that a spreadsheet would run ──

@pytest.mark.parametrize("text", ['"=1+1"', '"+86"', '"-5 度"', '"@SUM(A1)"', '"\\tx"',
                                  "'=HYPERLINK(\"http://x\")'"])
def test_formula_text(text):
    _, problems = check(edit("town: 测试街道", f"town: {text}"))
    assert codes(problems) == ["formula-text"]
    assert (problems[0].line, problems[0].col, problems[0].key) == (5, 7, "town")


def test_a_leading_carriage_return_is_a_formula_start_and_a_control_character():
    _, problems = check(edit("town: 测试街道", 'town: "\\rx"'))
    assert sorted(codes(problems)) == ["formula-text", "invisible-char"]


def test_formula_text_in_list_items_and_nested_text():
    _, problems = check(edit("  - title: 来源", "  - title: =来源"))
    assert codes(problems) == ["formula-text"] and problems[0].key == "sources[0].title"
    _, problems = check("id: s\nname: n\ndescription: d\naudience: ['@all']\n", kind="services")
    assert codes(problems) == ["formula-text"] and problems[0].key == "audience[0]"


def test_a_minus_inside_text_or_a_negative_number_is_not_a_formula():
    _, problems = check(edit("town: 测试街道", "town: 测试-街道"))
    assert problems == []
    _, problems = check(STATION + "facts:\n  - {name: n, value: -5, as_of: 2026-01-01}\n")
    assert codes(problems) == ["out-of-range"]


# ── unknown keys ──

def test_unknown_key_message_and_text_report_line():
    _, problems = check(STATION + "phnoe: 0931-7512345\n")
    (p,) = problems
    assert (p.code, p.line, p.col, p.key) == ("unknown-key", 16, 1, "phnoe")
    assert p.message == '未知字段 "phnoe"（unknown key）：是否想写 "phones"？'
    assert p.hint == '是否想写 "phones"？/ did you mean "phones"?'
    assert report.as_text([p]).splitlines()[0] == (
        'content/stations/s.yaml:16:1: error[unknown-key]: 未知字段 "phnoe"（unknown key）：是否想写 "phones"？')


def test_unknown_key_without_a_guess_lists_the_allowed_keys():
    _, problems = check(STATION + "zzzz: 1\n")
    (p,) = problems
    assert p.message == '未知字段 "zzzz"（unknown key）'
    assert "opening_hours" in p.hint and "verified_on" in p.hint


@pytest.mark.parametrize("key, guess", [("地址", "address"), ("电话", "phones"), ("开放时间", "opening_hours"),
                                        ("verifed_on", "verified_on"), ("openinghours", "opening_hours"),
                                        ("Name", "name")])
def test_did_you_mean(key, guess):
    _, problems = check(STATION + f"{key}: x\n")
    assert codes(problems) == ["unknown-key"]
    assert f'是否想写 "{guess}"' in problems[0].message


def test_unknown_keys_in_nested_mappings():
    _, problems = check(edit("  precision: exact", "  precison: exact\n  precision: exact"))
    assert codes(problems) == ["unknown-key"]
    assert problems[0].key == "location.precison" and problems[0].line == 9


def test_suggest_key_gives_none_for_nonsense():
    assert suggest_key("qqqq", {"name": {}, "id": {}}) is None
    assert suggest_key("", {"name": {"description": "名称 / Name"}}) is None


# ── required, types, enums, formats ──

def test_every_missing_field_is_named():
    _, problems = check("id: s\nname: 测试\n")
    assert codes(problems) == ["missing-field"] * 5
    missing = sorted(p.key for p in problems)
    assert missing == ["kind", "sources", "status", "town", "verified_on"]
    for p in problems:
        assert f'"{p.key}"' in p.message and (p.line, p.col) == (1, 1)
        assert p.hint.startswith(f"添加 {p.key}:")


def test_missing_field_in_a_list_item_points_at_the_item():
    _, problems = check(edit("    publisher: 测试报\n", ""))
    assert [(p.code, p.line, p.col, p.key) for p in problems] == [("missing-field", 13, 5, "sources[0].publisher")]


@pytest.mark.parametrize("value", ["", "~", "null"])
def test_empty_values(value):
    _, problems = check(edit("town: 测试街道", f"town: {value}"))
    assert codes(problems) == ["empty-value"] and problems[0].line == 5


def test_quoted_empty_text_is_empty_too():
    _, problems = check(edit("town: 测试街道", 'town: ""'))
    assert codes(problems) == ["empty-value"]


def test_wrong_shapes():
    _, problems = check(STATION + "services: test-rest\n")
    assert codes(problems) == ["wrong-type"] and "列表" in problems[0].message
    _, problems = check(edit("location:\n  lat: 36.1\n  lon: 103.6\n  precision: exact\n  note: 测试\n",
                             "location: 36.1,103.6\n"))
    assert codes(problems) == ["wrong-type"] and "一组字段" in problems[0].message


def test_enum_with_a_guess():
    _, problems = check(edit("status: active", "status: Active"))
    (p,) = problems
    assert (p.code, p.line, p.col) == ("invalid-enum", 4, 9)
    assert '是否想写 "active"' in p.message and "temporarily-closed" in p.hint


@pytest.mark.parametrize("value, code", [
    ("2024-02-30", "invalid-date"), ("2023-02-29", "invalid-date"), ("2024-13-01", "invalid-date"),
    ("2024-04-31", "invalid-date"), ("2024/04/16", "invalid-format"), ("2024-4-16", "invalid-format"),
    ("16.04.2024", "invalid-format"), ("2024年4月16日", "invalid-format"), ("２０２４-０４-１６", "invalid-format"),
])
def test_dates(value, code):
    _, problems = check(edit("verified_on: 2026-05-01", f"verified_on: {value}"))
    assert codes(problems) == [code]  # one problem per value, never both
    assert (problems[0].line, problems[0].col) == (11, 14)


def test_leap_day_exists():
    _, problems = check(edit("verified_on: 2026-05-01", "verified_on: 2024-02-29"))
    assert problems == []


@pytest.mark.parametrize("url, ok", [
    ("https://example.org/a?b=c", True), ("http://example.org", True),
    ("javascript:alert(1)", False), ("JAVASCRIPT:alert(1)", False), ("data:text/html,x", False),
    ("ftp://example.org", False), ("//example.org", False), ("example.org", False), ("https://a b", False),
    ("file:///etc/passwd", False), ("vbscript:x", False),
])
def test_urls_are_http_or_https_only(url, ok):
    _, problems = check(edit("    date: 2026-05-01\n", f"    date: 2026-05-01\n    url: '{url}'\n"))
    assert codes(problems) == ([] if ok else ["invalid-format"])


@pytest.mark.parametrize("lat, lon, code", [
    ("103.6", "36.1", "swapped-coordinates"),
    ("91", "103.6", "out-of-range"),
    ("36.1", "181", "out-of-range"),
    ("-91", "103.6", "out-of-range"),
])
def test_coordinate_ranges(lat, lon, code):
    _, problems = check(edit("  lat: 36.1\n  lon: 103.6", f"  lat: {lat}\n  lon: {lon}"))
    assert codes(problems) == [code]


def test_too_long_text():
    _, problems = check(edit("name: 测试驿站", "name: " + "长" * 2001))
    assert codes(problems) == ["too-long"]


def test_id_pattern():
    _, problems = check(edit("id: s", "id: Test Station"))
    assert codes(problems) == ["invalid-format"] and problems[0].line == 1


def test_duplicate_list_items():
    _, problems = check(STATION + "services:\n  - a\n  - a\n")
    assert codes(problems) == ["duplicate-item"]


def test_sources_need_at_least_one():
    _, problems = check(edit("sources:\n  - title: 来源\n    publisher: 测试报\n    date: 2026-05-01\n", "sources: []\n"))
    assert codes(problems) == ["too-few-items"]


# ── the whole document ──

def test_not_a_mapping():
    for text in ("- a\n- b\n", "just text\n", "'quoted'\n"):
        doc, problems = check(text)
        assert doc is None and codes(problems) == ["not-a-mapping"]


def test_unknown_content_folder():
    doc, problems = check("id: x\n", kind="staions", path="content/staions/x.yaml")
    assert doc is None and codes(problems) == ["unknown-folder"]
    assert "content/stations/" in problems[0].hint


def test_nothing_to_validate_when_the_loader_gave_up():
    assert validate_doc(RawDoc("p.yaml", "stations", None, [])) == (None, [])


def test_placeholders_left_by_the_loader_are_not_reported_twice():
    _, problems = check(edit("town: 测试街道", "town: &t 测试街道\ncommunity: *t"))
    assert codes(problems) == ["yaml-anchor", "yaml-alias"]  # no empty-value for the alias
    _, problems = check(edit("location:\n", "location:\n  <<: {lat: 1}\n"))
    assert codes(problems) == ["yaml-merge-key"]  # no unknown-key "<<"


def test_every_problem_of_a_document_in_one_pass():
    text = edit("status: active", "status: open")
    text = edit("  lat: 36.1", "  lat: x", text)
    text = edit("verified_on: 2026-05-01", "verified_on: 2026-02-30", text)
    text += "phnoe: 1\n"
    _, problems = check(text)
    assert sorted(codes(problems)) == ["invalid-date", "invalid-enum", "unknown-key", "wrong-type"]


def test_a_flood_of_schema_problems_is_capped():
    text = "".join(f"k{i}: v\n" for i in range(5000))
    _, problems = check(text)
    assert len(problems) == MAX_PROBLEMS + 1
    assert problems[-1].code == "too-many-problems"


def test_a_document_sent_back_without_positions_reads_them_again_from_its_file(tmp_path):
    """A large site's halves come back from their forked processes without positions (check.py):
    a rule across files that finds a problem in such a document must still point at the line and column."""
    from generator.validate import Doc

    text = "id: x\nname: 站\nservices:\n  - rest\n  - water\n"
    file = tmp_path / "x.yaml"
    file.write_text(text, encoding="utf-8")
    root, _ = parse("content/stations/x.yaml", text)
    full = Doc.of(RawDoc("content/stations/x.yaml", "stations", root, []), {"id": "x"})
    sent = Doc(full.path, full.kind, full.stem, full.data, positions=None, source=str(file))
    assert sent.pos("services", 1) == full.pos("services", 1) == (5, 5)
    assert sent.node("name") == full.node("name")
    assert Doc("p", "stations", "p", {}, positions=None).pos("name") == (1, 1)  # no file to read: the top
