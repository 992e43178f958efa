"""Measure validation, generation and the full build on fake content, next to mkdocs-material alone.

Every phase runs in its own child process (child.py), so its time includes start-up (as a
user sees it) and its peak memory is its own. The built site is then weighed (weight.py), and
the figures go to bench/results.json and the READMEs' tables (report.py).

For each size, under `<out>/<n>/`:
  project/   fake content/ plus copies of mkdocs.yml, docs/ and site_templates/ (projects.py)
  site/      the built site, which is then measured
  baseline/  mkdocs.yml + docs/ with n plain Markdown pages, and its site/
  datasets/  what `yizhan datasets` wrote (validation and the open datasets alone)
  *.log      each child's output
"""
from __future__ import annotations

import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path
from typing import Callable

from .child import Phase, child_env, run_child
from .fake import default_source
from .projects import write_baseline, write_project
from .report import profile_top, update_readme
from .weight import GZIP_LEVEL, site_stats

DEFAULT_SIZES = (100, 1000, 10000)
DEFAULT_TIMEOUT = 3600.0
REQUIRED_KEYS = ("stations", "validate_s", "generate_s", "build_s", "peak_rss_mb", "site_files", "site_bytes",
                 "search_index_bytes", "home_page_bytes", "station_page_bytes", "search_first_query_bytes",
                 "baseline_mkdocs_s")


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
    with tempfile.TemporaryDirectory(prefix=".datasets-", dir=Path(config_file).parent) as datasets_dir:
        t0 = time.perf_counter()
        outs = generate(result, src, datasets_dir=Path(datasets_dir))  # as the plugin does
        generate_s = time.perf_counter() - t0
    print("BENCH " + json.dumps({"check_s": check_s, "generate_s": generate_s, "outputs": len(outs)}))


def _py() -> list[str]:
    return [sys.executable]


def _machine() -> dict:
    from importlib.metadata import PackageNotFoundError, version

    def v(name):
        try:
            return version(name)
        except PackageNotFoundError:
            return None

    # jieba, when installed, is what material's search segments Chinese with: it made the baseline ~4x slower
    return {"python": platform.python_version(), "mkdocs": v("mkdocs"), "mkdocs_material": v("mkdocs-material"),
            "jieba": v("jieba"), "cpus": os.cpu_count(), "platform": platform.platform(terse=True)}


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
    d = phase("datasets", _py() + ["-m", "generator", "datasets", "-f", config, "-d", str(work / "datasets")])
    g = phase("generate", _py() + ["-m", "generator.bench.run", "generate", config])
    gen = {}
    for line in g.output.splitlines():
        if line.startswith("BENCH "):
            gen = json.loads(line[6:])
    b = phase("build", _py() + ["-m", "generator", "build", "-f", config, "-d", str(site)])

    row["validate_s"] = _r(v.seconds)
    row["datasets_s"] = _r(d.seconds)
    row["generate_s"] = _r(gen.get("generate_s")) if g.ok else None
    row["generate_check_s"] = _r(gen.get("check_s")) if g.ok else None
    row["build_s"] = _r(b.seconds)
    phases = {"validate": v, "datasets": d, "generate": g, "build": b}
    for name, p in phases.items():
        row[f"{name}_peak_rss_mb"], row[f"{name}_peak_tree_mb"] = p.peak_rss_mb, p.peak_tree_mb
    peaks = [p.peak_rss_mb for p in phases.values() if p.peak_rss_mb is not None]
    row["peak_rss_mb"] = max(peaks) if peaks else None
    trees = [p.peak_tree_mb for p in phases.values() if p.peak_tree_mb is not None]
    row["peak_tree_mb"] = max(trees) if trees else None

    keys = ("site_files", "site_bytes", "search_index_bytes", "home_page_bytes",
            "station_page_bytes", "search_first_query_bytes")
    if b.ok and site.is_dir():
        stats = site_stats(site, f"fake-{n // 2:06d}" if n else None)
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

__all__ = ["DEFAULT_SIZES", "REQUIRED_KEYS", "measure_size", "run_bench"]
