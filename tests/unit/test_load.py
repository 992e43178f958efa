"""generator.load: the strict loader. Every scalar stays text, every node keeps its place,
and every hostile or broken file becomes Problems, quickly, in bounded memory, never a traceback."""
from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from generator.load import (
    MAX_BYTES,
    MAX_DEPTH,
    MAX_PROBLEMS,
    Mapping,
    Scalar,
    Sequence,
    iter_content_files,
    load_file,
    parse,
    to_python,
)


def load_text(tmp_path: Path, text: str | bytes, name: str = "x.yaml"):
    """Write `text` as content/stations/<name> and load it as the validator does."""
    folder = tmp_path / "content" / "stations"
    folder.mkdir(parents=True, exist_ok=True)
    file = folder / name
    file.write_bytes(text if isinstance(text, bytes) else text.encode("utf-8"))
    return load_file(file, f"content/stations/{name}", "stations")


def codes(raw) -> list[str]:
    return [p.code for p in raw.problems]


def only(raw, code: str):
    assert codes(raw) == [code], [(p.code, p.line, p.col, p.message) for p in raw.problems]
    return raw.problems[0]


# ── the YAML library never decides a type ──

@pytest.mark.parametrize("text, value", [
    ("8:30", "8:30"),              # YAML 1.1 sexagesimal: PyYAML says 510
    ("0755", "0755"),              # YAML 1.1 octal: PyYAML says 493
    ("no", "no"), ("yes", "yes"), ("on", "on"), ("off", "off"), ("y", "y"), ("n", "n"),
    ("true", "true"), ("False", "False"),
    ("2024-02-30", "2024-02-30"),  # PyYAML raises a bare ValueError
    ("2024-04-16", "2024-04-16"),  # PyYAML makes a datetime.date
    ("2024-04-16 10:00:00", "2024-04-16 10:00:00"),
    ("1e3", "1e3"), ("0x1F", "0x1F"), ("0o17", "0o17"), (".inf", ".inf"), (".nan", ".nan"),
    ("36.0900", "36.0900"), ("+86", "+86"), ("1_000", "1_000"),
    ("0931-7512345", "0931-7512345"), ("09317512345", "09317512345"),
    ("'null'", "null"), ('""', ""), ("'~'", "~"),
])
def test_scalars_stay_text(text, value):
    root, problems = parse("x.yaml", f"k: {text}\n")
    assert problems == []
    assert to_python(root) == {"k": value}


@pytest.mark.parametrize("text", ["", "~", "null", "Null", "NULL"])
def test_only_plain_null_words_are_null(text):
    root, problems = parse("x.yaml", f"k: {text}\n")
    assert problems == []
    assert to_python(root) == {"k": None}
    assert root.items["k"][1].is_null


def test_quoted_values_are_not_plain():
    root, _ = parse("x.yaml", "a: plain\nb: 'single'\nc: \"double\"\nd: |\n  block\n")
    assert all(isinstance(v, Scalar) for _, v in root.items.values())
    plain = {k: v.plain for k, (_, v) in root.items.items()}
    assert plain == {"a": True, "b": False, "c": False, "d": False}


def test_pyyaml_defaults_would_have_corrupted_these():
    """The reason for this module, kept as a test: PyYAML's own loader gets all of these wrong."""
    assert yaml.safe_load("t: 8:30")["t"] == 510
    assert yaml.safe_load("m: 0755")["m"] == 493
    assert yaml.safe_load("f: no")["f"] is False
    assert yaml.safe_load("a: 1\na: 2\n") == {"a": 2}
    with pytest.raises(ValueError):
        yaml.safe_load("d: 2024-02-30")


# ── positions ──

