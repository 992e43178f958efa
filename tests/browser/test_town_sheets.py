"""Town sheets (over `station_pages_max` stations): each town's stations share a page.

The real content is built with the threshold at 2, so its five stations in four
towns take the path that a province's 100,000 stations would: no page of their
own, a place on their town's sheet that every link, search result and dataset
row points to, the same live opening hours there, and gzipped datasets.
"""
from __future__ import annotations

import csv
import gzip
import io
import re
from urllib.parse import unquote, urlsplit

import pytest
from yz_browser import ROOT, goto
from test_search import search

from generator.sheets import sheet_id

STATIONS = {"chenping-linggong": "陈坪街道", "zhongjie-xiaomifeng": "临洮街街道", "liuquan-yinling": "柳泉镇",
            "xiliugou-jiefen": "西柳沟街道", "xiliugou-xinyuan": "西柳沟街道"}


def place(station: str) -> str:
    return f"stations/{sheet_id(STATIONS[station], 1)}/#{station}"


@pytest.fixture(scope="module")
def sheet_site(built_sites):
    site = built_sites("town-sheets", lambda base: ROOT / "content", plugin_options="station_pages_max: 2")
    assert sorted(p.stem for p in (ROOT / "content/stations").glob("*.yaml")) == sorted(STATIONS)
    return site


@pytest.fixture
def page(open_context, sheet_site):
    context, _ = open_context(sheet_site)
    return context.new_page()


def test_no_station_has_a_page_of_its_own_and_each_is_on_its_towns_sheet(sheet_site):
    for station in STATIONS:
        assert not (sheet_site.root / "stations" / station).exists()
    for town in set(STATIONS.values()):
        html = (sheet_site.root / "stations" / sheet_id(town, 1) / "index.html").read_text(encoding="utf-8")
        assert f"<h1>{town}的驿站</h1>" in html
        assert sorted(re.findall(r'<h2 id="([^"]+)">', html)) == sorted(s for s, t in STATIONS.items() if t == town)


def test_a_kinds_cards_open_each_station_in_its_place_on_the_sheet(page, sheet_site):
    goto(page, sheet_site, "kinds/xinyuan/")
    card = page.locator('.yz-card[data-id="xiliugou-xinyuan"] a.yz-card__name')
    with page.expect_navigation():
        card.click()
    url = urlsplit(page.url)
    assert unquote(url.path).lstrip("/") + "#" + url.fragment == place("xiliugou-xinyuan")
    heading = page.locator("#xiliugou-xinyuan")
    assert heading.inner_text() == "西柳沟社区心愿驿站"
    box = heading.bounding_box()
    assert box is not None and 0 <= box["y"] < page.viewport_size["height"] / 2  # scrolled to it


def test_a_towns_sheet_is_its_page_and_filters_its_stations(page, sheet_site):
    """There is no town page beside the sheets: a town's link opens its first sheet, which filters."""
    assert not (sheet_site.root / "towns").exists()
    goto(page, sheet_site, "stations/")
    with page.expect_navigation():
        page.locator("#towns + ul a", has_text="西柳沟街道").click()
    assert unquote(urlsplit(page.url).path).lstrip("/") == place("xiliugou-jiefen").split("#")[0]
    entries = page.locator(".yz-entry")
    assert entries.count() == 2
    page.select_option('[data-filter="kind"]', "xinyuan")
    assert [e.get_attribute("data-id") for e in entries.all() if e.is_visible()] == ["xiliugou-xinyuan"]
    assert "共 1 处驿站" in page.locator("[data-result-count]").inner_text()


def test_search_lists_the_station_on_a_sheet_not_the_sheet(page, sheet_site):
    found = search(page, sheet_site, "心愿")
    assert place("xiliugou-xinyuan").split("#")[0] in found
    links = page.locator("[data-search-results] li > a").evaluate_all(
        "els => els.map(a => [a.textContent, new URL(a.href).hash])")
    assert ["西柳沟社区心愿驿站", "#xiliugou-xinyuan"] in links
    assert not any(text.startswith("西柳沟街道的驿站") for text, _ in links)


def test_opening_hours_are_evaluated_on_a_sheet(page, sheet_site):
    """hours.js sets the state of every badge on the page (the real hours are unknown so far)."""
    goto(page, sheet_site, place("xiliugou-jiefen").split("#")[0])
    badges = page.locator(".yz-entry .yz-hours-now [data-hours]")
    assert badges.count() == 2
    page.wait_for_function("() => [...document.querySelectorAll('.yz-entry [data-hours]')]"
                           ".every(el => el.hasAttribute('data-state'))")
    assert badges.first.get_attribute("data-state") in {"open", "closed", "unknown"}


def test_the_datasets_link_each_station_to_its_place_on_its_sheet(sheet_site):
    assert not (sheet_site.root / "data/stations.csv").exists()  # gzipped, as the site is very large
    text = gzip.decompress((sheet_site.root / "data/stations.csv.gz").read_bytes()).decode("utf-8-sig")
    rows = {r["id"]: r["url"] for r in csv.DictReader(io.StringIO(text))}
    assert rows == {s: place(s) for s in STATIONS}


def test_the_data_page_offers_the_gzipped_files_and_says_how_to_open_them(page, sheet_site):
    goto(page, sheet_site, "data/")
    link = page.locator('.yz-downloads a:has-text("stations.csv.gz")')
    assert link.count() == 1
    got = page.request.get(link.evaluate("a => a.href"))
    assert got.ok and gzip.decompress(got.body()).decode("utf-8-sig").startswith("id,")
    assert "gzip" in page.locator("#about-files + ul").inner_text()
