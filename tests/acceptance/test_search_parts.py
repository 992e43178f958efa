"""Pagefind itself, on each part's glob: every page is indexed once, whatever its name (generator/search_index.py)."""
from __future__ import annotations

import json
from pathlib import Path
from urllib.parse import unquote

import pytest

from generator.bench.weight import read_pagefind
from generator.search_index import SearchIndex

PAGEFIND = Path(__file__).resolve().parents[2] / "node_modules" / ".bin" / "pagefind"
# Names a docs/ page could be given, with every character the glob syntax knows
ODD = ["a[1]", "b{2},c", "关于 草稿!", "x*y?", "q$", "q:", "q<>", "q(1)", "q|", "q#~^%&+@'", "back\\slash"]


def indexed_urls(bundle: Path) -> list[str]:
    return [unquote(json.loads(read_pagefind(f))["url"]) for f in (bundle / "fragment").glob("*.pf_fragment")]


@pytest.mark.skipif(not PAGEFIND.exists(), reason="Pagefind comes with `make site` / `npm ci`")
@pytest.mark.parametrize("in_memory", [False, True], ids=["written-beside-the-site", "written-in-memory-then-copied"])
def test_every_page_is_indexed_once_in_its_part_whatever_its_name(tmp_path, monkeypatch, in_memory):
    # Pagefind's own variables, set in a shell for something else, must not change what a part holds
    monkeypatch.setenv("PAGEFIND_GLOB", "**/*.html")
    monkeypatch.setenv("PAGEFIND_OUTPUT_PATH", str(tmp_path / "elsewhere"))
    site = tmp_path / "site"
    # station ids that begin other ids, in other parts: a part's glob names its stations by prefixes
    ids = ["s", "s-1", "s0", "s1", "s1-0", "s10", "s100", "s11", "s2", "s20"]
    pages = ["index.html"] + [f"stations/{i}/index.html" for i in ids] + [f"{name}/index.html" for name in ODD]
    for page in pages:
        (site / page).parent.mkdir(parents=True, exist_ok=True)
        (site / page).write_text(f'<html lang="zh"><body><article class="md-content__inner"><h1>驿站</h1>'
                                 f'<p>{len(page)}</p></article></body></html>', encoding="utf-8")
    scratch = tmp_path / "shm" if in_memory else None  # stands for /dev/shm
    if scratch:
        scratch.mkdir()
    index = SearchIndex(PAGEFIND, site, part_pages=4, scratch=scratch)
    parts = index.split()
    index.start(parts[0])
    index.finish()
    listed = json.loads((site / "pagefind" / "yizhan-parts.json").read_text(encoding="utf-8"))
    found = []
    for part in parts:
        urls = indexed_urls(site / part.folder)
        assert len(urls) == len(part.pages), part  # nothing else matched, nothing missed
        found += urls
    assert len(listed) == len(parts) - 1
    assert sorted(found) == sorted("/" + p.removesuffix("index.html") for p in pages)
    assert not list(tmp_path.glob(".pagefind-*")) and not list(tmp_path.glob("shm/*"))
