"""Datasets made in a forked process while pages render (generator/background.py):
the same files as made in line, and an export error still reaches the build."""
from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from generator.background import Background, start
from generator.bench.fake import write_fake_content
from generator.build import SiteSources, generate
from generator.check import check_site
from generator.config import SiteConfig
from generator.export.fields import ExportError

ROOT = Path(__file__).resolve().parents[2]
needs_fork = pytest.mark.skipif((os.cpu_count() or 1) < 2, reason="background work needs two cores")


@needs_fork
def test_generating_with_datasets_in_background_gives_the_same_files(tmp_path):
    content = write_fake_content(tmp_path / "content", 60, seed=3)
    src = SiteSources(SiteConfig(content_dir=content, templates_dir=ROOT / "site_templates"))
    result = check_site(src.site_config)
    assert not result.errors
    inline, forked = generate(result, src, background=False), generate(result, src, background=True)
    assert [(o.path, o.content) for o in forked] == [(o.path, o.content) for o in inline]
    assert any(o.path == "data/xigu-stations.xlsx" for o in forked)


@needs_fork
def test_background_runs_in_another_process_and_returns_its_value():
    assert start(os.getpid, worth_it=True).result() != os.getpid()
    assert start(os.getpid, worth_it=False).result() == os.getpid()


@needs_fork
def test_an_error_in_background_is_raised_where_the_result_is_wanted():
    def fails():
        raise ExportError("'说明' cannot be a sheet name")

    with pytest.raises(ExportError, match="sheet name"):
        Background(fails).result()


@needs_fork
def test_a_background_process_that_dies_is_an_error_not_a_hang():
    with pytest.raises(RuntimeError, match="without a result"):
        Background(lambda: os._exit(3)).result()


@needs_fork
def test_cancelled_background_work_stops():
    work = Background(lambda: time.sleep(30))
    work.cancel()
    assert not work._proc.is_alive()
