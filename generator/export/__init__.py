"""Step 4b, export: the catalogue → the open datasets under /data/ and the schemas under /schema/.

Pure: returns bytes, writes nothing (the site plugin writes them), reads only
package data. Reproducible: the only date used is `cfg.today` (SOURCE_DATE_EPOCH
aware), so the same content and build date give byte-identical files.

`fields` says what a column and a table are; `tables` and `hsds_tables` define every
published column once (`hsds` maps the catalogue to HSDS rows). One module per format:
csvfile, jsonfile, geojson, xlsx, datapackage; `page` renders /data/.
"""
from __future__ import annotations

import gzip
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from functools import partial
from importlib import resources

from .. import sheets
from ..background import Now, start
from ..config import SiteConfig
from ..gcpause import cyclic_gc_paused
from ..model import Catalog
from ..schemas import schema_names
from . import hsds as hsds_mod
from .csvfile import csv_bytes
from .datapackage import content_sources, csv_resource, package
from .geojson import stations_geojson
from .jsonfile import dumps, stations_json
from .meta import DESCRIPTION, KEYWORDS, NAME, TITLE, DatasetMeta
from .fields import Context, ExportError, TableData, checked_rows, table_data
from .hsds_tables import HSDS_TABLES
from .tables import STATIONS, TABLES
from .xlsx import workbook_bytes

__all__ = ["ExportError", "Output", "build_exports", "XLSX_NAME"]

XLSX_NAME = "xigu-stations.xlsx"
GZ, GZ_FORMAT = ".gz", "（gzip 压缩 / gzipped）"


@dataclass(frozen=True)
class Output:
    path: str  # relative to the site root, e.g. "data/stations.csv"
    content: bytes | None  # None once handed to build_exports' `write`
    title: str
    format: str
    rows: int | None
    size: int = field(default=-1)  # bytes in the file

    def __post_init__(self):
        if self.content is not None:
            object.__setattr__(self, "size", len(self.content))


Write = Callable[[str, bytes], None]  # (path relative to the site, content)


def _written(out: Output, write: Write | None) -> Output:
    """With `write`, the file goes out as soon as it is made and only its description is kept:
    held until the last was made, the files of 100,000 stations took ~0.8 GB."""
    if write is None:
        return out
    write(out.path, out.content)
    return replace(out, content=None)


def stored(path: str, content: bytes, gz: bool) -> tuple[str, bytes]:
    """A file as published: on a very large site the tables and records are gzipped (`<name>.gz`),
    as pandas, frictionless and most tools read them directly. They were 787 MB at 100,000 stations,
    nearly all of GitHub Pages' 1 GB; gzipped, 151 MB (the HSDS tables' UUIDs hardly compress).
    Level 3: level 6 took twice as long, 10 of the 53 s `yizhan datasets` took, to save 19 MB more."""
    if not gz:
        return path, content
    return path + GZ, gzip.compress(content, compresslevel=3, mtime=0)  # mtime 0: the same bytes every build


def _csv_outputs(prefix: str, tables: Iterable[TableData], write: Write | None,
                 gz: bool) -> tuple[list[Output], list[dict]]:
    outs, resources_ = [], []
    for td in tables:
        name, content = stored(td.table.filename, csv_bytes(td.table, td.rows), gz)
        resources_.append(csv_resource(td.table, content, name))
        outs.append(_written(Output(prefix + name, content, td.table.title, "CSV" + GZ_FORMAT * gz, len(td.rows)),
                             write))
    return outs, resources_


def _compiled_hours(catalog: Catalog, cfg: SiteConfig, calendar) -> dict:
    from ..hours import build_calendar, compile_hours

    calendar = calendar or build_calendar()
    # compile_hours compiles each distinct text once
    return {st.id: compile_hours(st.opening_hours, calendar, cfg.today, cfg.holiday_window_days)
            for st in catalog.stations}


def _more(shown: int, total: int) -> str:
    return (f"；另外还有 {total - shown} 条，见 station_sources 和 policy_sources / "
            f"and {total - shown} more in station_sources and policy_sources") if total > shown else ""


def _about(meta: DatasetMeta, sources: list[dict], n_sources: int) -> list[tuple[str, str]]:
    rows = [
        ("数据集 / Dataset", TITLE),
        ("说明 / Description", DESCRIPTION),
        ("网址 / Source", meta.homepage or "/data/"),
        ("许可 / Licence", f"{meta.license_title} ({meta.license_id})" + (f" {meta.license_url}" if meta.license_url else "")),
        ("引用 / Cite as", f"{meta.citation_zh} / {meta.citation_en}"),
        ("生成日期 / Built", meta.build_date.isoformat()),
        ("信息来源 / Cited sources", "；".join(s["title"] + (f" {s['path']}" if "path" in s else "") for s in sources)
         + _more(len(sources), n_sources)),
        ("工作表 / Sheets", "每个工作表与 /data/ 下同名的 CSV 文件相同；列说明见 datapackage.json 和数据页面 / "
                          "each sheet equals the CSV file of the same name; columns are documented in "
                          "datapackage.json and on the data page"),
    ]
    rows += [(t.name, f"{t.title}：{t.zh} / {t.en}") for t in TABLES]
    return rows


