"""One pass through the stations for every page that lists them and for the map.

The lists hold stations' positions in the catalogue, not the stations: a list's page reads its
members again when it is rendered (generator/store.py keeps them on disk), so that no page, and
no list, holds the whole catalogue. At 100,000 stations the records and their views, held from
the check to the last page, were more than half of a build's memory.
"""
from __future__ import annotations

import sys
from array import array
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..model import Policy, Station
from .context import StationView
from .mapdata import MapEntry, map_entry


def _positions() -> array:
    return array("I")  # 4 bytes a member, where a list of ints costs 36


@dataclass
class Listing:
    ids: list[str] = field(default_factory=list)  # by position
    towns: list[str] = field(default_factory=list)  # by position
    by_kind: dict[str, array] = field(default_factory=lambda: defaultdict(_positions))
    by_town: dict[str, array] = field(default_factory=lambda: defaultdict(_positions))
    by_service: dict[str, array] = field(default_factory=lambda: defaultdict(_positions))
    by_policy: dict[str, array] = field(default_factory=lambda: defaultdict(_positions))
    open_by_kind: Counter = field(default_factory=Counter)  # stations not closed
    placed: list[MapEntry] = field(default_factory=list)  # the map's, in order of id


def list_stations(stations: Iterable[Station], policies: Sequence[Policy], view: Callable[[Station], StationView],
                  visit: Callable[[int, Station, StationView], None] | None = None) -> Listing:
    """Group the stations by kind, town, service and policy; `visit` sees each as it goes by."""
    reach: dict[tuple[str, str], set[str]] = defaultdict(set)  # ("kind"|"service", id) → policy ids
    for pol in policies:
        for key in [("kind", k) for k in pol.applies_to_kinds] + [("service", s) for s in pol.applies_to_services]:
            reach[key].add(pol.id)
    out = Listing()
    for position, st in enumerate(stations):
        v = view(st)
        out.ids.append(st.id)
        out.towns.append(sys.intern(st.town))  # a few dozen towns, each held once
        out.by_kind[st.kind].append(position)
        out.by_town[st.town].append(position)
        for s in st.services:
            out.by_service[s].append(position)
        # a policy covers the stations that name it, and those of the kinds and services it applies to
        covering = [reach.get(("service", s), ()) for s in st.services]
        for p in sorted(reach.get(("kind", st.kind), set()).union(st.policies, *covering)):
            out.by_policy[p].append(position)
        if st.status != "closed":
            out.open_by_kind[st.kind] += 1
        entry = map_entry(v)
        if entry is not None:
            out.placed.append(entry)
        if visit is not None:
            visit(position, st, v)
    return out
