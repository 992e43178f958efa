"""generator.hours: compiling opening_hours with the Chinese holiday calendar."""
from __future__ import annotations

import json
from datetime import date, datetime, timedelta

import opening_hours
import pytest
from chinese_calendar import constants as cc

from generator.hours import (
    HolidayYear,
    OpeningHoursError,
    build_calendar,
    compile_hours,
    day_rows,
    describe,
    describe_holidays,
    describe_week,
    holiday_year_from_data,
    mentions_public_holidays,
    parse_error,
    specification,
)

OFFICE = "Mo-Fr 08:30-12:00,14:30-18:00; PH off"
OFFICE_DAY = ((510, 720), (870, 1080))
TODAY = date(2026, 9, 15)  # a Tuesday, two weeks before National Day 2026


@pytest.fixture(scope="module")
def calendar():
    return build_calendar()


def is_open_weekly(weekly, moment: datetime) -> bool:
    """Open at `moment` per the compiled weekly rule, counting yesterday's hours past midnight."""
    minute = moment.hour * 60 + moment.minute
    today, yesterday = moment.weekday(), (moment.weekday() - 1) % 7
    return any(s <= minute < e for s, e in weekly[today]) or any(
        s <= minute + 1440 < e for s, e in weekly[yesterday]
    )


# ------------------------------------------------------------- ordinary weeks

@pytest.mark.parametrize("text", [
    OFFICE,
    "24/7",
    "Mo-Su 20:00-02:00",
    "Mo-Sa 09:00-17:00; Su off; PH off",
    "Mo-Fr 08:00-12:00; We 14:00-16:00",
    "Sa-Su 10:00-16:00",
    "Mo-Fr 22:00-06:00",
    "Tu,Th 07:30-11:15,13:00-17:45; Sa 09:00-24:00",
    "Mo-Fr 08:00-18:00, Fr 18:00-20:00",
    "Mo-Su 06:00-22:00; We off",
])
def test_weekly_matches_library_on_an_ordinary_week(text, calendar):
    compiled = compile_hours(text, calendar, TODAY)
    oh = opening_hours.OpeningHours(text)  # no country: PH never matches
    start = datetime(2026, 11, 16)  # Mon 16 – Sun 22 Nov 2026: no holiday, no 调休
    for step in range(0, 7 * 24 * 60, 7):  # every 7 minutes hits every hour at varied minutes
        moment = start + timedelta(minutes=step)
        assert is_open_weekly(compiled.weekly, moment) == oh.is_open(moment), (text, moment)


def test_intervals_are_merged_and_cross_midnight(calendar):
    assert compile_hours("Mo-Fr 08:00-12:00,12:00-18:00", calendar, TODAY).weekly[0] == ((480, 1080),)
    night = compile_hours("Mo-Su 20:00-02:00", calendar, TODAY)
    assert night.weekly == (((1200, 1560),),) * 7
    assert compile_hours("Fr 22:00-06:00", calendar, TODAY).weekly[4] == ((1320, 1800),)


def test_always_open(calendar):
    compiled = compile_hours("24/7", calendar, TODAY)
    assert compiled.always_open
    assert compiled.weekly == (((0, 1440),),) * 7
    assert not compiled.holiday_unconfirmed and compiled.exceptions == ()
    assert compiled.to_json()["a"] is True
    # closed on holidays: no longer "always"
    assert not compile_hours("24/7; PH off", calendar, TODAY).always_open


def test_unknown(calendar):
    compiled = compile_hours(None, calendar, TODAY)
    assert compiled.unknown and compiled.valid_until is None
    assert compiled.to_json() == {"v": 1, "w": None, "x": {}, "u": None, "a": False, "h": None}
    assert describe(compiled) == "营业时间未知"
    assert specification(compiled) == {"openingHoursSpecification": [], "specialOpeningHoursSpecification": []}


