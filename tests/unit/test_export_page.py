"""The /data/ page: every download listed and linked, a dictionary that covers every column
and schema field, a pandas example that really runs, and data that stays data."""
from __future__ import annotations

import contextlib
import io
import json
import posixpath
import re
from dataclasses import replace
from html.parser import HTMLParser
from pathlib import Path

import markdown
import pytest

from generator.export import build_exports
from generator.export.hsds_tables import HSDS_TABLES
from generator.export.page import (RECORD_SCHEMAS, data_page, href_from_data_page, human_size, pandas_example,
                                   render_data_page)
from generator.export.schemadoc import split_description, walk
from generator.export.tables import TABLES
from generator.model import Source
from generator.render import environment
from generator.schemas import load_schema, schema_names
from test_export_fakes import build_fake, fake_catalog, fake_config

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(scope="module")
def env():
    return environment(ROOT / "site_templates")


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    outputs, by_path, root = build_fake(tmp_path_factory.mktemp("site"))
    return outputs, by_path, root


@pytest.fixture(scope="module")
def page_text(env, site):
    outputs, _, _ = site
    return render_data_page(env, outputs, fake_catalog(), fake_config())


def _body(text: str) -> str:
    assert text.startswith('---\ntitle: "开放数据"\n---\n')
    return text.split("---\n", 2)[2]


def test_front_matter_then_one_html_block_without_blank_lines(page_text):
    body = _body(page_text).strip("\n")
    assert body.startswith('<div class="yz-data">') and body.endswith("</div>")
    assert "\n\n" not in body


class _Balance(HTMLParser):
    VOID = {"br", "img", "hr", "meta", "link", "input"}

    def __init__(self):
        super().__init__()
        self.stack: list[str] = []
        self.ids: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.ids += [v for k, v in attrs if k == "id"]
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_endtag(self, tag):
        assert self.stack and self.stack[-1] == tag, (tag, self.stack[-5:])
        self.stack.pop()


def test_html_is_balanced_and_ids_unique(page_text):
    parser = _Balance()
    parser.feed(_body(page_text))
    assert parser.stack == []
    assert len(parser.ids) == len(set(parser.ids))


def test_every_output_is_listed_with_a_working_relative_link(page_text, site):
    outputs, by_path, _ = site
    hrefs = re.findall(r'href="([^"#][^"]*)"', page_text)
    targets = {posixpath.normpath(posixpath.join("data", h)) for h in hrefs if not h.startswith("http")}
    assert {o.path for o in outputs} <= targets
    assert targets - {o.path for o in outputs} == set()  # nothing links to a file that is not built
    assert 'href="stations.csv"' in page_text
    assert 'href="hsds/datapackage.json"' in page_text
    assert 'href="../schema/station.schema.json"' in page_text


def test_downloads_show_format_size_rows_and_last_change(site):
    outputs, by_path, _ = site
    page = data_page(outputs, fake_catalog(), fake_config())
    items = {d.href: d for g in page.download_groups for d in g.items}
    st = items["stations.csv"]
    assert st.format == "CSV" and st.rows == "4" and st.updated == "2026-06-01"
    assert st.size == human_size(len(by_path["data/stations.csv"].content))
    assert items["xigu-stations.xlsx"].format == "XLSX"
    assert items["../schema/station.schema.json"].format == "JSON Schema"


@pytest.mark.parametrize("n,text", [(0, "0 B"), (1023, "1023 B"), (1024, "1.0 KB"), (4938, "4.8 KB"),
                                    (3 * 1024 * 1024, "3.0 MB")])
def test_human_size(n, text):
    assert human_size(n) == text


@pytest.mark.parametrize("path,href", [("data/stations.csv", "stations.csv"),
                                       ("data/hsds/schedules.csv", "hsds/schedules.csv"),
                                       ("schema/station.schema.json", "../schema/station.schema.json")])
def test_links_are_relative_to_the_data_page(path, href):
    assert href_from_data_page(path) == href


def test_dictionary_documents_every_column_of_every_table(page_text):
    for prefix, tables in (("", TABLES), ("hsds/", HSDS_TABLES)):
        for t in tables:
            anchor = f'id="table-{prefix.replace("/", "-")}{t.name}"'.replace("_", "-")
            start = page_text.index(anchor)
            section = page_text[start:page_text.index("</table>", start)]
            for c in t.columns:
                assert f"<code>{c.name}</code>" in section, (t.name, c.name)
                assert c.zh in section.replace("&lt;", "<").replace("&gt;", ">"), (t.name, c.name)


