"""Lists too long for a phone (over `list_max` stations): town links with the group as a filter.

The real content is built with list_max 0, so every kind, service and policy page
takes the path that a province's thousands of stations per kind would.
"""
from __future__ import annotations

from urllib.parse import unquote, urlsplit

import pytest
from yz_browser import ROOT, goto

from test_directory import visible_ids


@pytest.fixture(scope="module")
def large_site(built_sites):
    return built_sites("large-lists", lambda base: ROOT / "content", plugin_options="list_max: 0")


@pytest.fixture
def large_page(open_context, large_site):
    context, _ = open_context(large_site)
    return context.new_page()


def test_directory_lists_no_cards_and_points_to_towns(large_page, large_site):
    goto(large_page, large_site, "stations/")
    assert large_page.locator(".yz-card").count() == 0
    assert "太多了" in large_page.locator(".yz-directory").inner_text()
    towns = large_page.locator("#towns + ul a").evaluate_all("els => els.map(a => a.textContent)")
    assert sorted(towns) == ["临洮街街道", "柳泉镇", "西柳沟街道", "陈坪街道"]


def test_kind_page_link_opens_its_town_filtered_to_the_kind(large_page, large_site):
    goto(large_page, large_site, "kinds/jiefen/")
    assert large_page.locator(".yz-card").count() == 0
    link = large_page.locator(".yz-group .yz-columns a", has_text="西柳沟街道")
    assert unquote(urlsplit(link.get_attribute("href")).query) == "kind=jiefen"
    with large_page.expect_navigation():
        link.click()
    assert unquote(urlsplit(large_page.url).path).endswith("/towns/西柳沟街道/")
    # 西柳沟街道 has a 解纷驿站 and a 心愿驿站: the filter, preset from the link, shows only the first
    assert large_page.locator("select[data-filter=kind]").input_value() == "jiefen"
    assert visible_ids(large_page) == ["xiliugou-jiefen"]
    large_page.select_option("select[data-filter=kind]", "")
    assert sorted(visible_ids(large_page)) == ["xiliugou-jiefen", "xiliugou-xinyuan"]


def test_service_page_link_filters_the_town_by_service(large_page, large_site):
    goto(large_page, large_site, "services/wish-claiming/")
    link = large_page.locator(".yz-group .yz-columns a").first
    assert unquote(urlsplit(link.get_attribute("href")).query) == "services=wish-claiming"
    with large_page.expect_navigation():
        link.click()
    assert visible_ids(large_page) == ["xiliugou-xinyuan"]


def test_unknown_filter_value_in_the_address_is_ignored(large_page, large_site):
    goto(large_page, large_site, "towns/西柳沟街道/?kind=<script>")
    assert large_page.locator("select[data-filter=kind]").input_value() == ""
    assert sorted(visible_ids(large_page)) == ["xiliugou-jiefen", "xiliugou-xinyuan"]
