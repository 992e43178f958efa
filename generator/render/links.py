"""URLs derived from data: page paths, map app links, edit links. Every piece of data is URL-encoded here."""
from __future__ import annotations

import hashlib
import re
from functools import lru_cache
from urllib.parse import quote, quote_plus, urlencode

from ..model import Station

_UNSAFE = re.compile(r"[^\w\u3400-\u9fff]+")


@lru_cache(maxsize=4096)  # a town is named by each of its stations
def town_slug(town: str) -> str:
    """A path segment from free text: only letters, digits and CJK survive, so no '/' or '..' reaches a path."""
    cleaned = _UNSAFE.sub("", town)[:40]
    if cleaned == town:
        return town
    # something was dropped: a hash of the original keeps "A/B" and "AB" on different pages
    digest = hashlib.sha1(town.encode("utf-8")).hexdigest()[:8]
    return f"{cleaned}-{digest}" if cleaned else f"town-{digest}"


def page_uri(section: str, slug: str) -> str:
    return f"{section}/{slug}.md"


@lru_cache(maxsize=8192)  # towns, services and kinds are linked from every station that has them
def page_url(section: str, slug: str) -> str:
    return f"{section}/{quote(slug)}/"


def station_url(station_id: str, sheet: str | None = None) -> str:
    """A station's page, or its place on the sheet that shows it on a very large site (generator/sheets.py)."""
    return f"{page_url('stations', sheet)}#{station_id}" if sheet else page_url("stations", station_id)


def root_of(src_uri: str) -> str:
    """Relative prefix from a page to the site root, for directory URLs (a/b.md → a/b/ → ../../)."""
    parts = src_uri[:-3].split("/")
    depth = len(parts) - (1 if parts[-1] == "index" else 0)
    return "../" * depth


def nav_links(station: Station) -> list[tuple[str, str]]:
    """Links that open the station in map apps; the content is WGS-84, so say so to Amap and Baidu."""
    loc = station.location
    if loc is None:
        return []
    lat, lon = f"{loc.lat:.6f}", f"{loc.lon:.6f}"
    amap = "https://uri.amap.com/marker?" + urlencode(
        {"position": f"{lon},{lat}", "name": station.name, "coordinate": "wgs84", "callnative": "1"})
    baidu = "https://api.map.baidu.com/marker?" + urlencode(
        {"location": f"{lat},{lon}", "title": station.name, "content": station.address or station.town,
         "output": "html", "coord_type": "wgs84", "src": "webapp.xigu-yizhan"})
    osm = f"https://www.openstreetmap.org/?mlat={lat}&mlon={lon}#map=17/{lat}/{lon}"
    return [("高德地图", amap), ("百度地图", baidu), ("OpenStreetMap", osm)]


def edit_url(repo_url: str, branch: str, path: str) -> str:
    return f"{repo_url.rstrip('/')}/edit/{branch}/{quote(path)}" if repo_url else ""


# The repository's issue form (.github/ISSUE_TEMPLATE/): it asks what is wrong, what is right and how
# the reporter knows, and labels the issue. A link names the station and fills in the form's `file`.
REPORT_FORM = "data-correction.yml"


def report_url(repo_url: str, station: Station, path: str) -> str:
    """A new issue in the correction form, filled in: which station, which file."""
    if not repo_url:
        return ""
    title = quote_plus(f"信息有误：{station.name}（{station.id}）")
    return f"{repo_url.rstrip('/')}/issues/new?template={REPORT_FORM}&title={title}&file={quote_plus(path)}"
