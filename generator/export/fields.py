"""The vocabulary of the open-data tables: what a column, a table and a cell are.

A `Column` says what a cell holds (its getter), and documents it (type,
description in Chinese and English, constraints, example). The same columns
drive the CSV header and cells, the XLSX sheets, the GeoJSON properties, the
Table Schema in datapackage.json and the data dictionary on the data page.
Columns that mirror a content field take their documentation from the JSON
Schema (`from_schema`), so the schema stays the single source of truth.

The tables themselves are defined in `tables` (the main tables) and
`hsds_tables` (the HSDS package); `checked_rows` fills one from a catalogue.
"""
from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from operator import attrgetter, itemgetter
from typing import Any

from ..model import Catalog
from ..render import links
from .schemadoc import lookup

# A cell that starts with one of these is run as a formula by spreadsheet programs.
# Kept equal to (or a superset of) generator.validate.FORMULA_START; a test checks.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


class ExportError(ValueError):
    """The data cannot be published safely; the build must fail rather than write it."""


@dataclass(frozen=True)
class Context:
    """What getters may need besides the record itself."""

    catalog: Catalog
    site_url: str = ""
    sheet_of: dict[str, str] = field(default_factory=dict)  # on a very large site (generator/sheets.py)
    kinds: dict = field(init=False, repr=False, compare=False)

    def __post_init__(self):
        object.__setattr__(self, "kinds", self.catalog.index("kinds"))

    def page_url(self, section: str, slug: str) -> str:
        """Absolute when the site URL is configured, else relative to the site root."""
        return self._from_root(links.page_url(section, slug))

    def station_url(self, station_id: str) -> str:
        """The station's page, or its place on its town's sheet: as page_url."""
        return self._from_root(links.station_url(station_id, self.sheet_of.get(station_id)))

    def _from_root(self, path: str) -> str:
        return f"{self.site_url.rstrip('/')}/{path}" if self.site_url else path


Getter = Callable[[Any, Context], Any]


@dataclass(frozen=True)
class Column:
    name: str
    get: Getter
    type: str = "string"  # Table Schema type: string, number, integer, boolean, date
    zh: str = ""
    en: str = ""
    required: bool = False
    unique: bool = False
    enum: tuple = ()
    example: Any = None
    pattern: str | None = None
    minimum: float | None = None
    maximum: float | None = None

    @property
    def description(self) -> str:
        return f"{self.zh} / {self.en}" if self.en else self.zh

    def descriptor(self) -> dict:
        """The Table Schema field."""
        d: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.type == "date":
            d["format"] = "default"
        d["description"] = self.description
        if self.example is not None:
            d["example"] = self.example
        constraints: dict[str, Any] = {}
        if self.required:
            constraints["required"] = True
        if self.unique:
            constraints["unique"] = True
        if self.enum:
            constraints["enum"] = list(self.enum)
        if self.pattern:
            constraints["pattern"] = self.pattern
        if self.minimum is not None:
            constraints["minimum"] = self.minimum
        if self.maximum is not None:
            constraints["maximum"] = self.maximum
        if constraints:
            d["constraints"] = constraints
        return d


@dataclass(frozen=True)
class ForeignKey:
    fields: tuple[str, ...]
    resource: str
    reference: tuple[str, ...] = ("id",)

    def descriptor(self) -> dict:
        return {"fields": list(self.fields), "reference": {"resource": self.resource, "fields": list(self.reference)}}


@dataclass(frozen=True)
class Table:
    name: str  # resource name and file stem
    title_zh: str
    title_en: str
    zh: str
    en: str
    columns: tuple[Column, ...]
    items: Callable[[Context], Iterable[Any]]
    primary_key: tuple[str, ...] = ("id",)
    foreign_keys: tuple[ForeignKey, ...] = ()
    group: str = "main"  # "main" tables, "link" tables (one row per list item), "hsds"
    file: str = ""  # when the file is not named after the resource
    # Rows made from the stations: the datasets make them a slice of the stations at a time
    # (generator/export/__init__.py), and every other table once.
    by_station: bool = False
    # Rows sorted by the primary key, else in the order of `items` (station by station, as the
    # stations are sorted by id). A by-station table may only be sorted when its key begins with
    # the station's id, so that each slice's rows follow the last slice's: HSDS ids are UUIDs.
    sort: bool = True

    @property
    def filename(self) -> str:
        return self.file or f"{self.name}.csv"

    @property
    def title(self) -> str:
        return f"{self.title_zh} / {self.title_en}"

    def column(self, name: str) -> Column:
        return next(c for c in self.columns if c.name == name)

    def rows(self, ctx: Context) -> list[tuple]:
        """Raw values (None for empty), one tuple per row, sorted by the primary key when `sort`."""
        items = list(self.items(ctx))
        # Column by column: an attribute or item getter then reads the whole column at C speed.
        rows = list(zip(*(_column(c.get, items, ctx) for c in self.columns)))
        keys = [i for i, c in enumerate(self.columns) if c.name in self.primary_key]
        if keys and self.sort:  # one key gives the value itself, which sorts as its 1-tuple would
            rows.sort(key=itemgetter(*keys))
        return rows

    def schema(self) -> dict:
        d: dict[str, Any] = {"fields": [c.descriptor() for c in self.columns],
                             "primaryKey": list(self.primary_key), "missingValues": [""]}
        if self.foreign_keys:
            d["foreignKeys"] = [fk.descriptor() for fk in self.foreign_keys]
        return d


