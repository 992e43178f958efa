"""Index the finished site for search with Pagefind, in parts of bounded size.

Pagefind holds its whole index in memory while it works, about 170 KB per station
page (bench/README.md), so one index for 10,000 stations needed 1.8 GB and one for
100,000 would need over 20 GB. Each part is indexed by its own Pagefind run over
a folder of hard links to that part's pages (URLs stay as in the site), so memory
is bounded by `part_pages`, not by the size of the site. The browser merges the
parts (Pagefind's `mergeIndex`), listed in `pagefind/yizhan-parts.json`; the first
part is the usual `pagefind/` bundle, later parts are `pagefind/part-<n>/`.
"""
from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

BUNDLE = "pagefind"
PARTS_FILE = "yizhan-parts.json"
# Only the article is content; the theme's chrome, maps and report links are not.
ROOT_SELECTOR = "article.md-content__inner"
EXCLUDE_SELECTORS = ".md-content__button, .yz-map, .yz-report"


class SearchIndexError(Exception):
    """Pagefind could not be run or failed; the message says what to do."""


@dataclass(frozen=True)
class Part:
    folder: str  # relative to the site, ends with "/"
    pages: tuple[str, ...]  # site-relative HTML paths


def plan(pages: list[str], part_pages: int) -> list[Part]:
    """Split the site's HTML pages into as few parts as hold at most `part_pages` pages each.

    Parts are of even size, so that none needs more memory than it must. Pages that
    are not stations (towns, kinds, policies, data, about: few) come first, then
    station pages in order of their ids.
    """
    ordered = sorted(p for p in pages if not _is_station(p)) + sorted(p for p in pages if _is_station(p))
    count = max(1, -(-len(ordered) // max(1, part_pages)))
    chunks = [ordered[len(ordered) * n // count:len(ordered) * (n + 1) // count] for n in range(count)]
    return [Part(BUNDLE + "/" if n == 0 else f"{BUNDLE}/part-{n + 1}/", tuple(chunk))
            for n, chunk in enumerate(chunks)]


def _is_station(page: str) -> bool:
    parts = page.split("/")
    return parts[0] == "stations" and len(parts) > 2  # stations/<id>/index.html, not stations/index.html


def index_site(site: Path, tool: Path, part_pages: int) -> list[Part]:
    if not tool.exists():
        raise SearchIndexError(f"找不到搜索索引工具 Pagefind：{tool}。请运行 `make site`（或 `npm ci`）安装。"
                               f"\n(Pagefind not found at {tool}; run `make site` or `npm ci`.)")
    pages = [p.relative_to(site).as_posix() for p in site.rglob("*.html")]
    pages = [p for p in pages if not p.startswith(BUNDLE + "/")]
    parts = plan(pages, part_pages)
    shutil.rmtree(site / BUNDLE, ignore_errors=True)
    for part in parts:
        _index_part(site, tool, part)
    later = [p.folder.removeprefix(BUNDLE + "/") for p in parts[1:]]
    (site / BUNDLE / PARTS_FILE).write_text(json.dumps(later), encoding="utf-8")
    return parts


def _index_part(site: Path, tool: Path, part: Part) -> None:
    # The staging folder sits next to the site so that hard links work (same file system).
    stage = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=site.parent))
    try:
        for page in part.pages:
            target = stage / page
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(site / page, target)
            except OSError:
                shutil.copyfile(site / page, target)
        cmd = [str(tool), "--site", str(stage), "--output-path", str(site / part.folder), "--quiet",
               "--root-selector", ROOT_SELECTOR, "--exclude-selectors", EXCLUDE_SELECTORS]
        done = subprocess.run(cmd, capture_output=True, text=True)
        if done.returncode != 0:
            raise SearchIndexError(f"Pagefind failed ({done.returncode}) on {part.folder}:\n"
                                   f"{done.stdout}\n{done.stderr}")
    finally:
        shutil.rmtree(stage, ignore_errors=True)
    if part.folder != BUNDLE + "/":
        # A merged part is only data: the browser runs the first part's scripts and wasm.
        for f in (site / part.folder).iterdir():
            if f.is_file() and f.name != "pagefind-entry.json" and not f.name.endswith(".pf_meta"):
                f.unlink()
