"""Render helpers: escaping for every place data lands, path safety, relative links."""
import json
import re
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest

from generator.bench.fake import write_fake_content
from generator.check import check_site
from generator.config import SiteConfig
from generator.model import Location, Source, Station
from generator.render import environment
from generator.render import pages as pages_mod
from generator.render.env import json_attr, json_script, yaml_string
from generator.render.links import REPORT_FORM, nav_links, report_url, root_of, town_slug
from generator.render.pages import theme_text
from generator.shell import body_of


def test_json_script_cannot_close_the_script_element():
    text = str(json_script({"name": "</script><script>alert(1)</script><!--"}))
    assert "</script" not in text and "<!--" not in text
    assert json.loads(text) == {"name": "</script><script>alert(1)</script><!--"}


@pytest.mark.parametrize("payload", ['"><img src=x onerror=alert(1)>', "'><img>", "&amp;", "a'b\"c", "</p>"])
def test_json_attr_cannot_leave_its_single_quoted_attribute(payload):
    from html import unescape

    text = str(json_attr({"a": payload}))
    assert not set(text) & set("'<>") and "&" not in text.replace("&amp;", "").replace("&lt;", "").replace(
        "&gt;", "").replace("&#39;", "")
    assert json.loads(unescape(text)) == {"a": payload}


def test_every_template_puts_json_attr_in_single_quotes():
    """json_attr leaves double quotes alone: in a double-quoted attribute, they would end it."""
    templates = Path(__file__).resolve().parents[2] / "site_templates"
    for path in templates.rglob("*.j2"):
        text = path.read_text(encoding="utf-8")
        quoted = re.findall(r"='\{\{[^{}']*\|\s*json_attr\s*\}\}'", text)
        assert len(quoted) == text.count("json_attr"), path


def test_front_matter_value_cannot_add_keys():
    value = 'x"\ntitle: hacked\n---'
    assert "\n" not in str(yaml_string(value))


@pytest.mark.parametrize("payload", ["</title><script>x</script>", "&lt;/title&gt;", "a\" onload=\"x", "'"])
def test_theme_text_leaves_nothing_the_theme_could_unescape(payload):
    out = theme_text(payload)
    assert not set(out) & set("<>&\"'")


@pytest.mark.parametrize("town", ["陈坪街道", "../../etc", "a/b\\c", "a b", "<x>"])
def test_town_slug_keeps_paths_inside_the_site(town):
    slug = town_slug(town)
    assert "/" not in slug and "\\" not in slug and ".." not in slug and "<" not in slug and " " not in slug


def test_town_slug_of_a_clean_name_is_the_name():
    assert town_slug("陈坪街道") == "陈坪街道"


def test_towns_differing_only_in_punctuation_get_different_pages():
    assert town_slug("A/B") != town_slug("AB")


def test_town_slug_of_only_punctuation_is_a_stable_hash():
    assert town_slug("../..") == town_slug("../..")
    assert town_slug("../..").startswith("town-")


@pytest.mark.parametrize("uri,root", [("index.md", ""), ("stations/index.md", "../"), ("stations/x.md", "../../")])
def test_root_of_directory_urls(uri, root):
    assert root_of(uri) == root


def test_navigation_links_say_the_coordinates_are_wgs84_and_encode_the_name():
    st = Station(id="t", name="测试&驿站 <x>", kind="k", status="active", town="某街道", verified_on="2026-01-01",
                 sources=(Source("t", "p", "2026-01-01"),), location=Location(36.1, 103.6, "exact", "n"))
    links = dict(nav_links(st))
    assert "coordinate=wgs84" in links["高德地图"]
    assert "coord_type=wgs84" in links["百度地图"]
    assert "<" not in links["高德地图"] and "&驿站" not in links["高德地图"]


def test_report_link_opens_an_issue_that_names_the_station_and_its_file():
    st = Station(id="t-1", name="测试&驿站 <x>#?", kind="k", status="active", town="某街道", verified_on="2026-01-01",
                 sources=(Source("t", "p", "2026-01-01"),))
    url = report_url("https://github.com/o/r/", st, "content/stations/t-1.yaml")
    parts = urlsplit(url)
    assert url.startswith("https://github.com/o/r/issues/new?") and not parts.fragment
    query = parse_qs(parts.query, strict_parsing=True)
    assert query == {"template": [REPORT_FORM], "title": ["信息有误：测试&驿站 <x>#?（t-1）"],
                     "file": ["content/stations/t-1.yaml"]}
    assert report_url("", st, "content/stations/t-1.yaml") == ""


