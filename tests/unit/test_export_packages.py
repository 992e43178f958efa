"""datapackage.json and the HSDS package: `frictionless validate` passes, keys and references hold."""
from __future__ import annotations

import io
import json
import uuid
from pathlib import Path

import pandas as pd
import pytest
from frictionless import validate
from hypothesis import given
from hypothesis import strategies as st

from generator.check import check_site
from generator.config import SiteConfig
from generator.export import build_exports
from generator.export.hsds import NAMESPACE, clock, hid
from generator.export.hsds_tables import HSDS_TABLES
from generator.export.tables import TABLES
from test_export_fakes import TODAY, build_fake, fake_catalog, fake_config, write_outputs

READ = dict(encoding="utf-8-sig", keep_default_na=False, na_values=[""], dtype=str)


@pytest.fixture(scope="module")
def fake_site(tmp_path_factory):
    _, by_path, root = build_fake(tmp_path_factory.mktemp("fake-site"), site_url="https://example.org/yz/")
    return by_path, root


@pytest.fixture(scope="module")
def real_site(tmp_path_factory):
    cfg = SiteConfig(content_dir=Path("content"), today=TODAY)
    result = check_site(cfg)
    if result.catalog is None:
        pytest.skip("content has errors right now: " + "; ".join(p.message for p in result.errors[:3]))
    outputs = build_exports(result.catalog, cfg, calendar=result.calendar)
    return {o.path: o for o in outputs}, write_outputs(outputs, tmp_path_factory.mktemp("real-site"))


def _report(path: Path):
    report = validate(str(path))
    return report.valid, report.flatten(["resourceName", "rowNumber", "fieldName", "type", "note"])


@pytest.mark.parametrize("which", ["fake_site", "real_site"])
@pytest.mark.parametrize("package", ["data/datapackage.json", "data/hsds/datapackage.json"])
def test_frictionless_validate_passes(which, package, request):
    _, root = request.getfixturevalue(which)
    valid, errors = _report(root / package)
    assert valid, errors


def test_validation_catches_a_broken_foreign_key(fake_site, tmp_path):
    """The check is real: a link to a missing service fails (and so does the changed hash)."""
    by_path, _ = fake_site
    root = write_outputs(by_path.values(), tmp_path)
    path = root / "data/station_services.csv"
    path.write_bytes(path.read_bytes() + "a-open,no-such-service\r\n".encode())
    valid, errors = _report(root / "data/datapackage.json")
    assert not valid
    assert any(e[3] == "foreign-key" for e in errors)


def test_package_describes_every_csv_with_a_bilingual_table_schema(fake_site):
    by_path, _ = fake_site
    dp = json.loads(by_path["data/datapackage.json"].content)
    assert [r["path"] for r in dp["resources"]] == [t.filename for t in TABLES]
    assert {f"data/{r['path']}" for r in dp["resources"]} == {p for p in by_path if p.startswith("data/")
                                                                and p.endswith(".csv") and "/hsds/" not in p}
    for res in dp["resources"]:
        assert " / " in res["description"]
        for f in res["schema"]["fields"]:
            zh, _, en = f["description"].partition(" / ")
            assert zh and en, (res["name"], f["name"])
            assert f["type"] in {"string", "number", "integer", "boolean", "date"}
        assert res["schema"]["primaryKey"]
    stations = next(r for r in dp["resources"] if r["name"] == "stations")
    fields = {f["name"]: f for f in stations["schema"]["fields"]}
    assert fields["id"]["constraints"] == {"required": True, "unique": True, "pattern": "[a-z0-9]+(-[a-z0-9]+)*"}
    assert fields["status"]["constraints"]["enum"] == ["active", "temporarily-closed", "closed"]
    assert fields["verified_on"]["type"] == "date"
    assert stations["schema"]["foreignKeys"] == [{"fields": ["kind"], "reference": {"resource": "kinds", "fields": ["id"]}}]


def test_package_metadata_licence_sources_and_build_date(fake_site):
    by_path, _ = fake_site
    dp = json.loads(by_path["data/datapackage.json"].content)
    assert dp["licenses"] == [{"name": "CC-BY-4.0", "title": "Creative Commons Attribution 4.0 International",
                               "path": "https://creativecommons.org/licenses/by/4.0/"}]
    assert dp["created"] == f"{TODAY.isoformat()}T00:00:00+08:00"
    assert dp["homepage"] == "https://example.org/yz/data/"
    assert any("兰州晨报" in s["title"] for s in dp["sources"])
    assert any(s.get("path") == "https://example.org/law" for s in dp["sources"])


def _frames(by_path, prefix, tables):
    return {t.name: pd.read_csv(io.BytesIO(by_path[f"{prefix}{t.filename}"].content), **READ) for t in tables}


@pytest.mark.parametrize("which", ["fake_site", "real_site"])
def test_foreign_keys_resolve(which, request):
    by_path, _ = request.getfixturevalue(which)
    for prefix, tables in (("data/", TABLES), ("data/hsds/", HSDS_TABLES)):
        frames = _frames(by_path, prefix, tables)
        for t in tables:
            for fk in t.foreign_keys:
                (col,), (ref,) = fk.fields, fk.reference
                values = set(frames[t.name][col].dropna())
                assert values <= set(frames[fk.resource][ref]), (t.name, col, values - set(frames[fk.resource][ref]))


