"""“营业中” with the clock frozen, on real built pages of the hours fixture site.

The fixture is built on 2026-09-15 (SOURCE_DATE_EPOCH), so the build computed the
holidays of the next 60 days: Mid-autumn 09-25..27, National Day 10-01..07 and
the 调休 working days Sunday 09-20 and Saturday 10-10. The browser's clock is
frozen at instants in that window; the badge must speak Beijing time whatever the
visitor's own time zone is.
"""
from __future__ import annotations

import pytest
from yz_browser import goto, wait_for_map

WEDNESDAY = "2026-09-16"
UNKNOWN = "营业时间未知，请致电确认"

# (instant, station, badge text, state)
CASES = [
    # an ordinary Wednesday morning
    (f"{WEDNESDAY}T10:00:00+08:00", "test-weekday", "营业中 · 12:00 关门", "open"),
    (f"{WEDNESDAY}T10:00:00+08:00", "test-night", "已关门 · 20:00 开门", "closed"),
    (f"{WEDNESDAY}T10:00:00+08:00", "test-always", "24 小时营业", "open"),
    (f"{WEDNESDAY}T10:00:00+08:00", "test-unknown", UNKNOWN, "unknown"),
    # lunch break, 30 minutes before closing, and one minute before that
    (f"{WEDNESDAY}T13:00:00+08:00", "test-weekday", "已关门 · 14:30 开门", "closed"),
    (f"{WEDNESDAY}T17:30:00+08:00", "test-weekday", "即将关门（30 分钟内）· 18:00 关门", "closing-soon"),
    (f"{WEDNESDAY}T17:29:00+08:00", "test-weekday", "营业中 · 18:00 关门", "open"),
    # 23:59 and 00:01 around midnight, with a shift that runs past it
    (f"{WEDNESDAY}T23:59:00+08:00", "test-night", "营业中 · 明天 02:00 关门", "open"),
    (f"{WEDNESDAY}T23:59:00+08:00", "test-weekday", "已关门 · 明天 08:30 开门", "closed"),
    ("2026-09-17T00:01:00+08:00", "test-night", "营业中 · 02:00 关门", "open"),
    ("2026-09-17T00:01:00+08:00", "test-weekday", "已关门 · 08:30 开门", "closed"),
    ("2026-09-17T01:45:00+08:00", "test-night", "即将关门（30 分钟内）· 02:00 关门", "closing-soon"),
    ("2026-09-17T00:01:00+08:00", "test-always", "24 小时营业", "open"),
    # National Day: "PH off" closes; hours that do not mention holidays are a stated guess
    ("2026-10-01T10:00:00+08:00", "test-weekday", "已关门 · 10月8日 08:30 开门 · 国庆节休息", "closed"),
    ("2026-10-01T10:00:00+08:00", "test-nowhere", "营业中 · 17:00 关门 · 国庆节，节假日是否开放未说明", "open"),
    ("2026-10-01T10:00:00+08:00", "test-always", "24 小时营业", "open"),
    ("2026-10-01T10:00:00+08:00", "test-unknown", UNKNOWN, "unknown"),
    # the last day of National Day: closed, opens the next morning
    ("2026-10-07T20:00:00+08:00", "test-weekday", "已关门 · 明天 08:30 开门 · 国庆节休息", "closed"),
    # 调休: Saturday 10-10 and Sunday 09-20 are working days
    ("2026-10-10T09:00:00+08:00", "test-weekday", "营业中 · 12:00 关门 · 调休上班", "open"),
    ("2026-09-20T09:00:00+08:00", "test-weekday", "营业中 · 12:00 关门 · 调休上班", "open"),
    ("2026-09-19T09:00:00+08:00", "test-weekday", "已关门 · 明天 08:30 开门", "closed"),  # the Saturday before
    # a station closed for good never reads "营业中", whatever its hours say
    (f"{WEDNESDAY}T10:00:00+08:00", "test-closed", "已关闭", "closed"),
    (f"{WEDNESDAY}T10:00:00+08:00", "test-paused", "暂停开放", "closed"),
]


@pytest.fixture
def at(open_context, hours_site):
    """at(instant, tz) → a page on the hours site whose clock is frozen at that instant."""

    def make(instant: str, timezone_id: str = "Asia/Shanghai"):
        context, _ = open_context(hours_site, timezone_id=timezone_id)
        context.clock.set_fixed_time(instant)
        return context.new_page()

    return make


def badge(page):
    el = page.locator(".yz-hours-now .yz-badge")
    return el.inner_text(), el.get_attribute("data-state")


@pytest.mark.parametrize("instant, station, text, state", CASES,
                         ids=[f"{c[1]}@{c[0][:16]}" for c in CASES])
def test_station_page_badge(at, hours_site, instant, station, text, state):
    page = goto(at(instant), hours_site, f"stations/{station}/")
    assert badge(page) == (text, state)


