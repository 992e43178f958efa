"""`yizhan datasets`: check the content, then write only the open datasets (data/ and schema/,
byte for byte what the site publishes) into a folder that is replaced only once every file is made.

For whoever wants the data without the site (a nightly export, a mirror) and wants it sooner:
with no pages to render, the Excel workbook is made beside the other files on the second core.
"""
from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

from .build import BACKGROUND_EXPORTS_FROM, SiteSources, replace_folder
from .check import CheckResult, check_site
from .errors import Problem
from .export import Output as DatasetFile, build_exports


def write_datasets(config_file: Path, out_dir: Path, strict: bool = False) -> tuple[CheckResult, list[DatasetFile]]:
    """The check's result and the files written (with their sizes, not their content); none when it failed."""
    from mkdocs.config import load_config

    cfg = load_config(str(config_file))
    plugin = cfg.plugins.get("yizhan")
    if plugin is None:
        return CheckResult([Problem(str(config_file), 1, 1, "no-plugin",
                                    "配置里没有 yizhan 插件，不知道内容在哪里、用什么许可（the yizhan plugin is missing）",
                                    "在 plugins 下加上 - yizhan / add the yizhan plugin, as in the project's mkdocs.yml")]), []
    src = SiteSources.from_mkdocs(cfg, plugin.config)
    result = check_site(src.site_config)
    if result.failed(strict):
        return result, []
    out_dir = out_dir.resolve()
    out_dir.parent.mkdir(parents=True, exist_ok=True)
    tmp = Path(tempfile.mkdtemp(prefix=".datasets-", dir=out_dir.parent))
    try:
        made = tmp / "datasets"
        files = build_exports(result.catalog, src.site_config, license_id=src.license,
                              site_url=src.site_config.site_url, calendar=result.calendar,
                              out_dir=made,
                              parallel=len(result.catalog.stations) >= BACKGROUND_EXPORTS_FROM)
        replace_folder(made, out_dir)
    finally:
        shutil.rmtree(tmp, ignore_errors=True)
    return result, files


__all__ = ["write_datasets"]
