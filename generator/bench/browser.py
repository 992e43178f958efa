"""How long a visitor's first search takes to answer: headless Chromium against the built site.

Each query is typed into the search page in a fresh browser context (nothing cached), and timed
from its submission until the results are shown: Pagefind's script and wasm, every part's
metadata and the chunks the word needs, and the ranking (the page itself is loaded first, as a
visitor's would be before they type). The site is served from this machine, so the network adds
nothing; on a slow connection the first search's bytes (`search_first_query_bytes`) come on top.

Chromium is Debian's (`make test` installs it) and Playwright comes with the test extras, which
`make bench` installs; without either the figure is left out, with a note. Like every phase, it runs
in a process of its own (`python -m generator.bench.browser SITE`): Playwright's sync API will not
start inside a process that already runs an event loop, as a test suite may.
"""
from __future__ import annotations

import json
import sys
import time
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from threading import Thread

CHROMIUM = Path("/usr/bin/chromium")
# The machine has no network but the package registries: without the background-networking
# flags Chromium keeps trying to reach Google's hosts.
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--no-first-run", "--disable-sync"]
# Words that every size of the fake site has many stations for: each part's chunk for them is large
QUERIES = ("驿站", "社区", "充电", "调解")
SUBMIT = "q => { const box = document.getElementById('yz-q'); box.value = q; box.form.requestSubmit(); }"
ANSWERED = "() => /找到|没有找到|无法使用/.test(document.querySelector('[data-search-status]').textContent)"


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, *args) -> None:
        pass


def first_search_ms(site: Path, queries: tuple[str, ...] = QUERIES,
                    timeout_s: float = 30) -> tuple[float | None, str]:
    """The slowest of the queries' first answers in milliseconds, or None and why not."""
    try:
        from playwright.sync_api import Error as PlaywrightError, sync_playwright
    except ImportError:
        return None, "Playwright is not installed (make bench installs the test extras)"
    if not CHROMIUM.exists():
        return None, f"no Chromium at {CHROMIUM} (make test installs it)"
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(_Quiet, directory=str(site)))
    Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
            slowest = 0.0
            for query in queries:
                context = browser.new_context(viewport={"width": 390, "height": 844})
                page = context.new_page()
                page.goto(base + "search/", wait_until="networkidle")
                start = time.perf_counter()
                page.evaluate(SUBMIT, query)
                page.wait_for_function(ANSWERED, timeout=timeout_s * 1000)
                status = page.locator("[data-search-status]").inner_text()
                if "找到 " not in status:  # no results, or search could not run: no answer to time
                    return None, f"the search for {query} answered {status!r}"
                page.wait_for_selector("[data-search-results] li a", timeout=timeout_s * 1000)
                slowest = max(slowest, time.perf_counter() - start)
                context.close()
            browser.close()
            return round(slowest * 1000, 1), ""
    except PlaywrightError as e:
        return None, f"the browser failed: {str(e).splitlines()[0]}"
    finally:
        server.shutdown()
        server.server_close()


if __name__ == "__main__" and len(sys.argv) == 2:
    print(json.dumps(first_search_ms(Path(sys.argv[1]))))
