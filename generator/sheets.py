"""Where a station is shown: on a page of its own, or, on a very large site, on its town's sheet.

A page per station costs ~10 KB of the theme's chrome on top of the station itself: 1 GB at
100,000 stations, GitHub Pages' whole limit. Beyond `station_pages_max` stations, each town's
stations are shown together, up to SHEET_SIZE to a page (`stations/<sheet>/#<station id>`).
The pages, the map, the search and the datasets all take a station's address from here.
"""
from __future__ import annotations

import hashlib
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass

from .model import Station

SHEET_SIZE = 25  # stations to a sheet: ~130 KB of HTML, ~15 KB gzipped, a fair page for a phone


@dataclass(frozen=True)
class Sheet:
    id: str  # the page is stations/<id>/
    town: str
    number: int  # 1-based, of `of` sheets for the town
    of: int
    ids: tuple[str, ...]  # its stations', by id
    positions: tuple[int, ...]  # where they are in the stations the sheets were planned from


def sheet_id(town: str, number: int) -> str:
    # The underscores keep it apart from every station id (common.schema.json's id has none), and the
    # hash keeps it ASCII, as the page's slot in the shared shell (generator/shell.py) is.
    return f"town_{hashlib.sha1(town.encode('utf-8')).hexdigest()[:10]}_{number}"


def plan_sheets(stations: Sequence[Station], pages_max: int, size: int = SHEET_SIZE) -> list[Sheet]:
    """No sheets while the site has at most `pages_max` stations; else each town's, in order of id."""
    if len(stations) <= pages_max:
        return []
    by_town: dict[str, list[tuple[str, int]]] = defaultdict(list)
    for position, st in enumerate(stations):
        by_town[st.town].append((st.id, position))
    sheets = []
    for town, members in sorted(by_town.items()):
        members.sort()
        count = -(-len(members) // size)
        for n in range(count):
            part = members[n * size:(n + 1) * size]
            sheets.append(Sheet(sheet_id(town, n + 1), town, n + 1, count, tuple(i for i, _ in part),
                                tuple(p for _, p in part)))
    return sheets


def sheet_of(sheets: list[Sheet]) -> dict[str, str]:
    """Station id → the id of the sheet that shows it; empty when every station has its own page."""
    return {i: sheet.id for sheet in sheets for i in sheet.ids}
