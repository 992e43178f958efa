"""Station pages without mkdocs' per-page pipeline: one shell page, spliced per station.

Every station page has the same layout at the same depth (`stations/<id>/`), so
the theme produces the same HTML around each station's body except in a few
slots. mkdocs renders one shell page whose slots hold sentinel values; each
station's page is that HTML with the sentinels replaced. This turns ~16 ms of
Markdown, search indexing and theme rendering per page into a string join.

The station's body is already the HTML that Markdown would emit (the template
writes one raw HTML block, which Markdown passes through untouched), and every
slot value is escaped for HTML before it gets here: ids are ASCII slugs and
titles and descriptions are `theme_text`. A test builds the same site both ways
and compares every file byte for byte.
"""
from __future__ import annotations

import gzip
import io
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TypeVar

SLOT_ID = "yizhan-shell-slot"
SLOT_TITLE = "YIZHANSHELLTITLE"
SLOT_DESCRIPTION = "YIZHANSHELLDESCRIPTION"
SLOT_BODY = '<h1 class="yizhan-shell-body"></h1>'  # with an <h1>, as every station body has: material adds none
SHELL_URI = f"stations/{SLOT_ID}.md"
SHELL_MARKDOWN = f'---\ntitle: "{SLOT_TITLE}"\ndescription: "{SLOT_DESCRIPTION}"\n---\n\n{SLOT_BODY}\n'

T = TypeVar("T", str, bytes)


def body_start(text: str | bytes) -> int:
    """Where a generated page's body begins: just after the line that closes its front matter."""
    end = "\n---\n" if isinstance(text, str) else b"\n---\n"
    return text.index(end) + len(end)


def body_of(text: T) -> T:
    """A generated page's body: what Markdown would pass through as HTML."""
    return text[body_start(text):].strip()


@dataclass(frozen=True)
class ShellPage:
    """What differs from one station page to the next."""

    src_uri: str  # stations/<id>.md, served as stations/<id>/
    id: str
    title: str
    description: str
    # The page's whole Markdown in UTF-8, rendered when it is asked for: the build asks as it writes
    # each page, so that no station's page is held from the rendering to the writing. Held rendered,
    # they were 0.8 GB of a 100,000-station build (the catalogue they come from stays anyway).
    render: Callable[[], bytes] = field(repr=False, compare=False)

    @property
    def markdown(self) -> bytes:
        return self.render()

    @property
    def body(self) -> bytes:
        return body_of(self.render())

    @property
    def html_path(self) -> str:
        """Where the page is written, relative to the site: stations/<id>/index.html."""
        return self.src_uri.removesuffix(".md") + "/index.html"


class ShellError(RuntimeError):
    pass


@dataclass(frozen=True)
class Shell:
    parts: tuple[bytes | str, ...]  # literal UTF-8 text and slot names, alternating

    @classmethod
    def parse(cls, html: str, body: str) -> "Shell":
        """Split the rendered shell page at its slots; `body` is the shell body as Markdown rendered it."""
        if html.count(body) != 1:
            raise ShellError("the theme printed the page body other than once; station pages need the full pipeline")
        tokens = {SLOT_ID: "id", SLOT_TITLE: "title", SLOT_DESCRIPTION: "description", body: "body"}
        pieces = re.split("(" + "|".join(re.escape(t) for t in tokens) + ")", html)
        return cls(tuple(tokens.get(p, p) if i % 2 else p.encode("utf-8") for i, p in enumerate(pieces)))

    def fill(self, page: ShellPage) -> bytes:
        values = {"id": page.id.encode("utf-8"), "title": page.title.encode("utf-8"),
                  "description": page.description.encode("utf-8"), "body": page.body}
        return b"".join(values[p] if i % 2 else p for i, p in enumerate(self.parts))


def write_pages(shell: Shell, pages: list[ShellPage], site_dir: Path) -> None:
    """Render each page and write it."""
    for page in pages:
        dest = site_dir / page.html_path
        dest.parent.mkdir(parents=True, exist_ok=True)
        dest.write_bytes(shell.fill(page))


def expand_sitemap(site_dir: Path, ids: list[str]) -> None:
    """Replace the shell's <url> entry with one per station, as mkdocs would have listed them."""
    path = site_dir / "sitemap.xml"
    if not path.exists():
        return
    text = path.read_text(encoding="utf-8")
    match = re.search(r"\n\s*<url>(?:(?!</url>).)*?" + re.escape(SLOT_ID) + r".*?</url>", text, re.S)
    if match:
        entry = match.group(0)
        text = text[:match.start()] + "".join(entry.replace(SLOT_ID, i) for i in ids) + text[match.end():]
        path.write_text(text, encoding="utf-8")
    gz = path.with_name("sitemap.xml.gz")
    if gz.exists():  # keep mkdocs' header (name and timestamp) so builds stay byte-reproducible
        mtime = int.from_bytes(gz.read_bytes()[4:8], "little")
        buf = io.BytesIO()
        with gzip.GzipFile(fileobj=buf, filename=gz.name, mode="wb", mtime=mtime) as out:
            out.write(text.encode("utf-8"))
        gz.write_bytes(buf.getvalue())
