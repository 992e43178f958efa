"""Step 2a, validate one document: coerce its text by the schema, then check it against the schema.

Coercion is where "the schema decides what a value is": a scalar becomes a number
only where the schema asks for one, so `0931` stays text in a phone and `8:30`
stays text in opening hours.
"""
from __future__ import annotations

import difflib
import math
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import NamedTuple

from jsonschema import Draft202012Validator, FormatChecker

from . import schemas
from .errors import Problem, error
from .load import MAX_PROBLEMS, Mapping, Node, RawDoc, Scalar, Sequence, load_file, to_python, too_many
from .schemas.fast import Check, compile_schema

_FULLWIDTH = str.maketrans("０１２３４５６７８９．－＋", "0123456789.-+")
_NUMBER = re.compile(r"^[+-]?([0-9]+(\.[0-9]*)?|\.[0-9]+)$")  # ASCII only: float() also reads "٣٦"
_YAML11_BOOLS = {"yes", "no", "on", "off", "y", "n", "是", "否", "对", "错"}
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_REQUIRED = re.compile(r"^'(.+)' is a required property$")
_TYPE_ZH = {"string": "文字", "number": "数字", "integer": "整数", "boolean": "true 或 false",
            "object": "一组字段", "array": "列表（每项以 \"- \" 开头）", "null": "空"}


class Position(NamedTuple):
    """Where a value was written."""

    line: int
    col: int
    plain: bool = False  # an unquoted scalar; a quoted one's text starts a column after its position


@dataclass
class Doc:
    """A document's coerced data and where each of its values was written.

    Positions are a flat map from key path to place, not the node tree. A large site is read in
    two forked processes (check.py), and its documents come back without them (`positions` None),
    as a station's always does (the check keeps only what the cross-document rules read of it):
    they are read again from `source` for the few documents such a rule finds a problem in (at
    100,000 stations, sending one half's took ~4 s of the check's ~22)."""

    path: str
    kind: str
    stem: str
    data: dict
    # key path → (line, col, plain): plain tuples, since a NamedTuple pickles several times slower
    positions: dict[tuple, tuple[int, int, bool]] | None = field(default_factory=dict, repr=False)
    source: str | None = None  # the file on disk, to read the positions again

    @classmethod
    def of(cls, raw: RawDoc, data: dict) -> "Doc":
        return cls(raw.path, raw.kind, raw.stem, data, _positions(raw))

    def _places(self) -> dict[tuple, tuple[int, int, bool]]:
        if self.positions is None:  # if the file changed since, the places are the new file's (or 1:1)
            self.positions = _positions(load_file(Path(self.source), self.path, self.kind)) if self.source else {}
        return self.positions

    def node(self, *keys) -> Position | None:
        found = self._places().get(keys)
        return None if found is None else Position(*found)

    def pos(self, *keys) -> tuple[int, int]:
        """Line and column of the deepest existing value on the key path."""
        places = self._places()
        for n in range(len(keys), -1, -1):
            found = places.get(keys[:n])
            if found is not None:
                return found[0], found[1]
        return 1, 1


def _positions(raw: RawDoc) -> dict[tuple, tuple[int, int, bool]]:
    positions: dict[tuple, tuple[int, int, bool]] = {}
    if raw.root is not None:
        _index(raw.root, (), positions)
    return positions


def _index(node: Node, path: tuple, out: dict[tuple, tuple[int, int, bool]]) -> None:
    if type(node) is Scalar:
        out[path] = (node.line, node.col, node.plain)
        return
    out[path] = (node.line, node.col, False)
    if type(node) is Mapping:
        for key, (_, child) in node.items.items():
            _index(child, path + (key,), out)
    else:
        for i, child in enumerate(node.items):
            _index(child, path + (i,), out)


def key_path(keys) -> str:
    out = ""
    for k in keys:
        out += f"[{k}]" if isinstance(k, int) else (f".{k}" if out else str(k))
    return out


def _describe(value) -> str:
    if value is None:
        return "空值"
    if isinstance(value, dict):
        return "一组字段"
    if isinstance(value, list):
        return "列表"
    text = str(value)
    return f"\"{text[:60]}…\"" if len(text) > 60 else f"\"{text}\""  # the value is in the file; the message names it


