"""A thin mkdocs adapter: the generator core makes pages and files; this hands them to mkdocs.

Keeping the core free of mkdocs internals is deliberate (mkdocs 2 drops plugins,
Zensical ignores them): another engine needs only another adapter
(`generate()` returns every page and file, and `write_outputs()` writes them).

Three things happen here rather than in mkdocs' per-page pipeline, because they
decide how the site scales (see bench/README.md): Markdown is skipped for pages
that are already HTML (a 10,000-card directory took seconds to re-parse), station
pages are spliced into one shell page that mkdocs renders (generator/shell.py),
and Pagefind indexes the site for search in parts, each part of station pages while
the next is written, from the moment the shell is built (generator/search_index.py).
The datasets are made meanwhile (generator/build.py); only the data page waits for them.
"""
from __future__ import annotations

import logging
import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath

from mkdocs.config import config_options as opt
from mkdocs.config.base import Config
from mkdocs.exceptions import PluginError
from mkdocs.plugins import BasePlugin
from mkdocs.structure.files import File, Files

from . import report, search_index, shell
from .background import Background, Now
from .build import DATA_PAGE, Output, SiteSources, generate_pages
from .check import CheckResult, check_site
from .config import SiteConfig
from .export import page as data_page
from .memory import release_freed_memory
from .render.icons import ICONS_CSS

log = logging.getLogger("mkdocs.plugins.yizhan")


class YizhanConfig(Config):
    content = opt.Type(str, default="content")
    templates = opt.Type(str, default="site_templates")
    branch = opt.Type(str, default="main")
    license = opt.Type(str, default="CC-BY-4.0")
    map_provider = opt.Choice(("osm", "tianditu", "amap"), default="osm")
    tianditu_key_env = opt.Type(str, default="TIANDITU_KEY")
    map_split_over = opt.Type(int, default=10_000)
    list_max = opt.Type(int, default=1000)
    station_pages_max = opt.Type(int, default=SiteConfig.station_pages_max)  # beyond: town sheets (generator/sheets.py)
    # false sends every page through Markdown and mkdocs; the tests build both ways and compare
    fast_pages = opt.Type(bool, default=True)
    pagefind = opt.Type(str, default="node_modules/.bin/pagefind")  # relative to mkdocs.yml; "" = no search
    # pages per search index part, a town's sheet counting as its stations: bounds Pagefind's memory
    search_part_pages = opt.Type(int, default=4000)


