"""How the site's pages are split into search index parts (generator/search_index.py)."""
from __future__ import annotations

import pytest

from generator.search_index import folder, plan, station_parts

OTHERS = ["index.html", "stations/index.html", "towns/a/index.html"]


def stations(n: int) -> list[str]:
    return [f"stations/s{i:03d}/index.html" for i in range(n)]


def test_small_site_is_one_part():
    parts = plan(OTHERS + stations(5), 4000)
    assert len(parts) == 1 and sorted(parts[0]) == sorted(OTHERS + stations(5))
    assert folder(0, 1) == "pagefind/"


@pytest.mark.parametrize("n, part_pages", [(7, 3), (7, 4), (1000, 100), (997, 250), (0, 2)])
def test_parts_are_even_and_small_enough_and_hold_every_page_once(n, part_pages):
    pages = OTHERS + stations(n)
    parts = plan(pages, part_pages)
    assert len(parts) == -(-len(pages) // part_pages)  # as few as can be
    sizes = [len(p) for p in parts]
    assert max(sizes) <= part_pages and max(sizes) - min(sizes) <= 1
    every = [page for p in parts for page in p]
    assert sorted(every) == sorted(pages) and len(every) == len(set(every))


def test_pages_that_are_not_stations_go_last_in_the_bundle():
    parts = plan(OTHERS + stations(20), 10)
    assert set(OTHERS) <= set(parts[-1])
    assert [folder(n, len(parts)) for n in range(len(parts))] == ["pagefind/part-1/", "pagefind/part-2/", "pagefind/"]


@pytest.mark.parametrize("n, part_pages", [(7, 3), (20, 10), (1000, 100), (997, 250), (10, 4000), (2, 2)])
def test_early_parts_are_the_leading_station_only_parts_of_the_plan(n, part_pages):
    whole = plan(OTHERS + stations(n), part_pages)
    early = station_parts(len(OTHERS), stations(n), part_pages)
    assert early == whole[:len(early)]
    assert all(page.startswith("stations/s") for part in early for page in part)
    # every part that holds only stations is indexed early, except the last, the bundle
    assert len(early) == sum(1 for part in whole[:-1] if all(p.startswith("stations/s") for p in part))


def test_a_single_part_is_never_indexed_early():
    assert station_parts(0, stations(5), 10) == []
