"""The catalogue → every generated page (Markdown with escaped HTML blocks) and the map's data file."""
from __future__ import annotations

import json
from collections import Counter, defaultdict
from dataclasses import dataclass

from jinja2 import Environment

from ..config import SiteConfig
from ..hours import HolidayCalendar, compile_hours
from ..model import Catalog
from ..shell import ShellPage
from . import links
from .context import CatalogView, Link, StationView, station_jsonld, station_view
from .env import Page, render_template

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
    stations: tuple[StationView, ...]
    link: Link | None = None


@dataclass(frozen=True)
class Filter:
    name: str  # the data attribute it filters on
    label: str
    options: tuple[tuple[str, str], ...]  # (value, label)


def _map_entry(v: StationView) -> dict:
    return {"id": v.id, "n": v.name, "k": v.kind.text, "m": v.marker, "c": v.color, "la": v.lat, "lo": v.lon,
            "ap": v.approximate, "u": v.url, "t": v.town.text, "s": v.status, "h": v.hours.compact}


def render_pages(catalog: Catalog, cfg: SiteConfig, env: Environment, calendar: HolidayCalendar,
                 site_name: str) -> tuple[list[Page], dict[str, bytes]]:
    """All generated pages, plus non-page files (the map's station list) keyed by site path."""
    cat = CatalogView.of(catalog, cfg)
    views = [station_view(s, cat, compile_hours(s.opening_hours, calendar, cfg.today, cfg.holiday_window_days))
             for s in catalog.stations]
    pages: list[Page] = []

    def page(src_uri: str, template: str, title: str, description: str, source_path: str | None = None,
             shell_id: str | None = None, **ctx):
        meta_title, meta_description = theme_text(title), theme_text(description)
        text = render_template(env, template, root=links.root_of(src_uri), title=title, meta_title=meta_title,
                               meta_description=meta_description, site_name=site_name, **ctx)
        shell = None
        if shell_id:  # the body after the front matter is one raw HTML block: Markdown would pass it through
            body = text.split("\n---\n", 1)[1].strip()
            shell = ShellPage(src_uri, shell_id, meta_title, meta_description, body)
        pages.append(Page(src_uri, text, source_path, shell))

    for v in views:
        page(links.page_uri("stations", v.id), "station.md.j2", v.name,
             f"{v.kind.text} · {v.town.text}" + (f" · {v.address}" if v.address else ""), v.source_path,
             shell_id=v.id, s=v, jsonld=station_jsonld(v, cfg.site_url))

    by_kind, by_town, by_service, by_policy = (defaultdict(list) for _ in range(4))
    policy_reach: dict[tuple[str, str], set[str]] = defaultdict(set)  # ("kind"|"service", id) → policy ids
    for pol in catalog.policies:
        for key in [("kind", k) for k in pol.applies_to_kinds] + [("service", s) for s in pol.applies_to_services]:
            policy_reach[key].add(pol.id)
    for v, st in zip(views, catalog.stations):
        by_kind[st.kind].append(v)
        by_town[st.town].append(v)
        for s in st.services:
            by_service[s].append(v)
        # a policy covers the stations that name it, and those of the kinds and services it applies to
        reach = [policy_reach.get(("service", s), ()) for s in st.services]
        for p in sorted(policy_reach.get(("kind", st.kind), set()).union(st.policies, *reach)):
            by_policy[p].append(v)

    for k in catalog.kinds:
        page(links.page_uri("kinds", k.id), "group.md.j2", k.name, k.description,
             group=Group(k.name, k.description, tuple(by_kind[k.id])), audience=k.audience, extra=())
    for town, members in sorted(by_town.items()):
        page(links.page_uri("towns", links.town_slug(town)), "group.md.j2", town, f"{town}的驿站",
             group=Group(town, f"{town}的驿站，共 {len(members)} 个。", tuple(members)), audience="", extra=())
    for s in catalog.services:
        extra = (("服务对象", "、".join(s.audience)),
                 ("费用", ("免费" if s.free else "收费") + (f"（{s.fee_note}）" if s.fee_note else "")))
        page(links.page_uri("services", s.id), "group.md.j2", s.name, s.description,
             group=Group(s.name, s.description, tuple(by_service[s.id])), audience="", extra=extra)
    for p in catalog.policies:
        extra = tuple((k, v) for k, v in (
            ("发布机关", p.issuer), ("文号", p.number or "未知"), ("发布日期", p.issued),
            ("施行日期", p.effective_from or "未知"), ("失效日期", p.effective_to or "现行有效（据已知信息）"))
            if v)
        page(links.page_uri("policies", p.id), "policy.md.j2", p.title, p.summary, policy=p,
             group=Group(p.title, p.summary, tuple(by_policy[p.id])), extra=extra)

    counts = Counter(st.kind for st in catalog.stations if st.status != "closed")
    kind_links = tuple((Link(k.name, links.page_url("kinds", k.id)), counts[k.id], k.audience, k.marker, k.color)
                       for k in catalog.kinds)
    page("index.md", "home.md.j2", site_name, "西固区零工驿站、小蜜蜂驿站、银铃驿站、解纷驿站、心愿驿站的位置、服务和开放时间",
         kinds=kind_links, total=sum(counts.values()))
    filters = (
        Filter("kind", "驿站类型", tuple((k.id, k.name) for k in catalog.kinds)),
        Filter("town", "镇 / 街道", tuple((t, t) for t in sorted(by_town))),
        Filter("amenities", "设施", tuple((a.id, a.name) for a in catalog.amenities)),
        Filter("services", "服务", tuple((s.id, s.name) for s in catalog.services)),
    )
    page("stations/index.md", "directory.md.j2", "驿站名录", "全部驿站，可按类型、街道、设施、服务筛选，按距离排序",
         stations=tuple(views), filters=filters,
         towns=tuple((Link(t, links.page_url("towns", links.town_slug(t))), len(m)) for t, m in sorted(by_town.items())),
         services=tuple((Link(s.name, links.page_url("services", s.id)), len(by_service[s.id])) for s in catalog.services),
         policies=tuple(Link(p.title, links.page_url("policies", p.id)) for p in catalog.policies))
    page("search/index.md", "search.md.j2", "搜索", "按名称、地址、服务或政策搜索西固区的驿站")
    map_data = json.dumps([_map_entry(v) for v in views if v.lat is not None],
                          ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")
    return pages, {"assets/yizhan/stations.json": map_data}