@pytest.mark.parametrize("timezone_id", ["America/New_York", "Europe/London", "Pacific/Auckland"])
def test_badge_speaks_beijing_time_in_any_visitor_time_zone(at, hours_site, timezone_id):
    page = goto(at("2026-09-16T17:30:00+08:00", timezone_id), hours_site, "stations/test-weekday/")
    assert badge(page) == ("即将关门（30 分钟内）· 18:00 关门", "closing-soon")
    assert page.locator(".yz-week tr.yz-today").get_attribute("data-weekday") == "2"  # Wednesday in Beijing


def test_week_table_marks_today(at, hours_site):
    page = goto(at("2026-09-20T09:00:00+08:00"), hours_site, "stations/test-weekday/")
    today = page.locator(".yz-week tr[aria-current=date]")
    assert today.count() == 1
    assert today.get_attribute("data-weekday") == "6"  # Sunday
    assert "今天" in today.locator("th").evaluate("el => getComputedStyle(el, '::after').content")


def test_station_page_lists_the_holidays_of_the_build_window(at, hours_site):
    page = goto(at("2026-09-16T10:00:00+08:00"), hours_site, "stations/test-weekday/")
    days = page.locator(".yz-upcoming time").evaluate_all("els => els.map(e => e.getAttribute('datetime'))")
    assert {"2026-09-20", "2026-10-01", "2026-10-07", "2026-10-10"} <= set(days)
    assert "国庆节" in page.inner_text(".yz-upcoming")


def test_badge_changes_as_time_passes(open_context, hours_site):
    context, _ = open_context(hours_site)
    context.clock.install(time="2026-09-16T17:29:00+08:00")
    page = goto(context.new_page(), hours_site, "stations/test-weekday/")
    assert badge(page) == ("营业中 · 18:00 关门", "open")
    page.clock.run_for("02:00")  # the once-a-minute refresh notices 17:31 without a reload
    assert badge(page) == ("即将关门（30 分钟内）· 18:00 关门", "closing-soon")
    page.clock.run_for("30:00")
    assert badge(page) == ("已关门 · 明天 08:30 开门", "closed")


OPEN_NOW = [
    (f"{WEDNESDAY}T10:00:00+08:00", ["test-always", "test-nowhere", "test-weekday"]),
    (f"{WEDNESDAY}T23:59:00+08:00", ["test-always", "test-night"]),
    ("2026-10-01T10:00:00+08:00", ["test-always", "test-nowhere"]),
    ("2026-10-10T09:00:00+08:00", ["test-always", "test-weekday"]),
]


@pytest.mark.parametrize("instant, expected", OPEN_NOW, ids=[c[0][:16] for c in OPEN_NOW])
def test_directory_open_now_filter(at, hours_site, instant, expected):
    page = goto(at(instant), hours_site, "stations/")
    everyone = page.locator(".yz-list > .yz-card").count()
    page.check("[data-filter-open]")
    shown = page.locator(".yz-list > .yz-card:visible").evaluate_all("els => els.map(e => e.dataset.id)")
    assert sorted(shown) == expected
    assert page.inner_text("[data-result-count]") == f"共 {len(expected)} 处驿站（已筛选，全部 {everyone} 处）"
    page.select_option("[data-filter=amenities]", "microwave")  # combines with the other filters
    assert sorted(page.locator(".yz-list > .yz-card:visible").evaluate_all("els => els.map(e => e.dataset.id)")) \
        == [i for i in expected if i in ("test-always", "test-weekday")]
    page.uncheck("[data-filter-open]")
    page.select_option("[data-filter=amenities]", "")
    assert page.locator(".yz-list > .yz-card:visible").count() == everyone


# On the map: stations with a location that are not closed for good (the paused one included).
ON_MAP = {"test-weekday", "test-night", "test-always", "test-unknown", "test-paused"}


@pytest.mark.parametrize("instant, expected", OPEN_NOW, ids=[c[0][:16] for c in OPEN_NOW])
def test_home_map_open_only_toggle(at, hours_site, instant, expected):
    page = goto(at(instant), hours_site)
    wait_for_map(page, len(ON_MAP))
    page.check("[data-map-open-only]")
    wait_for_map(page, len(set(expected) & ON_MAP))
    names = set(page.locator(".yz-map .yz-marker").evaluate_all("els => els.map(e => e.title)"))
    clustered = sum(int(t) for t in page.locator(".yz-map .marker-cluster").all_inner_texts())
    assert len(names) + clustered == len(set(expected) & ON_MAP)
    assert all(n.startswith("测试驿站") for n in names)
    page.uncheck("[data-map-open-only]")
    wait_for_map(page, len(ON_MAP))


def test_map_popup_shows_live_badge_and_paused_status(at, hours_site):
    page = goto(at(f"{WEDNESDAY}T10:00:00+08:00"), hours_site)
    wait_for_map(page, len(ON_MAP))
    for name, text in (("测试驿站·工作日", "营业中 · 12:00 关门"), ("测试驿站·暂停", "暂停开放")):
        marker = page.locator(f".yz-map .yz-marker[title='{name}']")
        marker.click()
        popup = page.locator(".leaflet-popup-content .yz-popup")
        popup.wait_for()
        assert popup.locator("a").inner_text() == name
        assert popup.locator(".yz-badge").inner_text() == text
        page.click(".leaflet-popup-close-button")
        popup.wait_for(state="detached")
