"""The stations are kept on disk after the check (generator/store.py) and read back per page:
what is read back must be what was validated, whichever process wrote it, and every page and
file must be the same as from stations held in memory."""
from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from generator.background import Background
from generator.bench.fake import write_fake_content
from generator.check import check_site
from generator.checks import cross_document_data
from generator.config import SiteConfig
from generator.load import iter_content_files, load_file
from generator.model import build_catalog
from generator.render import environment
from generator.render import pages as pages_mod
from generator.store import RecordFile, Stations
from generator.validate import validate_doc

TEMPLATES = Path(__file__).resolve().parents[2] / "site_templates"


@pytest.fixture(scope="module")
def checked(tmp_path_factory):
    cfg = SiteConfig(content_dir=write_fake_content(tmp_path_factory.mktemp("store") / "content", 60, seed=4),
                     templates_dir=TEMPLATES)
    result = check_site(cfg)
    assert not result.errors
    return cfg, result


def test_records_written_by_a_forked_process_are_read_back_here():
    records = RecordFile()
    data = [{"id": f"s{i}", "name": "驿站" * i, "services": ["a", "b"], "location": {"lat": 36.1, "lon": 103.6}}
            for i in range(50)]

    def write() -> bytes:
        for d in data:
            records.append(d)
        return records.finish()

    records.adopt(Background(write).result())
    assert [records.read(i) for i in range(50)] == data
    assert records.read(7) == data[7]  # in any order


def test_the_checked_catalogue_keeps_its_stations_on_disk_as_they_were_validated(checked):
    cfg, result = checked
    stations = result.catalog.stations
    assert isinstance(stations, Stations) and len(stations) == 60
    validated = {}
    for file, rel, kind in iter_content_files(cfg.content_dir):
        if kind == "stations":
            doc, problems = validate_doc(load_file(file, rel, kind))
            validated[doc.stem] = doc.data
    expected = build_catalog({"stations": validated}).stations
    assert tuple(stations) == expected and stations == expected  # by id, each equal
    assert stations[5] == expected[5] and stations[-1] == expected[-1] and stations[2:4] == expected[2:4]


@pytest.mark.parametrize("pages_max", [1000, 10], ids=["station-pages", "town-sheets"])
def test_pages_from_stations_on_disk_are_the_pages_from_stations_in_memory(checked, pages_max):
    cfg, result = checked
    cfg = SiteConfig(content_dir=cfg.content_dir, templates_dir=TEMPLATES, station_pages_max=pages_max)

    def pages(catalog):
        made, files = pages_mod.render_pages(catalog, cfg, environment(TEMPLATES), result.calendar, "站", list_max=20)
        return {p.src_uri: p.shell.markdown if p.shell else p.text for p in made}, files

    on_disk = pages(result.catalog)
    assert on_disk == pages(replace(result.catalog, stations=tuple(result.catalog.stations)))
    assert sum(1 for uri in on_disk[0] if uri.startswith("stations/")) > 1


def test_the_check_holds_of_a_station_only_what_the_cross_document_rules_read():
    data = {"id": "x", "name": "某驿站", "kind": "linggong", "status": "active", "town": "西柳沟街道",
            "services": ["job-board"], "amenities": ["seating", "toilet"], "policies": [],
            "location": {"lat": 36.1, "lon": 103.6, "precision": "approximate", "note": "大致位置"},
            "opening_hours": "Mo-Fr 08:00-18:00", "phones": [{"number": "0931-7512345"}]}
    kept = cross_document_data("stations", data)
    assert kept == {"name": "某驿站", "kind": "linggong", "services": ("job-board",),
                    "amenities": ("seating", "toilet"), "policies": (), "location": {"lat": 36.1, "lon": 103.6}}
    assert cross_document_data("services", data) is data  # other documents are few, and kept whole
