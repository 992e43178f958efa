"""The catalogue → every generated page (Markdown with escaped HTML blocks) and the map's data file."""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from functools import partial
from urllib.parse import quote

from jinja2 import Environment

from ..config import SiteConfig
from ..hours import HolidayCalendar, compile_hours
from ..model import Catalog, Station
from ..sheets import Sheet, plan_sheets, sheet_id, sheet_of
from ..shell import ShellPage
from . import links
from .context import KIND_COLOR, CatalogView, Link, SheetView, StationView, station_jsonld, station_links, station_view
from .env import Page, render_template
from .icons import ICONS_CSS, icons_css
from .listing import list_stations
from .mapdata import SPLIT_OVER, map_files

# More stations than this in one list and it is no longer a page a phone should load: 1,000 cards are ~1.5 MB.
LIST_MAX = 1000

_THEME_SAFE = str.maketrans({"<": "＜", ">": "＞", "&": "＆", '"': "＂", "'": "＇"})


def theme_text(text: str) -> str:
    """Text for the theme's own slots (title bar, <title>, meta description).

    mkdocs' theme environment does not autoescape, and material both prints the
    title raw and runs it through `striptags` (which unescapes entities), so no
    single escaping is safe in every slot; full-width look-alikes are.
    """
    return text.translate(_THEME_SAFE)


@dataclass(frozen=True)
class Group:
    title: str
    intro: str
    stations: tuple[StationView, ...]  # empty when there are too many to list: see by_town
    total: int = 0
    by_town: tuple[tuple[Link, int], ...] = ()  # (town page, with the group as its filter; stations there)


@dataclass(frozen=True)
class Filter:
    name: str  # the data attribute it filters on
    label: str
    options: tuple[tuple[str, str], ...]  # (value, label)


class CardOnce:
    """A station's card, rendered once per page depth: the same card is listed on its kind's,
    town's, services' and policies' pages and in the directory, and rendering dominated big builds.

    Only the cards of `keep` (stations listed more than once) are kept. On a site too large to list
    a group's stations most cards are listed on their town's page alone, and kept, they were a
    second copy of the town pages (0.27 GB at 100,000 stations)."""

    def __init__(self, env: Environment, keep: set[str]):
        self._card = env.get_template("_macros.html.j2").module.card
        self._keep = keep
        self._done: dict[tuple[str, str], str] = {}

    def __call__(self, station: StationView, root: str) -> str:
        if station.id not in self._keep:
            return self._card(station, root)
        key = (station.id, root)
        if key not in self._done:
            self._done[key] = self._card(station, root)
        return self._done[key]


def _page_context(src_uri: str, title: str, description: str, site_name: str) -> dict:
    return dict(root=links.root_of(src_uri), title=title, meta_title=theme_text(title),
                meta_description=theme_text(description), site_name=site_name)


def _station_page(env: Environment, view: Callable[[Station], StationView], stations: Sequence[Station], position: int,
                  cat: CatalogView, site_url: str, context: dict) -> bytes:
    st = stations[position]  # read again as the page is written: no station is held until then
    v = view(st)
    return render_template(env, "station.md.j2", s=v, page_links=station_links(st, cat),
                           jsonld=station_jsonld(v, site_url), **context).encode("utf-8")


def _station_shell(env: Environment, view: Callable[[Station], StationView], stations: Sequence[Station],
                   cat: CatalogView, site_url: str, site_name: str, position: int, v: StationView) -> Page:
    """A station's own page, to be rendered when it is written (ShellPage)."""
    src_uri = links.page_uri("stations", v.id)
    description = f"{v.kind.text} · {v.town.text}" + (f" · {v.address}" if v.address else "")
    context = _page_context(src_uri, v.name, description, site_name)
    shell = ShellPage(src_uri, v.id, context["meta_title"], context["meta_description"],
                      partial(_station_page, env, view, stations, position, cat, site_url, context))
    return Page(src_uri, None, v.source_path, shell=shell)


def _sheet_page(env: Environment, view: Callable[[Station], StationView], stations: Sequence[Station],
                sheet: SheetView, positions: tuple[int, ...], cat: CatalogView, filters: tuple[Filter, ...],
                context: dict) -> bytes:
    members = [stations[i] for i in positions]
    return render_template(env, "sheet.md.j2", sheet=sheet, entries=[(view(st), station_links(st, cat)) for st in members],
                           filters=filters, **context).encode("utf-8")


