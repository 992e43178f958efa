"""hours.js in a real browser, fed with JSON from the Python compiler."""
from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest

from generator.hours import build_calendar, compile_hours

SCRIPT = Path(__file__).resolve().parents[2] / "generator" / "assets" / "js" / "hours.js"
TODAY = date(2026, 9, 15)
OFFICE = "Mo-Fr 08:30-12:00,14:30-18:00; PH off"
NIGHT = "Mo-Su 20:00-02:00"


def compact(text):
    return compile_hours(text, build_calendar(), TODAY).to_json()


@pytest.fixture(scope="module")
def page(browser):
    # The visitor's clock is in New York: the badge must still speak Beijing time.
    context = browser.new_context(timezone_id="America/New_York")
    page = context.new_page()
    page.goto("about:blank")
    page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
    yield page
    context.close()


def evaluate(page, hours, iso):
    return page.evaluate("([c, iso]) => YizhanHours.evaluate(c, new Date(iso))", [hours, iso])


def test_weekday_afternoon_open(page):
    r = evaluate(page, compact(OFFICE), "2026-09-16T15:00:00+08:00")
    assert r["state"] == "open"
    assert r["label"] == "营业中 · 18:00 关门"
    assert r["closesAt"] == "2026-09-16T18:00:00+08:00"
    assert r["reason"] is None and r["fallback"] is False


def test_closing_soon(page):
    r = evaluate(page, compact(OFFICE), "2026-09-16T17:35:00+08:00")
    assert r["state"] == "closing-soon"
    assert r["label"] == "即将关门（30 分钟内）· 18:00 关门"
    assert evaluate(page, compact(OFFICE), "2026-09-16T11:50:00+08:00")["label"] == "即将关门（30 分钟内）· 12:00 关门"


def test_lunch_break_then_next_days(page):
    hours = compact(OFFICE)
    assert evaluate(page, hours, "2026-09-16T13:00:00+08:00")["label"] == "已关门 · 14:30 开门"
    assert evaluate(page, hours, "2026-10-15T19:00:00+08:00")["label"] == "已关门 · 明天 08:30 开门"
    r = evaluate(page, hours, "2026-10-16T19:00:00+08:00")  # an ordinary Friday evening
    assert r["state"] == "closed" and r["label"] == "已关门 · 周一 08:30 开门"
    assert r["nextOpen"] == "2026-10-19T08:30:00+08:00"
    # the Friday before National Day: Sunday 20 September is a 调休 working day
    assert evaluate(page, hours, "2026-09-18T19:00:00+08:00")["label"] == "已关门 · 周日 08:30 开门"


def test_past_midnight(page):
    hours = compact(NIGHT)
    r = evaluate(page, hours, "2026-11-16T23:59:00+08:00")  # Monday
    assert r["state"] == "open" and r["label"] == "营业中 · 明天 02:00 关门"
    assert r["closesAt"] == "2026-11-17T02:00:00+08:00"
    r = evaluate(page, hours, "2026-11-17T00:01:00+08:00")  # inside Monday's shift
    assert r["state"] == "open" and r["label"] == "营业中 · 02:00 关门"
    assert evaluate(page, hours, "2026-11-17T01:45:00+08:00")["state"] == "closing-soon"
    assert evaluate(page, hours, "2026-11-17T03:00:00+08:00")["label"] == "已关门 · 20:00 开门"


def test_statutory_holiday_closed(page):
    r = evaluate(page, compact(OFFICE), "2026-10-01T10:00:00+08:00")
    assert r["state"] == "closed"
    assert r["reason"] == "国庆节休息"
    assert r["label"] == "已关门 · 10月8日 08:30 开门"
    assert r["nextOpen"] == "2026-10-08T08:30:00+08:00"


def test_makeup_saturday_open(page):
    r = evaluate(page, compact(OFFICE), "2026-10-10T09:00:00+08:00")
    assert r["state"] == "open" and r["reason"] == "调休上班"
    assert r["label"] == "营业中 · 12:00 关门"


def test_unconfirmed_holiday(page):
    r = evaluate(page, compact("Mo-Fr 08:30-18:00"), "2026-10-01T10:00:00+08:00")
    assert r["state"] == "open" and r["unconfirmed"] is True
    assert r["reason"] == "国庆节，节假日是否开放未说明"


def test_always_open(page):
    r = evaluate(page, compact("24/7"), "2026-10-01T03:00:00+08:00")
    assert r["state"] == "open" and r["label"] == "24 小时营业" and r["closesAt"] is None
    # 24/7 except holidays: closes at midnight before the holiday, never "closing soon" earlier
    r = evaluate(page, compact("24/7; PH off"), "2026-09-30T12:00:00+08:00")
    assert r["state"] == "open" and r["label"] == "营业中 · 24:00 关门"


def test_unknown(page):
    r = evaluate(page, compact(None), "2026-09-16T10:00:00+08:00")
    assert r["state"] == "unknown" and r["label"] == "营业时间未知，请致电确认"


def test_after_valid_until_falls_back(page):
    hours = compact(OFFICE)
    assert hours["u"] == "2026-11-13"
    r = evaluate(page, hours, "2026-11-20T10:00:00+08:00")
    assert r["state"] == "open" and r["fallback"] is True
    assert r["note"] == "节假日安排未知，按平时时间推算"
    assert evaluate(page, hours, "2026-11-13T10:00:00+08:00")["fallback"] is False


def test_closed_with_nothing_ahead(page):
    r = evaluate(page, compact("Mo-Fr 08:00-18:00; Oct 01-Dec 31 off"), "2026-10-05T10:00:00+08:00")
    assert r["state"] == "closed" and r["label"] == "已关门" and r["nextOpen"] is None


def test_apply_badges_with_fixed_clock(browser):
    context = browser.new_context(timezone_id="UTC")
    try:
        page = context.new_page()
        page.clock.install(time="2026-09-16T10:00:00+08:00")
        page.goto("about:blank")
        page.set_content('<p><span id="badge"></span><span id="bad" data-hours="{not json"></span></p>')
        hours = compact(OFFICE)
        hours["x"]["2026-09-16"] = {"i": hours["w"][2], "r": "<b>演示</b>"}  # data must stay text
        page.eval_on_selector("#badge", "(el, json) => el.setAttribute('data-hours', json)", json.dumps(hours))
        page.add_script_tag(content=SCRIPT.read_text(encoding="utf-8"))
        badge = page.locator("#badge")
        assert badge.text_content() == "营业中 · 12:00 关门 · <b>演示</b>"
        assert badge.get_attribute("data-state") == "open"
        assert page.locator("#badge b").count() == 0
        assert page.locator("#bad").get_attribute("data-state") == "unknown"
        page.clock.fast_forward("01:36:00")  # 11:36: the once-a-minute refresh must notice
        assert badge.text_content().startswith("即将关门（30 分钟内）· 12:00 关门")
        assert badge.get_attribute("data-state") == "closing-soon"
    finally:
        context.close()
