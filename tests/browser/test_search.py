"""Search through Pagefind's chunked index: Chinese words a visitor would type find the right station.

Pagefind segments Chinese at build time (the extended binary); in the browser it
downloads only the index chunks for the typed words. The search page reads ?q=,
and typing in the box searches as well.
"""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import quote, unquote, urlsplit

import pytest
from yz_browser import ROOT, goto

from generator.bench.weight import read_pagefind
from generator.shell import SLOT_ID


def wait_for_answer(page) -> None:
    page.wait_for_function(
        "() => /找到|没有找到|无法使用/.test(document.querySelector('[data-search-status]').textContent)",
        timeout=15000)
    status = page.locator("[data-search-status]").inner_text()
    if "找到 " in status:
        page.wait_for_selector("[data-search-results] li a")


def result_paths(page) -> list[str]:
    hrefs = page.locator("[data-search-results] li > a").evaluate_all("els => els.map(a => a.href)")
    paths = []
    for href in hrefs:
        path = unquote(urlsplit(href).path).lstrip("/")
        if path not in paths:
            paths.append(path)
    return paths


def search(page, site, query: str) -> list[str]:
    """Site paths of the first page of results, best first."""
    goto(page, site, "search/?q=" + quote(query))
    wait_for_answer(page)
    return result_paths(page)


@pytest.mark.parametrize("query, station", [
    ("充电", "zhongjie-xiaomifeng"),
    ("零工", "chenping-linggong"),
    ("调解", "xiliugou-jiefen"),
    ("老年", "liuquan-yinling"),
    ("中街社区", "zhongjie-xiaomifeng"),   # a community
    ("环形东路", "chenping-linggong"),     # a street in an address
    ("柳泉镇", "liuquan-yinling"),         # a town
    ("心愿", "xiliugou-xinyuan"),
])
def test_chinese_word_finds_station(page, real_site, query, station):
    assert f"stations/{station}/" in search(page, real_site, query)


def test_more_results_button_shows_only_while_there_are_more(page, real_site):
    more = page.locator("[data-search-more]")
    search(page, real_site, "驿站")  # dozens of pages: ten at a time
    assert len(result_paths(page)) == 10 and more.is_visible()
    more.click()
    page.wait_for_function("() => document.querySelectorAll('[data-search-results] li').length > 10")
    search(page, real_site, "西固")  # a handful: all shown at once, nothing more to ask for
    assert 0 < len(result_paths(page)) < 10 and not more.is_visible()


def test_search_with_fullwidth_punctuation_still_finds(page, real_site):
    assert "stations/xiliugou-jiefen/" in search(page, real_site, "（调解）")
    assert "stations/chenping-linggong/" in search(page, real_site, "零工：")


def test_search_without_match_says_so(page, real_site):
    assert search(page, real_site, "潜水艇") == []
    assert "没有找到" in page.locator("[data-search-status]").inner_text()


def test_home_page_box_leads_to_results(page, real_site):
    goto(page, real_site)
    page.fill("#yz-q", "调解")
    page.press("#yz-q", "Enter")
    page.wait_for_url("**/search/?q=*")
    wait_for_answer(page)
    assert "stations/xiliugou-jiefen/" in result_paths(page)


def test_typing_on_search_page_searches(page, real_site):
    goto(page, real_site, "search/")
    page.fill("#yz-q", "零工")  # fill sends an input event, as a finished IME composition does
    wait_for_answer(page)
    assert "stations/chenping-linggong/" in result_paths(page)
    excerpt = page.locator("[data-search-results] li p").first
    assert excerpt.locator("mark").count() >= 1  # the hit is highlighted


def test_result_links_open_their_pages(page, real_site):
    first = search(page, real_site, "充电")[0]
    with page.expect_navigation():
        page.locator("[data-search-results] li > a").first.click()
    assert unquote(urlsplit(page.url).path).lstrip("/") == first and page.locator("h1").count() == 1


def test_phone_number_finds_station(open_context, hours_site):
    context, _ = open_context(hours_site)
    page = context.new_page()
    assert "stations/test-weekday/" in search(page, hours_site, "0931-7512345")
    assert "stations/test-weekday/" in search(page, hours_site, "7512345")


@pytest.fixture(scope="module")
def parted_site(built_sites):
    """The real content with its search index in parts of at most three pages."""
    return built_sites("search-parts", lambda base: ROOT / "content", plugin_options="search_part_pages: 3")


def indexed_urls(part: Path) -> set[str]:
    """The page URLs one Pagefind bundle holds: one JSON fragment per page."""
    return {json.loads(read_pagefind(f))["url"] for f in (part / "fragment").glob("*.pf_fragment")}


def test_index_in_parts_still_finds_every_station(open_context, parted_site):
    root = parted_site.root
    listed = json.loads((root / "pagefind" / "yizhan-parts.json").read_text(encoding="utf-8"))
    parts = [root / "pagefind"] + [root / "pagefind" / folder for folder in listed]
    assert len(parts) >= 3
    urls = [indexed_urls(part) for part in parts]
    stations = {f"/stations/{p.name}/" for p in (root / "stations").iterdir() if (p / "index.html").exists()}
    assert len(stations) >= 5
    for url in stations:  # every station in exactly one part
        assert sum(url in u for u in urls) == 1, url
    # the first parts are indexed while the station shell's page is in the site: never the shell
    assert not [url for u in urls for url in u if SLOT_ID in url]
    part_of = {url: n for n, u in enumerate(urls) for url in u}
    context, _ = open_context(parted_site)
    page = context.new_page()
    found_in = set()
    for query, station in [("零工", "chenping-linggong"), ("老年", "liuquan-yinling"), ("调解", "xiliugou-jiefen"),
                           ("心愿", "xiliugou-xinyuan"), ("充电", "zhongjie-xiaomifeng")]:
        assert f"stations/{station}/" in search(page, parted_site, query)
        found_in.add(part_of[f"/stations/{station}/"])
    assert len(found_in) >= 2  # the stations found were indexed in different parts
    assert any(p.startswith("policies/") for p in search(page, parted_site, "人民调解法"))


def test_station_section_headings_and_labels_are_not_indexed(real_site):
    # the same words on every station page would match them all, and cost indexing time
    fragments = [json.loads(read_pagefind(f)) for f in (real_site.root / "pagefind" / "fragment").glob("*.pf_fragment")]
    station = next(f for f in fragments if f["url"] == "/stations/zhongjie-xiaomifeng/")
    text = station["content"].replace("\u200b", "")
    assert "中街社区" in text and "快递一条街" in text and "充电宝" in text  # name, description
    for label in ("开放时间", "地址与位置", "来源与核实", "管理单位", "设施"):
        assert label not in text, label
