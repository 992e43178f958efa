"""Accessibility: axe-core finds nothing serious, body text is at least 16 px, the larger-text
toggle works and is remembered, focus is visible, and meaning is never carried by colour alone."""
from __future__ import annotations

import pytest
from axe_playwright_python.sync_playwright import Axe
from yz_browser import goto, wait_for_map

PAGES = ["", "stations/", "stations/zhongjie-xiaomifeng/"]
DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 375, "height": 740}

# Every element in the page body that holds text of its own and is visible; map chrome is not body text.
SMALL_TEXT = """() => {
  const small = [];
  for (const el of document.querySelectorAll('.md-content *')) {
    if (!el.offsetParent || el.closest('.leaflet-control-container, code, pre')) continue;
    if (![...el.childNodes].some(n => n.nodeType === 3 && n.textContent.trim())) continue;
    const size = parseFloat(getComputedStyle(el).fontSize);
    if (size < 16) small.push(`${el.tagName}.${el.className} ${size}px: ${el.textContent.trim().slice(0, 20)}`);
  }
  return small;
}"""


def font_px(page, selector: str) -> float:
    return page.eval_on_selector(selector, "el => parseFloat(getComputedStyle(el).fontSize)")


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", PAGES, ids=["home", "directory", "station"])
def test_axe_finds_no_serious_or_critical_violations(open_context, real_site, path, viewport):
    context, _ = open_context(real_site, viewport=viewport)
    page = goto(context.new_page(), real_site, path)
    if path == "":
        wait_for_map(page)
    result = Axe().run(page)
    bad = [(v["id"], v["impact"], [n["target"] for n in v["nodes"]][:3])
           for v in result.response["violations"] if v["impact"] in ("serious", "critical")]
    assert bad == [], result.generate_report()


@pytest.mark.parametrize("path", ["stations/", "stations/test-weekday/", "stations/test-closed/",
                                  "stations/test-nowhere/"])
def test_axe_passes_on_hours_states_and_closed_station(open_context, hours_site, path):
    context, _ = open_context(hours_site)
    context.clock.set_fixed_time("2026-10-01T10:00:00+08:00")  # a holiday: every badge has a reason
    page = goto(context.new_page(), hours_site, path)
    result = Axe().run(page)
    assert [v["id"] for v in result.response["violations"] if v["impact"] in ("serious", "critical")] == []


def test_axe_passes_with_larger_text(page, real_site):
    goto(page, real_site, "stations/")
    page.click("[data-text-size]")
    result = Axe().run(page)
    assert [v["id"] for v in result.response["violations"] if v["impact"] in ("serious", "critical")] == []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", PAGES, ids=["home", "directory", "station"])
def test_body_text_is_at_least_16px(open_context, real_site, path, viewport):
    context, _ = open_context(real_site, viewport=viewport)
    page = goto(context.new_page(), real_site, path)
    assert page.evaluate(SMALL_TEXT) == []
    assert font_px(page, ".md-typeset p") >= 16


def test_larger_text_toggle_enlarges_text_and_is_remembered(page, real_site):
    goto(page, real_site, "stations/zhongjie-xiaomifeng/")
    toggle = page.locator("[data-text-size]")
    assert toggle.get_attribute("aria-pressed") == "false"
    normal = font_px(page, ".md-typeset p")
    toggle.click()
    assert toggle.get_attribute("aria-pressed") == "true"
    large = font_px(page, ".md-typeset p")
    assert large >= normal * 1.2

    page.reload()  # remembered on this page ...
    assert page.locator("[data-text-size]").get_attribute("aria-pressed") == "true"
    assert font_px(page, ".md-typeset p") == large
    goto(page, real_site, "stations/")  # ... and on the next one
    assert page.locator("[data-text-size]").get_attribute("aria-pressed") == "true"
    assert font_px(page, ".md-typeset p") >= normal * 1.2

    page.click("[data-text-size]")  # and switching back is remembered too
    page.reload()
    assert page.locator("[data-text-size]").get_attribute("aria-pressed") == "false"
    assert font_px(page, ".md-typeset p") == normal


def test_larger_text_toggle_is_a_keyboard_reachable_button(page, real_site):
    goto(page, real_site)
    for _ in range(15):
        page.keyboard.press("Tab")
        if page.evaluate("() => document.activeElement.hasAttribute('data-text-size')"):
            break
    else:
        pytest.fail("Tab never reached the larger-text button")
    before = font_px(page, ".md-typeset p")
    page.keyboard.press("Enter")
    assert font_px(page, ".md-typeset p") > before


def test_keyboard_focus_is_visible(page, real_site):
    goto(page, real_site, "stations/")
    page.focus("[data-filter=kind]")
    page.keyboard.press("Shift+Tab")
    page.keyboard.press("Tab")  # focus by keyboard, so :focus-visible applies
    style = page.eval_on_selector("[data-filter=kind]", "el => getComputedStyle(el).outlineStyle + ' ' + "
                                  "getComputedStyle(el).outlineWidth")
    assert not style.startswith("none") and not style.endswith(" 0px"), style


def test_map_legend_names_every_marker_shape(page, real_site):
    goto(page, real_site)
    entries = page.locator(".yz-map-legend > span")
    assert entries.count() >= 1
    for i in range(entries.count()):
        entry = entries.nth(i)
        assert entry.locator(".yz-shape").count() == 1
        assert entry.inner_text().strip()  # a word next to every coloured shape


def test_open_state_is_told_by_words_and_symbols_not_colour(open_context, hours_site):
    context, _ = open_context(hours_site)
    context.clock.set_fixed_time("2026-09-16T10:00:00+08:00")
    page = goto(context.new_page(), hours_site, "stations/")
    seen = {}
    for badge in page.locator(".yz-card [data-hours][data-state]").all():
        state = badge.get_attribute("data-state")
        marker = badge.evaluate("el => getComputedStyle(el, '::before').content")
        seen.setdefault(state, set()).add((marker, badge.inner_text().split(" ")[0]))
    assert {"open", "closed", "unknown"} <= set(seen)
    symbols = {state: {m for m, _ in v} for state, v in seen.items()}
    words = {state: {w for _, w in v} for state, v in seen.items()}
    assert all(len(s) == 1 and s != {"none"} for s in symbols.values()), symbols
    assert len({next(iter(s)) for s in symbols.values()}) == len(symbols)  # one symbol per state
    assert not set.intersection(*words.values())  # and different words


def test_download_file_names_stay_whole_on_a_phone(open_context, real_site):
    # At phone width the downloads table broke its file names mid-word (stati / ons.c / sv).
    context, _ = open_context(real_site, viewport=PHONE)
    page = goto(context.new_page(), real_site, "data/")
    lines = page.eval_on_selector_all(".yz-downloads code",
                                      "codes => codes.map(c => [c.textContent, c.getClientRects().length])")
    assert "stations.csv" in dict(lines) and [name for name, n in lines if n != 1] == []
    shown = page.eval_on_selector(".yz-downloads", "t => [...t.querySelectorAll('th')].filter(th => th.offsetParent)"
                                                   ".map(th => th.textContent)")
    assert shown == ["文件File", "内容Contents", "大小Size", "行数Rows"]  # format and date give way
