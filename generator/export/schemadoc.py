"""Read documentation out of the published JSON Schemas, so the datasets and the
data dictionary say exactly what the schema says (they cannot drift apart).

Every description in our schemas is "中文 / English"; `split_description`
separates the two halves.
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass

from ..schemas import load_schema, resolve

# The halves are separated by "/ " that does not belong to a path such as "content/kinds/".
_SPLIT = re.compile(r"(?<![A-Za-z0-9_.\-])\s?/ ")


def split_description(text: str) -> tuple[str, str]:
    """"驿站名称 / Station name" → ("驿站名称", "Station name"); no separator → (text, "")."""
    m = _SPLIT.search(text or "")
    if not m:
        return (text or "").strip(), ""
    return text[: m.start()].strip(), text[m.end():].strip()


def merged(node: dict, base: str) -> tuple[dict, str]:
    """A property with its `$ref` followed: the target's keywords, overridden by the referrer's siblings."""
    target, file = resolve(node, base)
    out = dict(target)
    out.update({k: v for k, v in node.items() if k != "$ref"})
    return out, file


@dataclass(frozen=True)
class PropDoc:
    """What the schema says about one property."""

    path: str  # dotted, "[]" marks list items: "phones[].number"
    type: str  # JSON Schema type, with "date" for format: date
    zh: str
    en: str
    required: bool
    enum: tuple
    example: object
    pattern: str | None
    minimum: float | None
    maximum: float | None
    item_type: str | None = None  # for arrays of scalars

    @property
    def table_type(self) -> str:
        """The Table Schema type of the value in a CSV cell."""
        return {"string": "string", "date": "date", "number": "number", "integer": "integer",
                "boolean": "boolean"}.get(self.type, "string")


def _type_of(node: dict) -> str:
    if node.get("format") == "date":
        return "date"
    t = node.get("type", "string")
    return t if isinstance(t, str) else "string"


def prop_doc(node: dict, base: str, path: str, required: bool) -> PropDoc:
    node, file = merged(node, base)
    zh, en = split_description(node.get("description", ""))
    examples = node.get("examples") or []
    item_type = None
    if node.get("type") == "array":
        items, _ = merged(node.get("items", {}), file)
        if items.get("type") != "object":
            item_type = _type_of(items)  # the items' own examples may describe another kind of id: not used
    return PropDoc(
        path=path, type=_type_of(node), zh=zh, en=en, required=required,
        enum=tuple(node.get("enum", ())), example=examples[0] if examples else None,
        pattern=node.get("pattern"), minimum=node.get("minimum"), maximum=node.get("maximum"),
        item_type=item_type,
    )


def lookup(schema_file: str, path: str) -> PropDoc:
    """The property at a dotted path, e.g. ("station.schema.json", "location.lat") or "phones.number".

    Array steps go into the items. `required` is true only when every step is required
    within its own row (a list's items start a new row, so the list itself need not be).
    """
    node: dict = load_schema(schema_file)
    file = schema_file
    required = True
    parts = path.split(".")
    for i, part in enumerate(parts):
        node, file = merged(node, file)
        if node.get("type") == "array":
            node, file = merged(node.get("items", {}), file)
            required = True  # a new row begins at each item
        parent_required = part in node.get("required", ())
        child = node["properties"][part]
        required = required and parent_required
        if i == len(parts) - 1:
            return prop_doc(child, file, path, required)
        node = child
    raise KeyError(path)


def walk(schema_file: str) -> list[PropDoc]:
    """Every property of a record schema, depth first, nested objects and list items included."""
    out: list[PropDoc] = []

    def visit(node: dict, file: str, prefix: str, parent_required: bool):
        node, file = merged(node, file)
        required = set(node.get("required", ()))
        for name, child in node.get("properties", {}).items():
            path = f"{prefix}{name}"
            doc = prop_doc(child, file, path, parent_required and name in required)
            out.append(doc)
            target, tfile = merged(child, file)
            if target.get("type") == "object":
                visit(target, tfile, path + ".", doc.required)
            elif target.get("type") == "array":
                items, ifile = merged(target.get("items", {}), tfile)
                if items.get("type") == "object":
                    visit(items, ifile, path + "[].", True)

    visit(load_schema(schema_file), schema_file, "", True)
    return out


def schema_title(schema_file: str) -> tuple[str, str]:
    return split_description(load_schema(schema_file).get("title", schema_file))


def schema_description(schema_file: str) -> tuple[str, str]:
    return split_description(load_schema(schema_file).get("description", ""))


def example_text(value) -> str:
    """An example as it would be typed: text as is, anything else as JSON."""
    if value is None:
        return ""
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
