"""The exports' shortcuts for speed give what the plain way gives: each test here fails when a
shortcut changes a published value (rows read column by column, CSV cells left to the csv module,
stations.json and stations.geojson one record per line, workbook cells written by column kind)."""
from __future__ import annotations

import csv
import gc
import io
import json

import openpyxl
import pytest

from generator.export import build_exports
from generator.export.csvfile import BOM, csv_bytes
from generator.export.fields import Column, Context, ExportError, Table, at, cell_text, check_rows
from generator.export.hsds import hsds_context, station_hours
from generator.hours import build_calendar
from generator.export.hsds_tables import HSDS_TABLES
from generator.export.jsonfile import dumps, dumps_records, record_dict
from generator.export.tables import TABLES
from generator.export.xlsx import workbook_bytes
from generator.model import Source, Station
from test_export_fakes import TODAY, TRICKY, fake_catalog, fake_config

SITE_URL = "https://example.org/yz/"
ALL_TABLES = [pytest.param(t, id=t.name) for t in TABLES] + [pytest.param(t, id=f"hsds-{t.name}") for t in HSDS_TABLES]


def _context(table: Table):
    catalog = fake_catalog()
    if table in HSDS_TABLES:
        return hsds_context(catalog, SITE_URL, station_hours(catalog.stations, fake_config(), build_calendar()))
    return Context(catalog, SITE_URL)


def _cell_by_cell(table: Table, ctx) -> list[tuple]:
    """The plain way: every column's getter on every item, then sorted by the primary key (if sorted)."""
    rows = [tuple(c.get(item, ctx) for c in table.columns) for item in table.items(ctx)]
    keys = [i for i, c in enumerate(table.columns) if c.name in table.primary_key]
    return sorted(rows, key=lambda row: [row[i] for i in keys]) if table.sort else rows


# A table with every kind of cell the csv module could write differently from cell_text.
ODD = Table("odd", "怪", "Odd", "怪", "Odd", columns=(
    Column("text", at(0)), Column("number", at(1), "number"), Column("integer", at(2), "integer"),
    Column("flag", at(3), "boolean"), Column("day", at(4), "date")), items=lambda ctx: [], primary_key=())
ODD_ROWS = [("a", 3.5, 200.0, True, "2026-01-01"), (None, None, None, None, None), ("", 0, 0, False, ""),
            (TRICKY, -5, 12, 0, None), ("x,y", 1e-7, 10**16, 1, "2026-12-31"), ("007", 0.25, -0.0, "", "")]
ONE_COLUMN = Table("one", "一", "One", "一", "One", columns=(Column("text", at(0)),), items=lambda ctx: [],
                   primary_key=())


# ---------------------------------------------------------------- rows

@pytest.mark.parametrize("table", ALL_TABLES)
def test_rows_read_column_by_column_equal_each_getter_called_cell_by_cell(table):
    ctx = _context(table)
    assert table.rows(ctx) == _cell_by_cell(table, _context(table))


# ---------------------------------------------------------------- CSV

