"""Amenity icons, drawn by one stylesheet that every page shares rather than inlined on every page.

Inlined, an icon's SVG came with each amenity of each station page and of each card on
the town, kind and service pages: a tenth of a 10,000-station site (36 of 343 MB), and
bytes a phone fetched again with every page. The stylesheet is fetched once and cached.
Each icon is a CSS mask filled with the text colour, as mkdocs-material draws its own
admonition icons, so it looks as the inline SVG did.
"""
from __future__ import annotations

from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from urllib.parse import quote

import material

from ..model import Amenity

ICONS_CSS = "assets/yizhan/amenity-icons.css"
_ICONS = Path(material.__file__).parent / "templates" / ".icons"


@lru_cache(maxsize=None)
def icon_svg(name: str | None) -> str:
    """SVG of a bundled mkdocs-material icon, or "" when there is none of that name.

    The name was checked by the schema's pattern (material/<letters, digits, dashes>), so it
    cannot leave the theme's icon folder.
    """
    if not name:
        return ""
    file = _ICONS / f"{name}.svg"
    return file.read_text(encoding="utf-8") if file.is_file() else ""


def _modifier(amenity_id: str) -> str:
    return f"yz-icon--{amenity_id}"  # ids are slugs (the schema's pattern): safe class names and selectors


def icon_class(amenity: Amenity) -> str:
    """The classes that draw the amenity's icon, or "" when it has none."""
    return f"yz-icon {_modifier(amenity.id)}" if icon_svg(amenity.icon) else ""


def icons_css(amenities: Iterable[Amenity]) -> str:
    """A rule per amenity with an icon."""
    rules = ["/* 设施图标，由 content/amenities 生成 / amenity icons, generated from content/amenities */"]
    for a in amenities:
        svg = icon_svg(a.icon)
        if svg:
            # percent-encoded: quotes, '#' and '%' cannot end the url("...") or the data URL early
            data = quote(svg.strip(), safe=" /=:.,")
            rules.append(f'.{_modifier(a.id)}{{--yz-icon:url("data:image/svg+xml,{data}")}}')
    return "\n".join(rules) + "\n"
