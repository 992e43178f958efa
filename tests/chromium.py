"""Where the browser is and how it starts: Debian's chromium, never a Playwright download."""
from pathlib import Path

CHROMIUM = Path("/usr/bin/chromium")
# The machine has no network but the package registries: without the background-networking
# flags Chromium keeps trying to reach Google's hosts.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
