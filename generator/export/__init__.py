"""Step 4b, export: the catalogue → the open datasets under /data/ and the schemas under /schema/.

Made a slice of the stations at a time (`CHUNK`), every file growing as the slices come,
into a folder or (without one) memory: made whole, 100,000 stations' files took 1.2 GB to make,
in a slice at a time ~0.15 GB. Reads only package data. Reproducible: the only date used is
`cfg.today` (SOURCE_DATE_EPOCH aware), so the same content and build date give byte-identical files.

`fields` says what a column and a table are; `tables` and `hsds_tables` define every
published column once (`hsds` maps the catalogue to HSDS rows). One module per format:
csvfile, jsonfile, geojson, xlsx, datapackage; `page` renders /data/.
"""
from __future__ import annotations

import io
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from importlib import resources
from pathlib import Path

from .. import sheets
from ..background import start
from ..config import SiteConfig
from ..gcpause import cyclic_gc_paused
from ..model import Catalog
from ..schemas import schema_names
from . import hsds as hsds_mod
from .csvfile import CsvFile
from .datapackage import Sources, csv_resource, package
from .fields import Context, ExportError, Table, checked_rows
from .files import DataFile, Written, whole
from .geojson import HEAD as GEOJSON_HEAD, features
from .hsds_tables import HSDS_TABLES
from .jsonfile import RecordsFile, dumps, station_records
from .meta import DESCRIPTION, KEYWORDS, NAME, TITLE, DatasetMeta
from .tables import STATIONS, TABLES
from .xlsx import Workbook

__all__ = ["CHUNK", "ExportError", "Output", "build_exports", "XLSX_NAME"]

XLSX_NAME = "xigu-stations.xlsx"
GZ_FORMAT = "（gzip 压缩 / gzipped）"
# Stations read, and rows made, at a time. Smaller slices cost time: each table is made column by
# column, a slice at a time (2,000: 50 slices at 100,000 stations, ~10 MB of rows each).
CHUNK = 2000


@dataclass(frozen=True)
class Output:
    path: str  # relative to the site root, e.g. "data/stations.csv"
    content: bytes | None  # None when written to a folder
    title: str
    format: str
    rows: int | None
    size: int = field(default=-1)  # bytes in the file

    def __post_init__(self):
        if self.content is not None:
            object.__setattr__(self, "size", len(self.content))


def _output(file: Written, title: str, format_: str, rows: int | None = None) -> Output:
    gz = file.path.endswith(".gz")
    return Output(file.path, file.content, title, format_ + GZ_FORMAT * gz, rows, file.size)


@dataclass(frozen=True)
class _Job:
    """What every part of the datasets is made from."""

    catalog: Catalog
    cfg: SiteConfig
    meta: DatasetMeta
    out_dir: Path | None
    chunk: int
    sheet_of: dict[str, str]  # on a very large site (generator/sheets.py)

    @property
    def gz(self) -> bool:
        """A site too large for a page per station has its tables and records gzipped (`<name>.gz`), as
        pandas, frictionless and most tools read them directly. Plain, they were 787 MB at 100,000 stations,
        nearly all of GitHub Pages' 1 GB; gzipped, 151 MB (the HSDS tables' UUIDs hardly compress)."""
        return bool(self.sheet_of)

    def open(self, path: str, gz: bool = False) -> DataFile:
        return DataFile(self.out_dir, path, gz)

    def slices(self) -> Iterator[tuple[bool, Catalog]]:
        """(first?, the catalogue with a slice of its stations), in the order of their ids; at least
        one, for the tables of no station, which are made with the first."""
        stations = self.catalog.stations
        for at in range(0, max(len(stations), 1), self.chunk):
            yield at == 0, replace(self.catalog, stations=tuple(stations[at:at + self.chunk]))

    def rows(self, tables: tuple[Table, ...], ctx, first: bool) -> dict[Table, list[tuple]]:
        """Each table's rows for the slice in `ctx`, checked: the tables of no station only with the first."""
        return {t: checked_rows(t, ctx) for t in tables if first or t.by_station}

    def context(self, catalog: Catalog) -> Context:
        return Context(catalog, self.meta.site_url, self.sheet_of)


def build_exports(catalog: Catalog, cfg: SiteConfig, *, license_id: str = "CC-BY-4.0", site_url: str = "",
                  calendar=None, out_dir: Path | None = None, parallel: bool = False,
                  chunk: int = CHUNK) -> list[Output]:
    """Every file under data/ and schema/, in the order the data page lists them.

    `calendar` (a HolidayCalendar) only refines the holiday notes of the HSDS schedules;
    the bundled calendar is used when it is not given. With `out_dir`, each file is written there
    as it is made, and its Output keeps no content (only its size); a failed build leaves partial
    files there, so it should be a folder of its own. With `parallel`, the Excel workbook is made
    in a forked process while this one makes the other files: it is over half of the work (~4.6
    million cells at 100,000 stations, ~37 s against ~25 s for every other file). The site's build
    does not ask for it, since its pages already keep the other core busy.
    """
    site_url = site_url or cfg.site_url
    job = _Job(catalog, cfg, DatasetMeta(license_id, cfg.today, site_url), out_dir, chunk,
               sheets.sheet_of(sheets.plan_sheets(catalog.stations, cfg.station_pages_max)))
    with cyclic_gc_paused():
        # In parallel, the forked process reads the stations and makes the main tables again rather
        # than wait for this one's: they are the only part of its work that is not the workbook.
        book = start(lambda: _workbook_alone(job), True) if parallel else None
        try:
            outs = _build(job, calendar, None if parallel else _workbook(job))
        except BaseException:
            if book is not None:
                book.cancel()
            raise
    if book is not None:
        outs.insert(next(i for i, o in enumerate(outs) if o.path == "data/datapackage.json"), book.result())
    return outs


