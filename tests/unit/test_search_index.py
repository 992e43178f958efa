"""How the site's pages are split into search index parts, and how a failed run ends (generator/search_index.py)."""
from __future__ import annotations

import random
import time
from pathlib import Path

import pytest

from generator import search_index
from generator.search_index import SearchIndex, SearchIndexError, glob_of, native_binary, plan, ram_dir

OTHERS = ["index.html", "stations/index.html", "towns/a/index.html"]


def stations(n: int) -> list[str]:
    return [f"stations/s{i:03d}/index.html" for i in range(n)]


def test_small_site_is_one_part_the_bundle():
    parts = plan(OTHERS + stations(5), 4000)
    assert [p.folder for p in parts] == ["pagefind/"]
    assert sorted(parts[0].pages) == sorted(OTHERS + stations(5))


@pytest.mark.parametrize("n, part_pages", [(7, 3), (7, 4), (1000, 100), (997, 250), (0, 2)])
def test_parts_are_even_and_small_enough_and_hold_every_page_once(n, part_pages):
    pages = OTHERS + stations(n)
    parts = plan(pages, part_pages)
    assert len(parts) == -(-len(pages) // part_pages)  # as few as can be
    assert [p.folder for p in parts] == [f"pagefind/part-{k}/" for k in range(1, len(parts))] + ["pagefind/"]
    sizes = [len(p.pages) for p in parts]
    assert max(sizes) <= part_pages and max(sizes) - min(sizes) <= 1
    every = [page for p in parts for page in p.pages]
    assert sorted(every) == sorted(pages) and len(every) == len(set(every))


def test_stations_come_first_and_the_other_pages_last_in_the_bundle():
    parts = plan(OTHERS + stations(20), 10)
    assert [p.stations_only for p in parts] == [True, True, False]
    assert set(OTHERS) <= set(parts[-1].pages) and parts[-1].folder == "pagefind/"


def matches(glob: str, page: str) -> bool:
    """The station pages' share of a glob from glob_of, read as Pagefind reads it (ids need no escapes)."""
    if "stations/{" not in glob:
        return False
    terms = glob[glob.index("stations/{") + len("stations/{"):-len("}/index.html}")].split(",")
    name = page.removeprefix("stations/").removesuffix("/index.html")
    return any(name.startswith(t[:-1]) if t.endswith("*") else name == t for t in terms)


@pytest.mark.parametrize("seed", range(20))
def test_a_parts_glob_names_its_station_pages_and_no_other_stations(seed):
    # ids that are prefixes of others, across parts: s1, s1-2, s10, s100...
    rng = random.Random(seed)
    ids = sorted({"s" + "".join(rng.choice("01-a") for _ in range(rng.randint(0, 4))).strip("-") or "s"
                  for _ in range(rng.randint(1, 60))})
    parts = plan([f"stations/{i}/index.html" for i in ids] + OTHERS, rng.randint(1, 20))
    for part in parts:
        elsewhere = [page for other in parts if other is not part for page in other.pages]
        glob = glob_of(part.pages, elsewhere)
        station_pages = [p for p in part.pages if p.count("/") == 2 and p.startswith("stations/")]
        assert all(matches(glob, p) for p in station_pages)
        assert not any(matches(glob, p) for p in elsewhere if p.count("/") == 2 and p.startswith("stations/"))
        assert len(glob) < 40 * len(part.pages) + 100


def test_a_page_never_to_be_indexed_is_in_no_part_and_no_parts_glob(tmp_path):
    # the station shell is written while the first part is indexed: "a*" would take it in
    index = SearchIndex(fake_tool(tmp_path, "exit 0"), tmp_path / "site", part_pages=2)
    coming = [f"stations/{i}/index.html" for i in ("a1", "a2", "b1", "b2")]
    parts = index.split(coming, never=["stations/a-shell/index.html"])
    assert all("stations/a-shell/index.html" not in part.pages for part in parts)
    glob = glob_of(parts[0].pages, index._elsewhere(parts[0]))
    assert matches(glob, "stations/a1/index.html") and not matches(glob, "stations/a-shell/index.html")


def test_a_large_parts_glob_is_short():
    parts = plan(OTHERS + stations(1000), 400)
    glob = glob_of(parts[0].pages, [page for other in parts[1:] for page in other.pages])
    assert len(parts[0].pages) == 334 and len(glob) < 400, glob


def test_npms_pagefind_wrapper_is_skipped_for_the_program_it_runs(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index.sys, "platform", "linux")
    monkeypatch.setattr(search_index.platform, "machine", lambda: "x86_64")
    wrapper = fake_tool(tmp_path / "node_modules" / ".bin", "exit 0")
    assert native_binary(wrapper) == wrapper  # no program installed for this machine: the wrapper finds out
    binary = tmp_path / "node_modules" / "@pagefind" / "linux-x64" / "bin" / "pagefind"
    for name in ("pagefind_extended", "pagefind"):
        fake_tool(binary.parent, "exit 0").rename(binary.parent / name)
    assert native_binary(wrapper) == binary.with_name("pagefind_extended")  # the one that segments Chinese
    (binary.parent / "pagefind_extended").unlink()
    assert native_binary(wrapper) == binary
    assert native_binary(tmp_path / "pagefind") == tmp_path / "pagefind"  # not from npm: run as given


def fake_tool(tmp_path: Path, script: str) -> Path:
    tool = tmp_path / "pagefind"
    tool.parent.mkdir(parents=True, exist_ok=True)
    tool.write_text("#!/bin/sh\n" + script + "\n", encoding="utf-8")
    tool.chmod(0o755)
    return tool


@pytest.fixture(params=["beside-the-site", "in-memory"])
def scratch(request, tmp_path) -> Path | None:
    """Where Pagefind writes: straight beside the site, or in a folder standing for /dev/shm."""
    if request.param == "beside-the-site":
        return None
    (tmp_path / "shm").mkdir()
    return tmp_path / "shm"


def early_index(tmp_path: Path, tool: Path, scratch: Path | None) -> SearchIndex:
    """A site of six stations and a home page, in parts of two, the first part started."""
    site = tmp_path / "site"
    for page in stations(6) + ["index.html"]:
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text("<html></html>", encoding="utf-8")
    index = SearchIndex(tool, site, part_pages=2, scratch=scratch)
    parts = index.split()
    assert len(parts) == 4 and parts[0].stations_only
    index.start(parts[0])
    return index


def leftovers(tmp_path: Path) -> list[str]:
    folders = [tmp_path] + [tmp_path / "shm"] * (tmp_path / "shm").exists()
    return sorted(p.name for folder in folders for p in folder.iterdir() if p.name.startswith(".pagefind-"))


def test_a_failing_early_part_fails_the_build_with_pagefinds_words_and_leaves_nothing_behind(tmp_path, scratch):
    index = early_index(tmp_path, fake_tool(tmp_path, "echo 'cannot read' >&2; exit 3"), scratch)
    with pytest.raises(SearchIndexError, match="cannot read"):
        index.finish()
    assert leftovers(tmp_path) == []


def test_a_failed_build_stops_early_indexing_and_leaves_nothing_behind(tmp_path, scratch):
    # like npm's wrapper, the tool runs the indexer as a child process, which must stop as well
    index = early_index(tmp_path, fake_tool(tmp_path, f"sleep 60 >/dev/null 2>&1 & echo $! > {tmp_path}/child; wait"),
                        scratch)
    while not (tmp_path / "child").exists() or not (tmp_path / "child").read_text().strip():
        time.sleep(0.05)
    index.cancel()
    assert all(run.done() for run, _ in index._started.values())
    child = int((tmp_path / "child").read_text())
    time.sleep(0.2)
    assert not Path(f"/proc/{child}").exists() or "Z" in Path(f"/proc/{child}/stat").read_text().split()[2]
    assert leftovers(tmp_path) == []


def test_missing_pagefind_says_how_to_install_it(tmp_path):
    with pytest.raises(SearchIndexError, match="make site"):
        SearchIndex(tmp_path / "nowhere" / "pagefind", tmp_path / "site", 10)


# Reads its options as Pagefind does, from pagefind.json where it runs, and writes what Pagefind
# writes, with the glob it was given, into its output folder.
FAKE_PAGEFIND = """
python3 - <<'PY'
import json, pathlib
cfg = json.load(open("pagefind.json"))
out = pathlib.Path(cfg["output_path"])
(out / "index").mkdir(parents=True); (out / "fragment").mkdir()
(out / "index" / "glob.pf_index").write_text(cfg["glob"])
(out / "pagefind-entry.json").write_text("{}"); (out / "pagefind.zh_1.pf_meta").write_text("m")
(out / "pagefind.js").write_text("js")
PY
"""


def test_every_part_lands_in_its_folder_and_only_the_bundle_keeps_the_scripts(tmp_path, scratch):
    index = early_index(tmp_path, fake_tool(tmp_path, FAKE_PAGEFIND), scratch)
    parts = index.finish()
    site = tmp_path / "site"
    assert (site / "pagefind" / "yizhan-parts.json").read_text() == '["part-1/", "part-2/", "part-3/"]'
    for part in parts:
        folder = site / part.folder
        elsewhere = [page for other in parts if other is not part for page in other.pages]
        assert (folder / "index" / "glob.pf_index").read_text() == glob_of(part.pages, elsewhere)
        assert (folder / "pagefind.js").exists() == (part.folder == "pagefind/")
        assert (folder / "pagefind-entry.json").exists() and (folder / "pagefind.zh_1.pf_meta").exists()
    assert leftovers(tmp_path) == []


def test_pagefind_writes_in_memory_only_where_there_is_room(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "RAM_DIR", tmp_path)
    assert ram_dir() == tmp_path
    monkeypatch.setattr(search_index, "RAM_NEEDED", 1 << 60)  # a full or Docker-sized /dev/shm
    assert ram_dir() is None
    monkeypatch.setattr(search_index, "RAM_DIR", tmp_path / "none")
    monkeypatch.setattr(search_index, "RAM_NEEDED", 0)
    assert ram_dir() is None
