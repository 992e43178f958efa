"""A map split by town (over `map_split_over` stations): town markers first, stations as towns come into view.

The real content is built with the threshold at 2, so its five stations in four
towns take the path that a province's 100,000 stations would.
"""
from __future__ import annotations

import json

import pytest
from yz_browser import ROOT, count_map_markers, goto
from test_site_offline import on_map


@pytest.fixture(scope="module")
def split_site(built_sites):
    return built_sites("split-map", lambda base: ROOT / "content", plugin_options="map_split_over: 2")


def test_split_site_writes_a_town_index_and_one_file_per_town(split_site):
    index = json.loads((split_site.root / "assets/yizhan/stations.json").read_text(encoding="utf-8"))
    towns = index["towns"]
    listed = []
    for t in towns:
        members = json.loads((split_site.root / "assets/yizhan" / t["f"]).read_text(encoding="utf-8"))
        assert {m["t"] for m in members} == {t["t"]}
        assert t["b"][0] <= t["la"] <= t["b"][2] and t["b"][1] <= t["lo"] <= t["b"][3]
        listed += [m["n"] for m in members]
    assert sorted(listed) == sorted(on_map())


def test_small_split_map_loads_the_towns_in_view_at_once(open_context, split_site):
    context, _ = open_context(split_site)
    page = context.new_page()
    goto(page, split_site)
    page.wait_for_function("n => document.querySelector('[data-map]').getAttribute('data-markers') === String(n)",
                           arg=len(on_map()))
    page.wait_for_timeout(400)
    assert page.locator(".yz-town-marker").count() == 0
    assert count_map_markers(page) == len(on_map())


# As on a province's map, where the towns in view hold too many stations to load at once.
NO_BUDGET = """Object.defineProperty(window, 'YIZHAN_MAP_CONFIG', {configurable: true,
  set: function (v) { this.__yzMap = Object.assign({}, v, {townBudget: 0}); }, get: function () { return this.__yzMap; }});"""


def test_map_shows_towns_then_their_stations(open_context, split_site):
    context, _ = open_context(split_site)
    context.add_init_script(NO_BUDGET)
    page = context.new_page()
    goto(page, split_site)
    page.wait_for_selector("[data-map][data-towns]", state="attached")
    towns = int(page.get_attribute("[data-map]", "data-towns"))
    assert page.locator(".yz-town-marker").count() == towns > 1
    marker = page.locator(".yz-town-marker").first
    town = marker.get_attribute("title").split("：")[0]
    # A click loads that town's file and puts its stations in place of its marker. Sent to the
    # marker itself: on a busy machine the map's first fit can still be moving it under the pointer.
    marker.dispatch_event("click")
    members = [n for n, s in on_map().items() if s["town"] == town]
    page.wait_for_function("n => document.querySelector('[data-map]').getAttribute('data-markers') === String(n)",
                           arg=len(members))
    titles = page.locator(".yz-town-marker").evaluate_all("els => els.map(e => e.title)")
    assert len(titles) == towns - 1 and not any(t.startswith(town + "：") for t in titles)


def test_near_me_loads_only_the_nearest_towns(open_context, split_site):
    here = (36.0975, 103.6265)  # at the 中街社区 station, 临洮街街道
    context, _ = open_context(split_site, permissions=["geolocation"],
                              geolocation={"latitude": here[0], "longitude": here[1]})
    context.add_init_script(NO_BUDGET)  # the map itself loads no town, so every town file is near-me's
    page = context.new_page()
    town_files = []
    page.on("request", lambda r: town_files.append(r.url) if "/assets/yizhan/stations/" in r.url else None)
    goto(page, split_site)
    page.click("[data-near-me]")
    page.wait_for_selector("[data-near-list] li")
    names = page.locator("[data-near-list] .yz-card__name").all_inner_texts()
    assert names[0] == "临洮街街道中街社区小蜜蜂驿站"
    assert 0 < len(set(town_files)) <= 3
