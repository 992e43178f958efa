"""How the site's pages are split into search index parts (generator/search_index.py)."""
from __future__ import annotations

import pytest

from generator.search_index import plan

OTHERS = ["index.html", "stations/index.html", "towns/a/index.html"]


def pages(stations: int) -> list[str]:
    return OTHERS + [f"stations/s{n:03d}/index.html" for n in range(stations)]


def test_small_site_is_one_part():
    parts = plan(pages(5), 4000)
    assert [p.folder for p in parts] == ["pagefind/"]
    assert sorted(parts[0].pages) == sorted(pages(5))


@pytest.mark.parametrize("stations, part_pages", [(7, 3), (7, 4), (1000, 100), (997, 250), (0, 2)])
def test_parts_are_even_and_small_enough_and_hold_every_page_once(stations, part_pages):
    parts = plan(pages(stations), part_pages)
    total = stations + len(OTHERS)
    assert len(parts) == -(-total // part_pages)  # as few as can be
    assert [p.folder for p in parts] == ["pagefind/"] + [f"pagefind/part-{n}/" for n in range(2, len(parts) + 1)]
    sizes = [len(p.pages) for p in parts]
    assert max(sizes) <= part_pages and max(sizes) - min(sizes) <= 1
    every = [page for p in parts for page in p.pages]
    assert sorted(every) == sorted(pages(stations)) and len(every) == len(set(every))


def test_pages_that_are_not_stations_go_first():
    parts = plan(pages(20), 10)
    assert set(OTHERS) <= set(parts[0].pages)
