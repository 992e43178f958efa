"""Measure validation, generation and the full build on fake content, next to mkdocs-material alone.

Every phase runs in its own child process, so its time includes start-up (as a
user sees it) and its peak memory is its own: `os.wait4` returns the child's
resource usage, and ru_maxrss is its peak resident set (KiB on Linux), unless
that is no more than this process's own (see `_child_peak_mb`).

For each size, under `<out>/<n>/`:
  project/   fake content/ plus copies of mkdocs.yml, docs/ and site_templates/
  site/      the built site, which is then measured
  baseline/  mkdocs.yml + docs/ with n plain Markdown pages, and its site/
  *.log      each child's output
"""
from __future__ import annotations

import gzip
import json
import os
import platform
import posixpath
import re
import resource
import shutil
import signal
import subprocess
import sys
import time
import unicodedata
from dataclasses import dataclass
from datetime import datetime, time as dtime
from html.parser import HTMLParser
from pathlib import Path
from typing import Callable

from .fake import BASE_DATE, FAKE_MARKER, FAKE_NOTE, default_source, write_fake_content

DEFAULT_SIZES = (100, 1000, 10000)
DEFAULT_TIMEOUT = 3600.0
GZIP_LEVEL = 6  # a common server setting (nginx's default is 1, most CDNs use 5–6)
REQUIRED_KEYS = ("stations", "validate_s", "generate_s", "build_s", "peak_rss_mb", "site_files", "site_bytes",
                 "search_index_bytes", "home_page_bytes", "station_page_bytes", "search_first_query_bytes",
                 "baseline_mkdocs_s")
README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


# --------------------------------------------------------------------------- child processes

@dataclass
class Phase:
    seconds: float | None
    peak_rss_mb: float | None  # the largest single process (the child or one of its children)
    note: str = ""
    output: str = ""
    peak_tree_mb: float | None = None  # the child and its children together, sampled while it ran

    @property
    def ok(self) -> bool:
        return self.seconds is not None


def child_env() -> dict[str, str]:
    """The children's environment: a fixed "today" so warnings and hours do not drift between runs."""
    env = dict(os.environ)
    from ..config import CHINA_TZ

    env["SOURCE_DATE_EPOCH"] = str(int(datetime.combine(BASE_DATE, dtime(12), CHINA_TZ).timestamp()))
    env["NO_MKDOCS_2_WARNING"] = "1"
    env.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    return env


