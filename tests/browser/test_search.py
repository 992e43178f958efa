"""mkdocs-material's search with Chinese text: words a visitor would type find the right station.

The index is segmented by jieba at build time; in the browser material splits a
typed Chinese run into words it finds in that index. Material reads the query on
keyup, which Playwright's insertText for CJK characters does not send, so the
helper fills the box and then presses End, as an IME's final keystroke would.
"""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from yz_browser import goto


def search(page, site, query: str) -> list[str]:
    """Site paths (no query string or fragment) of the result pages, best first."""
    goto(page, site, "about/")
    box = page.locator("[data-md-component=search-query]")
    box.click()
    box.fill(query)
    box.press("End")
    meta = page.locator(".md-search-result__meta")
    page.wait_for_function(
        "() => document.querySelector('.md-search-result__list').children.length > 0"
        " || /没有/.test(document.querySelector('.md-search-result__meta').textContent)", timeout=10000)
    hrefs = page.locator(".md-search-result__item > a").evaluate_all("els => els.map(a => a.href)")
    assert meta.inner_text()  # "n 个符合条件的结果" or "没有找到符合条件的结果"
    paths = []
    for href in hrefs:
        path = unquote(urlsplit(href).path).lstrip("/")
        if path not in paths:
            paths.append(path)
    return paths


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


def test_search_with_fullwidth_punctuation_still_finds(page, real_site):
    # Full-width brackets and colons are separators, not part of a word.
    assert "stations/xiliugou-jiefen/" in search(page, real_site, "（调解）")
    assert "stations/chenping-linggong/" in search(page, real_site, "零工：")


def test_search_without_match_says_so(page, real_site):
    assert search(page, real_site, "潜水艇") == []


def test_phone_number_finds_station(open_context, hours_site):
    context, _ = open_context(hours_site)
    page = context.new_page()
    assert "stations/test-weekday/" in search(page, hours_site, "0931-7512345")
    assert "stations/test-weekday/" in search(page, hours_site, "7512345")