# ---------------------------------------------------------------- cells

def number_text(value) -> str:
    """Shortest exact decimal text: 36.083 → "36.083", 200.0 → "200"; never NaN or Infinity."""
    if isinstance(value, bool):
        raise ExportError(f"boolean {value!r} where a number was expected")
    if isinstance(value, int):
        return str(value)
    f = float(value)
    if not math.isfinite(f):
        raise ExportError(f"{value!r} is not a finite number")
    return str(int(f)) if f.is_integer() and abs(f) < 1e15 else repr(f)


def json_number(value):
    """The number for JSON output: integral values as integers, never NaN or Infinity."""
    if value is None:
        return None
    text = number_text(value)
    return int(text) if text.lstrip("-").isdigit() else float(text)


def cell_text(column: Column, value) -> str:
    """A raw value → CSV text by the column's type ("" for empty)."""
    if value is None or value == "":
        return ""
    if column.type in ("number", "integer"):
        return number_text(value)
    if column.type == "boolean":
        return "true" if value else "false"
    return str(value)


def formula_error(text: str, where: str) -> ExportError:
    """The error for text a spreadsheet would run as a formula (the validator refuses it too)."""
    return ExportError(f"{where}: text starts with {text[0]!r} and would run as a spreadsheet formula; "
                       f"fix the content (表格软件会把它当成公式，请修改内容)")


def check_cell(table: Table, column: Column, row: tuple, value) -> None:
    """Refuse text that a spreadsheet would run as a formula."""
    if column.type == "string" and isinstance(value, str) and value.startswith(FORMULA_START):
        key = ", ".join(f"{k}={row[i]!s}" for i, k in enumerate(c.name for c in table.columns)
                        if k in table.primary_key)
        raise formula_error(value, f"{table.filename} ({key}) column {column.name}")


def phone_type(phone) -> str:
    """The declared type, or the one the validator inferred: a hotline must be declared, so
    an undeclared number is a mobile (11 digits starting with 1) or a landline."""
    if phone.type:
        return phone.type
    digits = phone.tel
    return "mobile" if len(digits) == 11 and digits.startswith("1") else "landline"


# ---------------------------------------------------------------- rows

# In cells' texts joined with NULs, a cell that check_cell might refuse (only text cells are refused:
# a number such as -5 matches here and is let through there). Searching the joined text runs in C.
MAYBE_FORMULA = re.compile("\0[" + re.escape("".join(FORMULA_START)) + "]")


def checked_rows(table: Table, ctx: Context) -> list[tuple]:
    """The table's rows for the catalogue in `ctx`, refused (ExportError) if one would run as a formula."""
    rows = table.rows(ctx)
    check_rows(table, rows)
    return rows


def check_rows(table: Table, rows: list[tuple]) -> None:
    """Refuse the first text cell, row by row, that a spreadsheet would run as a formula."""
    # Cell by cell in Python is slow for a large table: search each text column, joined, at C speed
    # first, and only when something may be wrong check every cell to report the first bad one.
    text = [i for i, c in enumerate(table.columns) if c.type == "string"]
    if any(MAYBE_FORMULA.search("\0" + "\0".join(map(str, map(itemgetter(i), rows)))) for i in text):
        for row in rows:
            for column, value in zip(table.columns, row):
                check_cell(table, column, row, value)


# ---------------------------------------------------------------- column makers

@dataclass(frozen=True)
class attr:  # noqa: N801 - named as the getter makers and lambdas it stands beside
    """Getter of an attribute of the item."""

    name: str

    def __call__(self, item, ctx: Context):
        return getattr(item, self.name)


@dataclass(frozen=True)
class at:  # noqa: N801 - idem
    """Getter of the i-th member of the item."""

    i: int

    def __call__(self, item, ctx: Context):
        return item[self.i]


def _column(get: Getter, items: list, ctx: Context) -> list:
    """A column's cells; most columns are plain attributes or members, read with operator's getters."""
    if isinstance(get, attr):
        return list(map(attrgetter(get.name), items))
    if isinstance(get, at):
        return list(map(itemgetter(get.i), items))
    return [get(item, ctx) for item in items]


def table_pattern(pattern: str) -> str:
    """A JSON Schema pattern (searched anywhere) as a Table Schema pattern (matched whole, XML Schema style)."""
    anything = r"[\s\S]*"  # also across line breaks
    head = pattern[1:] if pattern.startswith("^") else anything + pattern
    return head[:-1] if head.endswith("$") and not head.endswith("\\$") else head + anything


def from_schema(name: str, schema_file: str, path: str | None = None, get: Getter | None = None,
                **overrides) -> Column:
    """A column documented by a JSON Schema property (description, type, enum, example, required)."""
    path = path or name
    doc = lookup(schema_file, path)
    kw: dict[str, Any] = dict(
        type=doc.table_type, zh=doc.zh, en=doc.en, required=doc.required, enum=doc.enum,
        example=doc.example, minimum=doc.minimum, maximum=doc.maximum,
        pattern=table_pattern(doc.pattern) if doc.pattern and doc.table_type == "string" else None,
    )
    if doc.type == "array":  # a list becomes one row per item: document the item
        kw.update(type=doc.item_type or "string", example=doc.example[0] if isinstance(doc.example, list) else None)
    if kw["example"] is None and doc.enum:
        kw["example"] = doc.enum[0]
    kw.update(overrides)
    return Column(name, get or attr(name), **kw)
