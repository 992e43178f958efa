"""Where the browser is and how it starts: Debian's chromium, never a Playwright download.

The benchmark times a first search in the same browser, so the settings live with it."""
from generator.bench.browser import CHROMIUM, CHROMIUM_ARGS  # noqa: F401