def test_parse_errors():
    assert parse_error(OFFICE) is None
    assert parse_error(None) is None
    message = parse_error("Mo-Fr 08:30–12:00")  # en dash typed by an editor
    assert message and "1:12" in message
    with pytest.raises(OpeningHoursError) as info:
        compile_hours("Mo-Fr 25:00-26:00", build_calendar(), TODAY)
    assert info.value.message == parse_error("Mo-Fr 25:00-26:00")


def test_mentions_public_holidays():
    assert mentions_public_holidays(OFFICE)
    assert mentions_public_holidays("Mo-Fr 09:00-17:00; PH,Sa 10:00-12:00")
    assert not mentions_public_holidays('Mo-Fr 09:00-17:00 "PH call first"')
    assert not mentions_public_holidays("Mo-Fr 09:00-17:00")


# ------------------------------------------------------------- 2026 holidays

def test_package_knows_the_2026_dates_we_rely_on():
    national_day = [date(2026, 10, d) for d in range(1, 8)]
    assert all(cc.holidays[d] == "National Day" for d in national_day)
    assert cc.workdays[date(2026, 9, 20)] == "National Day"  # a Sunday
    assert cc.workdays[date(2026, 10, 10)] == "National Day"  # a Saturday
    assert all(cc.holidays[date(2026, 9, d)] == "Mid-autumn Festival" for d in (25, 26, 27))


def test_national_day_closed_and_makeup_days_open(calendar):
    compiled = compile_hours(OFFICE, calendar, TODAY)
    x = {e.day: e for e in compiled.exceptions}
    assert compiled.holiday_rule == "off" and not compiled.holiday_unconfirmed
    for d in (1, 2, 5, 6, 7):  # weekdays of the break
        assert x[date(2026, 10, d)].intervals == ()
        assert x[date(2026, 10, d)].reason == "国庆节休息"
    # Saturday 3 and Sunday 4 are closed anyway: no exception is emitted
    assert date(2026, 10, 3) not in x and date(2026, 10, 4) not in x
    assert x[date(2026, 9, 25)].reason == "中秋节休息"  # Friday
    for makeup in (date(2026, 9, 20), date(2026, 10, 10)):
        assert makeup.weekday() >= 5
        assert x[makeup].intervals == OFFICE_DAY and x[makeup].reason == "调休上班"
    assert set(x) == {date(2026, 9, 20), date(2026, 9, 25), date(2026, 10, 10)} | {
        date(2026, 10, d) for d in (1, 2, 5, 6, 7)
    }
    assert compiled.valid_until == TODAY + timedelta(days=59)


def test_holiday_hours_given(calendar):
    compiled = compile_hours("Mo-Sa 09:00-17:00; PH 10:00-12:00", calendar, TODAY)
    assert compiled.holiday_rule == "open"
    assert compiled.holiday_hours == (((600, 720),),) * 7
    x = {e.day: e for e in compiled.exceptions}
    assert x[date(2026, 10, 4)].intervals == ((600, 720),)  # a Sunday, normally closed
    assert x[date(2026, 10, 4)].reason == "国庆节（节假日时间）"
    assert date(2026, 10, 10) not in x  # Saturday is a working day for this station anyway
    assert describe_holidays(compiled) == "法定节假日 10:00–12:00"


def test_holidays_unmentioned_follow_week_but_are_flagged(calendar):
    compiled = compile_hours("Mo-Fr 08:30-18:00", calendar, TODAY)
    assert compiled.holiday_rule == "same" and compiled.holiday_unconfirmed
    x = compiled.to_json()["x"]
    assert x["2026-10-01"] == {"i": [[510, 1080]], "r": "国庆节，节假日是否开放未说明", "q": True}
    assert x["2026-10-10"] == {"i": [], "r": "调休上班日，是否开放未说明", "q": True}
    assert "2026-10-03" not in x  # closed on Saturdays: nothing to doubt
    assert describe_holidays(compiled) == "法定节假日是否开放未说明"