class _Coercer:
    def __init__(self, doc_path: str):
        self.path = doc_path
        self.problems: list[Problem] = []

    def err(self, node, code, message, hint, keys):
        if len(self.problems) > MAX_PROBLEMS:
            return
        self.problems.append(error(self.path, node.line, node.col, code, message, hint, key_path(keys)))

    def coerce(self, node: Node, schema: dict, base: str, keys: tuple):
        if "$ref" in schema:  # tested here because this runs for every value of every document
            schema, base = schemas.resolve(schema, base)
        kind = schema.get("type")
        if isinstance(node, Scalar):
            if node.is_null:
                return None
            if kind in ("number", "integer"):
                return self.number(node, kind, keys)
            if kind == "boolean":
                return self.boolean(node, keys)
            if kind == "string" and node.value.startswith(FORMULA_START):
                self.err(node, "formula-text",
                         f"文字不能以 {node.value[0]!r} 开头：表格软件会把它当成公式（text would start a spreadsheet formula）",
                         "删掉开头的符号，或在前面加上文字 / remove the leading character", keys)
            return node.value
        if kind == "object" and isinstance(node, Mapping):
            return self.mapping(node, schema, base, keys)
        if kind == "array" and isinstance(node, Sequence):
            items = schema.get("items", {})
            return [self.coerce(n, items, base, keys + (i,)) for i, n in enumerate(node.items)]
        return to_python(node)  # wrong shape: the schema check reports it with the expected type

    def mapping(self, node: Mapping, schema: dict, base: str, keys: tuple) -> dict:
        props = schema.get("properties", {})
        out = {}
        for name, (key_node, value) in node.items.items():
            if name in props:
                out[name] = self.coerce(value, props[name], base, keys + (name,))
            elif schema.get("additionalProperties") is False:
                guess = suggest_key(name, props)
                hint = f"是否想写 \"{guess}\"？/ did you mean \"{guess}\"?" if guess else \
                    "可用字段 / allowed keys: " + "、".join(props)
                msg = f"未知字段 \"{name}\"（unknown key）" + (f"：是否想写 \"{guess}\"？" if guess else "")
                self.err(key_node, "unknown-key", msg, hint, keys + (name,))
            else:
                out[name] = to_python(value)
        return out

    def number(self, node: Scalar, kind: str, keys):
        text = node.value.strip()
        ascii_text = text.translate(_FULLWIDTH)
        if ascii_text != text:
            self.err(node, "fullwidth-digit", f"数字 \"{text}\" 里有全角字符（full-width digits）",
                     f"写成半角：{ascii_text} / use ASCII digits", keys)
        if _NUMBER.match(ascii_text) and math.isfinite(value := float(ascii_text)):  # 400 digits → inf
            # 2027.5 stays a float where an integer is wanted, so the schema says so instead of truncating it
            return int(value) if value.is_integer() and (kind == "integer" or "." not in ascii_text) else value
        return node.value

    def boolean(self, node: Scalar, keys):
        low = node.value.strip().lower()
        if low in ("true", "false"):
            return low == "true"
        if low in _YAML11_BOOLS:
            guess = low in {"yes", "on", "y", "是", "对"}
            self.err(node, "ambiguous-boolean", f"\"{node.value}\" 不是 true 或 false（not a boolean）",
                     f"写 {str(guess).lower()} / write true or false", keys)
            return guess
        return node.value


def suggest_key(name: str, props: dict) -> str | None:
    close = difflib.get_close_matches(name, list(props), n=1, cutoff=0.6)
    if close:
        return close[0]
    for prop, spec in props.items():  # an editor may type the Chinese label instead of the key
        zh = str(spec.get("description", "")).split("/")[0]
        if name and not name.isascii() and name in zh:
            return prop
    return None


# ── schema errors → Problems ──

def _message(err, schema_doc: dict) -> tuple[str, str, str, tuple]:
    """(code, message, hint, key path) for one jsonschema error."""
    keys = tuple(err.absolute_path)
    v, inst, sch = err.validator, err.instance, err.schema
    desc = str(sch.get("description", ""))
    example = sch.get("examples", [None])[0]
    eg = f"；例如 / e.g. {example}" if example is not None else ""
    if v == "required":
        # jsonschema yields one error per missing key, each with the whole list as validator_value
        m = _REQUIRED.match(err.message)
        missing = m.group(1) if m else next((r for r in err.validator_value if r not in (inst or {})), "?")
        prop = sch.get("properties", {}).get(missing, {})
        pdesc = prop.get("description") or schemas.resolve(prop, "common.schema.json")[0].get("description", "")
        pex = prop.get("examples") or schemas.resolve(prop, "common.schema.json")[0].get("examples")
        return ("missing-field", f"缺少必填字段 \"{missing}\"（missing required key）",
                f"添加 {missing}: …  {pdesc}" + (f"；例如 / e.g. {pex[0]}" if pex else ""), keys + (missing,))
    if v == "type":
        expected = sch["type"] if isinstance(sch["type"], str) else sch["type"][0]
        if inst is None:
            return ("empty-value", "值是空的（empty value）", f"填写内容，或删除整行 / fill it in or remove the line{eg}", keys)
        return ("wrong-type", f"应为{_TYPE_ZH.get(expected, expected)}，实际是{_describe(inst)}（expected {expected}）",
                (desc + eg) or f"expected {expected}", keys)
    if v == "enum":
        allowed = [str(x) for x in err.validator_value]
        guess = difflib.get_close_matches(str(inst).strip(), allowed, n=1, cutoff=0.5)
        msg = f"{_describe(inst)} 不是可选值（not an allowed value）" + (f"：是否想写 \"{guess[0]}\"？" if guess else "")
        return ("invalid-enum", msg, "可选 / one of: " + "、".join(allowed), keys)
    if v == "format" and err.validator_value == "date":
        return ("invalid-date", f"日期 {_describe(inst)} 不存在（no such date）",
                "写一个真实存在的日期，格式 YYYY-MM-DD，例如 2024-04-16 / a real date", keys)
    if v == "pattern":
        return ("invalid-format", f"{_describe(inst)} 格式不对（does not match the expected format）", desc + eg, keys)
    if v == "minLength":
        return ("empty-value", "不能为空（must not be empty）", desc + eg, keys)
    if v == "maxLength":
        return ("too-long", f"太长：最多 {err.validator_value} 个字（too long）", "请精简 / shorten it", keys)
    if v in ("minimum", "maximum") and keys[-1:] == ("lat",) and 100 <= inst <= 110:
        return ("swapped-coordinates", f"纬度 lat 写成了 {inst}：纬度和经度写反了（lat and lon are swapped）",
                "兰州的纬度约为 36、经度约为 103：把 lat 和 lon 的数值对调 / swap lat and lon", keys)
    if v in ("minimum", "maximum"):
        return ("out-of-range", f"{inst} 超出范围（out of range, {v} {err.validator_value}）", desc, keys)
    if v == "minItems":
        return ("too-few-items", f"至少要写 {err.validator_value} 项（at least {err.validator_value} item(s)）", desc, keys)
    if v == "uniqueItems":
        return ("duplicate-item", "列表里有重复的项（duplicate items）", "删除重复的那一项 / remove the duplicate", keys)
    return ("schema", f"{err.message}", desc, keys)


