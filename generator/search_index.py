"""Index the site for search with Pagefind, in parts of bounded size, partly while the site is built.

Pagefind holds its whole index in memory while it works, about 170 KB per station
page (bench/README.md), so one index for 10,000 stations needed 1.8 GB and one for
100,000 would need over 20 GB. Each part is indexed by its own Pagefind run over
a folder of its pages (URLs stay as in the site), so memory is bounded by
`part_pages`, not by the size of the site. The browser merges the parts (Pagefind's
`mergeIndex`), listed in `pagefind/yizhan-parts.json`; the first part is the usual
`pagefind/` bundle, later parts are `pagefind/part-<n>/`.

Pagefind reads only the article of a page (ROOT_SELECTOR), and a station's article
is its body, known before mkdocs renders anything. So the parts that hold only
stations are indexed from pages that are just that article, one run after another
in a background thread, while mkdocs renders and writes the site; the index is the
same, file for file (tests/unit/test_search_index.py). The first part, with every
page that is not a station, is indexed from the finished site. At most one Pagefind
runs at a time: running two would add another ~0.6 GB.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import tempfile
import threading
from dataclasses import dataclass
from html import escape
from pathlib import Path

BUNDLE = "pagefind"
PARTS_FILE = "yizhan-parts.json"
# Only the article is content; the theme's chrome, maps and report links are not.
ROOT_SELECTOR = "article.md-content__inner"
EXCLUDE_SELECTORS = ".md-content__button, .yz-map, .yz-report"
ARTICLE = '<article class="md-content__inner md-typeset">{}</article>'


class SearchIndexError(Exception):
    """Pagefind could not be run or failed; the message says what to do."""


@dataclass(frozen=True)
class Part:
    folder: str  # relative to the site, ends with "/"
    pages: tuple[str, ...]  # site-relative HTML paths


def plan(pages: list[str], part_pages: int) -> list[tuple[str, ...]]:
    """Split pages into as few parts of even size as hold at most `part_pages` pages each.

    Station pages come first, in order of their ids, and the other pages (towns,
    kinds, policies, data, about: few) last, so that the first parts hold only
    stations and can be indexed early.
    """
    ordered = sorted(p for p in pages if is_station(p)) + sorted(p for p in pages if not is_station(p))
    count = max(1, -(-len(ordered) // max(1, part_pages)))
    return [tuple(ordered[len(ordered) * n // count:len(ordered) * (n + 1) // count]) for n in range(count)]


def station_parts(others: int, stations: list[str], part_pages: int) -> list[tuple[str, ...]]:
    """The leading parts of plan() that hold only station pages, given how many other pages there
    will be (an estimate: the theme may add some; finish() copes when it was wrong)."""
    ordered = sorted(stations)
    total = len(ordered) + others
    count = max(1, -(-total // max(1, part_pages)))
    bounds = [total * n // count for n in range(count + 1)]
    return [tuple(ordered[bounds[n]:bounds[n + 1]]) for n in range(count - 1) if bounds[n + 1] <= len(ordered)]


def folder(n: int, count: int) -> str:
    """The last part, which holds the pages that are not stations, is the bundle with the scripts."""
    return f"{BUNDLE}/" if n == count - 1 else f"{BUNDLE}/part-{n + 1}/"


def is_station(page: str) -> bool:
    parts = page.split("/")
    return parts[0] == "stations" and len(parts) > 2  # stations/<id>/index.html, not stations/index.html


def article_page(body: str, lang: str) -> str:
    """What Pagefind reads of a station page, and nothing else: its article, in the page's language."""
    return f'<!doctype html><html lang="{escape(lang)}"><head><meta charset="utf-8"></head><body>' \
           f'{ARTICLE.format(body)}</body></html>'


