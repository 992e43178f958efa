"""The published JSON Schemas: one contract for editors, the validator, the model and the data dictionary."""
from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources

from referencing import Registry, Resource
from referencing.jsonschema import DRAFT202012

# content folder → schema file; the folder name is the record kind
KINDS = {
    "stations": "station.schema.json",
    "services": "service.schema.json",
    "policies": "policy.schema.json",
    "kinds": "kind.schema.json",
    "amenities": "amenity.schema.json",
    "holidays": "holidays.schema.json",
}


def schema_text(name: str) -> str:
    return resources.files(__package__).joinpath(name).read_text(encoding="utf-8")


@lru_cache(maxsize=None)
def load_schema(name: str) -> dict:
    return json.loads(schema_text(name))


def schema_names() -> list[str]:
    return sorted(p.name for p in resources.files(__package__).iterdir() if p.name.endswith(".schema.json"))


@lru_cache(maxsize=1)
def registry() -> Registry:
    return Registry().with_resources(
        (name, Resource.from_contents(load_schema(name), default_specification=DRAFT202012))
        for name in schema_names()
    )


def resolve(schema: dict, base: str) -> tuple[dict, str]:
    """Follow `$ref` (possibly across files); returns the target and its file."""
    while "$ref" in schema:
        # sibling keywords (description, examples) stay with the referrer; the type comes from the target
        schema, base = ref_target(schema["$ref"], base)
    return schema, base


@lru_cache(maxsize=None)  # validation follows the same few refs for every value of every document
def ref_target(ref: str, base: str) -> tuple[dict, str]:
    """The schema a `$ref` points to, and its file."""
    file, _, pointer = ref.partition("#")
    file = file or base
    target = load_schema(file)
    for part in filter(None, pointer.split("/")):
        target = target[part]
    return target, file