_validators: dict[str, Draft202012Validator] = {}
_FORMATS = FormatChecker()
_quick: dict[str, Check | None] = {}


def _validator(name: str) -> Draft202012Validator:
    if name not in _validators:
        _validators[name] = Draft202012Validator(
            schemas.load_schema(name), registry=schemas.registry(), format_checker=_FORMATS)
    return _validators[name]


def _schema_errors(name: str, data: dict):
    """jsonschema's errors for `data`; skipped when the quick check vouches for it (schemas/fast.py),
    since jsonschema costs milliseconds per document and nearly every document is valid."""
    if name not in _quick:
        _quick[name] = compile_schema(name, _FORMATS)
    quick = _quick[name]
    if quick is not None and quick(data):
        return ()
    return _validator(name).iter_errors(data)


_PLACEHOLDERS = {"yaml-alias", "yaml-merge-key", "complex-key"}


def validate_doc(raw: RawDoc) -> tuple[Doc | None, list[Problem]]:
    """Coerce and schema-check one document; None when there is nothing to check."""
    if raw.root is None:
        return None, []
    name = schemas.KINDS.get(raw.kind)
    if name is None:
        return None, [error(raw.path, 1, 1, "unknown-folder",
                            f"content/{raw.kind}/ 不是已知的内容目录（unknown content folder）",
                            "可用目录 / folders: " + "、".join(f"content/{k}/" for k in schemas.KINDS))]
    if not isinstance(raw.root, Mapping):
        return None, [error(raw.path, raw.root.line, raw.root.col, "not-a-mapping",
                            "文件内容应是一组 名称: 值 的字段（the file must be a mapping of keys）",
                            "参照其他文件的写法 / see the other files")]
    coercer = _Coercer(raw.path)
    data = coercer.mapping(raw.root, schemas.load_schema(name), name, ())
    doc = Doc.of(raw, data)
    found = coercer.problems
    flagged = {(p.key, p.code) for p in found}
    for err in _schema_errors(name, data):
        if err.validator == "additionalProperties":
            continue  # reported with a did-you-mean while coercing
        code, message, hint, keys = _message(err, schemas.load_schema(name))
        if code == "wrong-type" and (key_path(keys), "fullwidth-digit") in flagged:
            continue
        line, col = doc.pos(*(keys[:-1] if code == "missing-field" else keys))
        found.append(error(raw.path, line, col, code, message, hint, key_path(keys)))
        if len(found) > MAX_PROBLEMS:
            break
    bad_format = {p.key for p in found if p.code == "invalid-format"}  # "2024/4/16": say it once, as a format
    # Where the loader refused something and left a placeholder (an alias, a merge key, a
    # complex key), the schema's view of that placeholder would only repeat the problem.
    refused = {(p.line, p.col) for p in raw.problems if p.code in _PLACEHOLDERS}
    problems = [p for p in found if (p.line, p.col) not in refused
                and not (p.code == "invalid-date" and p.key in bad_format)]
    if len(problems) > MAX_PROBLEMS:
        problems = problems[:MAX_PROBLEMS] + [too_many(raw.path, problems[MAX_PROBLEMS].line, problems[MAX_PROBLEMS].col)]
    return doc, problems
