"""The model and the published schemas are one contract: same field names, same required
fields, same defaults, and nested objects built as nested records. And the real content
builds a Catalog."""
from __future__ import annotations

import dataclasses
import shutil
from datetime import date
from pathlib import Path

import pytest

from generator import schemas
from generator.check import check_site
from generator.config import SiteConfig
from generator.model import RECORD_TYPES, Catalog, Location, Phone, Source, Station

ROOT = Path(__file__).resolve().parents[2]


def _object_schema(schema: dict, base: str) -> tuple[dict, str]:
    """The object schema behind a property: follows $ref and, for lists, their items."""
    schema, base = schemas.resolve(schema, base)
    if schema.get("type") == "array":
        schema, base = schemas.resolve(schema.get("items", {}), base)
    return schema, base


def _pairs():
    """(label, record class, its object schema, schema file) for every record and nested record."""
    seen = set()
    todo = [(kind, cls, schemas.load_schema(schemas.KINDS[kind]), schemas.KINDS[kind])
            for kind, cls in RECORD_TYPES.items()]
    while todo:
        label, cls, schema, base = todo.pop(0)
        yield label, cls, schema, base
        for field, nested in cls.nested.items():
            if (cls, field) in seen:
                continue
            seen.add((cls, field))
            sub, sub_base = _object_schema(schema["properties"][field], base)
            todo.append((f"{label}.{field}", nested, sub, sub_base))


PAIRS = list(_pairs())
IDS = [label for label, *_ in PAIRS]


def test_nested_records_are_all_covered():
    covered = {cls for _, cls, _, _ in PAIRS}
    assert {Source, Location, Phone} <= covered
    assert any(cls.__name__ == "Fact" for cls in covered)


@pytest.mark.parametrize("label, cls, schema, base", PAIRS, ids=IDS)
def test_field_names_equal_schema_properties(label, cls, schema, base):
    fields = [f.name for f in dataclasses.fields(cls)]
    assert sorted(fields) == sorted(schema["properties"]), label
    assert len(fields) == len(set(fields))


@pytest.mark.parametrize("label, cls, schema, base", PAIRS, ids=IDS)
def test_required_fields_have_no_default_and_optional_ones_do(label, cls, schema, base):
    required = set(schema.get("required", []))
    no_default = {f.name for f in dataclasses.fields(cls)
                  if f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING}
    assert no_default == required, label


@pytest.mark.parametrize("label, cls, schema, base", PAIRS, ids=IDS)
def test_defaults_agree_with_the_schema(label, cls, schema, base):
    for f in dataclasses.fields(cls):
        prop, _ = schemas.resolve(schema["properties"][f.name], base)
        declared = schema["properties"][f.name].get("default", prop.get("default", dataclasses.MISSING))
        if declared is dataclasses.MISSING:
            continue
        default = f.default if f.default is not dataclasses.MISSING else f.default_factory()
        assert default == (tuple(declared) if isinstance(declared, list) else declared), (label, f.name)


@pytest.mark.parametrize("label, cls, schema, base", PAIRS, ids=IDS)
def test_every_nested_object_is_a_nested_record(label, cls, schema, base):
    for name, prop in schema["properties"].items():
        sub, _ = _object_schema(prop, base)
        if sub.get("type") == "object" and "properties" in sub:
            assert name in cls.nested, f"{label}.{name} is an object in the schema but plain data in the model"


def test_every_content_folder_with_a_record_type_has_a_schema():
    assert set(RECORD_TYPES) <= set(schemas.KINDS)
    for name in schemas.KINDS.values():
        assert schemas.load_schema(name)["$id"] == name


def test_the_example_tree_builds_typed_records(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "tests" / "examples" / "base" / "content", content)
    result = check_site(SiteConfig(content_dir=content, today=date(2026, 6, 1)))
    assert result.problems == []
    cat = result.catalog
    a = cat.index("stations")["test-station-a"]
    assert isinstance(a, Station)
    assert isinstance(a.location, Location) and a.location.lat == 36.1 and a.location.lon == 103.6
    assert all(isinstance(p, Phone) for p in a.phones) and a.phones[0].tel == "09317512345"
    assert all(isinstance(s, Source) for s in a.sources)
    assert a.facts[0].value == 20 and a.facts[0].display_value == "约 20 人次"
    assert a.services == ("test-rest", "test-charging")
    assert cat.index("services")["test-charging"].free is False
    assert cat.index("services")["test-rest"].free is True
    assert [s.id for s in cat.stations] == sorted(s.id for s in cat.stations)


def test_the_real_content_builds_a_catalog_without_errors():
    result = check_site(SiteConfig(content_dir=ROOT / "content"))
    errors = [f"{p.path}:{p.line}:{p.col}: {p.code}: {p.message}" for p in result.errors]
    assert errors == []
    assert isinstance(result.catalog, Catalog)
    assert result.catalog.stations, "content/stations/ is empty"
    for kind in RECORD_TYPES:
        for record in getattr(result.catalog, kind):
            assert (ROOT / "content" / kind / f"{record.id}.yaml").is_file()