def test_dictionary_documents_every_schema_property(page_text):
    text = page_text.replace("&lt;", "<").replace("&gt;", ">").replace("&#34;", '"').replace("&#39;", "'")
    for name in RECORD_SCHEMAS:
        start = text.index(f'id="schema-{name.removesuffix(".schema.json")}"')
        section = text[start:text.index("</table>", start)]
        for prop in walk(name):
            assert f"<code>{prop.path}</code>" in section, (name, prop.path)
            assert prop.zh in section and prop.en in section, (name, prop.path)
            for value in prop.enum:
                assert str(value) in section


def test_every_record_schema_is_documented():
    documented = set(RECORD_SCHEMAS) | {"common.schema.json"}
    assert set(schema_names()) == documented


def test_every_schema_description_has_chinese_then_english():
    for name in schema_names():
        for prop in walk(name):
            assert prop.zh and prop.en, (name, prop.path)
            assert re.search(r"[\u4e00-\u9fff]", prop.zh), (name, prop.path)


@pytest.mark.parametrize("text,zh,en", [
    ("驿站名称 / Station name", "驿站名称", "Station name"),
    ("图标（mkdocs-material 图标名）/ Icon name", "图标（mkdocs-material 图标名）", "Icon name"),
    ("驿站类型，取自 content/kinds/ / Station kind, an id from content/kinds/", "驿站类型，取自 content/kinds/",
     "Station kind, an id from content/kinds/"),
    ("只有中文", "只有中文", ""),
])
def test_split_description(text, zh, en):
    assert split_description(text) == (zh, en)


def test_pandas_example_runs_on_the_published_files(site):
    _, _, root = site
    code = pandas_example(str(root / "data") + "/")
    assert "\n\n" not in code
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        exec(compile(code, "pandas_example", "exec"), {})
    printed = out.getvalue()
    assert "甲驿站" in printed and "手机充电" in printed


def test_pandas_example_on_the_page_points_at_the_site(env):
    outputs = build_exports(fake_catalog(), fake_config(site_url="https://example.org/yz/"))
    text = render_data_page(env, outputs, fake_catalog(), fake_config(site_url="https://example.org/yz/"))
    assert "base = &#34;https://example.org/yz/data/&#34;" in text
    assert "西固驿站开放数据（2026-06-01 版），https://example.org/yz/data/" in text


def test_chinese_first_then_english(page_text):
    for zh, en in (("下载", "Downloads"), ("数据字典", "Data dictionary"), ("引用", "How to cite"),
                   ("许可和来源", "Licence and sources")):
        assert page_text.index(zh) < page_text.index(en)


def test_licence_on_the_page_is_the_one_in_the_files(env):
    outputs = build_exports(fake_catalog(), fake_config(), license_id="CC0-1.0")
    text = render_data_page(env, outputs, fake_catalog(), fake_config())
    assert "CC0-1.0" in text and "CC-BY-4.0" not in text


def test_content_text_is_escaped_and_never_markdown(env):
    cat = fake_catalog()
    evil = Source('<script>alert(1)</script> *not emphasis* _x_ [link](http://e.org)\n\n# 不是标题',
                  "发布者", "2026-01-01", url="https://example.org/a?b=1&c=2")
    cat = replace(cat, stations=(replace(cat.stations[0], sources=(evil,)), *cat.stations[1:]))
    outputs = build_exports(cat, fake_config())
    text = render_data_page(env, outputs, cat, fake_config())
    body = _body(text)
    assert "<script>" not in body and "&lt;script&gt;" in body
    assert "\n\n" not in body.strip("\n")
    html = markdown.markdown(body, extensions=["toc"])
    assert "<em>" not in html and '<a href="http://e.org">' not in html and "<h1>不是标题" not in html
    assert "*not emphasis*" in html
    assert "b=1&amp;c=2" in html


def test_page_is_reproducible(env, site):
    outputs, _, _ = site
    assert render_data_page(env, outputs, fake_catalog(), fake_config()) == \
        render_data_page(env, outputs, fake_catalog(), fake_config())


def test_required_schemas_exist_for_the_dictionary():
    for name in RECORD_SCHEMAS:
        assert load_schema(name)["properties"]


def test_a_large_network_lists_its_most_cited_sources_and_counts_the_rest(env):
    cat = fake_catalog()
    many = tuple(replace(cat.stations[0], id=f"s-{i:03d}", sources=(Source(f"报道 {i:03d}", "某报", "2026-01-01"),))
                 for i in range(60))
    cat = replace(cat, stations=cat.stations + many)
    outputs = build_exports(cat, fake_config())
    dp = json.loads(next(o for o in outputs if o.path == "data/datapackage.json").content)
    assert len(dp["sources"]) == 50
    assert dp["sources"][0]["title"].startswith("兰州晨报")  # cited by 4 stations: first
    text = render_data_page(env, outputs, cat, fake_config())
    assert "另外还有 12 条" in text  # 62 distinct sources, 50 shown