def _build(job: _Job, calendar, book: Workbook | None) -> list[Output]:
    """Every file but, when `book` is None, the workbook, which another process makes."""
    from ..hours import build_calendar

    calendar = calendar or build_calendar()  # made once, not for each slice
    cfg, meta, gz = job.cfg, job.meta, job.gz
    csvs = {t: CsvFile(t, job.open("data/" + t.filename, gz)) for t in TABLES}
    hsds_csvs = {t: CsvFile(t, job.open("data/hsds/" + t.filename, gz)) for t in HSDS_TABLES}
    records = RecordsFile(job.open("data/stations.json", gz), meta.json_header("../schema/station.schema.json"),
                          "stations")
    geo = RecordsFile(job.open("data/stations.geojson", gz), {**GEOJSON_HEAD, **meta.json_header()}, "features")
    sources = Sources()
    for first, part in job.slices():
        rows = job.rows(TABLES, job.context(part), first)
        for table, table_rows in rows.items():
            csvs[table].add(table_rows)
            if book is not None:
                book.add(table, table_rows)
        records.add(station_records(part.stations))
        geo.add(features(rows[STATIONS]))
        sources.add(part.stations)
        hctx = hsds_mod.hsds_context(part, meta.site_url, hsds_mod.station_hours(part.stations, cfg, calendar),
                                     job.sheet_of)
        for table, table_rows in job.rows(HSDS_TABLES, hctx, first).items():
            hsds_csvs[table].add(table_rows)
    sources.add(job.catalog.policies)
    cited, _ = sources.listed()

    written = {t: f.close() for t, f in csvs.items()}
    outs = [_output(written[t], t.title, "CSV", csvs[t].rows) for t in TABLES]
    outs.append(_output(records.close(), "驿站完整记录 / Full station records", "JSON", records.count))
    outs.append(_output(geo.close(), "驿站位置 / Station locations", "GeoJSON", geo.count))
    if book is not None:
        outs.append(_close_workbook(job, book, sources))
    dp = package(NAME, TITLE, DESCRIPTION, [csv_resource(t, written[t], "data/") for t in TABLES],
                 license_id=meta.license_id, sources=cited, build_date=cfg.today, homepage=meta.homepage,
                 keywords=KEYWORDS)
    outs.append(_output(whole(job.out_dir, "data/datapackage.json", dumps(dp)), "数据包说明 / Data Package descriptor",
                        "JSON (Frictionless Data Package)"))

    hsds_written = {t: f.close() for t, f in hsds_csvs.items()}
    outs += [_output(hsds_written[t], t.title, "CSV", hsds_csvs[t].rows) for t in HSDS_TABLES]
    version = hsds_mod.HSDS_VERSION
    hdp = package(f"{NAME}-hsds", f"{TITLE} · HSDS {version}",
                  f"同一批驿站、服务和开放时间，按 Open Referral HSDS {version} 表格格式 / "
                  f"The same stations, services and hours as an Open Referral HSDS {version} tabular data package",
                  [csv_resource(t, hsds_written[t], "data/hsds/") for t in HSDS_TABLES],
                  license_id=meta.license_id, sources=cited, build_date=cfg.today, homepage=meta.homepage,
                  keywords=(*KEYWORDS, "HSDS", "Open Referral"))
    outs.append(_output(whole(job.out_dir, "data/hsds/datapackage.json", dumps(hdp)),
                        "HSDS 数据包说明 / HSDS Data Package descriptor", "JSON (Frictionless Data Package)"))

    package_files = resources.files("generator.schemas")
    for name in schema_names():
        outs.append(_output(whole(job.out_dir, f"schema/{name}", package_files.joinpath(name).read_bytes()),
                            _schema_title(name), "JSON Schema"))
    return outs


def _workbook(job: _Job) -> Workbook:
    path = f"data/{XLSX_NAME}"
    if job.out_dir is None:
        target = io.BytesIO()
    else:
        (job.out_dir / path).parent.mkdir(parents=True, exist_ok=True)
        target = str(job.out_dir / path)
    return Workbook(target, job.cfg.today, TITLE, "西固驿站", TABLES)


def _close_workbook(job: _Job, book: Workbook, sources: Sources) -> Output:
    book.close(_about(job.meta, *sources.listed()))
    path = f"data/{XLSX_NAME}"
    content = book.target.getvalue() if job.out_dir is None else None
    size = len(content) if content is not None else (job.out_dir / path).stat().st_size
    return Output(path, content, "全部表格（Excel 工作簿）/ All tables (Excel workbook)", "XLSX", None, size)


def _workbook_alone(job: _Job) -> Output:
    """The workbook, in a process of its own."""
    book, sources = _workbook(job), Sources()
    for first, part in job.slices():
        for table, table_rows in job.rows(TABLES, job.context(part), first).items():
            book.add(table, table_rows)
        sources.add(part.stations)
    sources.add(job.catalog.policies)
    return _close_workbook(job, book, sources)


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


def _schema_title(name: str) -> str:
    from ..schemas import load_schema

    return load_schema(name).get("title", name)

