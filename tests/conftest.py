"""Shared fixtures. Keep this small: anything used by one test file belongs in that file."""
from __future__ import annotations

import os
import shutil
from datetime import date, datetime, time
from pathlib import Path

import pytest

from generator.config import CHINA_TZ, SiteConfig

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "tests" / "examples"

# A fixed "today" so staleness and holiday-coverage results do not depend on the day the tests run.
TODAY = date(2026, 6, 1)


@pytest.fixture
def today() -> date:
    return TODAY


@pytest.fixture
def base_content(tmp_path: Path) -> Path:
    """A fresh copy of tests/examples/base/content/: a small, valid content tree to break on purpose."""
    dest = tmp_path / "content"
    shutil.copytree(EXAMPLES / "base" / "content", dest)
    return dest


@pytest.fixture
def make_config():
    """SiteConfig factory with the fixed TODAY unless a test says otherwise."""

    def make(content_dir: Path, **overrides) -> SiteConfig:
        overrides.setdefault("today", TODAY)
        return SiteConfig(content_dir=Path(content_dir), **overrides)

    return make


@pytest.fixture
def cli_env() -> dict[str, str]:
    """Environment for running `yizhan` as a subprocess: the same fixed TODAY via SOURCE_DATE_EPOCH."""
    noon = datetime.combine(TODAY, time(12), CHINA_TZ)
    return {**os.environ, "SOURCE_DATE_EPOCH": str(int(noon.timestamp())), "PYTHONIOENCODING": "utf-8"}


@pytest.fixture(scope="session")
def browser():
    """One headless Chromium for the whole run: Playwright's sync API allows one driver at a time."""
    from chromium import CHROMIUM, CHROMIUM_ARGS
    from playwright.sync_api import sync_playwright

    if not CHROMIUM.exists():
        # Not a skip: without a browser nothing a visitor sees is tested.
        pytest.fail(f"{CHROMIUM} is missing: install Debian's chromium package "
                    "(`make browser` does it; Playwright's own browser download is not used)")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield browser
        browser.close()
