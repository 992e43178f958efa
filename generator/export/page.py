"""The /data/ page: downloads, data dictionary, how to cite, a pandas example, the licence.

Every value the template prints is prepared here; the template only loops and
escapes. The data dictionary is generated from the Table Schemas (tables.py,
hsds_tables.py) and the JSON Schemas (generator/schemas), so it cannot drift from the data.
"""
from __future__ import annotations

import json
import posixpath
from dataclasses import dataclass

from jinja2 import Environment

from ..config import SiteConfig
from ..model import Catalog
from ..render import render_template
from ..schemas import load_schema
from . import XLSX_NAME, Output
from .files import GZ
from .datapackage import content_sources
from .fields import Column, Table
from .hsds import HSDS_VERSION
from .hsds_tables import HSDS_TABLES
from .meta import DatasetMeta
from .schemadoc import PropDoc, example_text, schema_description, schema_title, walk
from .tables import TABLES

PAGE_DIR = "data"
DATA_PAGE = f"{PAGE_DIR}/index.md"
TITLE = "开放数据"
# The record schemas documented in the dictionary, in this order (common.schema.json only holds shared parts).
RECORD_SCHEMAS = ("station.schema.json", "service.schema.json", "policy.schema.json", "kind.schema.json",
                  "amenity.schema.json", "holidays.schema.json")

TYPE_LABELS = {
    "string": "文字 / text",
    "number": "数字 / number",
    "integer": "整数 / integer",
    "boolean": "true / false",
    "date": "日期 / date (YYYY-MM-DD)",
    "object": "对象 / object",
    "array": "列表 / list",
}

LICENSE_TEXT = {
    "CC-BY-4.0": ("可以自由复制、分发、修改和再利用（包括商业用途），但须注明出处（见上面的引用方式），并说明是否作了修改。",
                  "You may copy, share, adapt and reuse the data, commercially too, as long as you credit the source "
                  "(see how to cite above) and say whether you changed it."),
    "": ("使用时请遵守许可条款，并注明出处（见上面的引用方式）。",
         "Please follow the licence terms and credit the source (see how to cite above)."),
}


@dataclass(frozen=True)
class Download:
    href: str  # relative to /data/
    name: str
    title: str
    format: str
    size: str
    rows: str
    updated: str


@dataclass(frozen=True)
class DownloadGroup:
    id: str
    title: str
    note: str
    items: tuple[Download, ...]


@dataclass(frozen=True)
class FieldDoc:
    name: str
    type: str
    required: bool
    zh: str
    en: str
    example: str
    allowed: str


@dataclass(frozen=True)
class TableDoc:
    id: str  # HTML anchor
    title: str
    file: str
    href: str
    zh: str
    en: str
    keys: str  # "主键 / primary key: …; 外键 / foreign keys: …"
    fields: tuple[FieldDoc, ...]


@dataclass(frozen=True)
class DataPage:
    title: str
    heading: str
    lead_zh: str
    lead_en: str
    build_date: str
    download_groups: tuple[DownloadGroup, ...]
    tables: tuple[TableDoc, ...]
    hsds_tables: tuple[TableDoc, ...]
    schemas: tuple[TableDoc, ...]
    hsds_version: str
    citation_zh: str
    citation_en: str
    pandas_example: str
    license_id: str
    license_title: str
    license_url: str
    license_zh: str
    license_en: str
    sources: tuple[str, ...]  # the most cited
    more_sources: int  # how many more are in station_sources.csv and policy_sources.csv
    notes: tuple[tuple[str, str], ...]  # (Chinese, English)


# ---------------------------------------------------------------- helpers

def human_size(n: int) -> str:
    """Bytes → "4.8 KB" (1 KB = 1024 bytes); "512 B" below a kilobyte, "1.2 MB" from a megabyte on."""
    if n >= 1024 * 1024:
        return f"{n / (1024 * 1024):.1f} MB"
    if n < 1024:
        return f"{n} B"
    return f"{n / 1024:.1f} KB"