def test_every_node_keeps_its_line_and_column():
    text = ("id: test\n"
            "name: 测试驿站\n"
            "location:\n"
            "  lat: 36.1\n"
            "phones:\n"
            "  - number: '0931-7512345'\n"
            "    type: landline\n"
            "list: [甲, 乙, \"丙\"]\n")
    root, problems = parse("x.yaml", text)
    assert problems == []
    assert isinstance(root, Mapping) and (root.line, root.col) == (1, 1)
    key, name = root.items["name"]
    assert (key.line, key.col, name.line, name.col) == (2, 1, 2, 7)
    loc = root.items["location"][1]
    assert isinstance(loc, Mapping) and (loc.line, loc.col) == (4, 3)
    assert (loc.items["lat"][1].line, loc.items["lat"][1].col) == (4, 8)
    phones = root.items["phones"][1]
    assert isinstance(phones, Sequence) and (phones.line, phones.col) == (6, 3)
    first = phones.items[0]
    assert (first.line, first.col) == (6, 5)
    number = first.items["number"][1]
    assert (number.line, number.col, number.value) == (6, 13, "0931-7512345")
    assert (first.items["type"][0].line, first.items["type"][0].col) == (7, 5)
    # columns count characters, not bytes: 甲 and 乙 are three bytes each in UTF-8
    assert [(n.line, n.col) for n in root.items["list"][1].items] == [(8, 8), (8, 11), (8, 14)]


def test_positions_survive_a_bom_and_crlf(tmp_path):
    raw = load_text(tmp_path, "\ufeffid: x\r\nname: 测试\r\n".encode("utf-8"))
    assert raw.problems == []
    key, value = raw.root.items["name"]
    assert (key.line, key.col, value.value) == (2, 1, "测试")
    assert (raw.root.items["id"][0].line, raw.root.items["id"][0].col) == (1, 1)


# ── refusals, each with its code and place ──

def test_duplicate_key_names_both_lines(tmp_path):
    raw = load_text(tmp_path, "id: x\nname: 甲\nstatus: active\nname: 乙\n")
    p = only(raw, "duplicate-key")
    assert (p.line, p.col, p.key) == (4, 1, "name")
    assert "第 2 行" in p.message and "line 2" in p.message
    assert to_python(raw.root)["name"] == "甲"  # the first one stays; nothing silently wins


def test_duplicate_key_nested(tmp_path):
    p = only(load_text(tmp_path, "location:\n  lat: 1\n  lon: 2\n  lat: 3\n"), "duplicate-key")
    assert (p.line, p.col) == (4, 3) and "line 2" in p.message


def test_tab_indentation(tmp_path):
    raw = load_text(tmp_path, "location:\n\tlat: 1\n  \tlon: 2\n")
    assert [(p.code, p.line, p.col) for p in raw.problems] == [("tab-indent", 2, 1), ("tab-indent", 3, 3)]
    assert raw.root is None


@pytest.mark.parametrize("text, line, col, code", [
    ("a: &x 1\n", 1, 4, "yaml-anchor"),
    ("a: &x 1\nb: *x\n", 2, 4, "yaml-alias"),
    ("base: {x: 1}\nthing:\n  <<: {y: 2}\n", 3, 3, "yaml-merge-key"),
    ("a: !!str 8:30\n", 1, 4, "yaml-tag"),
    ("a: !custom x\n", 1, 4, "yaml-tag"),
    ("a: !!python/object/apply:os.system ['true']\n", 1, 4, "yaml-tag"),
    ("a: !!map {b: 1}\n", 1, 4, "yaml-tag"),
    ("a: 1\n---\nb: 2\n", 2, 1, "multiple-documents"),
    ("a: 1\n--- \n", 2, 1, "multiple-documents"),
    ("? [a]\n: b\n", 1, 3, "complex-key"),
])
def test_refusals(tmp_path, text, line, col, code):
    raw = load_text(tmp_path, text)
    assert code in codes(raw)
    p = next(p for p in raw.problems if p.code == code)
    assert (p.line, p.col) == (line, col)
    assert p.is_error and p.message and p.hint


def test_an_alias_to_nothing_is_still_an_alias(tmp_path):
    assert codes(load_text(tmp_path, "a: *missing\n")) == ["yaml-alias"]


