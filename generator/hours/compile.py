"""OSM opening_hours text → weekly rules + dated exceptions the browser can evaluate.

opening-hours-py understands the syntax; we only ask it for open/closed
timelines and reshape them. We never let it decide about Chinese holidays
(its CN calendar has one day per festival and no 调休): ordinary days are
evaluated with no country, so `PH` never matches, and holidays come from our
own HolidayCalendar.

Times are local wall-clock minutes in Asia/Shanghai. A day's interval may
end after 1440 (20:00-02:00 → (1200, 1560)), so a shift that starts before
midnight belongs to the day it starts on. Consequence, chosen on purpose:
on a holiday, the shift that began the evening before still runs to its end
(opening-hours-py would cut it at midnight).
"""
from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from functools import lru_cache
from typing import Literal

import opening_hours

from .describe import specification as _specification
from .holidays import HolidayCalendar

Interval = tuple[int, int]
Day = tuple[Interval, ...]
Week = tuple[Day, Day, Day, Day, Day, Day, Day]
HolidayRule = Literal["off", "open", "same"]

FULL_DAY: Day = ((0, 1440),)
WEEK_MIN_DAYS = 28  # the weekly rule is the most common day over at least four weeks

REASON_MAKEUP = "调休上班"
REASON_MAKEUP_UNCONFIRMED = "调休上班日，是否开放未说明"
REASON_OTHER = "特殊安排"  # a dated rule in the expression itself, e.g. "Dec 31 off"


class OpeningHoursError(ValueError):
    """The text is not valid opening_hours syntax; `message` is the library's explanation."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def parse_error(text: str | None) -> str | None:
    """The library's message when `text` does not parse, else None (None text is fine: unknown hours)."""
    if text is None:
        return None
    try:
        opening_hours.OpeningHours(text)
    except (opening_hours.ParserError, SyntaxError, ValueError) as exc:
        return str(exc)
    return None


def mentions_public_holidays(text: str) -> bool:
    """Does the expression say anything about PH? Quoted comments do not count."""
    without_comments = re.sub(r'"[^"]*"', "", text)
    return re.search(r"(?<![A-Za-z])PH(?![A-Za-z])", without_comments) is not None


@dataclass(frozen=True)
class DayException:
    """A date whose hours differ from the weekly rule, and why.

    `unconfirmed`: the expression does not say what happens on this holiday
    or make-up working day; the hours are the weekly rule's guess.
    """

    day: date
    intervals: Day
    reason: str
    unconfirmed: bool = False


@dataclass(frozen=True)
class CompiledHours:
    text: str | None
    unknown: bool
    weekly: Week
    always_open: bool
    holiday_rule: HolidayRule | None  # None only when unknown
    holiday_hours: Week  # what the expression gives on a PH, per weekday ("same": the weekly rule)
    holiday_unconfirmed: bool
    exceptions: tuple[DayException, ...]
    valid_from: date
    valid_until: date | None

    def to_json(self) -> dict:
        """Compact form for hours.js (dump it with sort_keys for stable output; see to_json_text).

        v: format version, 1.
        w: seven lists Mo..Su of [start, end] minutes after local midnight
           (Asia/Shanghai); end may pass 1440 for hours past midnight.
           null when the hours are unknown.
        x: {"YYYY-MM-DD": {"i": intervals as in w, "r": reason in Chinese,
           "q": true only when the hours that day are a guess}} — dates whose
           hours differ from w, all ≤ u.
        u: last date x is known for ("YYYY-MM-DD"); later dates use w and the
           badge says so. null when unknown.
        a: true when open around the clock, holidays included.
        h: what the expression says about public holidays: "off", "open",
           "same" (not mentioned), or null when unknown.
        """
        if self.unknown:
            return {"v": 1, "w": None, "x": {}, "u": None, "a": False, "h": None}
        return {
            "v": 1,
            "w": [[list(i) for i in day] for day in self.weekly],
            "x": {
                e.day.isoformat(): {"i": [list(i) for i in e.intervals], "r": e.reason, **({"q": True} if e.unconfirmed else {})}
                for e in self.exceptions
            },
            "u": self.valid_until.isoformat() if self.valid_until else None,
            "a": self.always_open,
            "h": self.holiday_rule,
        }

    def to_json_text(self) -> str:
        """to_json() as deterministic compact text, for a data-hours attribute."""
        return json.dumps(self.to_json(), ensure_ascii=False, sort_keys=True, separators=(",", ":"))

    def specification(self) -> dict:
        """schema.org opening hours; see describe.specification."""
        return _specification(self)