def test_the_report_link_fills_in_a_field_the_repositorys_correction_form_has():
    """GitHub fills an issue form's field from the query parameter named by its id."""
    import yaml

    form = yaml.safe_load((Path(__file__).resolve().parents[2] / ".github/ISSUE_TEMPLATE" / REPORT_FORM)
                          .read_text(encoding="utf-8"))
    ids = {item.get("id") for item in form["body"]}
    assert "file" in ids and {"wrong", "right", "source"} <= ids
    assert form["labels"] == ["data-correction"] and form["title"].startswith("信息有误")


def test_amenity_icons_stylesheet_has_a_mask_per_amenity_with_an_icon():
    from urllib.parse import unquote

    from generator.model import Amenity
    from generator.render.icons import icon_svg, icons_css

    css = icons_css([Amenity(id="drinking-water", name="饮水", icon="material/cup-water"),
                     Amenity(id="no-icon", name="无图标"),
                     Amenity(id="gone", name="图标不存在", icon="material/no-such-icon-here")])
    rules = [line for line in css.splitlines() if line.startswith(".")]
    assert len(rules) == 1 and rules[0].startswith(".yz-icon--drinking-water{--yz-icon:url(\"data:image/svg+xml,")
    data = rules[0].split('url("data:image/svg+xml,', 1)[1].removesuffix('")}')
    # nothing in the data URL can end the CSS string or the URL early
    assert not {'"', "\\", "#", "\n"} & set(data)
    assert unquote(data) == icon_svg("material/cup-water").strip()


def test_station_pages_are_rendered_when_asked_for_not_when_the_pages_are_made(tmp_path, monkeypatch):
    """Held rendered from the making to the writing, every station's page was 0.8 GB at 100,000 stations."""
    cfg = SiteConfig(content_dir=write_fake_content(tmp_path / "content", 30, seed=1),
                     templates_dir=Path(__file__).resolve().parents[2] / "site_templates")
    result = check_site(cfg)
    rendered = []
    real = pages_mod._station_page
    monkeypatch.setattr(pages_mod, "_station_page", lambda *a: rendered.append(a[2][a[3]].id) or real(*a))
    pages, _ = pages_mod.render_pages(result.catalog, cfg, environment(cfg.templates_dir), result.calendar, "站")
    stations = [p for p in pages if p.shell is not None]
    assert len(stations) == 30 and rendered == []
    assert all(p.text is None for p in stations)
    markdown = stations[0].shell.markdown
    assert rendered == [stations[0].shell.id]
    assert markdown.startswith(b"---\n") and body_of(markdown).startswith(b"<")
    assert stations[0].shell.body == body_of(markdown)  # the same page every time it is asked for


def test_cards_rendered_again_or_kept_are_the_same_cards(tmp_path, monkeypatch):
    """Only cards listed more than once are kept (on a large site most are listed on their town's
    page alone, and kept they were a second copy of the town pages); the pages must not change."""
    cfg = SiteConfig(content_dir=write_fake_content(tmp_path / "content", 40, seed=2),
                     templates_dir=Path(__file__).resolve().parents[2] / "site_templates")
    result = check_site(cfg)

    def town_pages():
        pages, _ = pages_mod.render_pages(result.catalog, cfg, environment(cfg.templates_dir), result.calendar, "站",
                                          list_max=10)
        return {p.src_uri: p.text for p in pages if p.src_uri.startswith("towns/")}

    made = town_pages()
    real = pages_mod.CardOnce
    for keep in (set(), {s.id for s in result.catalog.stations}):  # none kept, and all kept
        monkeypatch.setattr(pages_mod, "CardOnce", lambda env, keep, forced=keep: real(env, forced))
        assert town_pages() == made
    assert sum(text.count('class="yz-card"') for text in made.values()) == 40  # each station on its town's page


def test_a_station_page_links_its_map_apps_its_report_form_and_its_file(tmp_path):
    """These links are made as the page renders, not held with the station's view: they must still be on it."""
    from html import unescape

    cfg = SiteConfig(content_dir=write_fake_content(tmp_path / "content", 3, seed=3),
                     templates_dir=Path(__file__).resolve().parents[2] / "site_templates",
                     repo_url="https://github.com/o/r")
    result = check_site(cfg)
    pages, _ = pages_mod.render_pages(result.catalog, cfg, environment(cfg.templates_dir), result.calendar, "站")
    station = result.catalog.stations[0]
    page = next(p for p in pages if p.shell is not None and p.shell.id == station.id)
    hrefs = {unescape(h) for h in re.findall(r'href="([^"]+)"', page.shell.body.decode("utf-8"))}
    path = f"content/stations/{station.id}.yaml"
    assert station.location is not None
    assert {url for _, url in nav_links(station)} <= hrefs
    assert report_url("https://github.com/o/r", station, path) in hrefs
    assert f"https://github.com/o/r/edit/main/{path}" in hrefs