def test_anchor_and_alias_both_reported(tmp_path):
    raw = load_text(tmp_path, "a: &x 1\nb: *x\n")
    assert codes(raw) == ["yaml-anchor", "yaml-alias"]
    assert to_python(raw.root) == {"a": "1", "b": None}  # the alias is never expanded


def test_quoted_merge_key_is_just_an_odd_key(tmp_path):
    raw = load_text(tmp_path, "'<<': x\n")
    assert raw.problems == [] and to_python(raw.root) == {"<<": "x"}


def test_nesting_up_to_the_limit_is_fine_and_one_more_is_refused(tmp_path):
    ok = "a: " + "[" * (MAX_DEPTH - 1) + "]" * (MAX_DEPTH - 1) + "\n"
    assert load_text(tmp_path, ok).problems == []
    deep = "a: " + "[" * MAX_DEPTH + "]" * MAX_DEPTH + "\n"
    assert only(load_text(tmp_path, deep), "too-deep").line == 1


def _measure(fn):
    """(result, peak bytes). Memory is a deterministic bound; speed lives in `yizhan bench`, not in tests."""
    tracemalloc.start()
    try:
        result = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


@pytest.mark.parametrize("text", [
    "[" * 10_000,
    "a: " + "[" * 10_000 + "\n",
    "{a: " * 10_000,
    "".join("  " * i + f"k{i}:\n" for i in range(400)),
    "".join("  " * i + "- \n" for i in range(400)),
    "- " * 10_000 + "x\n",
])
def test_deep_nesting_is_refused_in_bounded_memory(tmp_path, text):
    raw, peak = _measure(lambda: load_text(tmp_path, text))
    assert codes(raw) == ["too-deep"]
    assert raw.root is None
    assert peak < 20 * 2**20


BILLION_LAUGHS = (
    'lol: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]\n'
    + "".join(f"l{i}: &{chr(98 + i)} [" + ", ".join([f"*{chr(97 + i)}"] * 9) + "]\n" for i in range(8))
)


def test_billion_laughs_is_refused_in_bounded_memory(tmp_path):
    assert len(BILLION_LAUGHS) < 1000  # would expand to 9**9 strings under a library that follows aliases
    raw, peak = _measure(lambda: load_text(tmp_path, BILLION_LAUGHS))
    assert set(codes(raw)) == {"yaml-anchor", "yaml-alias"}
    assert codes(raw).count("yaml-anchor") == 9 and codes(raw).count("yaml-alias") == 72
    assert peak < 20 * 2**20
    assert len(str(to_python(raw.root))) < 2000


def test_oversized_file_is_refused_before_parsing(tmp_path):
    big = b"id: x\nname: " + b"x" * MAX_BYTES + b"\n"
    raw, peak = _measure(lambda: load_text(tmp_path, big))
    p = only(raw, "file-too-large")
    assert (p.line, p.col) == (1, 1) and str(MAX_BYTES) in p.message
    assert peak < 4 * MAX_BYTES


def test_a_file_of_exactly_the_limit_is_read(tmp_path):
    text = "id: x\nname: "
    text += "x" * (MAX_BYTES - len(text) - 1) + "\n"
    assert len(text.encode()) == MAX_BYTES
    assert load_text(tmp_path, text).problems == []


@pytest.mark.parametrize("text, code", [
    ("a: &x 1\nb: [" + "*x, " * 60_000 + "]\n", "yaml-alias"),
    ("a: " + "\u200b" * 80_000 + "\n", "invisible-char"),
    ("a:\n" + "\tb: 1\n" * 40_000, "tab-indent"),
    ("a: 1\n" * 50_000, "duplicate-key"),
])
def test_a_flood_of_problems_is_capped(tmp_path, text, code):
    raw, _ = _measure(lambda: load_text(tmp_path, text))
    assert len(raw.problems) <= MAX_PROBLEMS + 2
    assert code in codes(raw) and codes(raw)[-1] == "too-many-problems"


