"""The orchestrator: check everything, then generate everything, then write once.

Gather-then-write (as mkdocs' own build does): nothing is rendered until every
file has been validated, and `site/` is replaced only after a complete build,
so a failed build leaves the previous site as it was.
"""
from __future__ import annotations

import os
import shutil
import tempfile
from dataclasses import dataclass, replace
from importlib import resources
from pathlib import Path

from .background import Background, Now, start
from .check import CheckResult, check_site
from .config import SiteConfig
from .export.page import DATA_PAGE
from .render import environment
from .render.env import json_script
from .render.pages import render_pages
from .shell import ShellPage


@dataclass(frozen=True)
class Output:
    """One file of the site: generated text/bytes, or a packaged asset copied from disk."""

    path: str
    content: str | bytes | None = b""  # None for a station page until it is rendered (`shell`)
    source_path: str | None = None
    abs_src_path: str | None = None
    raw_html: bool = False  # a page whose body is HTML that Markdown need not parse (render.env.Page)
    shell: ShellPage | None = None


@dataclass(frozen=True)
class SiteSources:
    site_config: SiteConfig
    site_name: str = "西固驿站"
    license: str = "CC-BY-4.0"
    map_provider: str = "osm"
    map_split_over: int = 10_000  # more stations with a position than this: one map file per town
    list_max: int = 1000  # longer lists of stations are shown as links to town pages
    tianditu_key: str = ""

    @classmethod
    def from_mkdocs(cls, config, plugin_config) -> "SiteSources":
        base = Path(config.config_file_path).parent if config.config_file_path else Path()
        repo = (config.repo_url or "").rstrip("/")
        return cls(
            site_config=SiteConfig(content_dir=base / plugin_config.content,
                                   templates_dir=base / plugin_config.templates,
                                   site_url=config.site_url or "", repo_url=repo,
                                   edit_base=f"{repo}/edit/{plugin_config.branch}/" if repo else "",
                                   station_pages_max=plugin_config.station_pages_max),
            site_name=config.site_name,
            license=plugin_config.license,
            map_provider=plugin_config.map_provider,
            map_split_over=plugin_config.map_split_over,
            list_max=plugin_config.list_max,
            tianditu_key=os.environ.get(plugin_config.tianditu_key_env, ""),
        )


def _package_assets() -> list[Output]:
    """Leaflet from the xstatic packages (never a CDN), and our own CSS/JS."""
    import xstatic.pkg.leaflet as leaflet
    import xstatic.pkg.leaflet_markercluster as cluster

    outs = []
    for prefix, base, names in (
        ("assets/leaflet", Path(leaflet.BASE_DIR), ["leaflet.js", "leaflet.css", "images"]),
        ("assets/leaflet.markercluster", Path(cluster.BASE_DIR),
         ["leaflet.markercluster.js", "MarkerCluster.css", "MarkerCluster.Default.css"]),
    ):
        for name in names:
            target = base / name
            files = sorted(p for p in target.rglob("*") if p.is_file()) if target.is_dir() else [target]
            outs += [Output(f"{prefix}/{p.relative_to(base).as_posix()}", abs_src_path=str(p)) for p in files]
    own = resources.files("generator").joinpath("assets")
    for sub in ("css", "js"):
        for item in sorted(own.joinpath(sub).iterdir(), key=lambda p: p.name):
            if item.name.endswith((".css", ".js")):
                outs.append(Output(f"assets/yizhan/{item.name}", abs_src_path=str(item)))
    return outs


def _map_config(src: SiteSources) -> Output:
    cfg = {"provider": src.map_provider, "tiandituKey": src.tianditu_key}
    return Output("assets/yizhan/map-config.js", f"window.YIZHAN_MAP_CONFIG = {json_script(cfg)};\n")


# From this many stations the datasets are made in a forked process while the pages are
# rendered (generator/background.py); below it, a fork costs more than it saves.
BACKGROUND_EXPORTS_FROM = 500


def generate(result: CheckResult, src: SiteSources, background: bool | None = None,
             datasets_dir: Path | None = None) -> list[Output]:
    """Every generated file, from a clean check result. Pure apart from reading templates and packages.

    With `datasets_dir`, the datasets are written there as they are made, a slice of the stations
    at a time, by whichever process makes them, and come back as paths to those files: no process
    holds them (~75 MB at 10,000 stations, ~0.8 GB at 100,000).
    """
    outs, datasets = generate_pages(result, src, background, datasets_dir)
    # every page rendered, for a caller that writes them all; the build renders each station's as it writes it
    outs = [replace(o, content=o.shell.markdown) if o.content is None else o for o in outs]
    return outs + datasets.result()


