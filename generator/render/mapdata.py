"""The map's station list: one compact file, or beyond `split_over` stations one file per town.

A province's 100,000 markers would be a 15 MB download before the map shows
anything; split, the map first loads a small index of towns (a count and a
box each) and then only the towns in view or near the visitor.
"""
from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from . import links
from .context import StationView
from .env import compact_json

MAP_FILE = "assets/yizhan/stations.json"
SPLIT_OVER = 10_000


@dataclass(frozen=True)
class MapEntry:
    """A placed station as the map file lists it, already JSON: made as the station is read, so the
    map needs no station held (generator/store.py)."""

    town: str
    json: str
    lat: float
    lon: float
    closed: bool


def map_entry(v: StationView) -> MapEntry | None:
    if v.lat is None:
        return None
    entry = {"id": v.id, "n": v.name, "k": v.kind.text, "m": v.marker, "c": v.color, "la": v.lat, "lo": v.lon,
             "ap": v.approximate, "u": v.url, "t": v.town.text, "s": v.status, "h": v.hours.compact}
    return MapEntry(v.town.text, compact_json(entry), v.lat, v.lon, v.status == "closed")


def _dump(value) -> bytes:
    return compact_json(value).encode("utf-8")


def _listed(entries: list[MapEntry]) -> bytes:
    return ("[" + ",".join(e.json for e in entries) + "]").encode("utf-8")  # as compact_json writes a list


def map_files(placed: list[MapEntry], split_over: int = SPLIT_OVER) -> dict[str, bytes]:
    if len(placed) <= split_over:
        return {MAP_FILE: _listed(placed)}
    by_town: dict[str, list[MapEntry]] = defaultdict(list)
    for e in placed:
        by_town[e.town].append(e)
    files, towns = {}, []
    for town, members in sorted(by_town.items()):
        name = f"stations/{links.town_slug(town)}.json"  # relative to the index, as map.js resolves it
        files[f"assets/yizhan/{name}"] = _listed(members)
        lats, lons = [e.lat for e in members], [e.lon for e in members]
        towns.append({"t": town, "f": name, "n": sum(not e.closed for e in members),
                      "la": round(sum(lats) / len(lats), 5), "lo": round(sum(lons) / len(lons), 5),
                      "b": [min(lats), min(lons), max(lats), max(lons)]})
    files[MAP_FILE] = _dump({"towns": towns})
    return files
