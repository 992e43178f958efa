"""The real site offline: every page loads without errors or outside requests, the map has one marker
per station, and each station page carries parseable schema.org JSON-LD."""
from __future__ import annotations

import json

import pytest
import yaml
from yz_browser import ROOT, TILE_URL, count_map_markers, goto, wait_for_map


def stations() -> list[dict]:
    return [yaml.safe_load(p.read_text(encoding="utf-8"))
            for p in sorted((ROOT / "content" / "stations").glob("*.yaml"))]


def on_map() -> dict[str, dict]:
    """Stations the overview map must show: placed somewhere and not closed for good."""
    return {s["name"]: s for s in stations() if s.get("location") and s["status"] != "closed"}


def all_pages(site) -> list[str]:
    pages = ["", "stations/", "about/"]
    for section in ("stations", "kinds", "towns", "services", "policies"):
        pages += site.page_paths(section)
    return pages


def test_no_page_makes_outside_requests_or_console_errors(open_context, real_site):
    context, visit = open_context(real_site)
    page = context.new_page()
    pages = all_pages(real_site)
    assert len(pages) > 10
    for path in pages:
        goto(page, real_site, path)
        page.wait_for_timeout(150)  # let deferred scripts and map tiles start
    assert visit.problems() == []
    # Tiles were asked for (and blocked): the check above did see the map's traffic.
    assert any(TILE_URL.match(u) for u in visit.blocked)


def test_home_map_has_one_marker_per_station(page, real_site):
    expected = on_map()
    goto(page, real_site)
    wait_for_map(page, len(expected))
    assert count_map_markers(page) == len(expected)


def _titles_after_opening(page, real_site, cluster_index: int | None) -> set[str]:
    """Titles of the lone markers after clicking one top-level cluster and then every cluster inside it."""
    goto(page, real_site)
    wait_for_map(page)
    seen = set(page.locator(".yz-map .yz-marker").evaluate_all("els => els.map(e => e.title)"))
    if cluster_index is None:
        return seen
    page.locator(".yz-map .marker-cluster").nth(cluster_index).click()
    for _ in range(10):
        page.wait_for_timeout(700)  # zoom animation
        seen |= set(page.locator(".yz-map .yz-marker").evaluate_all("els => els.map(e => e.title)"))
        inner = page.locator(".yz-map .marker-cluster")
        if inner.count() == 0:
            break
        inner.first.click()
    return seen


def test_opening_clusters_reveals_every_station_exactly_once(page, real_site):
    expected = on_map()
    goto(page, real_site)
    wait_for_map(page, len(expected))
    clusters = page.locator(".yz-map .marker-cluster").count()
    seen = _titles_after_opening(page, real_site, None)
    for i in range(clusters):
        seen |= _titles_after_opening(page, real_site, i)
    assert seen == set(expected)


def test_marker_popup_names_and_links_the_station(page, real_site):
    expected = on_map()
    goto(page, real_site)
    wait_for_map(page, len(expected))
    marker = page.locator(".yz-map .yz-marker").first
    name = marker.get_attribute("title")
    marker.click()
    link = page.locator(".leaflet-popup-content .yz-popup a")
    link.wait_for()
    assert link.inner_text() == name
    with page.expect_navigation():  # "load" alone may be the home page's, before the click navigates
        link.click()
    assert page.inner_text("h1") == name


def test_station_pages_carry_civic_structure_json_ld(page, real_site):
    for st in stations():
        goto(page, real_site, f"stations/{st['id']}/")
        blocks = page.locator('script[type="application/ld+json"]').all_text_contents()
        assert len(blocks) == 1, st["id"]
        data = json.loads(blocks[0])
        assert data["@context"] == "https://schema.org"
        assert data["@type"] == "CivicStructure"
        assert data["identifier"] == st["id"]
        assert data["name"] == st["name"] == page.inner_text("h1")
        if st.get("location"):
            assert data["geo"]["latitude"] == st["location"]["lat"]
            assert data["geo"]["longitude"] == st["location"]["lon"]
        assert {a["name"] for a in data.get("amenityFeature", [])} == set(
            page.locator(".yz-amenities .yz-amenity span:not(.yz-icon)").all_inner_texts())


def test_station_page_map_has_its_one_marker(page, real_site):
    st = next(s for s in stations() if s.get("location"))
    goto(page, real_site, f"stations/{st['id']}/")
    page.wait_for_selector("[data-map='station'][data-markers='1']", state="attached")
    marker = page.locator(".yz-map .yz-marker")
    assert marker.count() == 1
    assert marker.get_attribute("title") == st["name"]


@pytest.mark.parametrize("path, icon", [("station", ".yz-amenities .yz-icon"), ("stations/", ".yz-card .yz-icon")])
def test_amenity_icons_are_drawn_from_the_shared_stylesheet(page, real_site, path, icon):
    st = next(s for s in stations() if s.get("amenities"))
    goto(page, real_site, f"stations/{st['id']}/" if path == "station" else path)
    el = page.locator(icon).first
    drawn = el.screenshot()
    el.evaluate("e => { e.style.backgroundColor = 'transparent'; }")
    blank = el.screenshot()
    el.evaluate("e => { e.style.backgroundColor = ''; e.style.webkitMask = e.style.mask = 'none'; }")
    square = el.screenshot()  # the text colour, unmasked
    # drawn, and in the icon's shape: the mask came from amenity-icons.css
    assert drawn != blank and drawn != square


def test_each_kinds_marker_is_drawn_in_its_shape_and_colour(page, real_site):
    """The home page lists every kind with its marker, masked by yizhan.css in the kind's colour."""
    kinds = {k["name"]: k for k in (yaml.safe_load(p.read_text(encoding="utf-8"))
                                    for p in sorted((ROOT / "content/kinds").glob("*.yaml")))}
    goto(page, real_site)
    shapes = page.locator(".yz-kinds .yz-shape")
    assert shapes.count() == len(kinds)
    seen = set()
    for el in shapes.all():
        name = el.locator("xpath=following-sibling::strong").inner_text()
        kind = kinds[name]
        color = el.evaluate("e => getComputedStyle(e).backgroundColor")
        r, g, b = (int(kind["color"][i:i + 2], 16) for i in (1, 3, 5))
        assert color == f"rgb({r}, {g}, {b})"
        drawn = el.screenshot()
        el.evaluate("e => { e.style.webkitMask = e.style.mask = 'none'; }")
        assert el.screenshot() != drawn  # the mask gave it its shape
        seen.add(kind["marker"])
    assert len(seen) == len(kinds)  # kinds differ in shape, not only colour
