"""The open datasets: CSV, JSON, GeoJSON, XLSX read back in the tools people use, and reproducible."""
from __future__ import annotations

import csv
import io
import json
import math
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import openpyxl
import pandas as pd
import pytest

from generator.check import check_site
from generator.config import XIGU, SiteConfig
from generator.export import Output, build_exports
from generator.export.csvfile import csv_bytes
from generator.export.fields import FORMULA_START, Context, ExportError, checked_rows
from generator.export.tables import STATIONS, TABLES
from generator.model import Source, Station
from generator.validate import FORMULA_START as VALIDATOR_FORMULA_START
from test_export_fakes import TODAY, TRICKY, build_fake, fake_catalog, fake_config

READ = dict(encoding="utf-8-sig", keep_default_na=False, na_values=[""])


@pytest.fixture(scope="module")
def real():
    """The real content, built as the site builds it (with a fixed build date)."""
    cfg = SiteConfig(content_dir=Path("content"), today=TODAY)
    result = check_site(cfg)
    if result.catalog is None:
        pytest.skip("content has errors right now: " + "; ".join(p.message for p in result.errors[:3]))
    return result.catalog, cfg, build_exports(result.catalog, cfg, calendar=result.calendar)


@pytest.fixture(scope="module")
def fake(tmp_path_factory):
    return build_fake(tmp_path_factory.mktemp("fake-site"))


def _read_csv(content: bytes, table) -> pd.DataFrame:
    text_cols = {c.name: str for c in table.columns if c.type in ("string", "date")}
    return pd.read_csv(io.BytesIO(content), dtype=text_cols, **READ)


def _expected(table, catalog, site_url=""):
    """The rows straight from the model, as pandas should give them back."""
    rows = table.rows(Context(catalog, site_url))
    out = []
    for row in rows:
        values = []
        for c, v in zip(table.columns, row):
            if v is None or v == "":
                values.append(None)
            elif c.type in ("number", "integer"):
                values.append(float(v))
            else:
                values.append(v)
        out.append(values)
    return out


def _actual(df: pd.DataFrame, table):
    out = []
    for rec in df.itertuples(index=False):
        values = []
        for c, v in zip(table.columns, rec):
            if v is None or (isinstance(v, float) and math.isnan(v)):
                values.append(None)
            elif c.type in ("number", "integer"):
                values.append(float(v))
            elif c.type == "boolean":
                values.append(bool(v))
            else:
                values.append(v)
        out.append(values)
    return out


# ---------------------------------------------------------------- CSV

@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_csv_reads_back_with_pandas_equal_to_the_model(table, fake):
    _, by_path, _ = fake
    df = _read_csv(by_path[f"data/{table.filename}"].content, table)
    assert list(df.columns) == [c.name for c in table.columns]
    assert _actual(df, table) == _expected(table, fake_catalog())


@pytest.mark.parametrize("table", TABLES, ids=lambda t: t.name)
def test_real_content_csv_reads_back_equal_to_the_model(table, real):
    catalog, cfg, outputs = real
    content = next(o.content for o in outputs if o.path == f"data/{table.filename}")
    df = _read_csv(content, table)
    assert _actual(df, table) == _expected(table, catalog)


def test_csv_bytes_are_bom_crlf_rfc4180(fake):
    _, by_path, _ = fake
    for path, out in by_path.items():
        if not path.endswith(".csv"):
            continue
        assert out.content.startswith(b"\xef\xbb\xbf"), path
        text = out.content.decode("utf-8-sig")
        # every record ends in CRLF; a bare LF can only sit inside a quoted cell
        rows = list(csv.reader(io.StringIO(text, newline="")))
        assert text.endswith("\r\n"), path
        assert all(len(r) == len(rows[0]) for r in rows), path


def test_text_with_commas_quotes_and_line_breaks_survives(fake):
    _, by_path, _ = fake
    df = _read_csv(by_path["data/stations.csv"].content, STATIONS)
    a = df.set_index("id").loc["a-open"]
    assert a["description"] == TRICKY
    assert a["address"] == "环形东路 1 号, 二楼"
    raw = by_path["data/stations.csv"].content.decode("utf-8-sig")
    assert '"他说：""你好，世界""，' in raw  # RFC 4180: quotes doubled inside a quoted cell


