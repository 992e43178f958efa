"""generator.schemas.fast: the quick check may refuse a valid document (jsonschema then decides),
but it must never vouch for one that jsonschema rejects, or errors would go unreported."""
from __future__ import annotations

import copy
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from jsonschema import Draft202012Validator, FormatChecker

from generator import schemas
from generator.check import load_site
from generator.schemas.fast import compile_schema
from generator.validate import validate_doc

ROOT = Path(__file__).resolve().parents[2]
FORMATS = FormatChecker()


def _valid_docs() -> dict[str, list[dict]]:
    """Schema-valid data of the real content and the examples' base tree, by schema file."""
    out: dict[str, list[dict]] = {}
    for content in (ROOT / "content", ROOT / "tests" / "examples" / "base" / "content"):
        for raw in load_site(content):
            doc, problems = validate_doc(raw)
            if doc is not None and not problems and raw.kind in schemas.KINDS:
                out.setdefault(schemas.KINDS[raw.kind], []).append(doc.data)
    return out


VALID = _valid_docs()
QUICK = {name: compile_schema(name, FORMATS) for name in schemas.KINDS.values()}
EXACT = {name: Draft202012Validator(schemas.load_schema(name), registry=schemas.registry(), format_checker=FORMATS)
         for name in schemas.KINDS.values()}


def test_every_schema_gets_a_quick_check():
    assert all(QUICK.values()), [name for name, check in QUICK.items() if check is None]


@pytest.mark.parametrize("name", sorted(VALID))
def test_it_vouches_for_valid_content(name):
    assert all(QUICK[name](data) for data in VALID[name])


def test_it_refuses_what_it_does_not_know():
    from generator.schemas import fast

    assert fast._Compiler(FORMATS).compile({"type": "string"}, "x")("a")
    with pytest.raises(fast.Unsupported):
        fast._Compiler(FORMATS).compile({"type": "string", "const": "a"}, "x")


# values that sit on the edges of our schemas' keywords
EDGE_VALUES = [
    "", " ", "a", "\n", "x" * 65, "x" * 2001, "2024-02-30", "2024-02-29", "2023-02-29", "2024-1-1",
    "２０２４-０１-０１", "٢٠٢٤-٠١-٠١", "2024-01-01\n", "https://a.b/", "http://", "a b", "abc-", "-abc", "a--b",
    "active", "Active", "exact", "hotline", 0, 1, -1, 2.0, 2.5, 36.1, -90.5, 90, 180.5, 1999, 2000, 2100, 2101,
    True, False, None, [], {}, [""], ["a", "a"], ["a", "b"], [1, True], [{}], {"a": 1},
]
EDGES = st.sampled_from(EDGE_VALUES)
JSON = st.recursive(
    st.one_of(EDGES, st.text(max_size=5), st.integers(-200, 3000), st.floats(allow_nan=True)),
    lambda inner: st.one_of(st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)),
    max_leaves=6)


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for k, v in value.items():
            yield from _paths(v, prefix + (k,))
    elif isinstance(value, list):
        for i, v in enumerate(value):
            yield from _paths(v, prefix + (i,))


@st.composite
def mutated(draw):
    name = draw(st.sampled_from(sorted(VALID)))
    data = copy.deepcopy(draw(st.sampled_from(VALID[name])))
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(_paths(data))))
        parent = data
        for k in path[:-1]:
            parent = parent[k]
        action = draw(st.sampled_from(["replace", "delete", "add", "duplicate"]))
        if not path:
            continue
        key = path[-1]
        if action == "replace":
            parent[key] = copy.deepcopy(draw(JSON))  # EDGES holds shared lists and dicts
        elif action == "delete":
            del parent[key]
        elif action == "add" and isinstance(parent, dict):
            parent[draw(st.sampled_from(["extra", "id", "name", "note", "url"]))] = copy.deepcopy(draw(JSON))
        elif action == "duplicate" and isinstance(parent, list):
            parent.append(copy.deepcopy(parent[key]))
    return name, data


@settings(max_examples=1000, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(mutated())
def test_it_never_vouches_for_an_invalid_document(case):
    name, data = case
    if QUICK[name](data):
        assert list(EXACT[name].iter_errors(data)) == [], data


def _edited(data, path, value=None, delete=False):
    data = copy.deepcopy(data)
    parent = data
    for k in path[:-1]:
        parent = parent[k]
    if delete:
        del parent[path[-1]]
    else:
        parent[path[-1]] = copy.deepcopy(value)
    return data


@pytest.mark.parametrize("name", sorted(VALID))
def test_every_edge_value_in_every_place(name):
    """One document per kind, each value in turn replaced by each edge value, or removed."""
    data = VALID[name][0]
    vouched = 0
    for path in list(_paths(data))[1:]:
        for edited in [_edited(data, path, delete=True)] + [_edited(data, path, v) for v in EDGE_VALUES]:
            if QUICK[name](edited):
                vouched += 1
                assert list(EXACT[name].iter_errors(edited)) == [], (path, edited)
    assert vouched  # some edits are valid (an optional field removed, another valid text)
