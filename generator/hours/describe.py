"""Compiled hours → Chinese words for pages, and schema.org structured data.

Plain strings only: templates escape them; nothing here is HTML.
"""
from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .compile import CompiledHours, Day, Week

WEEKDAY_LABELS = ("周一", "周二", "周三", "周四", "周五", "周六", "周日")
SCHEMA_DAYS = tuple(
    f"https://schema.org/{d}" for d in ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
)
DASH = "–"  # en dash between times, as in Chinese typesetting of ranges
CLOSED = "休息"
UNKNOWN = "营业时间未知"
FULL_DAY_WORDS = "24 小时开放"


def _clock(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"


def interval_text(start: int, end: int) -> str:
    """(510, 720) → 08:30–12:00; (1200, 1560) → 20:00–次日 02:00."""
    if end > 1440:
        return f"{_clock(start)}{DASH}次日 {_clock(end - 1440)}"
    return f"{_clock(start)}{DASH}{_clock(end)}"


def day_text(day: Day) -> str:
    if not day:
        return CLOSED
    if tuple(day) == ((0, 1440),):
        return FULL_DAY_WORDS
    return "、".join(interval_text(s, e) for s, e in day)


def _runs(week: Week) -> list[tuple[str, str]]:
    """Consecutive weekdays with the same hours → (days label, hours text)."""
    runs: list[list[int]] = []
    for i, day in enumerate(week):
        if runs and week[runs[-1][-1]] == day:
            runs[-1].append(i)
        else:
            runs.append([i])
    out = []
    for run in runs:
        if len(run) == 7:
            label = "每天"
        elif len(run) >= 3:
            label = f"{WEEKDAY_LABELS[run[0]]}至{WEEKDAY_LABELS[run[-1]]}"
        else:
            label = "、".join(WEEKDAY_LABELS[i] for i in run)
        out.append((label, day_text(week[run[0]])))
    return out


def describe_week(hours: CompiledHours) -> str:
    """e.g. 周一至周五 08:30–12:00、14:30–18:00；周六、周日 休息"""
    if hours.unknown:
        return UNKNOWN
    return "；".join(f"{label} {text}" for label, text in _runs(hours.weekly))


def describe_holidays(hours: CompiledHours) -> str | None:
    """The public-holiday note, or None when there is nothing to say (unknown, or open around the clock)."""
    if hours.unknown:
        return None
    if hours.holiday_rule == "off":
        return "法定节假日休息"
    if hours.holiday_rule == "same":
        return "法定节假日是否开放未说明" if hours.holiday_unconfirmed else None
    runs = _runs(hours.holiday_hours)
    if len(runs) == 1:
        return f"法定节假日 {runs[0][1]}"
    return "法定节假日：" + "；".join(f"{label} {text}" for label, text in runs)


def describe(hours: CompiledHours) -> str:
    """Week and holiday note in one line, e.g. 周一至周五 08:30–18:00；周六、周日 休息；法定节假日休息"""
    note = describe_holidays(hours)
    return describe_week(hours) + (f"；{note}" if note else "")


def day_rows(hours: CompiledHours) -> list[tuple[str, str]]:
    """[(周一, 08:30–12:00、14:30–18:00), …, (周日, 休息)] for the table that highlights today."""
    if hours.unknown:
        return [(label, UNKNOWN) for label in WEEKDAY_LABELS]
    return [(WEEKDAY_LABELS[i], day_text(day)) for i, day in enumerate(hours.weekly)]


# ---------------------------------------------------------------- schema.org

def _schema_time(minute: int) -> str:
    # schema.org consumers read "23:59" as end of day; "24:00" is not a valid Time.
    return "23:59" if minute >= 1440 else _clock(minute)


def _split_week(week: Week) -> list[list[tuple[int, int]]]:
    """Cut intervals at midnight: Monday (1200, 1560) → Monday 20:00–24:00 + Tuesday 00:00–02:00."""
    days: list[list[tuple[int, int]]] = [[] for _ in range(7)]
    for i, day in enumerate(week):
        for s, e in day:
            days[i].append((s, min(e, 1440)))
            if e > 1440:
                days[(i + 1) % 7].append((0, e - 1440))
    merged = []
    for day in days:
        out: list[list[int]] = []
        for s, e in sorted(day):
            if out and s <= out[-1][1]:
                out[-1][1] = max(out[-1][1], e)
            else:
                out.append([s, e])
        merged.append([(s, e) for s, e in out])
    return merged


def specification(hours: CompiledHours) -> dict:
    """schema.org openingHoursSpecification and specialOpeningHoursSpecification as plain dicts.

    Days with the same opens/closes share one entry. Closed exception days
    follow schema.org's convention opens = closes = "00:00". Unconfirmed
    exceptions are left out: they would state a guess as fact. An exception's
    hours past midnight are cut at 23:59 of its own date.
    """
    if hours.unknown:
        return {"openingHoursSpecification": [], "specialOpeningHoursSpecification": []}
    by_time: dict[tuple[int, int], list[str]] = {}
    for i, day in enumerate(_split_week(hours.weekly)):
        for interval in day:
            by_time.setdefault(interval, []).append(SCHEMA_DAYS[i])
    regular = [
        {"@type": "OpeningHoursSpecification", "dayOfWeek": days, "opens": _schema_time(s), "closes": _schema_time(e)}
        for (s, e), days in sorted(by_time.items(), key=lambda item: (SCHEMA_DAYS.index(item[1][0]), item[0]))
    ]
    special = []
    for exc in hours.exceptions:
        if exc.unconfirmed:
            continue
        iso = exc.day.isoformat()
        for s, e in exc.intervals or ((0, 0),):
            special.append({
                "@type": "OpeningHoursSpecification",
                "validFrom": iso,
                "validThrough": iso,
                "opens": _schema_time(s),
                "closes": _schema_time(e),
            })
    return {"openingHoursSpecification": regular, "specialOpeningHoursSpecification": special}