def test_ids_and_phones_keep_leading_zeros(fake):
    _, by_path, root = fake
    stations = pd.read_csv(root / "data/stations.csv", dtype={"id": str, "phone": str}, **READ)
    assert "007" in set(stations["id"])
    assert stations.set_index("id").loc["a-open", "phone"] == "0931-7512345"
    phones = pd.read_csv(root / "data/station_phones.csv", dtype={"station_id": str, "number": str}, **READ)
    assert set(phones["number"]) == {"0931-7512345", "13912345678", "12345"}
    assert dict(zip(phones["number"], phones["type"])) == {"0931-7512345": "landline", "13912345678": "mobile",
                                                          "12345": "hotline"}


def test_closed_station_stays_with_its_status(fake):
    _, by_path, _ = fake
    df = _read_csv(by_path["data/stations.csv"].content, STATIONS).set_index("id")
    assert df.loc["b-closed", "status"] == "closed" and df.loc["b-closed", "status_zh"] == "已关闭"


def test_rows_sorted_by_primary_key_and_columns_in_schema_order(fake):
    _, by_path, _ = fake
    dp = json.loads(by_path["data/datapackage.json"].content)
    for res in dp["resources"]:
        df = pd.read_csv(io.BytesIO(by_path[f"data/{res['path']}"].content), dtype=str, **READ)
        assert list(df.columns) == [f["name"] for f in res["schema"]["fields"]]
        key = res["schema"]["primaryKey"]
        values = [tuple(int(v) if k == "position" else v for v, k in zip(r, key))
                  for r in df[key].itertuples(index=False)]
        assert values == sorted(values), res["name"]
        assert len(set(values)) == len(values), res["name"]


def test_no_cell_holds_a_list(fake):
    """Lists live in link tables: the station's services are rows of station_services.csv."""
    _, by_path, _ = fake
    links = pd.read_csv(io.BytesIO(by_path["data/station_services.csv"].content), dtype=str, **READ)
    assert sorted(links[links.station_id == "a-open"].service_id) == ["phone-charging", "rest"]


def test_formula_start_is_at_least_the_validators():
    assert set(VALIDATOR_FORMULA_START) <= set(FORMULA_START)


@pytest.mark.parametrize("start", list(FORMULA_START))
def test_writer_refuses_formula_text_and_fails_the_build(start):
    cat = fake_catalog()
    bad = Station("x-bad", "坏", "linggong", "active", "街道", "2026-01-01",
                  (Source("t", "p", "2026-01-01"),), address=start + "SUM(A1)")
    cat = type(cat)((*cat.stations, bad), cat.services, cat.policies, cat.kinds, cat.amenities)
    with pytest.raises(ExportError, match="formula"):
        build_exports(cat, fake_config())


def test_negative_numbers_are_not_formula_text():
    """Only text is checked: a number like -5 is a number in every spreadsheet."""
    cat = fake_catalog()
    assert csv_bytes(STATIONS, checked_rows(STATIONS, Context(cat)))


# ---------------------------------------------------------------- JSON and GeoJSON

def _strict_json(content: bytes):
    def refuse(name):
        raise AssertionError(f"{name} in JSON")

    return json.loads(content.decode("utf-8"), parse_constant=refuse)


def test_stations_json_full_records_null_for_empty(fake):
    _, by_path, _ = fake
    data = _strict_json(by_path["data/stations.json"].content)
    assert data["license"] == "CC-BY-4.0" and data["created"].startswith(TODAY.isoformat())
    recs = {s["id"]: s for s in data["stations"]}
    assert [s["id"] for s in data["stations"]] == sorted(recs)
    closed = recs["b-closed"]
    assert closed["status"] == "closed" and closed["location"] is None and closed["opening_hours"] is None
    assert closed["phones"] == []
    assert recs["a-open"]["phones"][0] == {"number": "0931-7512345", "type": "landline", "label": "值班电话"}
    assert recs["a-open"]["description"] == TRICKY
    text = by_path["data/stations.json"].content.decode()
    assert not re.search(r'\bNaN\b|\bInfinity\b|"nan"', text)


def test_geojson_is_rfc7946_lon_lat(fake):
    _, by_path, _ = fake
    fc = _strict_json(by_path["data/stations.geojson"].content)
    assert fc["type"] == "FeatureCollection" and "crs" not in fc
    feats = {f["id"]: f for f in fc["features"]}
    assert set(feats) == {s.id for s in fake_catalog().stations}  # unlocated and closed stations included
    assert feats["a-open"]["geometry"] == {"type": "Point", "coordinates": [103.698, 36.083]}
    assert feats["b-closed"]["geometry"] is None
    assert feats["b-closed"]["properties"]["status"] == "closed"
    assert feats["007"]["properties"]["phone"] == "12345"