class YizhanPlugin(BasePlugin[YizhanConfig]):
    checked: CheckResult | None = None  # set by build_site, which has validated already

    def on_config(self, config):
        self.sources = SiteSources.from_mkdocs(config, self.config)
        result = self.checked or check_site(self.sources.site_config)
        self.checked = None  # `mkdocs serve` rebuilds must read the content again
        for p in result.warnings:
            log.info("%s:%d:%d: warning[%s]: %s", p.path, p.line, p.col, p.code, p.message)
        if result.errors:
            raise PluginError("内容有错误，网站未生成（content has errors; nothing was built）\n"
                              + report.as_text(result.problems))
        self.result: CheckResult | None = result
        if ICONS_CSS not in config.extra_css:  # generated from the content, so no mkdocs.yml has to name it
            config.extra_css.append(ICONS_CSS)
        self.shell_pages: list[shell.ShellPage] = []
        self.shell: shell.Shell | None = None
        self.html_bodies: dict[str, str] = {}
        self.search: search_index.SearchIndex | None = None
        self.datasets_dir: Path | None = None
        self.datasets: Background[list[Output]] | Now[list[Output]] | None = None  # still being made
        self.dataset_outputs: list[Output] = []
        self.files: Files | None = None
        self.station_ids: list[str] = []  # of the station pages written from the shell
        self.stations_per_page = 1  # more on a site of town sheets (generator/sheets.py)
        self.doc_pages: list[str] = []  # the HTML of every page mkdocs builds, written or not
        return config

    def on_files(self, files: Files, config) -> Files:
        result, self.result = self.result, None  # held by the pages made from it, until the last is written
        # next to the site, as the site's own temporary folder is (build_site): moved into it after the build
        self.datasets_dir = Path(tempfile.mkdtemp(prefix=".datasets-", dir=Path(config.site_dir).parent))
        outs, self.datasets = generate_pages(result, self.sources, datasets_dir=self.datasets_dir)
        # Pagefind's memory grows with the words it indexes: a sheet of 25 stations weighs 25 pages
        shells = sum(1 for o in outs if o.shell)
        self.stations_per_page = max(1, round(len(result.catalog.stations) / shells)) if shells else 1
        # Each page's text goes as soon as mkdocs has it: held to the end, they were 0.3 GB at 100,000 stations.
        outs.reverse()
        while outs:
            self._add(files, config, outs.pop())
        # The data page gives the datasets' sizes, so it waits for them, and mkdocs builds the site meanwhile:
        # until mkdocs builds the page it is only its front matter (the title, for the other pages' navigation),
        # and it comes last, as mkdocs builds pages in this order.
        self._add(files, config, Output(DATA_PAGE, data_page.placeholder()))
        self.files = files
        return files

    def _add(self, files: Files, config, out: Output) -> None:
        if out.shell and self.config.fast_pages and config.use_directory_urls:
            if not self.shell_pages:  # the shell takes the place of the first station page
                f = File.generated(config, shell.SHELL_URI, content=shell.SHELL_MARKDOWN)
                if out.source_path:  # content/stations/<id>.yaml, with the id as a slot
                    f.edit_uri = str(PurePosixPath(out.source_path).with_stem(shell.SLOT_ID))
                files.append(f)
            self.shell_pages.append(out.shell)
            return
        if out.path.endswith(".md"):
            content = out.shell.markdown if out.content is None else out.content
            if (out.shell or out.raw_html) and self.config.fast_pages:
                body = shell.body_of(content)
                self.html_bodies[out.path] = body.decode("utf-8") if isinstance(body, bytes) else body
                # mkdocs needs only the front matter (title, description): the body comes as HTML
                content = content[:shell.body_start(content)]
            f = File.generated(config, out.path, content=content)
            if out.source_path:
                f.edit_uri = out.source_path  # "edit this page" opens the YAML, not generated Markdown
        elif out.abs_src_path:
            f = File.generated(config, out.path, abs_src_path=out.abs_src_path)
        else:
            f = File.generated(config, out.path, content=out.content)
        if files.get_file_from_path(out.path) is not None:
            files.remove(files.get_file_from_path(out.path))
        files.append(f)

    def _datasets(self) -> list[Output]:
        """The datasets' files (in the datasets folder) and the data page, once they are made."""
        if self.datasets is not None:
            pending, self.datasets = self.datasets, None
            self.dataset_outputs = pending.result()
        return self.dataset_outputs

    def on_page_markdown(self, markdown: str, page, config, files) -> str:
        return "" if page.file.src_uri in self.html_bodies else markdown

    def on_page_content(self, html: str, page, config, files) -> str:
        return self.html_bodies.get(page.file.src_uri, html)

    def on_page_context(self, context, page, config, nav):
        if page.file.src_uri == DATA_PAGE:  # read and render the page itself, as mkdocs did the placeholder
            page.file.content_string = next(o.content for o in self._datasets() if o.path == DATA_PAGE)
            page.read_source(config)
            page.render(config, self.files)
        return context

    def on_env(self, env, config, files):
        self.doc_pages = [f.dest_uri for f in files.documentation_pages() if f.dest_uri.endswith(".html")]
        return env

    def on_post_page(self, output: str, page, config) -> str:
        if page.file.src_uri == shell.SHELL_URI:
            try:
                self.shell = shell.Shell.parse(output, page.content)
            except shell.ShellError as e:
                raise PluginError(f"{e} (set fast_pages: false for the yizhan plugin in mkdocs.yml)") from None
            # mkdocs builds the shell among the first pages: the search index's first parts are
            # made while it builds the others (~1 s at 10,000 stations).
            self._write_station_pages(config, page.file.dest_uri)
        return output

    def on_post_build(self, config) -> None:
        site = Path(config.site_dir)
        self._place_datasets(site)
        if self.shell_pages:
            raise PluginError("the station shell page was not rendered")
        if self.station_ids:
            shutil.rmtree(site / shell.SHELL_URI.removesuffix(".md"), ignore_errors=True)
            shell.expand_sitemap(site, self.station_ids)
        elif self.config.pagefind:
            self.search = self._search_index(config)
        release_freed_memory()  # Pagefind needs the room
        if self.search is not None:
            search, self.search = self.search, None
            try:
                search.finish()
            except search_index.SearchIndexError as e:
                raise PluginError(str(e)) from None

    def _search_index(self, config) -> search_index.SearchIndex:
        base = Path(config.config_file_path).parent if config.config_file_path else Path()
        try:
            return search_index.SearchIndex(base / self.config.pagefind, Path(config.site_dir),
                                            max(1, self.config.search_part_pages // self.stations_per_page),
                                            search_index.ram_dir())
        except search_index.SearchIndexError as e:
            raise PluginError(str(e)) from None

    def _write_station_pages(self, config, shell_page: str) -> None:
        """From the shell, once it is built; part by part when there is a search index, so that each part
        is indexed while the next is written (and while mkdocs builds its other pages)."""
        site = Path(config.site_dir)
        self.html_bodies = {}  # every page has its content by now
        release_freed_memory()  # what generate() made, now in the site or in mkdocs' pages
        coming = {p.html_path: p for p in self.shell_pages}
        if self.config.pagefind:
            self.search = self._search_index(config)
            # the shell is written once this returns, and removed before the last part is indexed
            for part in self.search.split(list(coming) + self.doc_pages, never=[shell_page]):
                if part.stations_only and not part.is_bundle:
                    shell.write_pages(self.shell, [coming.pop(page) for page in part.pages], site)
                    self._datasets()  # the process making them and Pagefind would need ~1 GB together
                    self.search.start(part)
        shell.write_pages(self.shell, list(coming.values()), site)
        self.station_ids = [p.id for p in self.shell_pages]
        self.shell_pages = []
        release_freed_memory()  # the station pages, written

    def on_build_error(self, error) -> None:
        if self.datasets is not None:
            self.datasets.cancel()
            self.datasets = None
        if self.search is not None:
            self.search.cancel()
            self.search = None
        self._remove_datasets_dir()

    def _place_datasets(self, site: Path) -> None:
        """Into the site, where a file of the docs folder with the same path gives way, as with mkdocs' files."""
        for out in self._datasets():
            if out.abs_src_path:
                dest = site / out.path
                dest.parent.mkdir(parents=True, exist_ok=True)
                os.replace(out.abs_src_path, dest)  # the datasets folder is next to the site: a rename
        self._remove_datasets_dir()

    def _remove_datasets_dir(self) -> None:
        if self.datasets_dir is not None:
            shutil.rmtree(self.datasets_dir, ignore_errors=True)
            self.datasets_dir = None

    def on_serve(self, server, config, builder):
        for folder in (self.sources.site_config.content_dir, self.sources.site_config.templates_dir):
            server.watch(str(Path(folder).resolve()))
        return server
