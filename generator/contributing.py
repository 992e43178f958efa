"""CONTRIBUTING.md, generated from the JSON Schemas so that the editors' guide cannot drift from the validator.

`yizhan contributing` writes it; `yizhan contributing --check` (and a test) fail when
the committed file is not what the schemas say.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, PackageLoader, StrictUndefined

from . import schemas

ID_PATTERN = schemas.load_schema("common.schema.json")["$defs"]["id"]["pattern"]
URL_PATTERN = schemas.load_schema("common.schema.json")["$defs"]["url"]["pattern"]
# the content folders in the order the guide explains them
GUIDE_KINDS = [("stations", "驿站"), ("services", "服务"), ("policies", "政策"),
               ("kinds", "驿站类型"), ("amenities", "设施"), ("holidays", "节假日安排")]
_ZH_END = re.compile(r"\s*/\s+(?=[A-Za-z`])")


def zh(description: str) -> str:
    """The Chinese half of a bilingual "中文 / English" description."""
    return _ZH_END.split(description or "", maxsplit=1)[0].strip()


@dataclass(frozen=True)
class FieldDoc:
    path: str  # location.lat, phones[].number
    required: bool
    type_text: str
    description: str
    example: str
    enum: tuple = ()
    depth: int = 0


def _example(value) -> str:
    if isinstance(value, list):
        return "、".join(_example(v) for v in value)
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def _type_text(resolved: dict, spec: dict) -> str:
    kind = resolved.get("type")
    if "enum" in resolved:
        text = "可选值：" + "、".join(f"`{v}`" for v in resolved["enum"])
    elif kind == "string" and resolved.get("format") == "date":
        text = "日期，写成 YYYY-MM-DD"
    elif kind == "string" and resolved.get("pattern") == ID_PATTERN:
        text = "标识：小写英文字母、数字和连字符 -"
    elif kind == "string" and resolved.get("pattern") == URL_PATTERN:
        text = "网址，以 http:// 或 https:// 开头"
    elif kind == "string" and resolved.get("pattern", "").startswith("^#"):
        text = "颜色，写成 #RRGGBB"
    elif kind == "string" and resolved.get("pattern"):
        text = "文字，格式见说明"
    elif kind == "string":
        text = "文字" + (f"，最多 {resolved['maxLength']} 字" if resolved.get("maxLength", 2000) < 2000 else "")
    elif kind in ("number", "integer"):
        text = "数字" if kind == "number" else "整数"
        if "minimum" in resolved and "maximum" in resolved:
            text += f"（{resolved['minimum']} 到 {resolved['maximum']}）"
        elif "minimum" in resolved:
            text += f"（不小于 {resolved['minimum']}）"
    elif kind == "boolean":
        text = "`true` 或 `false`"
    elif kind == "object":
        text = "一组字段，见下面几行"
    elif kind == "array":
        items, _ = schemas.resolve(resolved.get("items", {}), "common.schema.json")
        if items.get("type") == "object":
            text = "列表，每项以 `- ` 开头，包含下面几行的字段"
        elif items.get("pattern") == ID_PATTERN:
            text = "标识列表，每项一行 `- 标识`"
        else:
            text = "文字列表，每项一行 `- 文字`"
        if resolved.get("minItems"):
            text += f"，至少 {resolved['minItems']} 项"
    else:
        text = str(kind)
    default = spec.get("default", resolved.get("default"))
    if default not in (None, [], ""):
        text += f"；不写时为 `{_example(default)}`"
    return text


def _walk(props: dict, required: list, base: str, prefix: str, depth: int):
    for name, spec in props.items():
        resolved, file = schemas.resolve(spec, base)
        description = zh(spec.get("description") or resolved.get("description", ""))
        examples = spec.get("examples") or resolved.get("examples") or []
        path = f"{prefix}{name}"
        yield FieldDoc(path, name in required, _type_text(resolved, spec), description,
                       _example(examples[0]) if examples else "", tuple(resolved.get("enum", ())), depth)
        if resolved.get("type") == "object":
            yield from _walk(resolved.get("properties", {}), resolved.get("required", []), file, f"{path}.", depth + 1)
        elif resolved.get("type") == "array":
            items, item_file = schemas.resolve(resolved.get("items", {}), file)
            if items.get("type") == "object":
                yield from _walk(items.get("properties", {}), items.get("required", []), item_file,
                                 f"{path}[].", depth + 1)


def schema_fields(schema_name: str) -> list[FieldDoc]:
    schema = schemas.load_schema(schema_name)
    return list(_walk(schema.get("properties", {}), schema.get("required", []), schema_name, "", 0))


def field(schema_name: str, path: str) -> FieldDoc:
    return next(f for f in schema_fields(schema_name) if f.path == path)


def cell(text: str) -> str:
    """Our own schema text in a Markdown table cell."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("|", "\\|").replace("\n", " ")


def required_text(f: FieldDoc) -> str:
    if not f.required:
        return "可选"
    if f.depth == 0:
        return "**必填**"
    parent = f.path.rsplit(".", 1)[0].removesuffix("[]")
    return f"写了 `{parent}` 就必填"


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("generator", "scaffold"), undefined=StrictUndefined,
                      keep_trailing_newline=True, autoescape=False)
    env.filters["cell"] = cell
    env.filters["codecell"] = lambda text: str(text).replace("|", "\\|").replace("\n", " ")
    env.filters["required_text"] = required_text
    return env


EXAMPLE_PATH = "content/stations/chenping-linggong.yaml"
EXAMPLE_TEXT = """id: chenping-linggong
name: 陈坪街道零工驿站
kind: linggong
status: active
town: 陈坪街道
opening_hour: Mo-Fr 08:30-18:00
verified_on: 2024-04-16
sources:
  - title: 西固“小驿站”释放“大温暖”
    publisher: 兰州晨报
    date: 2024-04-16
"""


def annotation_example() -> dict:
    """A real problem from the real validator, so the guide shows exactly what editors will see."""
    from . import report
    from .load import RawDoc, parse
    from .validate import validate_doc

    root, problems = parse(EXAMPLE_PATH, EXAMPLE_TEXT)
    _, found = validate_doc(RawDoc(EXAMPLE_PATH, "stations", root, problems))
    problem = next(p for p in problems + found if p.code == "unknown-key")
    lines = report.as_text([problem]).splitlines()[:-1]  # without the closing count
    return {"text": EXAMPLE_TEXT, "report": "\n".join(lines), "path": problem.path,
            "line": problem.line, "col": problem.col, "code": problem.code}


def render_contributing() -> str:
    sections = []
    for folder, title in GUIDE_KINDS:
        name = schemas.KINDS[folder]
        schema = schemas.load_schema(name)
        sections.append({"folder": folder, "title": title, "schema": name,
                         "description": zh(schema.get("description", "")), "fields": schema_fields(name)})
    return _environment().get_template("contributing.md.j2").render(sections=sections, example=annotation_example())


def write_contributing(path: Path) -> bool:
    """Write the file; True when it changed."""
    text = render_contributing()
    old = path.read_text(encoding="utf-8") if path.is_file() else None
    if old != text:
        path.write_text(text, encoding="utf-8")
    return old != text


def is_fresh(path: Path) -> bool:
    return path.is_file() and path.read_text(encoding="utf-8") == render_contributing()