def build_exports(catalog: Catalog, cfg: SiteConfig, *, license_id: str = "CC-BY-4.0", site_url: str = "",
                  calendar=None, write: Write | None = None, parallel: bool = False) -> list[Output]:
    """Every file under data/ and schema/, in the order the data page lists them.

    `calendar` (a HolidayCalendar) only refines the holiday notes of the HSDS schedules;
    the bundled calendar is used when it is not given. With `write`, each file is handed to it
    as soon as it is made, and its Output keeps no content (only its size). With `parallel`, the
    Excel workbook is made in a forked process while this one makes the other files: it is nearly
    half of the work (~5 µs a cell in XlsxWriter, 24 of 53 s at 100,000 stations), and `write` is
    then called from that process for it, so it must write the file rather than collect it. The
    site's build does not ask for it, since its pages already keep the other core busy.
    """
    with cyclic_gc_paused():
        # the tables go through the stations a dozen times: read them from disk once (generator/store.py)
        return _build_exports(catalog.in_memory(), cfg, license_id, site_url, calendar, write, parallel)


def _build_exports(catalog: Catalog, cfg: SiteConfig, license_id: str, site_url: str, calendar,
                   write: Write | None, parallel: bool) -> list[Output]:
    site_url = site_url or cfg.site_url
    meta = DatasetMeta(license_id, cfg.today, site_url)
    sources, n_sources = content_sources(catalog)
    sheet_of = sheets.sheet_of(sheets.plan_sheets(catalog.stations, cfg.station_pages_max))
    gz = bool(sheet_of)  # a site too large for a page per station is too large for its datasets plain
    ctx = Context(catalog, site_url, sheet_of)

    about = _about(meta, sources, n_sources)

    def workbook(tables: list[TableData]) -> Output:
        return _written(Output(f"data/{XLSX_NAME}", workbook_bytes(tables, about, cfg.today, TITLE, "西固驿站"),
                               "全部表格（Excel 工作簿）/ All tables (Excel workbook)", "XLSX", None), write)

    # In parallel, the forked process makes the tables again rather than wait for this one's: they
    # are the only part of its work that is not the workbook (~4 s at 100,000 stations).
    book = start(lambda: workbook(table_data(ctx, TABLES)), True) if parallel else None
    try:
        tables = table_data(ctx, TABLES)
        if book is None:
            book = Now(partial(workbook, tables))
        outs, resources_ = _csv_outputs("data/", tables, write, gz)

        def emit(path: str, content: bytes, title: str, format_: str, rows: int | None = None,
                 may_gz: bool = False) -> None:
            path, content = stored(path, content, gz and may_gz)
            outs.append(_written(Output(path, content, title, format_ + GZ_FORMAT * (gz and may_gz), rows), write))

        stations_rows = next(td.rows for td in tables if td.table is STATIONS)
        n_stations = len(catalog.stations)
        emit("data/stations.json", stations_json(catalog, meta.json_header("../schema/station.schema.json")),
             "驿站完整记录 / Full station records", "JSON", n_stations, may_gz=True)
        emit("data/stations.geojson", stations_geojson(ctx, stations_rows, meta.json_header()),
             "驿站位置 / Station locations", "GeoJSON", n_stations, may_gz=True)
        workbook_at = len(outs)
        del tables, stations_rows  # the main tables' rows: the HSDS tables are made from the catalogue
        dp = package(NAME, TITLE, DESCRIPTION, resources_, license_id=license_id, sources=sources,
                     build_date=cfg.today, homepage=meta.homepage, keywords=KEYWORDS)
        emit("data/datapackage.json", dumps(dp), "数据包说明 / Data Package descriptor",
             "JSON (Frictionless Data Package)")

        hctx = hsds_mod.hsds_context(catalog, site_url, _compiled_hours(catalog, cfg, calendar), sheet_of)
        # one table at a time: each table's rows are only needed for its CSV file
        houts, hresources = _csv_outputs("data/hsds/", (TableData(t, checked_rows(t, hctx)) for t in HSDS_TABLES),
                                         write, gz)
        outs += houts
        hdp = package(f"{NAME}-hsds", f"{TITLE} · HSDS {hsds_mod.HSDS_VERSION}",
                      f"同一批驿站、服务和开放时间，按 Open Referral HSDS {hsds_mod.HSDS_VERSION} 表格格式 / "
                      f"The same stations, services and hours as an Open Referral HSDS {hsds_mod.HSDS_VERSION} "
                      "tabular data package", hresources, license_id=license_id, sources=sources,
                      build_date=cfg.today, homepage=meta.homepage, keywords=(*KEYWORDS, "HSDS", "Open Referral"))
        emit("data/hsds/datapackage.json", dumps(hdp), "HSDS 数据包说明 / HSDS Data Package descriptor",
             "JSON (Frictionless Data Package)")

        package_files = resources.files("generator.schemas")
        for name in schema_names():
            emit(f"schema/{name}", package_files.joinpath(name).read_bytes(), _schema_title(name), "JSON Schema")
    except BaseException:
        if book is not None:
            book.cancel()
        raise
    outs.insert(workbook_at, book.result())
    return outs


def _schema_title(name: str) -> str:
    from ..schemas import load_schema

    return load_schema(name).get("title", name)

