"""Browser tests: real headless Chromium (Debian's), driven by Playwright, fully offline.

Every site under test is built here with the real `yizhan build` from a content
tree (the real content/, a fixture tree, or generated XSS content), served on
127.0.0.1, and visited by a context that aborts every request leaving that
server. Map tiles are the only outside requests a page may make; anything else,
and any console error that is not an aborted tile, fails the test that caused it.
"""
from __future__ import annotations

from pathlib import Path

import pytest
from xss_content import write_xss_content
from yz_browser import FIXTURES, ROOT, TILE_URL, Site, Visit, build_site, serve


@pytest.fixture(scope="session")
def built_sites(tmp_path_factory):
    """Builds and serves each content tree once per session, by name."""
    sites: dict[str, Site] = {}

    def get(name: str, content_factory, plugin_options: str = "") -> Site:
        if name not in sites:
            base = tmp_path_factory.mktemp(f"site-{name}")
            sites[name] = serve(build_site(content_factory(base), base / "project", plugin_options=plugin_options))
        return sites[name]

    yield get
    for site in sites.values():
        site.server.shutdown()
        site.server.server_close()


@pytest.fixture(scope="session")
def real_site(built_sites) -> Site:
    """The real content/, built with the fixed build date."""
    return built_sites("real", lambda base: ROOT / "content")


@pytest.fixture(scope="session")
def hours_site(built_sites) -> Site:
    """tests/fixtures/site/hours: fake stations with every kind of opening hours."""
    return built_sites("hours", lambda base: FIXTURES / "hours")


@pytest.fixture(scope="session")
def xss_content(tmp_path_factory) -> tuple[Path, dict]:
    """The real content with an XSS payload in every free-text field, and the data as written."""
    dest = tmp_path_factory.mktemp("xss-content") / "content"
    return dest, write_xss_content(ROOT / "content", dest)


@pytest.fixture(scope="session")
def xss_site(built_sites, xss_content) -> Site:
    return built_sites("xss", lambda base: xss_content[0])


@pytest.fixture
def open_context(browser):
    """open_context(site, **context_options) → (context, Visit).

    Offline: everything not on the local server is aborted and recorded. Beijing
    time zone and Chinese locale unless a test says otherwise. At teardown, the
    test fails if anything but tiles left the site or the console showed an error.
    """
    opened: list[tuple[object, Visit]] = []

    def open_(site: Site, **options):
        options.setdefault("timezone_id", "Asia/Shanghai")
        options.setdefault("locale", "zh-CN")
        options.setdefault("viewport", {"width": 1280, "height": 900})
        context = browser.new_context(**options)
        visit = Visit(site)

        def route(r):
            if r.request.url.startswith(site.url):
                r.continue_()
            else:
                visit.blocked.append(r.request.url)
                r.abort()

        context.route("**/*", route)

        def watch(page):
            def console(msg):
                if msg.type != "error":
                    return
                where = (msg.location or {}).get("url", "")
                if "net::ERR_FAILED" in msg.text and TILE_URL.match(where):
                    return  # a tile we aborted on purpose
                visit.console_errors.append(f"{msg.text} ({where})")

            page.on("console", console)
            page.on("pageerror", lambda exc: visit.page_errors.append(str(exc)))

            def dialog(d):
                visit.dialogs.append(f"{d.type}: {d.message}")
                d.dismiss()

            page.on("dialog", dialog)

        context.on("page", watch)
        opened.append((context, visit))
        return context, visit

    yield open_
    problems = [p for _, visit in opened for p in visit.problems()]
    for context, _ in opened:
        context.close()
    assert not problems, "\n".join(problems)


@pytest.fixture
def page(open_context, real_site):
    """A fresh page on the real site."""
    context, _ = open_context(real_site)
    return context.new_page()


