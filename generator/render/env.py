"""The one entry point into Jinja: autoescape on, StrictUndefined, and a few escaping filters."""
from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from ..shell import ShellPage


@dataclass(frozen=True)
class Page:
    """A generated page: its path in the docs tree, its Markdown text, and the content file it came from."""

    src_uri: str
    text: str | None  # None for station pages, rendered when they are written: see ShellPage
    source_path: str | None = None
    # The text after the front matter is HTML that Markdown would pass through unchanged (shell.body_of):
    # mkdocs may take it as it is. Not kept beside the text: that was a second copy of every list page.
    raw_html: bool = False
    shell: ShellPage | None = None  # station pages, which the shell fast path may render: their body is in here


class AttrJson(dict):
    """A dict printed with json_attr many times: its text is worked out once.

    A station's hours go on its page and on the card of every list it is in, and
    stations share hours. Never change it after it is made.
    """

    __slots__ = ("attr",)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.attr = _single_quoted(compact_json(self))


def compact_json(value) -> str:
    """One line, keys sorted, Chinese as is: for attributes and the map's station files."""
    return json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))


def json_attr(value) -> Markup:
    """JSON for an HTML attribute in single quotes: data-x='{{ value|json_attr }}'.

    &, <, > and ' are escaped; the JSON's double quotes are left as they are. Escaped too, as autoescape
    would for any attribute, they were a quarter of every opening-hours badge (~20 MB of a
    100,000-station site). tests/unit/test_render.py checks that every template quotes it so."""
    return Markup(value.attr if isinstance(value, AttrJson) else _single_quoted(compact_json(value)))


def _single_quoted(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("'", "&#39;")


def json_script(value) -> Markup:
    """JSON safe inside <script type="application/ld+json">: no '</script>' or '<!--' can close it."""
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, indent=None, separators=(",", ":"))
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    text = text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029")
    return Markup(text)


def yaml_string(value: str) -> Markup:
    """A front-matter value: JSON strings are valid YAML, so quotes and colons cannot break out."""
    return Markup(json.dumps(value, ensure_ascii=False))


def environment(templates_dir: Path) -> Environment:
    env = Environment(
        loader=FileSystemLoader(str(templates_dir)),
        autoescape=True,  # every template emits HTML inside Markdown; data is always escaped
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(json_attr=json_attr, json_script=json_script, yaml_string=yaml_string)
    return env


def render_template(env: Environment, name: str, **context) -> str:
    return env.get_template(name).render(**context)
