"""`yizhan build` end to end: reproducible output, and a failed build leaves the old site alone."""
from __future__ import annotations

import hashlib
import os
import re
import shutil
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path

import pytest

from generator.config import CHINA_TZ

ROOT = Path(__file__).resolve().parents[2]
YIZHAN = Path(sys.executable).parent / "yizhan"
EPOCH = str(int(datetime(2026, 9, 15, tzinfo=CHINA_TZ).timestamp()))


def make_project(project: Path, content: Path = ROOT / "content") -> Path:
    project.mkdir(parents=True)
    shutil.copy2(ROOT / "mkdocs.yml", project / "mkdocs.yml")
    for folder in ("docs", "site_templates"):
        shutil.copytree(ROOT / folder, project / folder)
    shutil.copytree(content, project / "content")
    (project / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)  # Pagefind
    return project / "mkdocs.yml"


def build(config: Path, site: Path, epoch: str = EPOCH, **extra_env: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YIZHAN_", "TIANDITU_"))}
    env.update(SOURCE_DATE_EPOCH=epoch, PYTHONIOENCODING="utf-8", **extra_env)
    return subprocess.run([str(YIZHAN), "build", "-f", str(config), "-d", str(site)], cwd=config.parent, env=env,
                          capture_output=True, text=True, encoding="utf-8", timeout=300)


def digest(folder: Path) -> dict[str, str]:
    return {p.relative_to(folder).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def built(config: Path, site: Path, epoch: str = EPOCH, **extra_env: str) -> dict[str, str]:
    done = build(config, site, epoch, **extra_env)
    assert done.returncode == 0, done.stdout + done.stderr
    return digest(site)


@pytest.mark.parametrize("site_url", ["", "https://yizhan.example.org/"], ids=["no-site-url", "site-url"])
def test_two_builds_are_byte_identical(tmp_path, site_url):
    # Two copies of the project in different folders, built one after the other: same bytes.
    # With a site URL the sitemap lists every page with its date, the likeliest place for a clock to leak.
    first = built(make_project(tmp_path / "a"), tmp_path / "a" / "site", YIZHAN_SITE_URL=site_url)
    second = built(make_project(tmp_path / "b"), tmp_path / "b" / "out" / "public", YIZHAN_SITE_URL=site_url)
    assert len(first) > 50
    changed = sorted(p for p in first.keys() | second.keys() if first.get(p) != second.get(p))
    assert changed == []


def test_rebuilding_in_place_changes_nothing(tmp_path):
    config = make_project(tmp_path / "p")
    site = tmp_path / "p" / "site"
    assert built(config, site) == built(config, site)
    assert sorted(q.name for q in site.parent.iterdir()) == ["content", "docs", "mkdocs.yml", "node_modules", "site",
                                                                 "site_templates"]


def test_page_dates_come_from_source_date_epoch(tmp_path):
    config = make_project(tmp_path / "p")
    site = tmp_path / "p" / "site"
    built(config, site, YIZHAN_SITE_URL="https://yizhan.example.org/")
    dates = set(re.findall(r"<lastmod>([^<]+)</lastmod>", (site / "sitemap.xml").read_text(encoding="utf-8")))
    assert dates == {"2026-09-14"}  # mkdocs writes the epoch's UTC date: 2026-09-15 00:00 in Beijing


BREAKAGES = {
    # name: (file, text appended or replacing, expected location)
    "yaml-syntax": ("stations/chenping-linggong.yaml", 'name: "不成对的引号\n', r"chenping-linggong\.yaml:\d+:\d+"),
    "unknown-kind": ("stations/zhongjie-xiaomifeng.yaml", None, r"zhongjie-xiaomifeng\.yaml:4:7"),
    "unclosed-bracket": ("kinds/linggong.yaml", "name_en: [1, 2\n", r"linggong\.yaml:\d+:\d+"),
}


@pytest.mark.parametrize("breakage", sorted(BREAKAGES))
def test_failed_build_exits_1_with_location_and_leaves_site_as_it_was(tmp_path, breakage):
    config = make_project(tmp_path / "p")
    site = tmp_path / "p" / "site"
    before = built(config, site)
    stat_before = {p: p.stat().st_mtime_ns for p in site.rglob("*")}

    rel, text, where = BREAKAGES[breakage]
    target = tmp_path / "p" / "content" / rel
    if text is None:
        target.write_text(target.read_text(encoding="utf-8").replace("kind: xiaomifeng", "kind: no-such-kind"),
                          encoding="utf-8")
    else:
        target.write_text(target.read_text(encoding="utf-8") + text, encoding="utf-8")

    done = build(config, site)
    output = done.stdout + done.stderr
    assert done.returncode == 1, output
    assert re.search(where, output), output
    assert "Traceback" not in output
    assert digest(site) == before
    assert {p: p.stat().st_mtime_ns for p in site.rglob("*")} == stat_before  # not even touched
    leftovers = sorted(q.name for q in site.parent.iterdir())
    assert leftovers == ["content", "docs", "mkdocs.yml", "node_modules", "site", "site_templates"]  # no half-built folder


def test_failed_first_build_creates_no_site(tmp_path):
    config = make_project(tmp_path / "p")
    station = tmp_path / "p" / "content" / "stations" / "chenping-linggong.yaml"
    station.write_text(station.read_text(encoding="utf-8") + "\tbad: tab\n", encoding="utf-8")
    done = build(config, tmp_path / "p" / "site")
    assert done.returncode == 1
    assert "Traceback" not in done.stdout + done.stderr
    assert not (tmp_path / "p" / "site").exists()


@pytest.mark.parametrize("content, site_url, options", [
    (ROOT / "content", "https://yizhan.example.org/", ""),
    (ROOT / "tests/fixtures/site/hours", "", ""),
    # search in parts of three pages: each station-only part is indexed while the next part's pages are written
    (ROOT / "tests/fixtures/site/hours", "", "      search_part_pages: 3\n"),
    # a site too large for a page per station: each town's stations on its sheets, spliced as station pages are
    (ROOT / "content", "https://yizhan.example.org/", "      station_pages_max: 2\n"),
], ids=["real-content", "hours-fixture", "search-in-parts", "town-sheets"])
def test_fast_pages_equal_the_full_mkdocs_pipeline(tmp_path, content, site_url, options):
    # The fast paths (HTML pages skip Markdown; station pages are spliced into a shell, generator/shell.py;
    # station pages are indexed for search part by part while the rest are written, generator/search_index.py)
    # must be invisible: every file, sitemap and search index included, is the same as when mkdocs converts
    # and renders each page itself and Pagefind reads the finished site.
    def project(name: str, fast: str) -> Path:
        config = make_project(tmp_path / name, content)
        text = config.read_text(encoding="utf-8")
        assert "      map_provider: osm\n" in text
        config.write_text(text.replace("      map_provider: osm\n", "      map_provider: osm\n" + fast + options),
                          encoding="utf-8")
        return config

    fast = built(project("fast", ""), tmp_path / "fast" / "site", YIZHAN_SITE_URL=site_url)
    slow = built(project("slow", "      fast_pages: false\n"), tmp_path / "slow" / "site", YIZHAN_SITE_URL=site_url)
    stations = [p for p in slow if re.fullmatch(r"stations/[^/]+/index\.html", p)]
    assert "sitemap.xml.gz" in slow and any(p.startswith("pagefind/") for p in slow)
    if "station_pages_max" in options:  # five stations in four towns
        assert len(stations) == 4 and all(p.startswith("stations/town_") for p in stations)
        sitemap = (tmp_path / "fast" / "site" / "sitemap.xml").read_text(encoding="utf-8")
        assert all(f"/{p.removesuffix('index.html')}</loc>" in sitemap for p in stations)
    else:
        assert len(stations) >= 5
    if "search_part_pages" in options:
        assert "pagefind/part-2/pagefind-entry.json" in fast
    assert sorted(p for p in fast.keys() | slow.keys() if fast.get(p) != slow.get(p)) == []


@pytest.mark.parametrize("broken", [False, True], ids=["built", "failed-in-mkdocs"])
def test_mkdocs_build_leaves_no_datasets_folder_beside_the_site(tmp_path, broken):
    # The datasets are written to a folder beside the site, then copied in by mkdocs. `yizhan build`
    # keeps everything in a temporary folder; `mkdocs build` writes next to mkdocs.yml, so the plugin
    # must remove it itself, also when a template fails after the datasets were written.
    config = make_project(tmp_path / "p")
    if broken:
        template = tmp_path / "p" / "site_templates" / "station.md.j2"
        template.write_text(template.read_text(encoding="utf-8") + "{{ no_such_value }}\n", encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YIZHAN_", "TIANDITU_"))}
    done = subprocess.run([sys.executable, "-m", "mkdocs", "build", "-q", "-f", str(config)], cwd=config.parent,
                          env=dict(env, SOURCE_DATE_EPOCH=EPOCH), capture_output=True, text=True, timeout=300)
    assert (done.returncode != 0) == broken, done.stdout + done.stderr
    assert (tmp_path / "p" / "site" / "data" / "stations.csv").exists() != broken
    assert sorted(q.name for q in config.parent.iterdir() if q.name.startswith(".")) == []


@pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="the datasets are made in a forked process only with 2 cores")
def test_the_site_is_built_while_the_datasets_are_made(tmp_path, monkeypatch):
    # From 500 stations the datasets are made in a forked process; at 10,000 they take ~3 s longer than
    # the pages, and mkdocs builds the site meanwhile: only the data page waits for them. Here the datasets
    # are not made until a station page is in the site, which a build that waited for them never writes.
    from mkdocs.commands.build import build as mkdocs_build
    from mkdocs.config import load_config

    from generator import build as generator_build
    from generator.export.page import human_size

    config = make_project(tmp_path / "p")
    site = tmp_path / "p" / "site"
    station_page = site / "stations" / "zhongjie-xiaomifeng" / "index.html"
    make_datasets = generator_build._exports

    def datasets_once_a_station_page_is_written(*args):
        waited = time.monotonic()
        while not station_page.exists():
            if time.monotonic() - waited > 60:
                raise AssertionError("the build waited for the datasets before writing any station page")
            time.sleep(0.05)
        return make_datasets(*args)

    monkeypatch.setattr(generator_build, "_exports", datasets_once_a_station_page_is_written)
    monkeypatch.setattr(generator_build, "BACKGROUND_EXPORTS_FROM", 1)
    monkeypatch.setenv("SOURCE_DATE_EPOCH", EPOCH)
    mkdocs_build(load_config(str(config), site_dir=str(site)))

    # the data page has the datasets' real sizes, and the datasets are in the site
    page = (site / "data" / "index.html").read_text(encoding="utf-8")
    for name in ("stations.csv", "stations.geojson", "xigu-stations.xlsx", "hsds/services.csv"):
        size = human_size((site / "data" / name).stat().st_size)
        row = re.search(rf'<a href="{re.escape(name)}">.*?</tr>', page, re.S)
        assert row and f'<td class="yz-size">{size}</td>' in row.group(), name
    assert (site / "schema" / "station.schema.json").is_file()
    assert sorted(q.name for q in config.parent.iterdir() if q.name.startswith(".")) == []
