"""Chinese statutory holidays and make-up working days (调休).

Every year the State Council publishes which days are holidays and which
weekend days become working days to pay for them. opening-hours-py's own
country calendar knows only one day per festival and nothing about 调休, so
we keep our own calendar: the `chinese_calendar` package for the years it
knows, plus years that editors type in as plain data
(`content/holidays/<year>.yaml`, see `generator/schemas/holidays.schema.json`)
once the State Council's notice is out and before a new package release is.
"""
from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta
from types import MappingProxyType
from typing import Any

# chinese_calendar names holidays in English; the site speaks Chinese.
HOLIDAY_NAMES_ZH = MappingProxyType({
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争胜利70周年纪念日",
})

# A name the package may add in a later release and we have not translated:
# better a generic Chinese word on the site than an English one.
FALLBACK_NAME = "法定节假日"


def _as_date(value: Any) -> date:
    # PyYAML may hand us a date, our own loader hands us text.
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value))


def _pairs(items: Iterable[Any]) -> tuple[tuple[date, str], ...]:
    out = []
    for item in items:
        if isinstance(item, Mapping):
            out.append((_as_date(item["date"]), str(item["name"])))
        else:
            day, name = item
            out.append((_as_date(day), str(name)))
    return tuple(sorted(out))


@dataclass(frozen=True)
class HolidayYear:
    """One year of the State Council's holiday notice, as editors type it.

    `holidays`: (date, holiday name) for every day off, weekends inside the
    break included. `workdays`: (date, name of the holiday it pays for) for
    every weekend day that becomes a working day. Lists of pairs or of
    {"date", "name"} mappings are accepted and normalised to sorted tuples.
    """

    year: int
    holidays: tuple[tuple[date, str], ...]
    workdays: tuple[tuple[date, str], ...] = ()

    def __post_init__(self) -> None:
        object.__setattr__(self, "year", int(self.year))
        object.__setattr__(self, "holidays", _pairs(self.holidays))
        object.__setattr__(self, "workdays", _pairs(self.workdays))

    def problems(self) -> list[str]:
        """Plain-language mistakes in the record, for the validator to report."""
        found = []
        seen: set[date] = set()
        for day, _ in self.holidays:
            if day.year != self.year:
                found.append(f"放假日期 {day} 不在 {self.year} 年内（holiday {day} is outside {self.year}）")
            if day in seen:
                found.append(f"日期 {day} 重复（{day} is listed twice）")
            seen.add(day)
        for day, _ in self.workdays:
            # A make-up day for New Year's Day can fall in late December of the year before.
            if day.year not in (self.year, self.year - 1):
                found.append(f"调休上班日期 {day} 不在 {self.year} 年内（workday {day} is outside {self.year}）")
            if day in seen:
                found.append(f"日期 {day} 既是放假又是上班，或重复（{day} is listed twice）")
            seen.add(day)
            if day.weekday() < 5:
                found.append(f"调休上班日 {day} 不是周六或周日（make-up workday {day} is not a weekend day）")
        return found


def holiday_year_from_data(data: Mapping[str, Any]) -> HolidayYear:
    """Build a HolidayYear from one parsed `content/holidays/<year>.yaml` mapping."""
    return HolidayYear(
        year=int(data["year"]),
        holidays=data.get("holidays") or (),
        workdays=data.get("workdays") or (),
    )


@dataclass(frozen=True)
class HolidayCalendar:
    """Which dates are statutory holidays or make-up working days, and which years we know.

    `holidays` maps a date to the Chinese holiday name; `workdays` maps a
    make-up working day to the name of the holiday it pays for. Use
    `build_calendar()` rather than the constructor.
    """

    holidays: Mapping[date, str]
    workdays: Mapping[date, str]
    years: frozenset[int]
    editor_years: frozenset[int] = field(default_factory=frozenset)

    def holiday_name(self, day: date) -> str | None:
        return self.holidays.get(day)

    def workday_name(self, day: date) -> str | None:
        return self.workdays.get(day)

    def covers(self, day: date) -> bool:
        return day.year in self.years

    def coverage_gap(self, today: date, days: int = 60) -> date | None:
        """First date in [today, today + days) whose year we know nothing about, else None.

        The validator warns with it: past that date the site can only guess
        from the ordinary weekly hours.
        """
        for offset in range(days):
            day = today + timedelta(days=offset)
            if not self.covers(day):
                return day
        return None

    def last_covered(self, today: date, days: int = 60) -> date:
        """Last date of the window [today, today + days) up to which we know every holiday.

        Before `today` when even today is not covered.
        """
        gap = self.coverage_gap(today, days)
        return (gap if gap is not None else today + timedelta(days=days)) - timedelta(days=1)


def _package_data() -> tuple[dict[date, str], dict[date, str], set[int]]:
    from chinese_calendar import constants

    def zh(name: str) -> str:
        return HOLIDAY_NAMES_ZH.get(name, FALLBACK_NAME)

    holidays = {day: zh(name) for day, name in constants.holidays.items()}
    workdays = {day: zh(name) for day, name in constants.workdays.items()}
    # The package's years run without gaps from its first to its last entry.
    years = set(range(min(holidays).year, max(holidays).year + 1))
    return holidays, workdays, years


def build_calendar(extra_years: Iterable[HolidayYear] = ()) -> HolidayCalendar:
    """The package's calendar overlaid with editor-supplied years.

    An editor year replaces everything the package says about dates in that
    year (the notice may have been corrected after the package release).
    """
    holidays, workdays, years = _package_data()
    editor_years = set()
    extra = sorted(extra_years, key=lambda y: y.year)
    for record in extra:
        editor_years.add(record.year)
        for table in (holidays, workdays):
            for day in [d for d in table if d.year == record.year]:
                del table[day]
    for record in extra:
        holidays.update(record.holidays)
        workdays.update(record.workdays)
        years.add(record.year)
    return HolidayCalendar(
        holidays=MappingProxyType(dict(sorted(holidays.items()))),
        workdays=MappingProxyType(dict(sorted(workdays.items()))),
        years=frozenset(years),
        editor_years=frozenset(editor_years),
    )
