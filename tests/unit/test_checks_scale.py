"""Cross-document rules stay fast on large catalogues and give the same answers as the simple,
quadratic way of writing them."""
from __future__ import annotations

import random
import time

from hypothesis import given, settings
from hypothesis import strategies as st

from generator import checks
from generator.config import SiteConfig
from generator.load import RawDoc, parse
from generator.validate import Doc


def _station(i: int, name: str, lat: float, lon: float) -> Doc:
    path = f"content/stations/s{i:05d}.yaml"
    root, _ = parse(path, f"id: s{i:05d}\nname: x\n")
    return Doc.of(RawDoc(path, "stations", root, []), {"name": name, "location": {"lat": lat, "lon": lon}})


def _all_pairs(stations: list[Doc]) -> list[tuple[str, str]]:
    """The rule as first written: every earlier station of the same name, in file order."""
    out = []
    for i, b in enumerate(stations):
        for a in stations[:i]:
            if "".join(a.data["name"].split()) == "".join(b.data["name"].split()) and \
                    checks._metres(a.data["location"], b.data["location"]) < 50:
                out.append((b.path, a.path))
                break
    return out


def _found(stations: list[Doc]) -> list[tuple[str, str]]:
    docs = {"stations": {d.stem: d for d in stations}}
    return [(p.path, p.message.split(" ")[1]) for p in checks.check_near_duplicates(docs, SiteConfig())]


# points around a few centres, some on band edges and near the poles, where longitude is no guide
CENTRES = [(36.1, 103.6), (0.0, 0.0), (89.9999, 10.0), (-89.99999, -170.0), (checks._BAND_DEGREES * 1000, 5.0)]
POINT = st.builds(
    lambda c, dlat, dlon: (max(-90.0, min(90.0, c[0] + dlat)), c[1] + dlon),
    st.sampled_from(CENTRES), st.floats(-0.002, 0.002), st.floats(-0.01, 0.01))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(["甲站", "甲 站", "乙站"]), POINT), max_size=25))
def test_same_answers_as_comparing_all_pairs(rows):
    stations = [_station(i, name, lat, lon) for i, (name, (lat, lon)) in enumerate(rows)]
    assert sorted(_found(stations)) == _all_pairs(stations)  # check_site sorts the problems


def test_many_stations_of_one_name_are_not_compared_all_with_all():
    # 20,000 stations of one name across Lanzhou: all pairs would be 200 million distances
    rng = random.Random(0)
    stations = [_station(i, "同名驿站", rng.uniform(35.55, 37.10), rng.uniform(102.60, 104.55)) for i in range(20000)]
    start = time.perf_counter()
    found = _found(stations)
    assert time.perf_counter() - start < 10
    assert sorted(found) == sorted(_all_pairs_near(stations))


def _all_pairs_near(stations: list[Doc]) -> list[tuple[str, str]]:
    """_all_pairs for one name, sped up by sorting on latitude only to keep this test quick."""
    order = sorted(range(len(stations)), key=lambda i: stations[i].data["location"]["lat"])
    near: dict[int, list[int]] = {}
    for n, i in enumerate(order):
        for j in order[n + 1:]:
            if stations[j].data["location"]["lat"] - stations[i].data["location"]["lat"] > 0.001:
                break
            near.setdefault(max(i, j), []).append(min(i, j))
    out = []
    for b in range(len(stations)):
        for a in sorted(near.get(b, [])):
            if checks._metres(stations[a].data["location"], stations[b].data["location"]) < 50:
                out.append((stations[b].path, stations[a].path))
                break
    return out