def generate_pages(result: CheckResult, src: SiteSources, background: bool | None = None,
                   datasets_dir: Path | None = None) -> tuple[list[Output], Background[list[Output]] | Now[list[Output]]]:
    """Every generated file but the datasets, and the datasets still being made: their `.result()` is
    the files under data/ and schema/, and the data page (DATA_PAGE), which gives their sizes.

    A site can be built while the datasets are made (from 500 stations, in a forked process):
    at 10,000 stations they take ~3 s longer than the pages.
    """
    assert result.catalog is not None and result.calendar is not None, "generate() needs a clean check"
    cfg = src.site_config
    env = environment(cfg.templates_dir)
    if background is None:
        background = len(result.catalog.stations) >= BACKGROUND_EXPORTS_FROM
    exports = start(lambda: _exports(result, src, env, datasets_dir), background)
    try:
        pages, extra = render_pages(result.catalog, cfg, env, result.calendar, src.site_name, src.map_split_over,
                                    src.list_max)
    except BaseException:
        exports.cancel()
        raise
    outs = [Output(p.src_uri, p.text, p.source_path, raw_html=p.raw_html, shell=p.shell) for p in pages]
    outs += [Output(path, data) for path, data in sorted(extra.items())]
    outs += _package_assets()
    outs.append(_map_config(src))
    return outs, exports


def _exports(result: CheckResult, src: SiteSources, env, datasets_dir: Path | None) -> list[Output]:
    from .export import build_exports
    from .export.page import render_data_page

    exports = build_exports(result.catalog, src.site_config, license_id=src.license,
                            site_url=src.site_config.site_url, calendar=result.calendar, out_dir=datasets_dir)
    page = render_data_page(env, exports, result.catalog, src.site_config, license_id=src.license)
    if datasets_dir is not None:  # written as they were made
        outs = [Output(e.path, abs_src_path=str(datasets_dir / e.path)) for e in exports]
    else:
        outs = [Output(e.path, e.content) for e in exports]
    return outs + [Output(DATA_PAGE, page)]


def write_outputs(outputs: list[Output], target: Path) -> None:
    for out in outputs:
        dest = target / out.path
        dest.parent.mkdir(parents=True, exist_ok=True)
        if out.abs_src_path:
            shutil.copyfile(out.abs_src_path, dest)
        else:
            dest.write_bytes(out.content.encode("utf-8") if isinstance(out.content, str) else out.content)


def build_site(config_file: Path, site_dir: Path, strict: bool = False) -> CheckResult:
    """Validate, then build with mkdocs into a temporary folder and swap it in only on success."""
    from mkdocs.commands.build import build
    from mkdocs.config import load_config

    plugin_settings = _plugin_settings(config_file)
    base = config_file.parent
    result = check_site(SiteConfig(content_dir=base / plugin_settings.get("content", "content")))
    if result.failed(strict):
        return result
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".site-build-", dir=site_dir.parent))
    try:
        cfg = load_config(str(config_file), site_dir=str(tmp / "site"), strict=strict)
        plugin = cfg.plugins.get("yizhan")
        if plugin is not None and Path(plugin.config.content) == Path(plugin_settings.get("content", "content")):
            plugin.checked = result  # validated above; reading 10,000 files twice is a tenth of a build
            result = CheckResult(result.problems)  # the content goes once the last station page is written
        build(cfg)
        replace_folder(tmp / "site", site_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result


def replace_folder(new: Path, target: Path) -> None:
    """Put a finished folder in the place of `target`, which stays as it was until then."""
    old = target.with_name(target.name + ".old")
    if target.exists():
        target.rename(old)
    new.rename(target)
    shutil.rmtree(old, ignore_errors=True)


def _plugin_settings(config_file: Path) -> dict:
    """The yizhan plugin's options from mkdocs.yml, read without executing the file's Python tags."""
    import yaml

    class _Lenient(yaml.SafeLoader):
        pass

    _Lenient.add_multi_constructor("", lambda loader, suffix, node: None)
    data = yaml.load(config_file.read_text(encoding="utf-8"), Loader=_Lenient) or {}
    for item in data.get("plugins") or []:
        if isinstance(item, dict) and "yizhan" in item:
            return item["yizhan"] or {}
    return {}


__all__ = ["BACKGROUND_EXPORTS_FROM", "DATA_PAGE", "Output", "SiteSources", "build_site", "generate", "generate_pages",
           "replace_folder", "write_outputs"]