# ── encodings ──

def test_gbk_file_says_so(tmp_path):
    raw = load_text(tmp_path, "id: x\nname: 测试驿站\n".encode("gbk"))
    p = only(raw, "not-utf8")
    assert "GBK" in p.message and "UTF-8" in p.message and "UTF-8" in p.hint
    assert p.line == 2
    assert raw.root is None


def test_utf16_file_says_so(tmp_path):
    p = only(load_text(tmp_path, "id: x\nname: 测试\n".encode("utf-16")), "not-utf8")
    assert "UTF-16" in p.message


def test_other_bytes_are_not_utf8(tmp_path):
    p = only(load_text(tmp_path, b"id: x\nname: \xff\xfe\xfd\n"), "not-utf8")
    assert "UTF-8" in p.message and p.line == 2


def test_bom_is_fine(tmp_path):
    raw = load_text(tmp_path, "id: x\nname: 测试\n".encode("utf-8-sig"))
    assert raw.problems == [] and to_python(raw.root) == {"id": "x", "name": "测试"}


# ── what Chinese input methods and copy-paste produce ──

def test_fullwidth_colon_after_a_key(tmp_path):
    raw = load_text(tmp_path, "id: x\nname：测试驿站\n")
    p = only(raw, "fullwidth-colon")
    assert (p.line, p.col, p.key) == (2, 5, "name")
    assert "name: " in p.hint


@pytest.mark.parametrize("line", ["  - type：hotline", "  town ：测试"])
def test_fullwidth_colon_in_lists_and_after_spaces(tmp_path, line):
    assert "fullwidth-colon" in codes(load_text(tmp_path, "a:\n" + line + "\n"))


@pytest.mark.parametrize("text, line, col, key", [
    ("id: x\n名称：测试驿站\nkind: y\n", 2, 3, "名称"),
    ("id: x\n名称：测试驿站\n", 2, 3, "名称"),
    ("id: x\nphones:\n  - 号码：123\n    type: x\n", 3, 7, "号码"),
    ("a:\n  b: 1\n  地址：x\n  c: 2\n", 3, 5, "地址"),
])
def test_fullwidth_colon_after_a_chinese_key(tmp_path, text, line, col, key):
    p = only(load_text(tmp_path, text), "fullwidth-colon")
    assert (p.line, p.col, p.key) == (line, col, key)


def test_fullwidth_colons_in_a_text_block_are_fine(tmp_path):
    raw = load_text(tmp_path, "description: |\n  注意：只用于测试。\n  电话：12345\nid: x\n")
    assert raw.problems == [] and to_python(raw.root)["description"] == "注意：只用于测试。\n电话：12345\n"


def test_fullwidth_colon_inside_a_value_is_fine(tmp_path):
    raw = load_text(tmp_path, "description: 地址：测试路 1 号；电话：12345\n")
    assert raw.problems == []


def test_ideographic_space_as_indentation(tmp_path):
    raw = load_text(tmp_path, "location:\n\u3000\u3000lat: 36.1\n")
    p = only(raw, "ideographic-space")
    assert (p.line, p.col) == (2, 1) and "U+3000" in p.message


def test_ideographic_space_after_a_colon(tmp_path):
    p = only(load_text(tmp_path, "id: x\ntown:\u3000测试\n"), "ideographic-space")
    assert (p.line, p.col) == (2, 6)


def test_ideographic_space_inside_text_is_fine(tmp_path):
    assert load_text(tmp_path, "description: 第一段\u3000第二段\n").problems == []


def test_no_break_space_as_indentation(tmp_path):
    p = only(load_text(tmp_path, "location:\n\u00a0\u00a0lat: 36.1\n"), "nbsp-indent")
    assert (p.line, p.col) == (2, 1)