def test_real_geojson_points_are_lon_lat_inside_the_area(real):
    _, _, outputs = real
    fc = _strict_json(next(o.content for o in outputs if o.path == "data/stations.geojson"))
    assert fc["features"]
    for f in fc["features"]:
        if f["geometry"] is None:
            continue
        lon, lat = f["geometry"]["coordinates"]
        assert XIGU.contains(lat, lon), (f["id"], lon, lat)
        assert lon > lat  # around Lanzhou longitude ≈ 103 and latitude ≈ 36: swapped order would fail


# ---------------------------------------------------------------- XLSX

def _sheet_rows(ws):
    return [list(r) for r in ws.iter_rows(values_only=True)]


@pytest.mark.parametrize("which", ["fake", "real"])
def test_xlsx_opens_and_holds_the_same_rows(which, fake, real):
    if which == "fake":
        outputs, by_path, _ = fake
        catalog = fake_catalog()
    else:
        catalog, _, outputs = real
        by_path = {o.path: o for o in outputs}
    wb = openpyxl.load_workbook(io.BytesIO(by_path["data/xigu-stations.xlsx"].content))
    assert wb.sheetnames == ["说明", *(t.name for t in TABLES)]
    for table in TABLES:
        rows = _sheet_rows(wb[table.name])
        assert rows[0] == [c.name for c in table.columns]
        expected = [[None if v is None else v for v in r] for r in _expected(table, catalog)]
        got = [[float(v) if isinstance(v, int) and not isinstance(v, bool) else v for v in r] for r in rows[1:]]
        assert got == expected, table.name
    about = dict((k, v) for k, v in _sheet_rows(wb["说明"]))
    assert "CC-BY-4.0" in about["许可 / Licence"]


def test_xlsx_keeps_phones_and_ids_as_text(fake):
    _, by_path, _ = fake
    wb = openpyxl.load_workbook(io.BytesIO(by_path["data/xigu-stations.xlsx"].content))
    ws = wb["stations"]
    header = [c.value for c in ws[1]]
    cells = {ws.cell(r, 1).value: ws.cell(r, header.index("phone") + 1) for r in range(2, ws.max_row + 1)}
    assert "007" in cells and cells["a-open"].value == "0931-7512345" and cells["a-open"].data_type == "s"


def test_xlsx_has_fixed_timestamps(fake):
    """Every zip entry has XlsxWriter's fixed stamp (for parts it wrote to disk, 1980-01-31), never the
    clock; the build date is in the properties."""
    _, by_path, _ = fake
    with zipfile.ZipFile(io.BytesIO(by_path["data/xigu-stations.xlsx"].content)) as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 31, 0, 0, 0)}
        core = z.read("docProps/core.xml").decode()
    assert f"{TODAY.isoformat()}T00:00:00Z" in core


# ---------------------------------------------------------------- reproducible

def test_two_builds_give_identical_bytes():
    a = build_exports(fake_catalog(), fake_config())
    b = build_exports(fake_catalog(), fake_config())
    assert [o.path for o in a] == [o.path for o in b]
    for x, y in zip(a, b):
        assert x.content == y.content, x.path


def test_two_builds_of_real_content_give_identical_bytes():
    cfg = SiteConfig(content_dir=Path("content"), today=TODAY)
    first, second = check_site(cfg), check_site(cfg)
    if first.catalog is None:
        pytest.skip("content has errors right now")
    a = build_exports(first.catalog, cfg, calendar=first.calendar)
    b = build_exports(second.catalog, cfg, calendar=second.calendar)
    assert [(o.path, o.content) for o in a] == [(o.path, o.content) for o in b]


def test_output_interface(fake):
    outputs, by_path, _ = fake
    assert all(isinstance(o, Output) and isinstance(o.content, bytes) for o in outputs)
    required = {"data/stations.csv", "data/services.csv", "data/policies.csv", "data/station_services.csv",
                "data/station_amenities.csv", "data/station_policies.csv", "data/stations.json",
                "data/stations.geojson", "data/xigu-stations.xlsx", "data/datapackage.json",
                "data/hsds/datapackage.json", "schema/station.schema.json"}
    assert required <= set(by_path)
    assert by_path["data/stations.csv"].rows == len(fake_catalog().stations)
    assert len(by_path) == len(outputs)  # no path twice