def test_dated_rule_in_expression_is_an_exception(calendar):
    compiled = compile_hours("Mo-Fr 08:00-18:00; PH off; Dec 24 off", calendar, date(2026, 12, 1))
    x = {e.day: e for e in compiled.exceptions}
    assert x[date(2026, 12, 24)].intervals == () and x[date(2026, 12, 24)].reason == "特殊安排"
    assert compiled.weekly[3] == ((480, 1080),)  # one odd Thursday does not change the week


def test_past_midnight_station_on_holiday_keeps_the_evening_before(calendar):
    compiled = compile_hours("Mo-Su 20:00-02:00; PH off", calendar, TODAY)
    x = {e.day: e for e in compiled.exceptions}
    assert x[date(2026, 10, 1)].intervals == () and x[date(2026, 10, 1)].reason == "国庆节休息"
    assert date(2026, 9, 30) not in x  # its 20:00–02:00 shift still ends at 02:00 on the holiday


# ------------------------------------------------------------- editor years

def test_editor_year_adds_an_unknown_year():
    year = holiday_year_from_data({
        "id": "2031", "year": 2031,
        "holidays": [{"date": f"2031-10-0{d}", "name": "国庆节"} for d in range(1, 8)],
        "workdays": [{"date": "2031-09-28", "name": "国庆节"}, {"date": date(2031, 10, 11), "name": "国庆节"}],
    })
    assert year.problems() == []
    today = date(2031, 9, 22)
    assert build_calendar().coverage_gap(today) == today
    calendar = build_calendar([year])
    assert calendar.coverage_gap(today) is None
    compiled = compile_hours(OFFICE, calendar, today)
    x = compiled.to_json()["x"]
    assert x["2031-09-28"] == {"i": [[510, 720], [870, 1080]], "r": "调休上班"}  # Sunday
    assert x["2031-10-01"] == {"i": [], "r": "国庆节休息"}
    assert compiled.valid_until == today + timedelta(days=59)


def test_editor_year_overrides_the_package():
    corrected = HolidayYear(2026, holidays=[(date(2026, 10, d), "国庆节") for d in (1, 2, 3)], workdays=[])
    calendar = build_calendar([corrected])
    assert calendar.holiday_name(date(2026, 10, 5)) is None
    assert calendar.workday_name(date(2026, 10, 10)) is None
    assert calendar.holiday_name(date(2026, 10, 2)) == "国庆节"
    assert calendar.holiday_name(date(2025, 10, 1)) == "国庆节"  # other years untouched
    x = compile_hours(OFFICE, calendar, TODAY).to_json()["x"]
    assert "2026-10-05" not in x and "2026-10-10" not in x and x["2026-10-02"]["r"] == "国庆节休息"


def test_holiday_year_problems():
    bad = HolidayYear(2031, holidays=[("2030-10-01", "国庆节"), ("2031-10-02", "国庆节")],
                      workdays=[("2031-10-02", "国庆节"), ("2031-10-08", "国庆节")])
    problems = bad.problems()
    assert len(problems) == 4  # outside the year, listed twice, twice again (weekday), a weekday make-up day
    assert any("2030-10-01" in p for p in problems) and any("不是周六或周日" in p for p in problems)


def test_coverage_gap_and_valid_until(calendar):
    assert calendar.coverage_gap(TODAY) is None
    assert calendar.coverage_gap(date(2026, 12, 15)) == date(2027, 1, 1)
    assert calendar.coverage_gap(date(2026, 12, 15), days=10) is None
    compiled = compile_hours(OFFICE, calendar, date(2026, 12, 15))
    assert compiled.valid_until == date(2026, 12, 31)
    assert all(e.day <= date(2026, 12, 31) for e in compiled.exceptions)
    assert compile_hours(OFFICE, calendar, date(2027, 3, 1)).valid_until == date(2027, 2, 28)


def test_package_names_are_chinese(calendar):
    names = set(calendar.holidays.values()) | set(calendar.workdays.values())
    assert names == {"元旦", "春节", "清明节", "劳动节", "端午节", "国庆节", "中秋节", "中国人民抗日战争胜利70周年纪念日"}


