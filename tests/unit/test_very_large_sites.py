"""A site too large for a page per station (over `station_pages_max`): each town's stations share
pages, every link to a station (cards, map, datasets) goes to its place on its town's sheet, and
the datasets are published gzipped. Both keep 100,000 stations within GitHub Pages' 1 GB."""
from __future__ import annotations

import contextlib
import csv
import gzip
import io
import json
import re
from collections import Counter
from pathlib import Path

import pandas as pd
import pytest
from frictionless import validate

from generator.bench.fake import write_fake_content
from generator.check import check_site
from generator.config import SiteConfig
from generator.export import build_exports
from generator.export.page import data_page, pandas_example
from generator.render import environment
from generator.render import pages as pages_mod
from generator.render.context import CatalogView
from generator.sheets import plan_sheets, sheet_of
from generator.shell import body_of

TEMPLATES = Path(__file__).resolve().parents[2] / "site_templates"
SLUG = re.compile(json.loads((Path(__file__).resolve().parents[2] / "generator/schemas/common.schema.json")
                             .read_text(encoding="utf-8"))["$defs"]["id"]["pattern"])


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    """60 fake stations in 13 towns."""
    content = write_fake_content(tmp_path_factory.mktemp("sheets") / "content", 60, seed=3)
    cfg = SiteConfig(content_dir=content, templates_dir=TEMPLATES, station_pages_max=10)
    result = check_site(cfg)
    assert not result.errors
    return cfg, result


def test_up_to_station_pages_max_every_station_has_its_own_page(checked):
    _, result = checked
    assert plan_sheets(result.catalog.stations, pages_max=60) == []
    assert sheet_of(plan_sheets(result.catalog.stations, pages_max=60)) == {}


def test_sheets_hold_each_station_once_with_its_town_at_most_size_each(checked):
    _, result = checked
    sheets = plan_sheets(result.catalog.stations, pages_max=10, size=3)
    stations = result.catalog.stations
    held = [i for sheet in sheets for i in sheet.ids]
    assert sorted(held) == sorted(st.id for st in stations) and len(set(held)) == len(held)
    for sheet in sheets:
        members = [stations[p] for p in sheet.positions]
        assert 1 <= len(members) <= 3 and {st.town for st in members} == {sheet.town}
        assert [st.id for st in members] == list(sheet.ids) == sorted(sheet.ids)
    per_town = Counter(sheet.town for sheet in sheets)
    assert all(sheet.of == per_town[sheet.town] for sheet in sheets) and max(per_town.values()) > 1


def test_a_sheets_address_is_never_a_station_id(checked):
    """A station id is a slug; a sheet's page must not be able to take a station's place."""
    _, result = checked
    for sheet in plan_sheets(result.catalog.stations, pages_max=10):
        assert SLUG.fullmatch(sheet.id) is None and re.fullmatch(r"[a-z0-9_]+", sheet.id)


def test_on_a_sheet_site_every_link_to_a_station_goes_to_its_place_on_its_sheet(checked):
    cfg, result = checked
    pages, files = pages_mod.render_pages(result.catalog, cfg, environment(TEMPLATES), result.calendar, "站")
    where = sheet_of(plan_sheets(result.catalog.stations, cfg.station_pages_max))
    shells = [p for p in pages if p.shell is not None]
    assert {p.shell.id for p in shells} == set(where.values())  # sheets, and no page of any station's own
    shown = Counter()
    for p in shells:
        body = p.shell.body.decode("utf-8")
        ids = re.findall(r'<h2 id="([^"]+)">', body)
        shown.update(ids)
        assert all(where[i] == p.shell.id for i in ids)
        assert 'id="map"' not in body and 'id="hours"' not in body  # ids unique on the page
        assert 'class="yz-week"' not in body  # each station's summary says its week; the table was a seventh
    assert shown == Counter(st.id for st in result.catalog.stations)
    cards = [link for p in pages if p.src_uri.startswith("kinds/") for link in
             re.findall(r'class="yz-card__name" href="\.\./\.\./([^"]+)"', p.text)]
    assert sorted(cards) == sorted(f"stations/{where[i]}/#{i}" for i in where)
    markers = json.loads(files["assets/yizhan/stations.json"])
    assert markers and all(m["u"] == f"stations/{where[m['id']]}/#{m['id']}" for m in markers)


def test_on_a_sheet_site_a_towns_sheets_are_its_pages(checked):
    """No town page lists the stations again beside its sheets: links to a town open its first sheet,
    which filters its stations as a town page does."""
    cfg, result = checked
    pages, _ = pages_mod.render_pages(result.catalog, cfg, environment(TEMPLATES), result.calendar, "站")
    assert not [p for p in pages if p.src_uri.startswith("towns/")]
    first = {s.town: s.id for s in plan_sheets(result.catalog.stations, cfg.station_pages_max) if s.number == 1}
    directory = next(p for p in pages if p.src_uri == "stations/index.md").text
    for town, sheet in first.items():
        assert f'href="../stations/{sheet}/">{town}</a>' in directory
    sheet = next(p for p in pages if p.shell is not None)
    body = sheet.shell.body.decode("utf-8")
    assert "data-filters" in body and 'data-filter="town"' not in body
    entries = re.findall(r'<section class="yz-card yz-station yz-entry" data-id="([^"]+)" data-kind="[^"]+" '
                         r'data-amenities="[^"]*" data-services="[^"]*" data-status="[^"]+"', body)
    assert entries and entries == re.findall(r'<h2 id="([^"]+)">', body)
    assert body.count("data-distance") == len(entries)