def href_from_data_page(path: str) -> str:
    """A site path → a link relative to /data/: data/x.csv → x.csv, schema/x → ../schema/x."""
    return posixpath.relpath(path, PAGE_DIR)


def one_line(text: str) -> str:
    """Content text on one line: a blank line would end the raw HTML block in Markdown."""
    return " ".join((text or "").split())


def _allowed(enum: tuple, pattern: str | None, minimum, maximum) -> str:
    parts = []
    if enum:
        parts.append(", ".join(str(v) for v in enum))
    if pattern:
        parts.append(f"格式 / pattern: {pattern}")
    if minimum is not None or maximum is not None:
        lo = "" if minimum is None else f"{minimum:g}"
        hi = "" if maximum is None else f"{maximum:g}"
        parts.append(f"{lo} … {hi}")
    return "; ".join(parts)


def column_doc(c: Column) -> FieldDoc:
    return FieldDoc(c.name, TYPE_LABELS.get(c.type, c.type), c.required, c.zh, c.en, example_text(c.example),
                    _allowed(c.enum, c.pattern, c.minimum, c.maximum))


def table_doc(t: Table, prefix: str = "", gz: bool = False) -> TableDoc:
    keys = f"主键 / primary key: {', '.join(t.primary_key)}"
    if t.foreign_keys:
        fks = "; ".join(f"{', '.join(fk.fields)} → {fk.resource}.{', '.join(fk.reference)}" for fk in t.foreign_keys)
        keys += f"；外键 / foreign keys: {fks}"
    file = prefix + t.filename + GZ * gz
    return TableDoc(f"table-{prefix.replace('/', '-')}{t.name}".replace("_", "-"), t.title, file, file,
                    t.zh, t.en, keys, tuple(column_doc(c) for c in t.columns))


def prop_field(p: PropDoc) -> FieldDoc:
    kind = TYPE_LABELS.get(p.type, p.type)
    if p.type == "array":
        kind = f"列表 / list of {TYPE_LABELS.get(p.item_type, p.item_type).split(' / ')[-1]}" if p.item_type \
            else "列表 / list of objects"
    return FieldDoc(p.path, kind, p.required, p.zh, p.en, example_text(p.example),
                    _allowed(p.enum, p.pattern, p.minimum, p.maximum))


def schema_doc(name: str) -> TableDoc:
    zh_title, en_title = schema_title(name)
    zh, en = schema_description(name)
    required = load_schema(name).get("required", [])
    return TableDoc(f"schema-{name.removesuffix('.schema.json')}", f"{zh_title} / {en_title}" if en_title else zh_title,
                    f"schema/{name}", href_from_data_page(f"schema/{name}"), zh, en,
                    f"必填字段 / required: {', '.join(required)}", tuple(prop_field(p) for p in walk(name)))


def pandas_example(base: str, gz: bool = False) -> str:
    """Python that reads the CSV files correctly; no blank lines (it sits in a raw HTML block).
    pandas reads a gzipped file by its name (.gz), from a URL as well."""
    ext = ".csv" + GZ * gz
    return "\n".join([
        "import pandas as pd",
        f"base = {json.dumps(base, ensure_ascii=False)}  # 网址或下载后的本地文件夹 / URL, or the folder you downloaded to",
        "# utf-8-sig 去掉开头的 BOM；标识和电话按文字读，保留开头的 0；空单元格才是缺失值",
        "# utf-8-sig drops the BOM; ids and phones are text (leading zeros kept); only empty cells are missing",
        "opts = dict(encoding=\"utf-8-sig\", keep_default_na=False, na_values=[\"\"])",
        f"stations = pd.read_csv(base + \"stations{ext}\", dtype={{\"id\": str, \"kind\": str, \"phone\": str}}, **opts)",
        f"services = pd.read_csv(base + \"services{ext}\", dtype={{\"id\": str}}, **opts)",
        f"links = pd.read_csv(base + \"station_services{ext}\", dtype=str, **opts)",
        "table = (links.merge(stations[[\"id\", \"name\", \"status\"]], left_on=\"station_id\", right_on=\"id\")",
        "              .merge(services[[\"id\", \"name\"]], left_on=\"service_id\", right_on=\"id\",",
        "                     suffixes=(\"\", \"_service\")))",
        "print(table[[\"name\", \"status\", \"name_service\"]])",
    ])