def run_child(cmd: list[str], log: Path, timeout: float | None, cwd: Path | None = None) -> Phase:
    """Run `cmd`, wall time and peak RSS of that one process; a timeout or a failure is a note, not a crash."""
    log.parent.mkdir(parents=True, exist_ok=True)
    with log.open("wb") as out:
        start = time.perf_counter()
        proc = subprocess.Popen(cmd, cwd=cwd, env=child_env(), stdout=out, stderr=subprocess.STDOUT,
                                start_new_session=True)
        delay = 0.001
        tree = _TreeMemory(proc.pid)
        while True:
            pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
            if pid:
                break
            tree.sample()
            if timeout is not None and time.perf_counter() - start > timeout:
                try:
                    os.killpg(proc.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass
                os.wait4(proc.pid, 0)
                proc.returncode = -signal.SIGKILL
                return Phase(None, None, f"超时 timeout after {timeout:g} s", _tail(log))
            time.sleep(delay)
            delay = min(delay * 2, 0.02)
        seconds = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    rss_mb = _child_peak_mb(usage.ru_maxrss, tree)
    text = log.read_text(encoding="utf-8", errors="replace")
    if proc.returncode != 0:
        return Phase(None, round(rss_mb, 1), f"失败 failed (exit {proc.returncode}): {_tail(log, 400)}", text)
    return Phase(seconds, round(rss_mb, 1), "", text, tree.peak_mb)


def _child_peak_mb(child_maxrss: int, tree: "_TreeMemory") -> float:
    """The child's peak resident set. Linux gives a program started from this process the high-water
    mark of this process as its own (exec keeps the larger of the two), so a ru_maxrss no larger than
    this process's may be only that: then the largest process seen while sampling, a lower bound."""
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    per_mb = 1024 * 1024 if sys.platform == "darwin" else 1024  # ru_maxrss: bytes on macOS, KiB on Linux
    if child_maxrss <= own and tree.single_peak_mb is not None:
        return tree.single_peak_mb
    return child_maxrss / per_mb


class _TreeMemory:
    """The largest sum of resident memory of a process and its descendants, seen by sampling.

    ru_maxrss only gives the largest single process; while Pagefind or the datasets'
    process runs, the build process holds its own memory too, and a machine needs both.
    Sampling can miss a short peak, so this is a lower bound on the true sum.
    """

    EVERY = 0.1  # seconds; reading /proc costs a little CPU, and the phases last seconds

    def __init__(self, pid: int):
        try:
            import psutil  # in the test extras, which `make bench` installs
        except ImportError:
            psutil = None
        self.psutil = psutil
        self.pid = pid
        self.peak = 0
        self.single = 0  # the largest one process seen
        self.last = 0.0

    def sample(self) -> None:
        now = time.perf_counter()
        if self.psutil is None or now - self.last < self.EVERY:
            return
        self.last = now
        try:
            root = self.psutil.Process(self.pid)
            procs = [root, *root.children(recursive=True)]
        except self.psutil.Error:
            return
        total = 0
        for p in procs:
            try:
                rss = p.memory_info().rss
            except self.psutil.Error:
                continue
            total += rss
            self.single = max(self.single, rss)
        self.peak = max(self.peak, total)

    @property
    def peak_mb(self) -> float | None:
        return round(self.peak / 2**20, 1) if self.peak else None

    @property
    def single_peak_mb(self) -> float | None:
        return round(self.single / 2**20, 1) if self.single else None


def _tail(log: Path, chars: int = 2000) -> str:
    try:
        return log.read_text(encoding="utf-8", errors="replace")[-chars:].strip()
    except OSError:
        return ""


def _generate_child(config_file: str) -> None:
    """In a child: check the content as the plugin does, then time generate() alone."""
    from mkdocs.config import load_config

    from ..build import SiteSources, generate
    from ..check import check_site

    cfg = load_config(config_file)
    plugin = cfg.plugins["yizhan"]
    src = SiteSources.from_mkdocs(cfg, plugin.config)
    t0 = time.perf_counter()
    result = check_site(src.site_config)
    check_s = time.perf_counter() - t0
    if result.errors:
        print(json.dumps({"error": f"{len(result.errors)} errors"}))
        sys.exit(1)
    t0 = time.perf_counter()
    outs = generate(result, src)
    generate_s = time.perf_counter() - t0
    size = sum(len(o.content.encode("utf-8") if isinstance(o.content, str) else o.content) for o in outs)
    print("BENCH " + json.dumps({"check_s": check_s, "generate_s": generate_s, "outputs": len(outs),
                                 "generated_bytes": size}))


# --------------------------------------------------------------------------- projects

def _lenient_yaml(path: Path) -> dict:
    import yaml

    class _Lenient(yaml.SafeLoader):
        pass

    def _tag(loader, suffix, node):  # !ENV [NAME, default] → default; other tags → None
        if isinstance(node, yaml.SequenceNode) and node.value:
            return loader.construct_object(node.value[-1])
        return None

    _Lenient.add_multi_constructor("", _tag)
    return yaml.load(path.read_text(encoding="utf-8"), Loader=_Lenient) or {}


def write_project(root: Path, project: Path, n: int, seed: int) -> None:
    """A copy of the real project's configuration and templates around `n` fake stations."""
    project.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(root / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("docs", "site_templates"):
        if (root / folder).is_dir():
            shutil.copytree(root / folder, project / folder)
    if (root / "node_modules").is_dir():  # Pagefind, installed by `make site`
        (project / "node_modules").symlink_to((root / "node_modules").resolve(), target_is_directory=True)
    write_fake_content(project / "content", n, seed, source=root / "content")


_LINES = (
    "这是一个只用于性能对比的示例页面，内容是随机拼接的中文句子。",
    "驿站为周边居民和户外劳动者提供歇脚、饮水、充电等便民服务。",
    "站内配备桌椅、饮水机、微波炉和应急药箱，工作日有专人值守。",
    "社区志愿者定期开展健康义诊、政策宣讲和法律咨询活动。",
    "老人可以在这里读书看报、下棋聊天，参加文体活动。",
    "驿站接待来访群众，协助调解邻里纠纷，必要时联系司法所。",
    "夏季提供防暑降温物品，冬季提供热水和取暖场所。",
    "管理单位每季度更新一次服务清单，并在门口公示开放时间。",
)


def write_baseline(root: Path, target: Path, n: int, seed: int) -> None:
    """mkdocs-material alone: the real theme settings, its own search plugin (as configured in mkdocs.yml
    if it is, else its defaults), no plugin of ours, n plain pages."""
    import random

    real = _lenient_yaml(root / "mkdocs.yml")
    search = {}
    for item in real.get("plugins") or []:
        if isinstance(item, dict) and "search" in item:
            search = item["search"] or {}
    theme = dict(real.get("theme") or {"name": "material", "language": "zh"})
    theme.pop("custom_dir", None)
    config = {
        "site_name": "基准 baseline",
        "docs_dir": "docs",
        "theme": theme,
        "plugins": [{"search": search}],
        "markdown_extensions": real.get("markdown_extensions") or [],
        "nav": [{"首页": "index.md"}],
        "validation": {"nav": {"omitted_files": "ignore"}, "links": {"unrecognized_links": "ignore"}},
    }
    docs = target / "docs" / "pages"
    docs.mkdir(parents=True, exist_ok=True)
    (target / "mkdocs.yml").write_text(json.dumps(config, ensure_ascii=False, indent=1), encoding="utf-8")
    (target / "docs" / "index.md").write_text(f"# {FAKE_MARKER}基准首页\n\n{FAKE_NOTE}。\n", encoding="utf-8")
    rng = random.Random(seed)
    for i in range(n):
        body = "\n".join(("\n## 第 %d 节\n" % (j // 10 + 1) if j % 10 == 0 else "") + rng.choice(_LINES)
                         for j in range(40))
        (docs / f"p-{i:06d}.md").write_text(f"# {FAKE_MARKER}页面 {i + 1}\n\n{body}\n", encoding="utf-8")


# --------------------------------------------------------------------------- measuring a site

class _Refs(HTMLParser):
    """What a browser fetches for a page: stylesheets, scripts, images, and our data-src JSON."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.refs: list[str] = []

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "link" and "stylesheet" in (a.get("rel") or "").split() and a.get("href"):
            self.refs.append(a["href"])
        elif tag in ("script", "img") and a.get("src"):
            self.refs.append(a["src"])
        if a.get("data-src"):
            self.refs.append(a["data-src"])


def _gz(data: bytes) -> int:
    return len(gzip.compress(data, compresslevel=GZIP_LEVEL, mtime=0))


def _local(page: str, ref: str) -> str | None:
    if ref.startswith(("http:", "https:", "//", "data:", "blob:")):
        return None
    ref = ref.split("#")[0].split("?")[0]
    return posixpath.normpath(posixpath.join(posixpath.dirname(page), ref))


def page_weight(site: Path, page: str) -> dict:
    """Gzipped bytes of a page and every local file it loads, each counted once."""
    html = (site / page).read_bytes()
    parser = _Refs()
    parser.feed(html.decode("utf-8", errors="replace"))
    detail = {page: _gz(html)}
    missing = []
    for ref in parser.refs:
        path = _local(page, ref)
        if path is None or path in detail:
            continue
        if (site / path).is_file():
            detail[path] = _gz((site / path).read_bytes())
        else:
            missing.append(path)
    return {"bytes": sum(detail.values()), "detail": detail, "missing": missing}


def search_weight(site: Path) -> dict:
    """An upper bound on what the first one-word search downloads from Pagefind's bundle.

    The search script, Pagefind's loader and wasm, and for each index part (see
    generator/search_index.py) its entry file and metadata; then the index chunks
    that one word needs, taking the word whose chunks weigh most (a word's postings
    live in one chunk per part); then the ten largest fragments (the search page
    shows ten results). Pagefind's own files are stored gzipped, so their size on
    disk is what travels.
    """
    bundle = site / "pagefind"
    parts_file = bundle / "yizhan-parts.json"
    later = json.loads(parts_file.read_text(encoding="utf-8")) if parts_file.is_file() else []
    parts = [bundle, *(bundle / p for p in later)]
    files: list[Path] = [*bundle.glob("wasm.*.pagefind"), parts_file]
    fragments: list[Path] = []
    for part in parts:
        files += [part / "pagefind-entry.json", *part.glob("*.pf_meta")]
        fragments += part.glob("fragment/*.pf_fragment")
    try:
        files += heaviest_word_chunks(parts)
    except ImportError:  # cbor2 comes with the test extras (`make bench`); without it, a looser bound
        files += [max(part.glob("index/*.pf_index"), key=lambda p: p.stat().st_size) for part in parts
                  if any(part.glob("index/*.pf_index"))]
    fragments.sort(key=lambda p: p.stat().st_size)
    files += fragments[-10:]
    detail = {p.relative_to(site).as_posix(): p.stat().st_size for p in files if p.is_file()}
    for plain in ("pagefind/pagefind.js", "assets/yizhan/search.js"):
        if (site / plain).is_file():
            detail[plain] = _gz((site / plain).read_bytes())
    return {"bytes": sum(detail.values()), "detail": detail, "documents": len(fragments)}


def heaviest_word_chunks(parts: list[Path]) -> list[Path]:
    """The index chunks, one per part, that the heaviest single word would load.

    Each part's metadata lists its chunks as word ranges [from, to]. A word falls in
    at most one range per part, so the heaviest word sits at the start of some range:
    trying every range start finds it.
    """
    ranges = []  # per part: [(from, to, path)]
    for part in parts:
        meta = next(part.glob("*.pf_meta"), None)
        ranges.append([] if meta is None else
                      [(lo, hi, part / "index" / f"{h}.pf_index") for lo, hi, h in _pagefind_meta(meta)[2]])
    best: list[Path] = []
    best_bytes = -1
    for word in {lo for rs in ranges for lo, _, _ in rs}:
        hit = [path for rs in ranges for lo, hi, path in rs if lo <= word <= hi and path.is_file()]
        weight = sum(p.stat().st_size for p in hit)
        if weight > best_bytes:
            best, best_bytes = hit, weight
    return best


def read_pagefind(path: Path) -> bytes:
    """What one of Pagefind's data files holds: they are gzipped, and start with a signature."""
    data = gzip.decompress(path.read_bytes())
    signature = b"pagefind_dcd"
    if not data.startswith(signature):
        raise ValueError(f"{path}: not a Pagefind data file")
    return data[len(signature):]


def _pagefind_meta(path: Path) -> list:
    """Pagefind's metadata file: CBOR [version, pages, chunks, ...]."""
    import cbor2  # only the benchmark reads Pagefind's metadata

    return cbor2.loads(read_pagefind(path))


def site_stats(site: Path, station_page: str | None) -> dict:
    files = [p for p in site.rglob("*") if p.is_file()]
    stats = {"site_files": len(files), "site_bytes": sum(p.stat().st_size for p in files)}
    bundle = site / "pagefind"
    index = [p for p in bundle.rglob("*") if p.is_file() and p.name.endswith((".pf_index", ".pf_fragment", ".pf_meta"))]
    stats["search_index_bytes"] = sum(p.stat().st_size for p in index) if index else None
    home = page_weight(site, "index.html")
    stats["home_page_bytes"], stats["home_page_detail"] = home["bytes"], home["detail"]
    if station_page and (site / station_page).is_file():
        st = page_weight(site, station_page)
        stats["station_page_bytes"], stats["station_page_detail"] = st["bytes"], st["detail"]
    else:
        stats["station_page_bytes"], stats["station_page_detail"] = None, {}
    if index:
        s = search_weight(site)
        stats["search_first_query_bytes"], stats["search_first_query_detail"] = s["bytes"], s["detail"]
        stats["search_documents"] = s["documents"]
    else:
        stats["search_first_query_bytes"], stats["search_first_query_detail"] = None, {}
    return stats


# --------------------------------------------------------------------------- one size

def _py() -> list[str]:
    return [sys.executable]


def _machine() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    def v(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    return {"python": platform.python_version(), "mkdocs": v("mkdocs"), "mkdocs_material": v("mkdocs-material"),
            "cpus": os.cpu_count(), "platform": platform.platform(terse=True)}


def measure_size(n: int, root: Path, out: Path, *, seed: int = 0, baseline: bool = True,
                 timeout: float | None = DEFAULT_TIMEOUT, profile: bool = False,
                 say: Callable[[str], None] = lambda s: None) -> dict:
    work = out / str(n)
    if work.exists():
        shutil.rmtree(work)
    work.mkdir(parents=True)
    project, site = work / "project", work / "site"
    notes: list[str] = []

    t0 = time.perf_counter()
    write_project(root, project, n, seed)
    row: dict = {"stations": n, "seed": seed, "fake_content_s": round(time.perf_counter() - t0, 3)}
    say(f"[{n}] 假数据 fake content {row['fake_content_s']:.2f} s")

    def phase(name: str, cmd: list[str]) -> Phase:
        p = run_child(cmd, work / f"{name}.log", timeout, cwd=work)
        if p.note:
            notes.append(f"{name}: {p.note}")
        say(f"[{n}] {name}: " + (f"{p.seconds:.2f} s, {p.peak_rss_mb:.0f} MB" if p.ok else p.note))
        return p

    config = str(project / "mkdocs.yml")
    v = phase("validate", _py() + ["-m", "generator", "validate", "--content", str(project / "content")])
    g = phase("generate", _py() + ["-m", "generator.bench.run", "generate", config])
    gen = {}
    for line in g.output.splitlines():
        if line.startswith("BENCH "):
            gen = json.loads(line[6:])
    b = phase("build", _py() + ["-m", "generator", "build", "-f", config, "-d", str(site)])

    row["validate_s"] = _r(v.seconds)
    row["generate_s"] = _r(gen.get("generate_s")) if g.ok else None
    row["generate_check_s"] = _r(gen.get("check_s")) if g.ok else None
    row["build_s"] = _r(b.seconds)
    row["validate_peak_rss_mb"], row["generate_peak_rss_mb"], row["build_peak_rss_mb"] = \
        v.peak_rss_mb, g.peak_rss_mb, b.peak_rss_mb
    peaks = [p for p in (v.peak_rss_mb, g.peak_rss_mb, b.peak_rss_mb) if p is not None]
    row["peak_rss_mb"] = max(peaks) if peaks else None
    row["validate_peak_tree_mb"], row["generate_peak_tree_mb"], row["build_peak_tree_mb"] = \
        v.peak_tree_mb, g.peak_tree_mb, b.peak_tree_mb
    trees = [p.peak_tree_mb for p in (v, g, b) if p.peak_tree_mb is not None]
    row["peak_tree_mb"] = max(trees) if trees else None

    keys = ("site_files", "site_bytes", "search_index_bytes", "home_page_bytes",
            "station_page_bytes", "search_first_query_bytes")
    if b.ok and site.is_dir():
        stats = site_stats(site, f"stations/fake-{n // 2:06d}/index.html" if n else None)
        row.update({k: stats[k] for k in keys})
        row["search_documents"] = stats.get("search_documents")
        row["search_first_answer_ms"], why_not = _first_search(site, timeout)
        if why_not:
            notes.append(f"first search: {why_not}")
        say(f"[{n}] 首次搜索 first search: " + (f"{row['search_first_answer_ms']:.0f} ms" if not why_not else why_not))
    else:
        row.update(dict.fromkeys(keys))
        row["search_first_answer_ms"] = None
        stats = {}

    if baseline:
        t0 = time.perf_counter()
        write_baseline(root, work / "baseline", n, seed)
        say(f"[{n}] 基准页面 baseline pages {time.perf_counter() - t0:.2f} s")
        bl = phase("baseline", _py() + ["-m", "mkdocs", "build", "-q", "-f", str(work / "baseline" / "mkdocs.yml"),
                                        "-d", str(work / "baseline" / "site")])
        row["baseline_mkdocs_s"] = _r(bl.seconds)
        row["baseline_peak_rss_mb"] = bl.peak_rss_mb
        bsite = work / "baseline" / "site"
        row["baseline_site_files"] = sum(1 for p in bsite.rglob("*") if p.is_file()) if bl.ok else None
    else:
        row["baseline_mkdocs_s"] = None
        notes.append("baseline: skipped (--skip-baseline)")

    row["ratio_build_vs_baseline"] = (round(row["build_s"] / row["baseline_mkdocs_s"], 2)
                                      if row["build_s"] and row["baseline_mkdocs_s"] else None)
    row["build_ms_per_station"] = round(row["build_s"] * 1000 / n, 2) if row["build_s"] and n else None
    row["site_bytes_per_station"] = round(row["site_bytes"] / n) if row["site_bytes"] and n else None
    row["generated_outputs"] = gen.get("outputs")
    row["home_page_detail"] = stats.get("home_page_detail", {})
    row["station_page_detail"] = stats.get("station_page_detail", {})
    row["search_first_query_detail"] = stats.get("search_first_query_detail", {})
    row["notes"] = notes
    row["gzip_level"] = GZIP_LEVEL
    row["measured_at"] = datetime.now().astimezone().isoformat(timespec="seconds")
    row["machine"] = _machine()

    if profile and b.ok:
        prof = work / "build.prof"
        psite = work / "site-profiled"
        p = phase("profile", _py() + ["-m", "cProfile", "-o", str(prof), "-m", "generator", "build", "-f", config,
                                      "-d", str(psite)])
        if p.ok:
            row["profile"] = str(prof)
            say(profile_top(prof))
        # psite stays until the next run sets this size's folder aside (run_bench): deleting it now
        # would slow the next size's build
    return row


def _first_search(site: Path, timeout: float | None) -> tuple[float | None, str]:
    """generator/bench/browser.py in a child process: the first search's answer time, or why not."""
    try:
        done = subprocess.run(_py() + ["-m", "generator.bench.browser", str(site)], capture_output=True,
                              text=True, env=child_env(), timeout=timeout)
    except subprocess.TimeoutExpired:
        return None, f"no answer within {timeout:g} s"
    try:
        ms, why_not = json.loads(done.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return None, f"the browser's process failed (exit {done.returncode}): {done.stderr[-300:]}"
    return ms, why_not


def _r(x: float | None) -> float | None:
    return None if x is None else round(x, 3)


_WRAPPERS = ("click/", "<frozen runpy>", "generator/__main__.py", "generator/cli.py", "<string>",
             "<built-in method builtins.exec>", "mkdocs/plugins.py", "generator/build.py:build_site",
             "mkdocs/commands/build.py:build")


def profile_top(prof: Path, limit: int = 15) -> str:
    """Top functions by cumulative and by own time, without the click/runpy/plugin-dispatch wrappers."""
    import pstats

    stats = pstats.Stats(str(prof)).stats  # (file, line, func) → (prim calls, calls, own, cumulative, callers)
    total = max(ct for _, _, _, ct, _ in stats.values()) or 1.0

    def name(key):
        file, line, func = key
        if file == "~":
            return func
        short = re.sub(r"^.*/lib/python3\.\d+/(site-packages/)?", "", file)
        short = short.split("/generator/", 1)[-1] if "/generator/" in short else short
        return f"{short}:{line}({func})"

    rows = [(name(k), nc, tt, ct) for k, (_, nc, tt, ct, _) in stats.items()
            if not any(w in f"{k[0]}:{k[2]}" or w == k[2] for w in _WRAPPERS)]
    out = [f"cProfile {prof}: {total:.1f} s in total (profiling slows the build down)", "",
           f"{'cum s':>8} {'cum %':>6} {'own s':>8} {'calls':>10}  function (by cumulative time)"]
    for n, nc, tt, ct in sorted(rows, key=lambda r: -r[3])[:limit]:
        out.append(f"{ct:8.2f} {100 * ct / total:5.1f}% {tt:8.2f} {nc:10}  {n}")
    out += ["", f"{'own s':>8} {'own %':>6} {'cum s':>8} {'calls':>10}  function (by own time)"]
    for n, nc, tt, ct in sorted(rows, key=lambda r: -r[2])[:limit]:
        out.append(f"{tt:8.2f} {100 * tt / total:5.1f}% {ct:8.2f} {nc:10}  {n}")
    return "\n".join(out)


# --------------------------------------------------------------------------- the whole run

ROWS = (  # (key, label, format)
    ("validate_s", "校验 validate (s)", "{:.2f}"),
    ("generate_s", "生成 generate (s)", "{:.2f}"),
    ("build_s", "完整构建 full build (s)", "{:.2f}"),
    ("baseline_mkdocs_s", "仅 mkdocs-material baseline (s)", "{:.2f}"),
    ("ratio_build_vs_baseline", "构建/基准 build ÷ baseline", "{:.2f}×"),
    ("build_ms_per_station", "每站构建 build ms/station", "{:.1f}"),
    ("peak_rss_mb", "内存峰值 peak RSS (MB)", "{:.0f}"),
    ("peak_tree_mb", "同时占用 all processes (MB)", "{:.0f}"),
    ("site_files", "文件数 site files", "{:,}"),
    ("site_bytes", "网站大小 site size (MB)", "mb"),
    ("site_bytes_per_station", "每站大小 bytes/station (KB)", "kb"),
    ("search_index_bytes", "搜索索引 search index (MB)", "mb"),
    ("home_page_bytes", "首页下载 home page gz (KB)", "kb"),
    ("station_page_bytes", "驿站页下载 station page gz (KB)", "kb"),
    ("search_first_query_bytes", "首次搜索 first search gz (KB)", "kb"),
    ("search_first_answer_ms", "首次搜索用时 first search (ms)", "{:.0f}"),
)


def _fmt(value, how: str) -> str:
    if value is None:
        return "—"
    if how == "mb":
        return f"{value / 1e6:,.1f}"
    if how == "kb":
        return f"{value / 1e3:,.1f}"
    return how.format(value)


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _pad(text: str, width: int, right: bool = False) -> str:
    fill = " " * max(0, width - _width(text))
    return fill + text if right else text + fill


def format_table(rows: list[dict]) -> str:
    header = ["驿站数 stations"] + [f"{r['stations']:,}" for r in rows]
    body = [[label] + [_fmt(r.get(key), how) for r in rows] for key, label, how in ROWS]
    widths = [max(_width(line[i]) for line in [header] + body) for i in range(len(header))]
    lines = ["  ".join(_pad(c, widths[i], right=i > 0) for i, c in enumerate(line)) for line in [header] + body]
    lines.insert(1, "  ".join("-" * w for w in widths))
    notes = [f"[{r['stations']}] {note}" for r in rows for note in r.get("notes") or []]
    return "\n".join(lines + ([""] + notes if notes else []))


def format_markdown(rows: list[dict], command: str) -> str:
    head = "| 指标 / metric | " + " | ".join(f"{r['stations']:,}" for r in rows) + " |"
    sep = "|---|" + "---:|" * len(rows)
    body = [f"| {label} | " + " | ".join(_fmt(r.get(key), how) for r in rows) + " |" for key, label, how in ROWS]
    m = rows[0].get("machine", {}) if rows else {}
    when = rows[0].get("measured_at", "") if rows else ""
    notes = [f"- {r['stations']:,}: {note}" for r in rows for note in r.get("notes") or []]
    return "\n".join([
        f"命令 / command: `{command}`  ",
        f"时间 / measured: {when}; Python {m.get('python')}, mkdocs {m.get('mkdocs')}, "
        f"mkdocs-material {m.get('mkdocs_material')}, {m.get('cpus')} CPU, {m.get('platform')}",
        "", head, sep, *body, *([""] + notes if notes else [])])


def update_readme(readme: Path, rows: list[dict], command: str) -> bool:
    """Replace the block between the bench markers; a README without them is left alone."""
    if not readme.is_file():
        return False
    text = readme.read_text(encoding="utf-8")
    if README_START not in text or README_END not in text:
        return False
    head, rest = text.split(README_START, 1)
    _, tail = rest.split(README_END, 1)
    readme.write_text(f"{head}{README_START}\n{format_markdown(rows, command)}\n{README_END}{tail}", encoding="utf-8")
    return True


def run_bench(sizes: list[int], out: Path, results: Path | None, *, root: Path | None = None, seed: int = 0,
              baseline: bool = True, timeout: float | None = DEFAULT_TIMEOUT, profile: bool = False,
              readmes: list[Path] = (), command: str = "yizhan bench",
              say: Callable[[str], None] = lambda s: None) -> list[dict]:
    """Measure every size in turn; results.json is rewritten after each size, so a long run keeps what it has."""
    if root is None:  # the project in the current folder, else the repository the generator came from
        here = Path.cwd()
        root = here if (here / "mkdocs.yml").is_file() and (here / "content").is_dir() else default_source().parent
    root = Path(root)
    out = Path(out).resolve()
    rows: list[dict] = []
    # The last run's folders are set aside and deleted only once every size is measured. On a disk
    # without a journal (ext4 on CI VMs like this one) creating files is slow for minutes after
    # many were deleted: the allocator skips each recently freed inode (10,000 empty files took
    # 4.5 s of system time instead of ~0.4), which would bill one size's clean-up to the next build.
    trash = out / f".old-{os.getpid()}"
    try:
        for n in sizes:
            if (out / str(n)).exists():
                trash.mkdir(parents=True, exist_ok=True)
                (out / str(n)).rename(trash / str(n))
        for n in sizes:
            rows.append(measure_size(n, root, out, seed=seed, baseline=baseline, timeout=timeout,
                                     profile=profile, say=say))
            if results is not None:
                results.parent.mkdir(parents=True, exist_ok=True)
                results.write_text(json.dumps(rows, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    finally:
        shutil.rmtree(trash, ignore_errors=True)
    for readme in readmes:
        update_readme(readme, rows, command)
    return rows


if __name__ == "__main__" and len(sys.argv) == 3 and sys.argv[1] == "generate":
    _generate_child(sys.argv[2])

__all__ = ["DEFAULT_SIZES", "REQUIRED_KEYS", "format_table", "measure_size", "page_weight", "run_bench",
           "search_weight", "site_stats", "update_readme", "write_baseline", "write_project"]
