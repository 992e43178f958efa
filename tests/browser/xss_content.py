"""A copy of the real content/ in which every free-text field holds an XSS payload.

Which fields are free text comes from the JSON schemas (every `$defs/text`), so a
new text field is covered without touching this file. Ids, enums, dates, URLs,
numbers and phone numbers stay as they are, so the copy still validates. The same
original string always gets the same payload, so stations that shared a town still do.
"""
from __future__ import annotations

import json
from itertools import count
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
SCHEMAS = ROOT / "generator" / "schemas"
KINDS = {"stations": "station", "kinds": "kind", "services": "service", "amenities": "amenity",
         "policies": "policy"}

PAYLOADS = (
    "<script>window.__xss=1</script>",
    '"><img src=x onerror="window.__xss=1">',
    "'><svg onload=window.__xss=1>",
    "</title><script>window.__xss=1</script>",
    "javascript:window.__xss=1",
    "*bold* [link](javascript:window.__xss=1) <b>b</b>",
    "{{ 7*7 }} {% raw %}",
    "</script><script>window.__xss=1</script>",
    "<!-- a -->&amp;&lt;x&gt;'\"`",
    "]]><iframe srcdoc='<script>parent.__xss=1</script>'>",
)


def _common() -> dict:
    return json.loads((SCHEMAS / "common.schema.json").read_text(encoding="utf-8"))["$defs"]


def _is_text(node: dict) -> bool:
    return node.get("$ref", "").endswith("/$defs/text")


def _resolve(node: dict) -> dict:
    ref = node.get("$ref", "")
    if "/$defs/" in ref and not ref.endswith("/$defs/text"):
        return _common()[ref.rsplit("/", 1)[1]]
    return node


class Poisoner:
    def __init__(self):
        self.memo: dict[str, str] = {}
        self.numbers = count(1)

    def value(self, original: str) -> str:
        if original not in self.memo:
            n = next(self.numbers)
            self.memo[original] = f"{PAYLOADS[n % len(PAYLOADS)]}〔{n}〕"
        return self.memo[original]

    def walk(self, data, schema: dict):
        schema = _resolve(schema)
        if _is_text(schema) and isinstance(data, str):
            return self.value(data)
        if isinstance(data, dict):
            props = schema.get("properties", {})
            return {k: self.walk(v, props.get(k, {})) for k, v in data.items()}
        if isinstance(data, list):
            return [self.walk(v, schema.get("items", {})) for v in data]
        return data


class _NoAliases(yaml.SafeDumper):
    def ignore_aliases(self, data):
        return True


def write_xss_content(source: Path, dest: Path) -> dict[str, dict[str, dict]]:
    """Poisoned copy of source into dest; returns {folder: {id: data}} as written."""
    poison = Poisoner()
    written: dict[str, dict[str, dict]] = {}
    for folder, kind in KINDS.items():
        schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text(encoding="utf-8"))
        (dest / folder).mkdir(parents=True, exist_ok=True)
        for path in sorted((source / folder).glob("*.yaml")):
            data = poison.walk(yaml.safe_load(path.read_text(encoding="utf-8")), schema)
            (dest / folder / path.name).write_text(
                yaml.dump(data, Dumper=_NoAliases, allow_unicode=True, sort_keys=False), encoding="utf-8")
            written.setdefault(folder, {})[data["id"]] = data
    if (source / "holidays").is_dir():
        (dest / "holidays").mkdir(exist_ok=True)
        for path in sorted((source / "holidays").glob("*.yaml")):
            (dest / "holidays" / path.name).write_bytes(path.read_bytes())
    return written