def _plain_csv(table: Table, rows: list[tuple]) -> bytes:
    """The plain way: cell_text on every cell."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for row in rows:
        writer.writerow([cell_text(c, v) for c, v in zip(table.columns, row)])
    return (BOM + buf.getvalue()).encode("utf-8")


@pytest.mark.parametrize("table", ALL_TABLES)
def test_csv_cells_are_the_cell_text_of_each_value(table):
    rows = table.rows(_context(table))
    check_rows(table, rows)
    assert csv_bytes(table, rows) == _plain_csv(table, rows)


@pytest.mark.parametrize("table,rows", [(ODD, ODD_ROWS), (ONE_COLUMN, [("a",), (None,), ("",), ("b",)])],
                         ids=["every-kind", "one-column"])
def test_csv_numbers_booleans_and_empty_cells_are_the_cell_text(table, rows):
    assert csv_bytes(table, rows) == _plain_csv(table, rows)


# ---------------------------------------------------------------- JSON

@pytest.fixture(scope="module")
def fake_json():
    return {o.path: o.content for o in build_exports(fake_catalog(), fake_config())
            if o.path in ("data/stations.json", "data/stations.geojson")}


def _reindented(content: bytes) -> bytes:
    return dumps(json.loads(content.decode("utf-8")))


def test_stations_json_holds_what_the_fully_indented_file_held(fake_json):
    """Same members, order, numbers and text as the file written whole with indent=2 (before one record a line)."""
    data = json.loads(fake_json["data/stations.json"])
    records = [record_dict(s) for s in sorted(fake_catalog().stations, key=lambda s: s.id)]
    head = {k: v for k, v in data.items() if k != "stations"}
    assert _reindented(fake_json["data/stations.json"]) == dumps({**head, "stations": records})
    assert data["created"].startswith(TODAY.isoformat()) and data["stations"][0]["id"] == "007"


def test_geojson_holds_what_the_fully_indented_file_held(fake_json):
    fc = json.loads(fake_json["data/stations.geojson"])
    assert list(fc)[0] == "type" and list(fc)[-1] == "features"
    assert _reindented(fake_json["data/stations.geojson"]) == dumps(fc)
    assert [f["id"] for f in fc["features"]] == sorted(s.id for s in fake_catalog().stations)


@pytest.mark.parametrize("path,key", [("data/stations.json", "stations"), ("data/stations.geojson", "features")])
def test_large_json_has_an_indented_head_then_one_record_per_line(fake_json, path, key):
    text = fake_json[path].decode("utf-8")
    lines = text.split("\n")
    assert text.endswith("\n  ]\n}\n") and lines[0] == "{"
    start = lines.index(f'  "{key}": [') + 1
    assert all(line.startswith('  "') for line in lines[1:start])
    records = lines[start:-3]
    assert len(records) == len(fake_catalog().stations) and all(line.startswith("    {") for line in records)
    parsed = [json.loads(line.strip().removesuffix(",")) for line in records]
    assert parsed == json.loads(text)[key]
    assert "\n" in TRICKY and TRICKY not in text and "他说" in text  # line breaks escaped, Chinese kept as is


def test_an_empty_list_of_records_is_written_as_dumps_writes_it():
    assert dumps_records({"a": 1}, "records", []) == dumps({"a": 1, "records": []})
    with pytest.raises(ValueError):
        dumps_records({"records": 1, "a": 1}, "records", [{}])
    with pytest.raises(ValueError):  # NaN is refused in the records as in the head
        dumps_records({"a": 1}, "records", [{"x": float("nan")}])


# ---------------------------------------------------------------- XLSX

def _sheet(content: bytes, name: str):
    return openpyxl.load_workbook(io.BytesIO(content))[name]


def test_workbook_cells_have_their_column_kind():
    ws = _sheet(workbook_bytes([(ODD, ODD_ROWS)], [("a", "b")], TODAY, "t", "c"), "odd")
    got = [[c.value for c in row] for row in ws.iter_rows(min_row=2)]
    assert got == [["a", 3.5, 200, True, "2026-01-01"], [None] * 5, [None, 0, 0, False, None],
                   [TRICKY, -5, 12, False, None], ["x,y", 1e-7, 10**16, True, "2026-12-31"],
                   ["007", 0.25, 0, None, None]]
    assert [c.data_type for c in ws[2]] == ["s", "n", "n", "b", "s"]
    assert [c.number_format for c in ws[2]] == ["@", "General", "General", "General", "@"]


def test_workbook_writes_other_values_in_text_columns_as_text():
    ws = _sheet(workbook_bytes([(ONE_COLUMN, [(7,), (True,)])], [], TODAY, "t", "c"), "one")
    assert [(c.value, c.data_type) for c in ws["A"][1:]] == [("7", "s"), ("True", "s")]


@pytest.mark.parametrize("value,match", [("=1+1", "formula"), ("x" * 40_000, "32767")])
def test_workbook_refuses_formula_and_overlong_text_that_the_csv_check_lets_through(value, match):
    """A date column is not searched by check_rows, and Excel would cut long text: the workbook refuses both."""
    with pytest.raises(ExportError, match=match):
        workbook_bytes([(ODD, [("a", 1, 1, True, value)])], [], TODAY, "t", "c")
    with pytest.raises(ExportError, match=match):
        workbook_bytes([], [("label", value)], TODAY, "t", "c")


# ---------------------------------------------------------------- garbage collector

def test_exports_leave_the_garbage_collector_as_they_found_it():
    assert gc.isenabled()
    build_exports(fake_catalog(), fake_config())
    assert gc.isenabled()
    bad = Station("x-bad", "坏", "linggong", "active", "街道", "2026-01-01", (Source("t", "p", "2026-01-01"),),
                  address="=SUM(A1)")
    cat = fake_catalog()
    with pytest.raises(ExportError):
        build_exports(type(cat)((*cat.stations, bad), cat.services, cat.policies, cat.kinds, cat.amenities),
                      fake_config())
    assert gc.isenabled()
    gc.disable()
    try:
        build_exports(fake_catalog(), fake_config())
        assert not gc.isenabled()
    finally:
        gc.enable()
