"""The map's station list: one compact file, or beyond `split_over` stations one file per town.

A province's 100,000 markers would be a 15 MB download before the map shows
anything; split, the map first loads a small index of towns (a count and a
box each) and then only the towns in view or near the visitor.
"""
from __future__ import annotations

from collections import defaultdict

from . import links
from .context import StationView
from .env import compact_json

MAP_FILE = "assets/yizhan/stations.json"
SPLIT_OVER = 10_000


def _entry(v: StationView) -> dict:
    return {"id": v.id, "n": v.name, "k": v.kind.text, "m": v.marker, "c": v.color, "la": v.lat, "lo": v.lon,
            "ap": v.approximate, "u": v.url, "t": v.town.text, "s": v.status, "h": v.hours.compact}


def _dump(value) -> bytes:
    return compact_json(value).encode("utf-8")


def map_files(views: list[StationView], split_over: int = SPLIT_OVER) -> dict[str, bytes]:
    placed = [v for v in views if v.lat is not None]
    if len(placed) <= split_over:
        return {MAP_FILE: _dump([_entry(v) for v in placed])}
    by_town: dict[str, list[StationView]] = defaultdict(list)
    for v in placed:
        by_town[v.town.text].append(v)
    files, towns = {}, []
    for town, members in sorted(by_town.items()):
        name = f"stations/{links.town_slug(town)}.json"  # relative to the index, as map.js resolves it
        files[f"assets/yizhan/{name}"] = _dump([_entry(v) for v in members])
        lats, lons = [v.lat for v in members], [v.lon for v in members]
        towns.append({"t": town, "f": name, "n": sum(v.status != "closed" for v in members),
                      "la": round(sum(lats) / len(lats), 5), "lo": round(sum(lons) / len(lons), 5),
                      "b": [min(lats), min(lons), max(lats), max(lons)]})
    files[MAP_FILE] = _dump({"towns": towns})
    return files