def _group(group_id: str, title: str, note: str, outputs: list[Output], updated: str) -> DownloadGroup:
    return DownloadGroup(group_id, title, note, tuple(
        Download(href_from_data_page(o.path), posixpath.basename(o.path), o.title, o.format,
                 human_size(o.size), "—" if o.rows is None else str(o.rows), updated)
        for o in outputs))


def data_page(outputs: list[Output], catalog: Catalog, cfg: SiteConfig, *, license_id: str = "CC-BY-4.0",
              site_url: str = "") -> DataPage:
    meta = DatasetMeta(license_id, cfg.today, site_url or cfg.site_url)
    updated = cfg.today.isoformat()
    sources, n_sources = content_sources(catalog)
    by_group = {"main": [], "link": [], "other": [], "hsds": [], "schema": []}
    groups_of = {f"data/{t.filename}": t.group for t in TABLES}
    for o in outputs:
        if o.path.startswith("schema/"):
            by_group["schema"].append(o)
        elif o.path.startswith("data/hsds/"):
            by_group["hsds"].append(o)
        else:
            by_group[groups_of.get(o.path.removesuffix(GZ), "other")].append(o)
    groups = (
        _group("downloads-tables", "主要表格 / Main tables (CSV)",
               "每个驿站、服务、政策一行 / one row per station, service, policy", by_group["main"], updated),
        _group("downloads-links", "关联表 / Link tables (CSV)",
               "列表拆成一行一项，单元格里没有列表 / lists become one row per item, so no cell holds a list",
               by_group["link"], updated),
        _group("downloads-other", "其他格式 / Other formats",
               f"完整记录（JSON）、地图图层（GeoJSON）、Excel 工作簿（{XLSX_NAME}）、数据包说明 / full records, map layer, "
               "Excel workbook, Data Package descriptor", by_group["other"], updated),
        _group("downloads-hsds", f"Open Referral HSDS {HSDS_VERSION}",
               "同一批驿站、服务和开放时间，按人类服务数据标准（HSDS）组织 / the same data in the Human Services "
               "Data Specification", by_group["hsds"], updated),
        _group("downloads-schema", "内容的 JSON Schema / Content JSON Schemas",
               "内容文件（YAML）遵循的格式 / the format the content files follow", by_group["schema"], updated),
    )
    published = {o.path.removesuffix(GZ) for o in outputs}
    gz = any(o.path.endswith(GZ) for o in outputs)  # a very large site's (generator/export/__init__.py)
    return DataPage(
        title=TITLE,
        heading="开放数据 / Open data",
        lead_zh="本站全部数据都可以下载、再利用：表格（CSV、Excel）、完整记录（JSON）、地图图层（GeoJSON）和 "
                f"Open Referral HSDS {HSDS_VERSION} 格式。每个文件都由同一份内容生成，列的顺序固定、行按标识排序"
                "（HSDS 表的标识是 UUID，行按所属驿站的标识排列），两个版本之间的差异就是真实的变化。",
        lead_en="All data on this site can be downloaded and reused: tables (CSV, Excel), full records (JSON), "
                f"a map layer (GeoJSON) and Open Referral HSDS {HSDS_VERSION}. Every file is built from the same "
                "content, with a fixed column order and rows sorted by id (the HSDS tables' ids are UUIDs: their "
                "rows follow their station's id), so a diff between two releases shows only real changes.",
        build_date=updated,
        download_groups=tuple(g for g in groups if g.items),
        tables=tuple(table_doc(t, gz=gz) for t in TABLES if f"data/{t.filename}" in published),
        hsds_tables=tuple(table_doc(t, "hsds/", gz) for t in HSDS_TABLES if f"data/hsds/{t.filename}" in published),
        schemas=tuple(schema_doc(n) for n in RECORD_SCHEMAS if f"schema/{n}" in published),
        hsds_version=HSDS_VERSION,
        citation_zh=meta.citation_zh,
        citation_en=meta.citation_en,
        pandas_example=pandas_example(meta.homepage or "", gz),
        license_id=license_id,
        license_title=meta.license_title,
        license_url=meta.license_url,
        license_zh=LICENSE_TEXT.get(license_id, LICENSE_TEXT[""])[0],
        license_en=LICENSE_TEXT.get(license_id, LICENSE_TEXT[""])[1],
        sources=tuple(one_line(s["title"]) + (f"（{s['path']}）" if "path" in s else "") for s in sources),
        more_sources=n_sources - len(sources),
        notes=((
            ("驿站很多，表格和 JSON 文件以 gzip 压缩发布（文件名以 .gz 结尾，约为原来的五分之一）：pandas、frictionless "
             "可以直接读取；用 7-Zip、WinRAR 或 gzip -d 解压后，Excel 也能打开。",
             "With this many stations, the tables and JSON files are published gzipped (names end in .gz, about a "
             "fifth of the size): pandas and frictionless read them as they are; unpacked with 7-Zip, WinRAR or "
             "gzip -d, Excel opens them too."),
        ) if gz else ()) + (
            ("CSV 文件是带 BOM 的 UTF-8，Excel 可以直接打开并正确显示中文；程序读取时请用 encoding=\"utf-8-sig\"。",
             "CSV files are UTF-8 with a BOM, so Excel shows Chinese correctly; programs should read them with "
             "encoding=\"utf-8-sig\"."),
            ("按 RFC 4180 加引号，行尾是 CRLF；含逗号、引号或换行的单元格用双引号括起。",
             "Quoting follows RFC 4180 and lines end in CRLF; cells with commas, quotes or line breaks are quoted."),
            ("标识、电话号码和邮编是文字，保留开头的 0；空单元格表示没有值（JSON 中为 null）。",
             "Ids, phone numbers and postcodes are text and keep their leading zeros; an empty cell means no value "
             "(null in JSON)."),
            ("已关闭的驿站不会删除，仍在数据中，status 为 closed。",
             "Closed stations are never deleted; they stay in the data with status closed."),
            ("坐标是 WGS-84；GeoJSON 按 RFC 7946 写成 [经度, 纬度]。location_precision 为 approximate 的位置只精确到街道或村。",
             "Coordinates are WGS-84; GeoJSON follows RFC 7946 with [longitude, latitude]. Locations marked "
             "approximate are only accurate to the street or village."),
            ("HSDS 的标识是由本站标识生成的 UUID（UUIDv5），每次构建都相同。",
             "HSDS identifiers are UUIDs derived from our ids (UUIDv5) and are the same in every build."),
        ),
    )


def published_license(outputs: list[Output], default: str = "CC-BY-4.0") -> str:
    """The licence the datasets were built with, read back from data/datapackage.json (when it was kept)."""
    for o in outputs:
        if o.path == "data/datapackage.json" and o.content is not None:
            licenses = json.loads(o.content).get("licenses") or []
            if licenses:
                return licenses[0]["name"]
    return default


def placeholder() -> str:
    """The page's Markdown until the datasets are made: only its front matter, whose title the
    navigation of the pages built before it shows (the plugin puts the page in when mkdocs builds it)."""
    return f"---\ntitle: {json.dumps(TITLE, ensure_ascii=False)}\n---\n"


def render_data_page(env: Environment, outputs: list[Output], catalog: Catalog, cfg: SiteConfig, *,
                     license_id: str | None = None, site_url: str = "") -> str:
    """The page's Markdown. The licence defaults to the one in the built datapackage.json,
    so the page can never name a different licence from the files."""
    page = data_page(outputs, catalog, cfg, license_id=license_id or published_license(outputs), site_url=site_url)
    return render_template(env, "data.md.j2", page=page, title=page.title)