def _sheet_pages(env: Environment, view: Callable[[Station], StationView], stations: Sequence[Station],
                 sheets: list[Sheet], cat: CatalogView, site_name: str, filters: tuple[Filter, ...]) -> list[Page]:
    """Each town's stations, SHEET_SIZE to a page, each rendered when it is written (as station pages are).
    They are the towns' pages as well: a town page listing cards beside them was a fifth of a 100,000-station
    site, and its chrome another 62 MB. So they filter their stations as a town page does."""
    pages = []
    for sheet in sheets:
        town = Link(sheet.town, cat.town_url(sheet.town))
        part = f"（第 {sheet.number} 页，共 {sheet.of} 页）" if sheet.of > 1 else ""
        count = len(sheet.ids)
        names = "、".join(stations[i].name for i in sheet.positions[:3]) + ("等" if count > 3 else "")
        sheet_view = SheetView(
            title=f"{town.text}的驿站{part}",
            # the site is too large for a page each: say why, for a visitor who expected one
            intro=f"驿站太多，不再一站一页：本页是{town.text}的 {count} 个驿站的开放时间、地址、电话和服务，"
                  "可以筛选，也可以按距离排序。",
            town=town,
            pages=tuple(Link(f"第 {n} 页", "" if n == sheet.number else links.page_url("stations", sheet_id(sheet.town, n)))
                        for n in range(1, sheet.of + 1)))
        src_uri = links.page_uri("stations", sheet.id)
        context = _page_context(src_uri, sheet_view.title, f"{town.text}的驿站：{names}", site_name)
        shell = ShellPage(src_uri, sheet.id, context["meta_title"], context["meta_description"],
                          partial(_sheet_page, env, view, stations, sheet_view, sheet.positions, cat, filters, context))
        pages.append(Page(src_uri, None, None, shell=shell))
    return pages