def test_a_town_with_more_stations_than_a_sheet_holds_gets_numbered_sheets_linked_to_each_other(checked):
    cfg, result = checked
    sheets = plan_sheets(result.catalog.stations, pages_max=10, size=2)
    cat = CatalogView.of(result.catalog, cfg, sheet_of=sheet_of(sheets))

    def view(st):
        return pages_mod.station_view(st, cat, pages_mod.compile_hours(st.opening_hours, result.calendar, cfg.today))

    pages = pages_mod._sheet_pages(environment(TEMPLATES), view, result.catalog.stations, sheets, cat, "站", filters=())
    town = Counter(s.town for s in sheets).most_common(1)[0][0]
    mine = [(s, p) for s, p in zip(sheets, pages) if s.town == town]
    for sheet, page in mine:
        body = body_of(page.shell.markdown).decode("utf-8")
        assert f"第 {sheet.number} 页，共 {sheet.of} 页" in page.shell.title
        pager = re.search(r'<nav class="yz-pager".*?</nav>', body, re.S).group(0)
        assert sorted(re.findall(r'href="\.\./\.\./stations/([^/]+)/"', pager)) == sorted(
            s.id for s, _ in mine if s is not sheet)
        assert f'aria-current="page">第 {sheet.number} 页<' in pager


@pytest.fixture(scope="module")
def published(checked, tmp_path_factory):
    """The datasets as the site publishes them, in a folder."""
    cfg, result = checked
    root = tmp_path_factory.mktemp("published")
    outs = build_exports(result.catalog, cfg, site_url="https://example.org/")
    for o in outs:
        (root / o.path).parent.mkdir(parents=True, exist_ok=True)
        (root / o.path).write_bytes(o.content)
    return outs, root


def _csv(path: Path) -> list[dict]:
    return list(csv.DictReader(io.StringIO(gzip.decompress(path.read_bytes()).decode("utf-8-sig"))))


def test_the_datasets_give_a_stations_place_on_its_sheet(checked, published):
    cfg, result = checked
    _, root = published
    where = sheet_of(plan_sheets(result.catalog.stations, cfg.station_pages_max))
    rows = _csv(root / "data/stations.csv.gz")
    assert rows and all(r["url"] == f"https://example.org/stations/{where[r['id']]}/#{r['id']}" for r in rows)
    locations = _csv(root / "data/hsds/locations.csv.gz")
    assert {r["url"] for r in locations} == {f"https://example.org/stations/{where[i]}/#{i}" for i in where}


def test_the_tables_and_records_are_gzipped_and_the_descriptors_and_workbook_are_not(published):
    outs, _ = published
    paths = {o.path for o in outs}
    for name in ("data/stations.csv", "data/station_services.csv", "data/hsds/services.csv", "data/stations.json",
                 "data/stations.geojson"):
        assert name + ".gz" in paths and name not in paths
    assert {"data/datapackage.json", "data/hsds/datapackage.json", "data/xigu-stations.xlsx"} <= paths
    assert not [p for p in paths if p.startswith("schema/") and p.endswith(".gz")]


def test_gzipped_files_are_the_same_bytes_in_every_build(checked, published):
    cfg, result = checked
    outs, _ = published
    again = {o.path: o.content for o in build_exports(result.catalog, cfg, site_url="https://example.org/")}
    assert all(again[o.path] == o.content for o in outs if o.path.endswith(".gz"))


@pytest.mark.parametrize("package", ["data/datapackage.json", "data/hsds/datapackage.json"])
def test_frictionless_reads_the_gzipped_packages(published, package):
    _, root = published
    report = validate(str(root / package))
    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])[:5]


def test_the_data_page_names_the_gzipped_files_and_its_pandas_example_reads_them(checked, published):
    cfg, result = checked
    outs, root = published
    page = data_page(outs, result.catalog, cfg)
    names = [d.name for g in page.download_groups for d in g.items]
    assert "stations.csv.gz" in names and "stations.csv" not in names
    assert [t.file for t in page.tables][0] == "stations.csv.gz" and len(page.tables) > 1
    assert any(".gz" in zh for zh, _ in page.notes)
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(pandas_example(str(root / "data") + "/", gz=True), "pandas_example", "exec"), {})
    assert any(s.name in printed.getvalue() for s in result.catalog.services)
    stations = pd.read_csv(root / "data/stations.csv.gz", encoding="utf-8-sig", dtype=str)
    assert sorted(stations["id"]) == sorted(st.id for st in result.catalog.stations)