# ------------------------------------------------------------- words and JSON

@pytest.mark.parametrize("text, week, note", [
    (OFFICE, "周一至周五 08:30–12:00、14:30–18:00；周六、周日 休息", "法定节假日休息"),
    ("24/7", "每天 24 小时开放", None),
    ("Mo-Su 20:00-02:00", "每天 20:00–次日 02:00", "法定节假日是否开放未说明"),
    ("Mo-Sa 09:00-17:00; Su off; PH off", "周一至周六 09:00–17:00；周日 休息", "法定节假日休息"),
    ("Mo,We 09:00-12:00", "周一 09:00–12:00；周二 休息；周三 09:00–12:00；周四至周日 休息", "法定节假日是否开放未说明"),
    # a later "Su off" wins over PH on a Sunday: holiday hours depend on the weekday
    ("Mo-Fr 09:00-17:00; PH 10:00-12:00; Su off",
     "周一至周五 09:00–17:00；周六、周日 休息", "法定节假日：周一至周六 10:00–12:00；周日 休息"),
])
def test_describe(text, week, note, calendar):
    compiled = compile_hours(text, calendar, TODAY)
    assert describe_week(compiled) == week
    assert describe_holidays(compiled) == note
    assert describe(compiled) == week + (f"；{note}" if note else "")


def test_day_rows(calendar):
    rows = day_rows(compile_hours(OFFICE, calendar, TODAY))
    assert rows[0] == ("周一", "08:30–12:00、14:30–18:00")
    assert rows[5:] == [("周六", "休息"), ("周日", "休息")]
    assert [label for label, _ in rows] == ["周一", "周二", "周三", "周四", "周五", "周六", "周日"]


def test_json_is_deterministic(calendar):
    first = compile_hours(OFFICE, calendar, TODAY).to_json_text()
    second = compile_hours(OFFICE, build_calendar(), TODAY).to_json_text()
    assert first == second
    assert first == json.dumps(json.loads(first), ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    data = json.loads(first)
    assert list(data["x"]) == sorted(data["x"])
    assert data["w"][0] == [[510, 720], [870, 1080]] and data["w"][6] == []
    assert data["x"]["2026-10-01"] == {"i": [], "r": "国庆节休息"}
    assert data["x"]["2026-10-10"] == {"i": [[510, 720], [870, 1080]], "r": "调休上班"}
    assert data["u"] == "2026-11-13" and data["a"] is False and data["h"] == "off" and data["v"] == 1


def test_specification_shape(calendar):
    spec = compile_hours(OFFICE, calendar, TODAY).specification()
    weekdays = [f"https://schema.org/{d}" for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday")]
    assert spec["openingHoursSpecification"] == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": weekdays, "opens": "08:30", "closes": "12:00"},
        {"@type": "OpeningHoursSpecification", "dayOfWeek": weekdays, "opens": "14:30", "closes": "18:00"},
    ]
    special = spec["specialOpeningHoursSpecification"]
    assert {"@type": "OpeningHoursSpecification", "validFrom": "2026-10-01", "validThrough": "2026-10-01",
            "opens": "00:00", "closes": "00:00"} in special
    assert [s for s in special if s["validFrom"] == "2026-10-10"] == [
        {"@type": "OpeningHoursSpecification", "validFrom": "2026-10-10", "validThrough": "2026-10-10",
         "opens": o, "closes": c} for o, c in (("08:30", "12:00"), ("14:30", "18:00"))
    ]


def test_specification_splits_past_midnight(calendar):
    spec = specification(compile_hours("Fr 20:00-02:00", calendar, TODAY))
    assert spec["openingHoursSpecification"] == [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": ["https://schema.org/Friday"],
         "opens": "20:00", "closes": "23:59"},
        {"@type": "OpeningHoursSpecification", "dayOfWeek": ["https://schema.org/Saturday"],
         "opens": "00:00", "closes": "02:00"},
    ]
    # unconfirmed guesses are not published as facts
    assert spec["specialOpeningHoursSpecification"] == []