def render_pages(catalog: Catalog, cfg: SiteConfig, env: Environment, calendar: HolidayCalendar,
                 site_name: str, map_split_over: int = SPLIT_OVER,
                 list_max: int = LIST_MAX) -> tuple[list[Page], dict[str, bytes]]:
    """All generated pages, plus non-page files (the map's station list, the amenity icons) keyed by site path.

    Station pages come unrendered: each renders when it is asked for (`Page.shell`), reading its
    station again, as every list does when its page is rendered (generator/render/listing.py)."""
    stations = catalog.stations
    sheets = plan_sheets(stations, cfg.station_pages_max)
    cat = CatalogView.of(catalog, cfg, sheet_of=sheet_of(sheets))

    def view(st: Station) -> StationView:
        return station_view(st, cat, compile_hours(st.opening_hours, calendar, cfg.today, cfg.holiday_window_days))

    def views(positions: Iterable[int]) -> list[StationView]:
        return [view(stations[i]) for i in positions]

    pages: list[Page] = []
    listing = list_stations(stations, catalog.policies, view, visit=None if sheets else (
        lambda position, st, v: pages.append(_station_shell(env, view, stations, cat, cfg.site_url, site_name,
                                                            position, v))))
    large = len(stations) > list_max

    def page(src_uri: str, template: str, title: str, description: str, source_path: str | None = None, **ctx):
        text = render_template(env, template, **_page_context(src_uri, title, description, site_name),
                               card_once=card_once, **ctx)
        # These templates write raw HTML only, which Markdown passes through unchanged
        # (tests/acceptance/test_build.py builds the site both ways and compares)
        pages.append(Page(src_uri, text, source_path, raw_html=True))

    filters = (
        Filter("kind", "驿站类型", tuple((k.id, k.name) for k in catalog.kinds)),
        Filter("town", "镇 / 街道", tuple((t, t) for t in sorted(listing.by_town))),
        Filter("amenities", "设施", tuple((a.id, a.name) for a in catalog.amenities)),
        Filter("services", "服务", tuple((s.id, s.name) for s in catalog.services)),
    )
    in_town = tuple(f for f in filters if f.name != "town")  # a town's page filters its stations by the rest
    if sheets:
        pages += _sheet_pages(env, view, stations, sheets, cat, site_name, in_town)
    by_kind, by_town, by_service, by_policy = listing.by_kind, listing.by_town, listing.by_service, listing.by_policy

    def group(title: str, intro: str, members: Sequence[int], query: str = "") -> Group:
        """Cards when they fit on a phone; beyond list_max, links to the town pages, filtered to the group."""
        if len(members) <= list_max:
            return Group(title, intro, tuple(views(members)), len(members))
        towns = Counter(listing.towns[i] for i in members)
        return Group(title, intro, (), len(members), tuple(
            (Link(t, cat.town_url(t) + query), n) for t, n in sorted(towns.items())))

    # on a site of town sheets, the sheets are the towns' pages (_sheet_pages)
    listed = [*(by_town.values() if not sheets else ()), *(members for groups in (by_kind, by_service, by_policy)
                                   for members in groups.values() if len(members) <= list_max)]
    if not large:
        listed.append(range(len(stations)))  # the directory
    times = Counter(i for members in listed for i in members)
    card_once = CardOnce(env, keep={listing.ids[i] for i, n in times.items() if n > 1})
    del listed, times

    for k in catalog.kinds:
        page(links.page_uri("kinds", k.id), "group.md.j2", k.name, k.description,
             group=group(k.name, k.description, by_kind.get(k.id, ()), f"?kind={quote(k.id)}"), audience=k.audience,
             extra=(), filters=())
    town_pages = () if sheets else sorted(by_town.items())  # on a site of sheets, they are the towns' pages
    for town, members in town_pages:
        # always listed in full: on a large site the kind and service pages send visitors here, filtered
        page(links.page_uri("towns", links.town_slug(town)), "group.md.j2", town, f"{town}的驿站",
             group=Group(town, f"{town}的驿站，共 {len(members)} 个。", tuple(views(members)), len(members)),
             audience="", extra=(),
             filters=in_town if large else ())
    for s in catalog.services:
        extra = (("服务对象", "、".join(s.audience)),
                 ("费用", ("免费" if s.free else "收费") + (f"（{s.fee_note}）" if s.fee_note else "")))
        page(links.page_uri("services", s.id), "group.md.j2", s.name, s.description,
             group=group(s.name, s.description, by_service.get(s.id, ()), f"?services={quote(s.id)}"), audience="",
             extra=extra, filters=())
    for p in catalog.policies:
        extra = tuple((k, v) for k, v in (
            ("发布机关", p.issuer), ("文号", p.number or "未知"), ("发布日期", p.issued),
            ("施行日期", p.effective_from or "未知"), ("失效日期", p.effective_to or "现行有效（据已知信息）"))
            if v)
        page(links.page_uri("policies", p.id), "policy.md.j2", p.title, p.summary, policy=p,
             group=group(p.title, p.summary, by_policy.get(p.id, ())), extra=extra)

    counts = listing.open_by_kind
    kind_links = tuple((Link(k.name, links.page_url("kinds", k.id)), counts[k.id], k.audience, k.marker,
                        k.color or KIND_COLOR)
                       for k in catalog.kinds)
    page("index.md", "home.md.j2", site_name, "西固区零工驿站、小蜜蜂驿站、银铃驿站、解纷驿站、心愿驿站的位置、服务和开放时间",
         kinds=kind_links, total=sum(counts.values()))
    page("stations/index.md", "directory.md.j2", "驿站名录", "全部驿站，可按类型、街道、设施、服务筛选，按距离排序",
         stations=() if large else tuple(views(range(len(stations)))), too_many=large, total=len(stations),
         filters=filters, towns=tuple((Link(t, cat.town_url(t)), len(m)) for t, m in sorted(by_town.items())),
         services=tuple((Link(s.name, links.page_url("services", s.id)), len(by_service.get(s.id, ())))
                        for s in catalog.services),
         policies=tuple(Link(p.title, links.page_url("policies", p.id)) for p in catalog.policies))
    page("search/index.md", "search.md.j2", "搜索", "按名称、地址、服务或政策搜索西固区的驿站")
    return pages, {**map_files(listing.placed, map_split_over), ICONS_CSS: icons_css(catalog.amenities).encode("utf-8")}
