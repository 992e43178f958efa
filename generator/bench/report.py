"""The benchmark's figures as a table for the terminal and for the READMEs, and a profile's top functions."""
from __future__ import annotations

import re
import unicodedata
from pathlib import Path

README_START, README_END = "<!-- bench:start -->", "<!-- bench:end -->"


ROWS = (  # (key, label, format)
    ("validate_s", "校验 validate (s)", "{:.2f}"),
    ("datasets_s", "校验+开放数据 validate + datasets (s)", "{:.2f}"),
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
        f"mkdocs-material {m.get('mkdocs_material')} (search: {'jieba ' + m['jieba'] if m.get('jieba') else 'no jieba'}), "
        f"{m.get('cpus')} CPU, {m.get('platform')}",
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