def test_hsds_ids_are_deterministic_uuid5():
    assert NAMESPACE == uuid.UUID("21f8aeb7-42e1-599b-b01a-5c68288b7cac")
    assert hid("location", "a-open") == str(uuid.uuid5(NAMESPACE, "location/a-open"))
    a = build_exports(fake_catalog(), fake_config())
    b = build_exports(fake_catalog(), fake_config(today=TODAY.replace(day=15)))
    ids = {o.path: pd.read_csv(io.BytesIO(o.content), **READ)["id"].tolist()
           for o in a if o.path.startswith("data/hsds/") and o.path.endswith(".csv")}
    ids_later = {o.path: pd.read_csv(io.BytesIO(o.content), **READ)["id"].tolist()
                 for o in b if o.path.startswith("data/hsds/") and o.path.endswith(".csv")}
    assert ids == ids_later  # another build date, the same identifiers
    for values in ids.values():
        for v in values:
            assert uuid.UUID(v).version == 5


@given(st.lists(st.text(), min_size=1, max_size=4))
def test_hsds_id_is_byte_identical_to_uuid5(parts):
    """hid works on the SHA-1 digest itself, for speed: any name, Chinese or empty included, gives uuid.uuid5's id."""
    assert hid(*parts) == str(uuid.uuid5(NAMESPACE, "/".join(parts)))


def test_hsds_locations_keep_our_ids(fake_site):
    by_path, _ = fake_site
    loc = _frames(by_path, "data/hsds/", HSDS_TABLES)["location"].set_index("external_identifier")
    assert set(loc.index) == {s.id for s in fake_catalog().stations}  # "007" stays "007"
    assert loc.loc["a-open", "id"] == hid("location", "a-open")
    assert float(loc.loc["a-open", "latitude"]) == 36.083 and float(loc.loc["a-open", "longitude"]) == 103.698
    assert pd.isna(loc.loc["b-closed", "latitude"])


def test_hsds_rows_are_listed_station_by_station_in_the_order_of_our_ids(real_site):
    """Their own ids are UUIDs, in no useful order: the rows follow the stations, as in stations.csv."""
    by_path, _ = real_site
    frames = _frames(by_path, "data/hsds/", HSDS_TABLES)
    ours = list(_frames(by_path, "data/", TABLES)["stations"]["id"])
    assert ours == sorted(ours) and list(frames["location"]["external_identifier"]) == ours
    location_of = dict(zip(frames["location"]["id"], frames["location"]["external_identifier"]))
    at = [location_of[x] for x in frames["service_at_location"]["location_id"]]
    assert at == sorted(at) and len(set(at)) > 1


def test_hsds_schedules_carry_weekly_rules_with_offset(fake_site):
    by_path, _ = fake_site
    frames = _frames(by_path, "data/hsds/", HSDS_TABLES)
    loc = frames["location"].set_index("external_identifier")["id"]
    sched = frames["schedule"]
    rows = {(r.location_id, r.byday, r.opens_at, r.closes_at) for r in sched.itertuples()}
    weekdays = "MO,TU,WE,TH,FR"
    everyday = "MO,TU,WE,TH,FR,SA,SU"
    assert (loc["a-open"], weekdays, "08:30:00+08:00", "12:00:00+08:00") in rows
    assert (loc["a-open"], weekdays, "14:30:00+08:00", "18:00:00+08:00") in rows
    assert (loc["007"], everyday, "20:00:00+08:00", "02:00:00+08:00") in rows  # past midnight
    assert (loc["d-allday"], everyday, "00:00:00+08:00", "00:00:00+08:00") in rows  # around the clock
    assert loc["b-closed"] not in set(sched.location_id)  # unknown hours: no rule
    assert set(sched.freq) == {"WEEKLY"} and set(sched.timezone) == {"8"}
    a_rows = sched[sched.location_id == loc["a-open"]]
    assert all("法定节假日休息" in d for d in a_rows.description)
    assert all(n.startswith("opening_hours: Mo-Fr 08:30-12:00,14:30-18:00; PH off") for n in a_rows.notes)
    assert "次日" in sched[sched.location_id == loc["007"]].notes.iloc[0]


def test_clock_wraps_past_midnight():
    assert clock(510) == "08:30:00+08:00"
    assert clock(1440) == "00:00:00+08:00"
    assert clock(1560) == "02:00:00+08:00"


def test_hsds_services_follow_station_status_and_amenities_are_attributes(fake_site):
    by_path, _ = fake_site
    frames = _frames(by_path, "data/hsds/", HSDS_TABLES)
    services = frames["service"].set_index("id")
    assert services.loc[hid("service", "b-closed", "phone-charging"), "status"] == "defunct"
    assert services.loc[hid("service", "007", "rest"), "status"] == "temporarily closed"
    assert services.loc[hid("service", "a-open", "rest"), "status"] == "active"
    sal = frames["service_at_location"]
    assert len(sal) == len(services) == sum(len(s.services) for s in fake_catalog().stations)
    terms = frames["taxonomy_term"].set_index("id")
    attrs = frames["attribute"]
    amenity_links = attrs[(attrs.link_type == "amenity") & (attrs.link_id == hid("location", "a-open"))]
    assert sorted(terms.loc[amenity_links.taxonomy_term_id, "code"]) == ["drinking-water", "toilet"]
    phones = frames["phone"]
    assert set(phones.number) == {"0931-7512345", "13912345678", "12345"}


def test_hsds_urls_are_absolute_or_empty():
    _, by_path, _ = build_fake()  # no site URL configured
    loc = pd.read_csv(io.BytesIO(by_path["data/hsds/locations.csv"].content), **READ)
    assert loc["url"].isna().all()