@pytest.mark.parametrize("char", [
    "\u200b", "\u200c", "\u200d", "\u200e", "\u200f",  # zero-width space/non-joiner/joiner, LRM, RLM
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",  # bidi embeddings and overrides
    "\u2066", "\u2067", "\u2068", "\u2069",            # bidi isolates
    "\u2060", "\ufeff", "\u00ad", "\u061c", "\u180e",  # word joiner, BOM mid-text, soft hyphen, ALM, MVS
])
def test_invisible_and_bidi_characters_in_text(tmp_path, char):
    raw = load_text(tmp_path, f"id: x\nname: 测试{char}驿站\n")
    p = only(raw, "invisible-char")
    assert (p.line, p.col) == (2, 9)
    assert f"U+{ord(char):04X}" in p.message


@pytest.mark.parametrize("char", ["\u2028", "\u2029", "\u0085"])
def test_unicode_line_breaks_are_refused_before_they_shift_line_numbers(tmp_path, char):
    raw = load_text(tmp_path, f"id: x\nname: 测试{char}驿站\ntown: y\n")
    p = only(raw, "invisible-char")
    assert (p.line, p.col) == (2, 9)
    assert raw.root is None


@pytest.mark.parametrize("escape, char", [
    ("\\u202e", "\u202e"), ("\\u200b", "\u200b"), ("\\uFEFF", "\ufeff"), ("\\e", "\x1b"), ("\\x00", "\x00"),
    ("\\r", "\r"), ("\\x85", "\x85"), ("\\u2028", "\u2028"), ("\\a", "\x07"),
])
def test_invisible_characters_written_as_escapes(tmp_path, escape, char):
    raw = load_text(tmp_path, f'id: x\nname: "测试{escape}驿站"\n')
    p = only(raw, "invisible-char")
    assert (p.line, p.col) == (2, 7) and f"U+{ord(char):04X}" in p.message


def test_ordinary_escapes_are_fine(tmp_path):
    raw = load_text(tmp_path, 'id: x\nname: "第一行\\n第二行\\t完"\nnote: "\\u6d4b\\u8bd5"\n')
    assert raw.problems == [] and to_python(raw.root)["note"] == "测试"


def test_every_invisible_character_is_reported(tmp_path):
    raw = load_text(tmp_path, "a: \u202e1\u202c\nb: 2\u200b\n")
    assert [(p.line, p.col) for p in raw.problems] == [(1, 4), (1, 6), (2, 5)]
    assert to_python(raw.root) == {"a": "\u202e1\u202c", "b": "2\u200b"}  # parsing went on


# ── broken files ──

@pytest.mark.parametrize("text, line, col", [
    ("name: 测试: 驿站\n", 1, 9),                # ': ' inside a plain value
    ('id: x\nname: "测试\ntown: y\n', 2, 7),     # unclosed quote: points where it opens
    ("id: x\nlist: [a, b\n", 2, 7),              # unclosed bracket
    ("id: x\n  name: y\n", 2, 7),                # bad indentation
    ("id: x\x00\n", 1, 6),                       # NUL
    ("id: 测试\nname: \x1b[31mx\n", 2, 7),        # a terminal escape
    ("- a\nb: c\n", 2, 1),                       # list then mapping
    ("a: b\n- c\n", 2, 1),                       # mapping then list
])
def test_syntax_errors_have_a_place_and_a_hint(tmp_path, text, line, col):
    raw = load_text(tmp_path, text)
    p = only(raw, "yaml-syntax")
    assert (p.line, p.col) == (line, col), p.message
    assert p.message.startswith("YAML 格式错误") and p.hint
    assert raw.root is None


@pytest.mark.parametrize("text", ["", "\n\n", "# 只有注释\n", "---\n", "---\n...\n", "~\n", "null\n"])
def test_empty_files(tmp_path, text):
    raw = load_text(tmp_path, text)
    assert codes(raw) == ["empty-file"] and raw.root is None


