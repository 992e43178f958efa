"""Opening hours: OSM opening_hours text + Chinese holiday calendar → weekly rules,
dated exceptions, Chinese descriptions and the compact JSON that hours.js evaluates
in the visitor's browser ("open now" badges)."""
from __future__ import annotations

from .compile import (
    CompiledHours,
    DayException,
    OpeningHoursError,
    compile_hours,
    mentions_public_holidays,
    parse_error,
)
from .describe import day_rows, describe, describe_holidays, describe_week, specification
from .holidays import HolidayCalendar, HolidayYear, build_calendar, holiday_year_from_data

__all__ = [
    "CompiledHours",
    "DayException",
    "HolidayCalendar",
    "HolidayYear",
    "OpeningHoursError",
    "build_calendar",
    "compile_hours",
    "day_rows",
    "describe",
    "describe_holidays",
    "describe_week",
    "holiday_year_from_data",
    "mentions_public_holidays",
    "parse_error",
    "specification",
]