def test_schemas_are_copied_byte_for_byte(fake):
    _, by_path, _ = fake
    folder = Path(__file__).resolve().parents[2] / "generator" / "schemas"
    for f in folder.glob("*.schema.json"):
        assert by_path[f"schema/{f.name}"].content == f.read_bytes()


def test_build_date_comes_from_the_config_not_the_clock():
    later = build_exports(fake_catalog(), fake_config(today=TODAY.replace(day=2)))
    dp = json.loads(next(o for o in later if o.path == "data/datapackage.json").content)
    assert dp["created"] == "2026-06-02T00:00:00+08:00"


def test_licence_can_be_changed():
    outs = build_exports(fake_catalog(), fake_config(), license_id="CC0-1.0")
    dp = json.loads(next(o for o in outs if o.path == "data/datapackage.json").content)
    assert dp["licenses"][0]["name"] == "CC0-1.0"


@pytest.mark.skipif(shutil.which("soffice") is None, reason="LibreOffice is not installed")
def test_libreoffice_opens_the_workbook_with_the_same_cells(fake, tmp_path):
    """A real spreadsheet program reads every sheet back to the CSV's cells (booleans aside: it shows TRUE)."""
    _, _, root = fake
    subprocess.run(["soffice", "--headless", f"-env:UserInstallation=file://{tmp_path}/profile", "--convert-to",
                    "csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1",
                    "--outdir", str(tmp_path), str(root / "data/xigu-stations.xlsx")],
                   check=True, capture_output=True, timeout=180)
    for table in TABLES:
        ours = list(csv.reader(open(root / "data" / table.filename, encoding="utf-8-sig", newline="")))
        theirs = list(csv.reader(open(tmp_path / f"xigu-stations-{table.name}.csv", encoding="utf-8", newline="")))
        bools = [i for i, c in enumerate(table.columns) if c.type == "boolean"]
        theirs = [[v.lower() if i in bools and r else v for i, v in enumerate(row)] for r, row in enumerate(theirs)]
        assert theirs == ours, table.name


def test_written_to_a_folder_the_files_are_the_same_and_none_is_held(real, tmp_path):
    catalog, cfg, outputs = real
    streamed = build_exports(catalog, cfg, out_dir=tmp_path)
    assert {o.path: (tmp_path / o.path).read_bytes() for o in streamed} == {o.path: o.content for o in outputs}
    assert sorted(p.relative_to(tmp_path).as_posix() for p in tmp_path.rglob("*") if p.is_file()) == \
        sorted(o.path for o in outputs)
    assert [(o.path, o.size, o.title, o.format, o.rows) for o in streamed] == [
        (o.path, len(o.content), o.title, o.format, o.rows) for o in outputs]
    assert all(o.content is None for o in streamed)


def test_made_a_few_stations_at_a_time_the_files_are_the_same(real, tmp_path):
    """The stations are read and the rows made a slice at a time: where a slice ends must not show."""
    catalog, cfg, outputs = real
    assert len(catalog.stations) > 2
    sliced = build_exports(catalog, cfg, chunk=2)
    assert [(o.path, o.content) for o in sliced] == [(o.path, o.content) for o in outputs]


def test_workbook_made_in_parallel_gives_the_same_files_in_the_same_order(real, tmp_path):
    """The forked process writes the workbook itself, into the same folder."""
    catalog, cfg, outputs = real
    streamed = build_exports(catalog, cfg, out_dir=tmp_path, parallel=True, chunk=2)
    assert [o.path for o in streamed] == [o.path for o in outputs]
    assert [(o.size, o.title, o.format, o.rows) for o in streamed] == [
        (len(o.content), o.title, o.format, o.rows) for o in outputs]
    assert {o.path: (tmp_path / o.path).read_bytes() for o in streamed} == {o.path: o.content for o in outputs}


def test_workbook_refused_in_the_parallel_process_fails_the_exports():
    """Text over Excel's limit passes every CSV check; only the workbook, made in the fork, refuses it."""
    cat = fake_catalog()
    long = Station("x-long", "长", "linggong", "active", "街道", "2026-01-01",
                   (Source("t", "p", "2026-01-01"),), description="很长" * 20_000)
    cat = type(cat)((*cat.stations, long), cat.services, cat.policies, cat.kinds, cat.amenities)
    with pytest.raises(ExportError, match="32767"):
        build_exports(cat, fake_config(), parallel=True)
