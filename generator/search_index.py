"""Index the site for search with Pagefind, in parts of bounded size, while station pages are written.

Pagefind holds its whole index in memory while it works, about 170 KB per station
page (bench/README.md), so one index for 10,000 stations needed 1.8 GB and one for
100,000 would need over 20 GB. Each part is indexed by its own Pagefind run over
the site, with a glob that names that part's pages, so memory is bounded by
`part_pages`, not by the size of the site. The browser merges the
parts (Pagefind's `mergeIndex`), listed in `pagefind/yizhan-parts.json`.

Station pages come first in the split and the other pages last, so the leading
parts hold only stations. Each of those is indexed in a background thread as soon
as its pages are written (`start`), while the build writes the next ones; the last
part, with the other pages, becomes the `pagefind/` bundle that holds the scripts.
One Pagefind runs at a time: two would add another ~0.6 GB.

Pagefind writes a part's ~3,500 small files from many threads at once, and on the ext4
disk of a CI machine that cost ~3.5 s of system time a part (each open() ~1 ms, waiting
on the others). So the build has it write into memory-backed /dev/shm when there is one
(`ram_dir`), and the part is copied beside the site in one pass (0.4–0.6 s, in a thread
of its own while the next part is indexed).
"""
from __future__ import annotations

import json
import os
import platform
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Iterable
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from itertools import groupby
from operator import itemgetter
from pathlib import Path

BUNDLE = "pagefind"
BUNDLE_FOLDER = BUNDLE + "/"  # the last part's folder: the one with Pagefind's scripts
PARTS_FILE = "yizhan-parts.json"
# Only the article is content; the theme's chrome, maps and report links are not. Nor are a station
# page's section headings (yz-sec) and labels (开放时间, 服务, 地址...): the same words on every station
# match them all, and they cost 10-15% of a part's indexing time (each heading is also an anchor). A
# station's name is a heading with its id on a town's sheet (generator/sheets.py): Pagefind's sub-result.
ROOT_SELECTOR = "article.md-content__inner"
EXCLUDE_SELECTORS = [".md-content__button", ".yz-map", ".yz-report", ".yz-sec", ".yz-station dt"]
# What Pagefind's glob syntax (the wax crate) gives a meaning, as tried against Pagefind 1.6.0:
# escaped, each stands for itself; "!" and "|" must stay bare (escaped, the glob does not parse).
# A backslash cannot be written at all, so it becomes "?", any one character: a second page
# differing from another only there would be indexed twice, not missed.
_GLOB_SPECIAL = re.compile(r"[\\?*$:<>\[\]{}(),]")
STATION_PAGE = re.compile(r"stations/([^/]+)/index\.html")
NODE_CPUS = {"x86_64": "x64", "amd64": "x64", "aarch64": "arm64"}  # Python's machine names → Node's os.arch()
RAM_DIR = Path("/dev/shm")
RAM_NEEDED = 256 << 20  # a part's output is ~20 MB, and two may be there at once; Docker's default is 64 MB


class SearchIndexError(Exception):
    """Pagefind could not be run or failed; the message says what to do."""


@dataclass(frozen=True)
class Part:
    folder: str  # relative to the site, ends with "/"
    pages: tuple[str, ...]  # site-relative HTML paths

    @property
    def is_bundle(self) -> bool:
        return self.folder == BUNDLE_FOLDER

    @property
    def stations_only(self) -> bool:
        return all(is_station(p) for p in self.pages)


