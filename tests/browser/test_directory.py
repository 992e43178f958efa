"""The directory (stations/): filters by amenity, kind and town, sorts by distance, works from the keyboard."""
from __future__ import annotations

import math

import pytest
import yaml
from yz_browser import ROOT, goto

STATIONS = [yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "content" / "stations").glob("*.yaml"))]


def visible_ids(page) -> list[str]:
    return page.locator(".yz-list > .yz-card:visible").evaluate_all("els => els.map(e => e.dataset.id)")


def choose(page, name: str, value: str):
    page.select_option(f"[data-filter={name}]", value)


def test_amenity_filter_shows_exactly_the_stations_with_that_amenity(page, real_site):
    goto(page, real_site, "stations/")
    choose(page, "amenities", "microwave")
    assert visible_ids(page) == [s["id"] for s in STATIONS if "microwave" in s.get("amenities", [])]
    assert visible_ids(page)  # the real content has a station with a microwave
    assert "已筛选" in page.inner_text("[data-result-count]")


def test_every_amenity_kind_and_town_option_filters_correctly(page, real_site):
    goto(page, real_site, "stations/")
    checks = {
        "amenities": lambda s, v: v in s.get("amenities", []),
        "services": lambda s, v: v in s.get("services", []),
        "kind": lambda s, v: s["kind"] == v,
        "town": lambda s, v: s["town"] == v,
    }
    for name, has in checks.items():
        values = page.locator(f"[data-filter={name}] option").evaluate_all("os => os.map(o => o.value)")
        assert values[0] == "" and len(values) > 1
        for value in values[1:]:
            choose(page, name, value)
            assert visible_ids(page) == [s["id"] for s in STATIONS if has(s, value)], (name, value)
            shown = len(visible_ids(page))
            assert page.inner_text("[data-result-count]").startswith(f"共 {shown} 处驿站")
        choose(page, name, "")
    assert len(visible_ids(page)) == len(STATIONS)


def test_filters_combine(page, real_site):
    goto(page, real_site, "stations/")
    choose(page, "amenities", "microwave")
    choose(page, "kind", "yinling")
    assert visible_ids(page) == []
    assert page.inner_text("[data-result-count]").startswith("共 0 处驿站")


def metres(lat1, lon1, lat2, lon2) -> float:
    p1, p2, dp, dl = map(math.radians, (lat1, lat2, lat2 - lat1, lon2 - lon1))
    h = math.sin(dp / 2) ** 2 + math.cos(p1) * math.cos(p2) * math.sin(dl / 2) ** 2
    return 2 * 6371000 * math.asin(math.sqrt(h))


@pytest.mark.parametrize("here", [(36.057, 103.566), (36.083, 103.70), (36.116, 103.5817)])
def test_sort_by_distance_puts_the_nearest_first(open_context, real_site, here):
    context, _ = open_context(real_site, permissions=["geolocation"],
                              geolocation={"latitude": here[0], "longitude": here[1]})
    page = goto(context.new_page(), real_site, "stations/")
    page.click("[data-sort-distance]")
    page.wait_for_function("() => document.querySelector('.yz-card [data-distance]').textContent !== ''")
    placed = [s for s in STATIONS if s.get("location")]
    expected = sorted(placed, key=lambda s: metres(*here, s["location"]["lat"], s["location"]["lon"]))
    order = visible_ids(page)
    assert order[:len(expected)] == [s["id"] for s in expected]
    first = page.locator(".yz-list > .yz-card").first
    assert "约" in first.locator("[data-distance]").inner_text()
    distances = page.locator(".yz-list > .yz-card").evaluate_all(
        "els => els.map(e => parseFloat(e.getAttribute('data-distance-m')))")
    assert distances == sorted(distances)


def test_sort_by_distance_without_permission_explains(open_context, real_site):
    context, _ = open_context(real_site)  # geolocation not granted
    page = goto(context.new_page(), real_site, "stations/")
    before = visible_ids(page)
    page.click("[data-sort-distance]")
    page.wait_for_function("() => /无法|不能/.test(document.querySelector('[data-result-count]').textContent)")
    assert visible_ids(page) == before


def test_keyboard_reaches_every_filter(page, real_site):
    goto(page, real_site, "stations/")
    targets = page.locator("[data-filters] select, [data-filters] input, [data-filters] button").count()
    reached = set()
    for _ in range(60):
        page.keyboard.press("Tab")
        el = page.evaluate("() => { const a = document.activeElement; return a && a.closest('[data-filters]') ?"
                           " (a.getAttribute('data-filter') || a.outerHTML.slice(0, 40)) : null }")
        if el:
            reached.add(el)
        if len(reached) == targets:
            break
    assert len(reached) == targets, reached
    # and a filter works from the keyboard alone
    page.focus("[data-filter=amenities]")
    page.keyboard.press("ArrowDown")
    assert page.eval_on_selector("[data-filter=amenities]", "s => s.value") != ""
    assert len(visible_ids(page)) < len(STATIONS)