def test_symlinks_are_refused_not_followed(tmp_path):
    secret = tmp_path / "secret.txt"
    secret.write_text("password: hunter2\n")
    folder = tmp_path / "content" / "stations"
    folder.mkdir(parents=True)
    (folder / "link.yaml").symlink_to(secret)
    (folder / "zero.yaml").symlink_to("/dev/zero")
    files = list(iter_content_files(tmp_path / "content"))
    assert [rel for _, rel, _ in files] == ["content/stations/link.yaml", "content/stations/zero.yaml"]
    for file, rel, kind in files:
        raw = load_file(file, rel, kind)
        assert codes(raw) == ["symlink"] and raw.root is None
        assert "hunter2" not in repr(raw)


def test_iter_content_files_order_kind_and_filters(tmp_path):
    content = tmp_path / "content"
    for rel in ["stations/b.yaml", "stations/a.yaml", "stations/c.yml", "stations/.hidden.yaml",
                "stations/notes.txt", "kinds/k.yaml", "stray.yaml", "stations/sub/deep.yaml"]:
        (content / rel).parent.mkdir(parents=True, exist_ok=True)
        (content / rel).write_text("id: x\n")
    (content / "stations" / "folder.yaml").mkdir()
    found = [(rel, kind) for _, rel, kind in iter_content_files(content)]
    assert found == [("content/kinds/k.yaml", "kinds"), ("content/stations/a.yaml", "stations"),
                     ("content/stations/b.yaml", "stations"), ("content/stations/c.yml", "stations")]


def test_no_input_raises(tmp_path):
    """A grab bag of nasty inputs: each must come back as Problems, never an exception."""
    samples = [b"\xff" * 10, b"\x00" * 10, b"[" * 5000, b"{" * 5000, b"?" * 5000, b"- " * 5000,
               b"&a " * 1000, b"*a " * 1000, b"!" * 1000, b"%YAML 1.1\n%YAML 1.1\n---\n", b"%TAG ! !x\n---\n!y a\n",
               b"\"\\x\"\n", b"a: \"\\ud800\"\n", b"a: '\n", b"'a\n" * 1000, b": : : :\n", b"? ? ? ?\n",
               b"a: |\n b\n  c\n d\n", b"a: >-2\n  b\n", b"\t", b"\r" * 100, b"\xef\xbb\xbf" * 3, "测".encode() * 1000]
    for i, data in enumerate(samples):
        raw = load_text(tmp_path, data, f"s{i}.yaml")
        assert raw.problems or raw.root is not None


# ── property: what a YAML library writes, we read back exactly ──

# The alphabet leaves out what the loader refuses on purpose (zero-width and bidi controls,
# U+3000, NBSP and the Unicode line breaks, which it reports as invisible or indentation
# characters) and control characters YAML cannot carry unescaped. Everything else,
# Chinese included, must round-trip.
_REFUSED = set("\u200b\u200c\u200d\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2060\u2061\u2062\u2063\u2064"
               "\u2066\u2067\u2068\u2069\ufeff\u00ad\u061c\u180e\u0085\u2028\u2029\u3000\u00a0")
_TEXT = st.text(st.characters(codec="utf-8", categories=("L", "M", "N", "P", "S", "Zs"),
                              exclude_characters=_REFUSED), max_size=30)
_KEY = st.text(st.characters(codec="utf-8", categories=("L", "N"), exclude_characters=_REFUSED),
               min_size=1, max_size=12)
_VALUE = st.recursive(_TEXT, lambda inner: st.lists(inner, max_size=4), max_leaves=10)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.dictionaries(_KEY, _VALUE, min_size=1, max_size=8))
def test_safe_dump_round_trips_exactly(data):
    text = yaml.safe_dump(data, allow_unicode=True, width=float("inf"), sort_keys=False)
    root, problems = parse("x.yaml", text)
    assert problems == []
    assert to_python(root) == data


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=200))
def test_any_text_gives_problems_not_exceptions(text):
    root, problems = parse("x.yaml", text)
    assert root is not None or problems