def plan(pages: list[str], part_pages: int) -> list[Part]:
    """Split pages into as few parts of even size as hold at most `part_pages` pages each.

    Station pages come first, in order of their ids, and the other pages (towns,
    kinds, policies, data, about: few) last, in the bundle.
    """
    ordered = sorted(p for p in pages if is_station(p)) + sorted(p for p in pages if not is_station(p))
    count = max(1, -(-len(ordered) // max(1, part_pages)))
    return [Part(BUNDLE_FOLDER if n == count - 1 else f"{BUNDLE}/part-{n + 1}/",
                 tuple(ordered[len(ordered) * n // count:len(ordered) * (n + 1) // count]))
            for n in range(count)]


def glob_of(pages: tuple[str, ...], elsewhere: Iterable[str] = ()) -> str:
    """A Pagefind glob (relative to the site) that matches exactly these pages and none `elsewhere`.

    Station pages are named by the shortest prefixes of their ids that no station page elsewhere
    has (`stations/{fake-000*,fake-001*,...}/index.html`): matching the site against a glob
    listing 3,500 pages cost Pagefind ~0.3 s a part. The other pages, few, are listed one by one.
    """
    ids, terms = [], []
    for page in pages:
        station = STATION_PAGE.fullmatch(page)
        if station:
            ids.append(station.group(1))
        else:
            terms.append(_escape(page))
    if ids:
        others = [m.group(1) for m in map(STATION_PAGE.fullmatch, elsewhere) if m]
        terms.append("stations/{" + ",".join(_prefixes(ids, others)) + "}/index.html")
    return "{" + ",".join(terms) + "}"


def _prefixes(inside: list[str], outside: list[str]) -> list[str]:
    """Glob terms that match every name inside and none outside: a name's shortest prefix that no
    name outside starts with, followed by "*", or the whole name when it is itself such a prefix."""
    terms = []
    todo = [("", sorted(inside), outside)]
    while todo:
        prefix, ins, outs = todo.pop()
        if not outs:
            terms.append(_escape(prefix) + "*")
            continue
        depth = len(prefix)
        if ins[0] == prefix:  # sorted, so a name that is the prefix itself comes first
            terms.append(_escape(prefix))
            ins = ins[1:]
        outs_by_char: dict[str, list[str]] = {}
        for name in outs:
            if len(name) > depth:
                outs_by_char.setdefault(name[depth], []).append(name)
        for char, group in groupby(ins, key=itemgetter(depth)):
            todo.append((prefix + char, list(group), outs_by_char.get(char, [])))
    return sorted(terms)


def _escape(text: str) -> str:
    return _GLOB_SPECIAL.sub(_glob_char, text)


def _glob_char(match: re.Match) -> str:
    return "?" if match.group(0) == "\\" else "\\" + match.group(0)


def is_station(page: str) -> bool:
    """A station's page, or a town's sheet of stations: stations/<id>/index.html, not stations/index.html."""
    parts = page.split("/")
    return parts[0] == "stations" and len(parts) > 2


class SearchIndex:
    """One build's search index: `split`, `start` the parts whose pages are written, then `finish`."""

    def __init__(self, tool: Path, site: Path, part_pages: int, scratch: Path | None = None):
        """`scratch`: where Pagefind writes a part before it is copied beside the site (`ram_dir()`);
        None: Pagefind writes beside the site, and nothing is copied."""
        if not tool.exists():
            raise SearchIndexError(f"找不到搜索索引工具 Pagefind：{tool}。请运行 `make site`（或 `npm ci`）安装。"
                                   f"\n(Pagefind not found at {tool}; run `make site` or `npm ci`.)")
        self.tool, self.site, self.part_pages, self.scratch = native_binary(tool), site, part_pages, scratch
        self.parts: list[Part] = []
        self._never: list[str] = []
        self._started: dict[str, tuple[Future, Path]] = {}  # part folder → (its run, where it writes)
        self._stages: list[Path] = []
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pagefind")  # one Pagefind at a time
        self._copier = ThreadPoolExecutor(max_workers=1, thread_name_prefix="pagefind-copy")  # out of scratch
        self._copies: list[Future] = []
        self._proc: subprocess.Popen | None = None
        self._cancelled = False

    def split(self, coming: Iterable[str] = (), never: Iterable[str] = ()) -> list[Part]:
        """The parts of the site: the HTML pages in it now and those `coming` (not written yet), but
        not those `never` to be indexed, which may be in the site while a part is indexed."""
        written = [p.relative_to(self.site).as_posix() for p in self.site.rglob("*.html")]
        self._never = sorted(set(never))
        pages = {p for p in (*written, *coming) if not p.startswith(BUNDLE_FOLDER)}.difference(self._never)
        self.parts = plan(list(pages), self.part_pages)
        return self.parts

    def start(self, part: Part) -> None:
        """Index a part whose pages are all written, in the background."""
        output = self._stage()
        self._started[part.folder] = (self._pool.submit(self._index, part, output), output)

    def finish(self) -> list[Part]:
        """Index the parts not started, put every part in place and list them."""
        if not self.parts:
            self.split()
        try:
            for part in self.parts:
                if part.folder not in self._started:
                    self.start(part)
            outputs = {}
            for folder, (run, output) in self._started.items():
                _raise_as_search_error(run)
                outputs[folder] = output
            for copy in self._copies:
                _raise_as_search_error(copy)
            shutil.rmtree(self.site / BUNDLE, ignore_errors=True)
            shutil.move(outputs[BUNDLE_FOLDER], self.site / BUNDLE)
            for part in self.parts:
                if not part.is_bundle:
                    shutil.move(outputs[part.folder], self.site / part.folder)
        finally:
            self.cancel()
        later = [p.folder.removeprefix(BUNDLE_FOLDER) for p in self.parts if not p.is_bundle]
        (self.site / BUNDLE / PARTS_FILE).write_text(json.dumps(later), encoding="utf-8")
        return self.parts

    def cancel(self) -> None:
        """Stop what is running (the build failed, or it is done) and remove the staging folders."""
        self._cancelled = True
        proc = self._proc
        if proc is not None and proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
        self._pool.shutdown(wait=True, cancel_futures=True)
        self._copier.shutdown(wait=True, cancel_futures=True)
        for stage in self._stages:
            shutil.rmtree(stage, ignore_errors=True)
        self._stages.clear()

    def _index(self, part: Part, output: Path) -> None:
        # Pagefind reads its options from pagefind.json in the folder it runs in; the glob that
        # names this part's pages goes there, since a command-line argument is limited to 128 KB.
        # (Hard links to the part's pages in a folder of their own cost ~1 s a part to make and remove.)
        stage = self._stage()
        written = output if self.scratch is None else self._stage(self.scratch)
        config = {"site": str(self.site.absolute()), "glob": glob_of(part.pages, self._elsewhere(part)),
                  "output_path": str(written.absolute()), "root_selector": ROOT_SELECTOR,
                  "exclude_selectors": EXCLUDE_SELECTORS, "quiet": True}
        (stage / "pagefind.json").write_text(json.dumps(config, ensure_ascii=False), encoding="utf-8")
        if self._cancelled:
            raise SearchIndexError("search indexing was cancelled")
        # its own process group: when npm's wrapper is all there is (native_binary), the real binary is its
        # child, which must stop too
        # PAGEFIND_* variables would override pagefind.json (a PAGEFIND_GLOB, one part's pages)
        env = {k: v for k, v in os.environ.items() if not k.upper().startswith("PAGEFIND_")}
        self._proc = subprocess.Popen([str(self.tool.absolute())], cwd=stage, env=env, stdout=subprocess.PIPE,
                                      stderr=subprocess.PIPE, text=True, start_new_session=True)
        if self._cancelled:  # cancel() may have looked just before the process existed
            os.killpg(self._proc.pid, signal.SIGKILL)
        out, err = self._proc.communicate()
        shutil.rmtree(stage, ignore_errors=True)
        if self._proc.returncode != 0:
            raise SearchIndexError(f"Pagefind failed ({self._proc.returncode}) on {part.folder}:\n{out}\n{err}")
        if not part.is_bundle:
            _keep_data_only(written)
        if written != output:  # while the next part is indexed
            self._copies.append(self._copier.submit(_move, written, output))

    def _elsewhere(self, part: Part) -> list[str]:
        return [page for other in self.parts if other is not part for page in other.pages] + self._never

    def _stage(self, where: Path | None = None) -> Path:
        # By default next to the site, so that moving a part's output into it is a rename.
        stage = Path(tempfile.mkdtemp(prefix=".pagefind-", dir=where or self.site.parent))
        self._stages.append(stage)
        return stage


def _raise_as_search_error(run: Future) -> None:
    error = run.exception()
    if error is None or isinstance(error, SearchIndexError):
        run.result()
        return
    raise SearchIndexError(f"search indexing failed: {error!r}") from error


def _move(scratch: Path, output: Path) -> None:
    shutil.copytree(scratch, output, dirs_exist_ok=True, copy_function=shutil.copyfile)
    shutil.rmtree(scratch, ignore_errors=True)


def native_binary(tool: Path) -> Path:
    """The program that npm's `node_modules/.bin/pagefind` would run, found as its wrapper finds it
    (`@pagefind/<platform>-<cpu>/bin/`), else `tool`: starting Node for each part cost 0.25 s and 40 MB."""
    modules = tool.parent.parent
    if tool.parent.name != ".bin" or modules.name != "node_modules":
        return tool
    platform_ = "windows" if sys.platform == "win32" else sys.platform.rstrip("0123456789")  # freebsd14 → freebsd
    cpu = NODE_CPUS.get(platform.machine().lower(), platform.machine().lower())
    for name in ("pagefind_extended", "pagefind"):
        binary = modules / "@pagefind" / f"{platform_}-{cpu}" / "bin" / (name + ".exe" * (platform_ == "windows"))
        if binary.is_file() and os.access(binary, os.X_OK):
            return binary
    return tool


def ram_dir() -> Path | None:
    """Memory-backed /dev/shm, when this machine has one that can be written to, with room."""
    if not RAM_DIR.is_dir() or not os.access(RAM_DIR, os.W_OK | os.X_OK):
        return None
    free = os.statvfs(RAM_DIR)
    return RAM_DIR if free.f_bavail * free.f_frsize >= RAM_NEEDED else None


def _keep_data_only(folder: Path) -> None:
    """A merged part is only data: the browser runs the bundle's scripts and wasm."""
    for f in folder.iterdir():
        if f.is_file() and f.name != "pagefind-entry.json" and not f.name.endswith(".pf_meta"):
            f.unlink()
