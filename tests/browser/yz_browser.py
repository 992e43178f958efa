"""Helpers shared by the browser tests: build a site with the real CLI, serve it, watch a visit."""
from __future__ import annotations

import functools
import http.server
import os
import re
import shutil
import subprocess
import sys
import threading
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path

import pytest

from generator.config import CHINA_TZ

ROOT = Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "tests" / "fixtures" / "site"
YIZHAN = Path(sys.executable).parent / "yizhan"

# The fixture sites are built "on" this date: the 60-day holiday window then holds
# Mid-autumn (09-25..27), National Day (10-01..07) and the 调休 days 09-20 and 10-10.
BUILD_DAY = datetime(2026, 9, 15, tzinfo=CHINA_TZ)
BUILD_EPOCH = str(int(BUILD_DAY.timestamp()))

# Base-map tiles of the three providers map.js knows; nothing else may leave the site.
TILE_URL = re.compile(
    r"^https://(tile\.openstreetmap\.org/\d+/\d+/\d+\.png"
    r"|t[0-7]\.tianditu\.gov\.cn/(vec|cva)_w/wmts\?"
    r"|webrd0[1-4]\.is\.autonavi\.com/appmaptile\?)")


def build_env(epoch: str = BUILD_EPOCH) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("YIZHAN_", "TIANDITU_"))}
    env.update(SOURCE_DATE_EPOCH=epoch, PYTHONIOENCODING="utf-8", NO_MKDOCS_2_WARNING="1")
    return env


def make_project(content: Path, project: Path, plugin_options: str = "") -> Path:
    """A throw-away copy of the project around `content`; returns its mkdocs.yml.

    `plugin_options` are extra lines for the yizhan plugin, e.g. "map_split_over: 2".
    """
    project.mkdir(parents=True, exist_ok=True)
    config = (ROOT / "mkdocs.yml").read_text(encoding="utf-8")
    anchor = "      map_provider: osm\n"
    assert anchor in config
    extra = "".join(f"      {line}\n" for line in plugin_options.splitlines())
    (project / "mkdocs.yml").write_text(config.replace(anchor, anchor + extra), encoding="utf-8")
    for folder in ("docs", "site_templates"):
        shutil.copytree(ROOT / folder, project / folder, dirs_exist_ok=True)
    if (project / "content").exists():
        shutil.rmtree(project / "content")
    shutil.copytree(content, project / "content")
    if not (project / "node_modules").exists():  # Pagefind, installed once by `make test`
        (project / "node_modules").symlink_to(ROOT / "node_modules", target_is_directory=True)
    return project / "mkdocs.yml"


def run_build(config: Path, site: Path, epoch: str = BUILD_EPOCH) -> subprocess.CompletedProcess:
    return subprocess.run([str(YIZHAN), "build", "-f", str(config), "-d", str(site)], cwd=config.parent,
                          env=build_env(epoch), capture_output=True, text=True, encoding="utf-8", timeout=300)


def build_site(content: Path, project: Path, epoch: str = BUILD_EPOCH, plugin_options: str = "") -> Path:
    """Build `content` with the real CLI; returns the site folder or fails with the build's output."""
    config = make_project(content, project, plugin_options)
    site = project / "site"
    done = run_build(config, site, epoch)
    if done.returncode != 0:
        pytest.fail(f"yizhan build failed ({done.returncode}):\n{done.stdout}\n{done.stderr}")
    return site


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@dataclass
class Site:
    """A built site being served: its folder and its base URL (ending in /)."""

    root: Path
    url: str
    server: http.server.ThreadingHTTPServer = field(repr=False)

    def page_paths(self, section: str) -> list[str]:
        """Site paths of the generated pages in a section, e.g. stations/<id>/."""
        return sorted(f"{section}/{p.parent.name}/" for p in (self.root / section).glob("*/index.html"))


def serve(root: Path) -> Site:
    handler = functools.partial(_QuietHandler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return Site(root, f"http://127.0.0.1:{server.server_port}/", server)


@dataclass
class Visit:
    """What one browser context saw: requests it blocked, console errors, uncaught exceptions."""

    site: Site
    blocked: list[str] = field(default_factory=list)
    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def problems(self) -> list[str]:
        out = [f"request left the site: {u}" for u in self.blocked if not TILE_URL.match(u)]
        out += [f"console error: {e}" for e in self.console_errors]
        out += [f"uncaught exception: {e}" for e in self.page_errors]
        out += [f"dialog opened: {d}" for d in self.dialogs]
        return out


def goto(page, site: Site, path: str = ""):
    """Open a site page and wait until our scripts have run."""
    page.goto(site.url + path)
    page.wait_for_load_state("load")
    return page


def wait_for_map(page, markers: int | None = None):
    """Wait until map.js has put its markers on the overview map."""
    page.wait_for_selector("[data-map][data-markers]", state="attached")
    if markers is not None:
        page.wait_for_function("n => document.querySelector('[data-map]').getAttribute('data-markers') === String(n)",
                               arg=markers)
    page.wait_for_timeout(300)  # markercluster animates clusters into place


def count_map_markers(page) -> int:
    """Markers on the overview map: lone markers plus the number written on each cluster."""
    lone = page.locator(".yz-map .leaflet-marker-icon.yz-marker").count()
    clustered = sum(int(t) for t in page.locator(".yz-map .marker-cluster").all_inner_texts())
    return lone + clustered