class SearchIndex:
    """One build's search index: station parts started early, the rest at the end."""

    def __init__(self, tool: Path, site: Path, part_pages: int):
        if not tool.exists():
            raise SearchIndexError(f"找不到搜索索引工具 Pagefind：{tool}。请运行 `make site`（或 `npm ci`）安装。"
                                   f"\n(Pagefind not found at {tool}; run `make site` or `npm ci`.)")
        self.tool, self.site, self.part_pages = tool, site, part_pages
        self.early: list[Part] = []
        self._outputs: dict[str, Path] = {}  # part folder → where its early run wrote it
        self._stages: list[Path] = []
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._proc: subprocess.Popen | None = None
        self._cancelled = False
        self._lock = threading.Lock()

    def start_stations(self, others: int, articles: dict[str, str], lang: str) -> None:
        """Index the station-only parts in the background. `articles`: page path → article body."""
        early = station_parts(others, list(articles), self.part_pages)
        # none of these is the last part: that one holds the other pages
        self.early = [Part(folder(n, len(early) + 1), pages) for n, pages in enumerate(early)]
        if not self.early:
            return
        work = [(part, {page: articles[page] for page in part.pages}) for part in self.early]
        self._thread = threading.Thread(target=self._run_early, args=(work, lang), name="pagefind", daemon=True)
        self._thread.start()

    def _run_early(self, work: list[tuple[Part, dict[str, str]]], lang: str) -> None:
        try:
            stage = self._write_articles(work[0][1], lang)
            for n, (part, _) in enumerate(work):
                out = stage.with_name(stage.name + "-out")
                self._stages.append(out)
                proc = self._launch(stage, out)
                # the next part's pages are written while Pagefind reads this one's
                following = self._write_articles(work[n + 1][1], lang) if n + 1 < len(work) else None
                self._wait(proc, part.folder)
                self._outputs[part.folder] = out
                shutil.rmtree(stage, ignore_errors=True)
                stage = following
        except BaseException as e:  # noqa: BLE001 - raised in the build's thread by finish()
            self._error = e

    def _write_articles(self, articles: dict[str, str], lang: str) -> Path:
        stage = self._stage()
        for page, body in articles.items():
            target = stage / page
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(article_page(body, lang), encoding="utf-8")
        return stage

    def finish(self) -> list[Part]:
        """Index the rest of the finished site, put every part in place and list them; the parts."""
        site = self.site
        pages = [p.relative_to(site).as_posix() for p in site.rglob("*.html")]
        pages = [p for p in pages if not p.startswith(BUNDLE + "/")]
        early_pages = {page for part in self.early for page in part.pages}
        missing = sorted(early_pages.difference(pages))
        if missing:
            self.cancel()
            raise SearchIndexError(f"pages indexed early are not in the site: {', '.join(missing[:5])}")
        if self._thread is not None:
            self._thread.join()  # one Pagefind at a time
        if self._error is not None:
            self.cancel()
            raise self._error
        whole = plan(pages, self.part_pages)
        if whole[:len(self.early)] == [part.pages for part in self.early]:
            rest = whole[len(self.early):]
        else:  # the estimate of other pages was off: the early parts stand, the rest is split anew
            rest = plan([p for p in pages if p not in early_pages], self.part_pages)
        total = len(self.early) + len(rest)
        late = [Part(folder(len(self.early) + n, total), chunk) for n, chunk in enumerate(rest)]
        shutil.rmtree(site / BUNDLE, ignore_errors=True)
        try:
            for part in reversed(late):  # the bundle first: the others go inside its folder
                self._index_part(part)
            for part in self.early:
                shutil.move(self._outputs[part.folder], site / part.folder)
        finally:
            self._clean()
        parts = self.early + late
        merged = [p for p in parts if p.folder != BUNDLE + "/"]
        for part in merged:
            _keep_data_only(site / part.folder)
        later = [p.folder.removeprefix(BUNDLE + "/") for p in merged]
        (site / BUNDLE / PARTS_FILE).write_text(json.dumps(later), encoding="utf-8")
        return parts

    def cancel(self) -> None:
        """Stop early indexing (the build failed) and remove what it wrote."""
        with self._lock:
            self._cancelled = True
            if self._proc is not None and self._proc.poll() is None:
                os.killpg(self._proc.pid, signal.SIGKILL)
        if self._thread is not None:
            self._thread.join()
        self._clean()

    def _index_part(self, part: Part) -> None:
        stage = self._stage()
        for page in part.pages:
            target = stage / page
            target.parent.mkdir(parents=True, exist_ok=True)
            try:
                os.link(self.site / page, target)
            except OSError:
                shutil.copyfile(self.site / page, target)
        self._wait(self._launch(stage, self.site / part.folder), part.folder)
        shutil.rmtree(stage, ignore_errors=True)

    def _stage(self) -> Path:
        # Next to the site, so that hard links work (same file system) and moves are renames.
        stage = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=self.site.parent))
        self._stages.append(stage)
        return stage

    def _launch(self, stage: Path, output: Path) -> subprocess.Popen:
        cmd = [str(self.tool), "--site", str(stage), "--output-path", str(output), "--quiet",
               "--root-selector", ROOT_SELECTOR, "--exclude-selectors", EXCLUDE_SELECTORS]
        with self._lock:
            if self._cancelled:
                raise SearchIndexError("search indexing was cancelled")
            # its own process group: npm's wrapper runs the real binary as a child, which must stop too
            self._proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                                          start_new_session=True)
            return self._proc

    @staticmethod
    def _wait(proc: subprocess.Popen, folder: str) -> None:
        out, err = proc.communicate()
        if proc.returncode != 0:
            raise SearchIndexError(f"Pagefind failed ({proc.returncode}) on {folder}:\n{out}\n{err}")

    def _clean(self) -> None:
        for stage in self._stages:
            shutil.rmtree(stage, ignore_errors=True)
        self._stages.clear()


def _keep_data_only(folder: Path) -> None:
    """A merged part is only data: the browser runs the first part's scripts and wasm."""
    for f in folder.iterdir():
        if f.is_file() and f.name != "pagefind-entry.json" and not f.name.endswith(".pf_meta"):
            f.unlink()

