"""How the site's pages are split into search index parts (generator/search_index.py)."""
from __future__ import annotations

import time
from pathlib import Path

import pytest

from generator.search_index import SearchIndex, SearchIndexError, folder, plan, station_parts

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


def fake_tool(tmp_path: Path, script: str) -> Path:
    tool = tmp_path / "pagefind"
    tool.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    tool.chmod(0o755)
    return tool


def early_index(tmp_path: Path, tool: Path) -> SearchIndex:
    site = tmp_path / "site"
    pages = stations(6)
    for page in pages + ["index.html"]:
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text("<html></html>", encoding="utf-8")
    index = SearchIndex(tool, site, part_pages=2)
    index.start_stations(1, {page: f"<h1>{page}</h1>" for page in pages}, "zh")
    assert len(index.early) == 3
    return index


def leftovers(tmp_path: Path) -> list[str]:
    return sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".pagefind-"))


def test_a_failing_early_part_fails_the_build_with_pagefinds_words_and_leaves_nothing_behind(tmp_path):
    index = early_index(tmp_path, fake_tool(tmp_path, "echo 'cannot read' >&2; exit 3"))
    with pytest.raises(SearchIndexError, match="cannot read"):
        index.finish()
    assert leftovers(tmp_path) == []


def test_a_failed_build_stops_early_indexing_and_leaves_nothing_behind(tmp_path):
    # like npm's wrapper, the tool runs the indexer as a child process, which must stop as well
    index = early_index(tmp_path, fake_tool(tmp_path, f"sleep 60 >/dev/null 2>&1 & echo $! > {tmp_path}/child; wait"))
    while not (tmp_path / "child").exists() or not (tmp_path / "child").read_text().strip():
        time.sleep(0.05)
    index.cancel()
    assert not index._thread.is_alive()
    child = int((tmp_path / "child").read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]
    assert leftovers(tmp_path) == []


def test_missing_pagefind_says_how_to_install_it(tmp_path):
    with pytest.raises(SearchIndexError, match="make site"):
        SearchIndex(tmp_path / "nowhere" / "pagefind", tmp_path / "site", 10)
