"""A quick yes/no check against our schemas, so that jsonschema runs only on documents with errors.

jsonschema gives exact, detailed errors but costs about 2 ms per station, mostly in
resolving each `$ref` again for every value; at 10,000 stations that was most of the
validation time. Nearly every document is valid, so validate.py asks this compiled
check first and runs jsonschema only when the check cannot vouch for the document.

The check may be stricter than JSON Schema but never looser: `True` must mean that
jsonschema would find no error. So it knows only the keywords our schemas use, each
implemented as jsonschema does (see jsonschema/_keywords.py) or more strictly: an
integer must be an int (jsonschema also takes 2.0), and `enum` and `uniqueItems` vouch
only for strings. A schema with any other keyword gets no quick check at all, and
then every document goes to jsonschema. tests/unit/test_schema_fast.py holds it to this.
"""
from __future__ import annotations

import re
from typing import Callable

from . import load_schema, ref_target

Check = Callable[[object], bool]

# keywords that only describe; jsonschema does not validate with them either
_ANNOTATIONS = frozenset({"$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default"})
# JSON Schema type → the Python types that coercion produces for it. Exact types, so stricter
# than jsonschema, whose "integer" also takes 2.0 and "number" any numbers.Number.
_TYPES: dict[str, tuple[type, ...]] = {
    "string": (str,), "integer": (int,), "number": (int, float), "boolean": (bool,),
    "object": (dict,), "array": (list,), "null": (type(None),),
}
# every value coercion can produce; anything else (a Decimal, a tuple) is never vouched for
_PLAIN = (str, int, float, bool, type(None), dict, list)
# the types each keyword looks at; jsonschema ignores a keyword for other types (a pattern on a number)
_APPLIES_TO: dict[str, tuple[type, ...]] = {
    "properties": (dict,), "additionalProperties": (dict,), "required": (dict,),
    "items": (list,), "minItems": (list,), "uniqueItems": (list,),
    "pattern": (str,), "minLength": (str,), "maxLength": (str,),
    "minimum": (int, float), "maximum": (int, float),
    "enum": _PLAIN, "format": _PLAIN,
}


class Unsupported(Exception):
    """The schema uses something this check does not implement: leave it all to jsonschema."""


def compile_schema(name: str, format_checker) -> Check | None:
    """The quick check for one schema file, or None when it uses a keyword not handled here."""
    try:
        return _Compiler(format_checker).compile(load_schema(name), name)
    except Unsupported:
        return None


def _never(x) -> bool:
    return False


class _Compiler:
    def __init__(self, format_checker):
        self.format_checker = format_checker
        self.done: dict[int, Check] = {}  # id(schema) → its check: shared targets of $ref compile once
        self.open: set[int] = set()  # schemas being compiled: meeting one again means a recursive $ref

    def compile(self, schema: dict, base: str) -> Check:
        key = id(schema)
        if key in self.done:
            return self.done[key]
        if key in self.open or not isinstance(schema, dict):
            raise Unsupported("recursive or boolean schema")
        self.open.add(key)
        by_type = self.tests_by_type(schema, base)
        self.open.discard(key)

        def check(x) -> bool:
            tests = by_type.get(type(x))
            if tests is None:  # a type the schema does not allow
                return False
            for test in tests:  # a plain loop: all() over a generator costs twice as much here
                if not test(x):
                    return False
            return True

        self.done[key] = check
        return check

    def tests_by_type(self, schema: dict, base: str) -> dict[type, list[Check]]:
        """For each Python type the schema allows, the tests that apply to a value of that type."""
        allowed = set(_PLAIN)
        by_type: dict[type, list[Check]] = {t: [] for t in _PLAIN}
        for word, value in schema.items():
            if word in _ANNOTATIONS:
                continue
            if word == "type":
                names = [value] if isinstance(value, str) else value
                if not set(names) <= set(_TYPES):
                    raise Unsupported(f"type {value}")
                allowed &= {t for name in names for t in _TYPES[name]}
            elif word == "$ref":  # with sibling keywords both apply, as in draft 2020-12
                target = self.compile(*ref_target(value, base))
                for tests in by_type.values():
                    tests.append(target)
            elif word in _APPLIES_TO:
                for t in _APPLIES_TO[word]:
                    by_type[t].append(self.keyword(word, value, schema, base, t))
            else:
                raise Unsupported(word)
        return {t: tests for t, tests in by_type.items() if t in allowed}

    def keyword(self, word: str, value, schema: dict, base: str, kind: type) -> Check:
        """The test for one keyword on values of Python type `kind`."""
        if word == "properties":
            subs = {prop: self.compile(sub, base) for prop, sub in value.items()}

            def properties(x: dict) -> bool:
                for prop, item in x.items():
                    check = subs.get(prop)
                    if check is not None and not check(item):
                        return False
                return True
            return properties
        if word == "additionalProperties" and isinstance(value, bool):
            known = set(schema.get("properties", {}))
            return lambda x: value or known.issuperset(x)
        if word == "required":
            return lambda x: all(p in x for p in value)
        if word == "items" and "prefixItems" not in schema:
            check = self.compile(value, base)

            def items(x: list) -> bool:
                for item in x:
                    if not check(item):
                        return False
                return True
            return items
        if word == "minItems":
            return lambda x: len(x) >= value
        if word == "uniqueItems":  # vouches only for lists of strings, where unique means what a set says
            return lambda x: not value or (all(type(i) is str for i in x) and len(set(x)) == len(x))
        if word == "enum":  # for a string, jsonschema's equality is plain ==
            return (lambda x: x in value) if kind is str else _never
        if word == "pattern":
            rx = re.compile(value)  # what re.search(pattern, x) in jsonschema compiles too
            return lambda x: rx.search(x) is not None
        if word == "format":
            return lambda x: self.format_checker.conforms(x, value)
        if word == "minLength":
            return lambda x: len(x) >= value
        if word == "maxLength":
            return lambda x: len(x) <= value
        if word == "minimum":
            return lambda x: not x < value
        if word == "maximum":
            return lambda x: not x > value
        raise Unsupported(word)