# ---------------------------------------------------------------- timelines

def _open_segments(oh: opening_hours.OpeningHours, start: date, ndays: int) -> list[Interval]:
    """Merged open periods in [start, start + ndays) as minutes since start's midnight.

    "unknown" counts as closed: a badge must not promise an open door.
    """
    t0 = datetime.combine(start, datetime.min.time())
    segments: list[list[int]] = []
    for begin, end, state, _comment in oh.intervals(t0, t0 + timedelta(days=ndays)):
        if state != opening_hours.State.OPEN:
            continue
        s = int((begin - t0).total_seconds() // 60)
        e = int((end - t0).total_seconds() // 60)
        if segments and s <= segments[-1][1]:
            segments[-1][1] = max(segments[-1][1], e)
        else:
            segments.append([s, e])
    return [(s, e) for s, e in segments]


def _own_days(segments: list[Interval], ndays: int) -> list[Day]:
    """Give each day the intervals that start on it.

    A period is cut at every midnight, except that an evening piece (starting
    after 00:00, running to 24:00) keeps the next morning's piece when that
    piece ends before 24:00: 20:00-02:00 is one interval (1200, 1560) of the
    first day, while 24/7 stays (0, 1440) on every day.
    """
    days: list[list[Interval]] = [[] for _ in range(ndays)]
    for s, e in segments:
        pieces = []
        while s < e:
            k, start_min = divmod(s, 1440)
            end_min = min(e - k * 1440, 1440)
            pieces.append((k, start_min, end_min))
            s = k * 1440 + end_min
        for idx, (k, a, b) in enumerate(pieces):
            prev = pieces[idx - 1] if idx else None
            if prev and a == 0 and b < 1440 and prev[1] > 0 and prev[2] == 1440:
                continue  # already attached to the evening before
            nxt = pieces[idx + 1] if idx + 1 < len(pieces) else None
            if nxt and a > 0 and b == 1440 and nxt[2] < 1440:
                b = 1440 + nxt[2]
            if 0 <= k < ndays:
                days[k].append((a, b))
    return [tuple(d) for d in days]


def _evaluate_days(oh: opening_hours.OpeningHours, first: date, ndays: int) -> list[Day]:
    """Intervals owned by each of the days first .. first + ndays - 1.

    One extra day on each side: the day before decides whether an early
    morning piece is its spill, the day after completes the last evening.
    """
    return _own_days(
        [(s - 1440, e - 1440) for s, e in _open_segments(oh, first - timedelta(days=1), ndays + 2)],
        ndays,
    )


@lru_cache(maxsize=1)
def _library_ph_dates() -> tuple[date, ...]:
    """Dates opening-hours-py treats as PH with country CN (one per festival; enough for sampling)."""
    oh = opening_hours.OpeningHours("PH", country="CN")
    t0 = datetime(2000, 1, 1)
    return tuple(
        b.date() for b, _e, state, _c in oh.intervals(t0, datetime(2040, 1, 1)) if state == opening_hours.State.OPEN
    )


def _holiday_week(text: str, today: date) -> Week:
    """What the expression gives on a public holiday falling on each weekday.

    We cannot hand the library our calendar, so for each weekday we evaluate
    one of *its* CN holidays on that weekday, the one nearest to today (so
    seasonal rules are close to right).
    """
    oh = opening_hours.OpeningHours(text, country="CN")
    result = []
    for weekday in range(7):
        candidates = [d for d in _library_ph_dates() if d.weekday() == weekday]
        sample = min(candidates, key=lambda d: (abs((d - today).days), d))
        result.append(_evaluate_days(oh, sample, 1)[0])
    return tuple(result)  # type: ignore[return-value]


def _weekly(days: list[Day], first: date) -> Week:
    """Per weekday, the most common day in the sample (ties: the earliest seen)."""
    counters: list[Counter] = [Counter() for _ in range(7)]
    for offset, day in enumerate(days):
        counters[(first + timedelta(days=offset)).weekday()][day] += 1
    return tuple(c.most_common(1)[0][0] if c else () for c in counters)  # type: ignore[return-value]


def _workday_hours(weekly: Week) -> Day:
    """Hours of an ordinary working day: the first of Mo..Fr that has any.

    The notice does not say which weekday a make-up day stands in for.
    """
    return next((day for day in weekly[:5] if day), ())


# ---------------------------------------------------------------- compile

# Stations share a few dozen opening_hours texts, and one compile evaluates weeks of timelines against
# the holiday calendar: compile each text once per calendar (by identity: it is immutable, not hashable).
class _Memo:
    calendar: HolidayCalendar | None = None  # the calendar `compiled` was filled with
    compiled: dict[tuple, "CompiledHours"] = {}


def compile_hours(text: str | None, calendar: HolidayCalendar, today: date, days: int = 60) -> CompiledHours:
    """Compile one station's opening_hours for the window [today, today + days).

    Raises OpeningHoursError when the text does not parse.
    """
    if _Memo.calendar is not calendar or len(_Memo.compiled) > 4096:
        _Memo.compiled.clear()
        _Memo.calendar = calendar
    key = (text, today, days)
    if key not in _Memo.compiled:
        _Memo.compiled[key] = _compile(text, calendar, today, days)
    return _Memo.compiled[key]


def _compile(text: str | None, calendar: HolidayCalendar, today: date, days: int) -> CompiledHours:
    if text is None:
        return CompiledHours(
            text=None, unknown=True, weekly=((),) * 7, always_open=False, holiday_rule=None,
            holiday_hours=((),) * 7, holiday_unconfirmed=False, exceptions=(), valid_from=today, valid_until=None,
        )
    try:
        oh = opening_hours.OpeningHours(text)
    except (opening_hours.ParserError, SyntaxError, ValueError) as exc:
        raise OpeningHoursError(str(exc)) from exc

    sample_days = max(days, WEEK_MIN_DAYS)
    actual = _evaluate_days(oh, today, sample_days)
    weekly = _weekly(actual, today)
    all_day = all(day == FULL_DAY for day in weekly)

    if mentions_public_holidays(text):
        holiday_hours = _holiday_week(text, today)
        rule: HolidayRule = "open" if any(holiday_hours) else "off"
    else:
        holiday_hours, rule = weekly, "same"
    # "24/7" (or 00:00-24:00 every day) leaves no hour out, holidays included.
    unconfirmed = rule == "same" and not all_day
    valid_until = calendar.last_covered(today, days)
    workday = _workday_hours(weekly)

    exceptions = []
    for offset in range(days):
        day = today + timedelta(days=offset)
        if day > valid_until:
            break
        usual = weekly[day.weekday()]
        hours, reason, guess = actual[offset], REASON_OTHER, False
        holiday, makeup = calendar.holiday_name(day), calendar.workday_name(day)
        if holiday and rule != "same":
            hours = holiday_hours[day.weekday()]
            reason = f"{holiday}休息" if not hours else f"{holiday}（节假日时间）"
        elif holiday and unconfirmed and hours:
            reason, guess = f"{holiday}，节假日是否开放未说明", True
        elif makeup and rule != "same" and workday:
            hours, reason = workday, REASON_MAKEUP
        elif makeup and unconfirmed and workday and workday != hours:
            reason, guess = REASON_MAKEUP_UNCONFIRMED, True
        if hours != usual or guess:
            exceptions.append(DayException(day, hours, reason, guess))

    return CompiledHours(
        text=text, unknown=False, weekly=weekly,
        always_open=all_day and all(day == FULL_DAY for day in holiday_hours) and not exceptions,
        holiday_rule=rule, holiday_hours=holiday_hours, holiday_unconfirmed=unconfirmed,
        exceptions=tuple(exceptions), valid_from=today, valid_until=valid_until,
    )
