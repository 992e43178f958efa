"""Every value from YAML is text wherever it lands: a site built from content whose every free-text
field is an XSS payload (see xss_content.py) runs no payload, and shows each one literally."""
from __future__ import annotations

import json

import pytest
from xss_content import PAYLOADS
from yz_browser import goto, wait_for_map

from generator.render.links import town_slug
from generator.render.pages import theme_text

SITE_NAME = "西固驿站"

# Anything a payload could have become: handlers, script URLs, frames, the <img src=x>, Markdown output,
# a script that mentions the payload's variable (JSON-LD holds it as data and is allowed).
UNSAFE_DOM = """() => {
  const bad = [];
  for (const el of document.querySelectorAll('*')) {
    for (const a of el.attributes) {
      if (/^on/i.test(a.name)) bad.push(`${el.tagName} has ${a.name}`);
      const url = /^(href|src|action|formaction|xlink:href)$/i.test(a.name);
      if (url && /^\\s*(javascript|data|vbscript):/i.test(a.value)) bad.push(`${el.tagName} ${a.name}=${a.value}`);
    }
    if (['IFRAME', 'OBJECT', 'EMBED', 'FRAME'].includes(el.tagName)) bad.push(el.tagName);
    if (el.tagName === 'IMG' && el.getAttribute('src') === 'x') bad.push('<img src=x>');
    const markup = ['EM', 'STRONG', 'B'].includes(el.tagName) && ['bold', 'b'].includes(el.textContent);
    if (markup) bad.push('markup from data');
    if (el.tagName === 'A' && el.textContent === 'link') bad.push('Markdown link from data');
  }
  for (const s of document.scripts)
    if (s.type !== 'application/ld+json' && /__xss/.test(s.textContent)) bad.push('script with payload');
  for (const a of document.querySelectorAll('a[href]')) {
    const scheme = new URL(a.href, location.href).protocol;
    if (!['http:', 'https:', 'tel:', 'mailto:'].includes(scheme)) bad.push(`link scheme ${scheme}`);
  }
  if (document.querySelectorAll('title').length !== 1) bad.push('extra <title>');
  return bad;
}"""


def expected_pages(data: dict) -> dict[str, tuple[str, str | None]]:
    """Site path → (h1 text, <title> text) for every page that shows a value from YAML."""
    pages = {"": ("西固驿站", None), "stations/": ("驿站名录", None)}
    for folder, field in (("stations", "name"), ("kinds", "name"), ("services", "name"), ("policies", "title")):
        for id_, doc in data[folder].items():
            pages[f"{folder}/{id_}/"] = (doc[field], doc[field])
    for town in {s["town"] for s in data["stations"].values()}:
        pages[f"towns/{town_slug(town)}/"] = (town, town)
    return pages


@pytest.fixture
def xss_page(open_context, xss_site):
    context, visit = open_context(xss_site, permissions=["geolocation"],
                                  geolocation={"latitude": 36.1, "longitude": 103.63})
    return context.new_page(), visit


def assert_inert(page, visit):
    assert page.evaluate("() => typeof window.__xss") == "undefined"
    assert page.evaluate(UNSAFE_DOM) == []
    assert visit.dialogs == []


def test_no_payload_runs_and_every_page_shows_its_text_literally(xss_page, xss_site, xss_content):
    page, visit = xss_page
    _, data = xss_content
    seen_text = []
    for path, (h1, title) in expected_pages(data).items():
        goto(page, xss_site, path)
        page.wait_for_timeout(100)
        assert_inert(page, visit)
        assert page.inner_text("h1") == h1, path
        if title is not None:
            assert page.title() == f"{theme_text(title)} - {SITE_NAME}", path
        seen_text.append(page.inner_text("body"))
    everything = "\n".join(seen_text)
    # Each payload reached some page and showed as the very characters typed ({{ 7*7 }} is not 49).
    for payload in PAYLOADS:
        assert payload in everything, payload


def test_station_page_fields_json_ld_and_meta_round_trip(xss_page, xss_site, xss_content):
    page, visit = xss_page
    _, data = xss_content
    for id_, st in data["stations"].items():
        goto(page, xss_site, f"stations/{id_}/")
        assert_inert(page, visit)
        description = page.locator(".yz-description")
        assert description.inner_text() == st["description"]
        assert description.evaluate("el => el.children.length") == 0  # never Markdown, never HTML
        if st.get("address"):
            assert st["address"] in page.inner_text(".yz-facts")
        ld = json.loads(page.locator('script[type="application/ld+json"]').text_content())
        assert ld["@type"] == "CivicStructure"
        assert ld["name"] == st["name"]
        assert ld["description"] == st["description"]
        assert ld["address"]["streetAddress"] == " ".join(
            x for x in (st["town"], st.get("community"), st.get("address")) if x)
        kind = data["kinds"][st["kind"]]["name"]
        meta = f"{kind} · {st['town']}" + (f" · {st['address']}" if st.get("address") else "")
        assert page.get_attribute("meta[name=description]", "content") == theme_text(meta)
        assert page.locator(".yz-map .yz-marker").get_attribute("title") == st["name"]


def test_map_popups_show_names_as_text(xss_page, xss_site, xss_content):
    page, visit = xss_page
    _, data = xss_content
    names = {s["name"] for s in data["stations"].values()}
    goto(page, xss_site)
    wait_for_map(page, len(names))
    markers = page.locator(".yz-map .yz-marker")
    assert markers.count() >= 1
    for i in range(min(markers.count(), 3)):
        marker = markers.nth(i)
        title = marker.get_attribute("title")
        assert title in names
        marker.click()
        popup = page.locator(".leaflet-popup-content .yz-popup")
        popup.wait_for()
        assert popup.locator("a").inner_text() == title
        assert popup.locator("img, svg, script, iframe").count() == 0
        assert_inert(page, visit)
        page.click(".leaflet-popup-close-button")
        popup.wait_for(state="detached")


def test_near_me_list_shows_names_as_text(xss_page, xss_site, xss_content):
    page, visit = xss_page
    _, data = xss_content
    goto(page, xss_site)
    page.click("[data-near-me]")
    page.wait_for_selector("[data-near-list] li")
    shown = page.locator("[data-near-list] .yz-card__name").all_inner_texts()
    assert shown and set(shown) <= {s["name"] for s in data["stations"].values()}
    assert_inert(page, visit)


@pytest.mark.parametrize("query", ["onerror", "script", "javascript", "srcdoc", "raw", "title"])
def test_search_results_show_payloads_as_text(xss_page, xss_site, query):
    page, visit = xss_page
    goto(page, xss_site, "search/?q=" + query)
    page.wait_for_selector("[data-search-results] li")
    page.wait_for_timeout(300)
    assert_inert(page, visit)
    shown = page.locator("[data-search-results]").inner_text()
    assert any(p.split("〔")[0] in shown for p in PAYLOADS if query in p)
