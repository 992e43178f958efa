"""SiteConfig: one typed place for paths, the expected area and the build date."""
from __future__ import annotations

import os
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

CHINA_TZ = timezone(timedelta(hours=8))  # Asia/Shanghai has had no DST since 1991


@dataclass(frozen=True)
class Box:
    south: float
    west: float
    north: float
    east: float

    def contains(self, lat: float, lon: float) -> bool:
        return self.south <= lat <= self.north and self.west <= lon <= self.east


# Xigu district is the expected region; Lanzhou city is the outer limit (outside it
# a coordinate is surely a typo). Both boxes are generous by design.
XIGU = Box(35.95, 103.35, 36.25, 103.80)
LANZHOU = Box(35.55, 102.60, 37.10, 104.55)


def build_date() -> date:
    """"Today" for staleness and holiday windows: SOURCE_DATE_EPOCH makes builds reproducible."""
    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if epoch and epoch.strip().isdigit():
        return datetime.fromtimestamp(int(epoch), CHINA_TZ).date()
    return datetime.now(CHINA_TZ).date()


@dataclass(frozen=True)
class SiteConfig:
    content_dir: Path = Path("content")
    templates_dir: Path = Path("site_templates")
    site_url: str = ""
    repo_url: str = ""
    edit_base: str = ""  # URL prefix that, followed by a content path, opens the editor for that file
    expected_area: Box = XIGU
    outer_area: Box = LANZHOU
    stale_after_days: int = 365
    holiday_window_days: int = 60
    today: date = field(default_factory=build_date)
    # More stations than this and they are shown on their towns' sheets, not on a page each
    # (generator/sheets.py): up to here the site stays under ~0.65 GB, at ~32 KB a station.
    station_pages_max: int = 20_000
