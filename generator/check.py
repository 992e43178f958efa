"""Steps 1–3 together: read all of content/, report every problem, and build the catalogue when clean."""
from __future__ import annotations

import marshal
from dataclasses import dataclass, field, replace
from pathlib import Path

from .background import start
from .checks import CROSS_DOCUMENT_RULES, DOCUMENT_RULES, cross_document_data, run_checks
from .config import SiteConfig
from .errors import Problem, warning
from .gcpause import cyclic_gc_paused
from .hours import HolidayCalendar, build_calendar, holiday_year_from_data
from .load import RawDoc, iter_content_files, load_file, relative_paths
from .model import Catalog, build_catalog
from .store import RecordFile, Stations
from .validate import Doc, validate_doc


@dataclass
class CheckResult:
    problems: list[Problem]
    catalog: Catalog | None = None
    calendar: HolidayCalendar | None = None

    @property
    def errors(self) -> list[Problem]:
        return [p for p in self.problems if p.is_error]

    @property
    def warnings(self) -> list[Problem]:
        return [p for p in self.problems if not p.is_error]

    def failed(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


def load_site(content_dir: Path) -> list[RawDoc]:
    return [load_file(f, rel, kind) for f, rel, kind in iter_content_files(content_dir)]


# From this many files, they are read and checked in two forked processes, half each: every
# file is checked on its own until the cross-document rules, and on two cores that halves the
# longest part of validation. Below it, the forks cost more than they save.
PARALLEL_FROM = 500


@dataclass
class _Read:
    """One file after the checks that need nothing but the file itself."""

    path: str
    kind: str
    stem: str
    doc: Doc | None  # a station's holds only what the cross-document rules read (its record is on disk)
    problems: list[Problem]
    rule_problems: list[Problem] = field(default_factory=list)  # the per-document rules' (DOCUMENT_RULES)
    record: int = -1  # a clean station's record in its RecordFile
    half: int = 0  # which reader's RecordFile that is (0 when read in this process)


def _read(files: list[tuple[str, str, str]], cfg: SiteConfig, records: RecordFile | None) -> list[_Read]:
    """Read, schema-check and apply the per-document rules, a file at a time; a clean station's record
    goes to `records`, and only what the cross-document rules read of it stays (with no positions:
    they are read again for the few it has a problem in). Kept whole, one half of 100,000 stations
    took ~0.7 GB in each reading process."""
    out = []
    for file, rel, kind in files:
        raw = load_file(Path(file), rel, kind)
        doc, found = validate_doc(raw)
        read = _Read(raw.path, raw.kind, raw.stem, doc, raw.problems + found)
        if doc is not None:
            doc.source = file
            if not any(p.is_error for p in read.problems):
                read.rule_problems = run_checks({kind: {raw.path: doc}}, cfg, DOCUMENT_RULES)
                if kind == "stations" and records is not None:
                    read.record = records.append(doc.data)
            if kind == "stations":
                read.doc = replace(doc, data=cross_document_data(kind, doc.data), positions=None)
        out.append(read)
    return out


Packed = tuple[bytes, dict[int, tuple[list[Problem], list[Problem]]], bytes]


def _packed(reads: list[_Read], records: RecordFile | None) -> Packed:
    """A half read in a forked process, as it goes back: the documents' data marshalled (plain dicts,
    lists and text, between two processes of one interpreter: what marshal is for, and at 100,000
    stations ~4 s faster than pickle) without their positions, the problems by file, and where the
    half's station records end in its RecordFile."""
    plain = [(r.path, r.kind, r.stem, None if r.doc is None else r.doc.data, r.record) for r in reads]
    problems = {i: (r.problems, r.rule_problems) for i, r in enumerate(reads) if r.problems or r.rule_problems}
    return marshal.dumps(plain), problems, records.finish() if records is not None else b""


def _unpacked(packed: Packed, files: list[tuple[str, str, str]], records: RecordFile | None,
              half: int) -> list[_Read]:
    data, problems, ends = packed
    if records is not None:
        records.adopt(ends)
    return [_Read(path, kind, stem, None if d is None else Doc(path, kind, stem, d, positions=None,
                                                               source=files[i][0]),
                  *problems.get(i, ([], [])), record, half)
            for i, (path, kind, stem, d, record) in enumerate(marshal.loads(data))]


def _read_all(files: list[tuple[str, str, str]], cfg: SiteConfig, parallel: bool,
              keep_records: bool) -> tuple[list[_Read], list[RecordFile | None]]:
    """The reads, and the files their station records are in (one per half; None when not kept).

    This process only unpacks the halves, though it could read one of them itself in the same time:
    a file read here leaves its parsing's garbage between the values that stay, and a build held
    those gaps to its end (~0.2 GB at 100,000 stations)."""
    if not parallel:
        records = RecordFile() if keep_records else None
        reads = _read(files, cfg, records)
        if records is not None:
            records.finish()
        return reads, [records]
    half = len(files) // 2
    halves = [(files[:half], RecordFile() if keep_records else None),
              (files[half:], RecordFile() if keep_records else None)]
    # made before the fork, each RecordFile is shared with the process that writes it
    work = [start(lambda part=part, records=records: _packed(_read(part, cfg, records), records), True)
            for part, records in halves]
    try:
        reads = [r for n, ((part, records), job) in enumerate(zip(halves, work))
                 for r in _unpacked(job.result(), part, records, n)]
    except BaseException:
        for job in work:
            job.cancel()
        raise
    return reads, [records for _, records in halves]


def check_site(cfg: SiteConfig, parallel: bool | None = None, catalog: bool = True) -> CheckResult:
    """`parallel`: read in two processes (by default from PARALLEL_FROM files); `catalog`: also build
    the catalogue when the content is clean (validation alone does not need it)."""
    with cyclic_gc_paused():
        return _check_site(cfg, parallel, catalog)


def _check_site(cfg: SiteConfig, parallel: bool | None, catalog: bool) -> CheckResult:
    problems: list[Problem] = []
    if not cfg.content_dir.is_dir():
        problems.append(Problem(str(cfg.content_dir), 1, 1, "no-content",
                                f"找不到内容目录 {cfg.content_dir}（content folder not found）",
                                "在项目根目录运行，或用 --content 指定 / run in the project root"))
        return CheckResult(problems)
    docs: dict[str, dict[str, Doc]] = {}
    schema_clean: dict[str, dict[str, Doc]] = {}
    # as text: 100,000 Path objects were 56 MB, held to the end of the check
    files = [(str(f), rel, kind) for f, rel, kind in iter_content_files(cfg.content_dir)]
    reads, record_files = _read_all(files, cfg, len(files) >= PARALLEL_FROM if parallel is None else parallel,
                                    keep_records=catalog)
    problems.extend(_ignored_files(cfg.content_dir, {r.path for r in reads}))
    places: dict[str, tuple[int, int]] = {}  # station id → (which RecordFile, which record)
    for read in reads:
        problems.extend(read.problems)
        doc = read.doc
        if doc is None:
            continue
        twin = docs.get(read.kind, {}).get(read.stem)
        if twin is not None:
            problems.append(Problem(read.path, 1, 1, "duplicate-id",
                                    f"与 {twin.path} 的标识相同（same id as {twin.path}）",
                                    "只保留一个文件 / keep one file per record"))
            continue
        docs.setdefault(read.kind, {})[read.stem] = doc
        if not any(p.is_error for p in read.problems):
            schema_clean.setdefault(read.kind, {})[read.stem] = doc
            problems.extend(read.rule_problems)
        if read.record >= 0:
            places[read.stem] = (read.half, read.record)
    # Cross-document rules see only schema-valid documents, so they can trust types;
    # a reference to a broken document is not reported twice because the broken one
    # already has its own error and the run fails anyway.
    problems.extend(run_checks(schema_clean, cfg, CROSS_DOCUMENT_RULES))
    calendar = build_calendar(holiday_year_from_data(d.data) for d in schema_clean.get("holidays", {}).values())
    problems.extend(_holiday_coverage(calendar, cfg))
    problems.sort()
    # The documents' positions are not kept: once the problems are found only the catalogue is
    # needed, and at 10,000 stations they are a sizeable share of a build's memory.
    result = CheckResult(problems, calendar=calendar)
    if catalog and not result.errors:
        stations = Stations(record_files, [places[i] for i in sorted(docs.get("stations", {}))])
        result.catalog = build_catalog({k: {i: d.data for i, d in v.items()} for k, v in docs.items()
                                        if k != "stations"}, stations)
    return result


def _holiday_coverage(calendar: HolidayCalendar, cfg: SiteConfig) -> list[Problem]:
    gap = calendar.coverage_gap(cfg.today, cfg.holiday_window_days)
    if gap is None:
        return []
    return [warning(
        f"{cfg.content_dir.name}/holidays/{gap.year}.yaml", 1, 1, "holidays-not-covered",
        f"还不知道 {gap.year} 年的法定节假日和调休安排，{gap.isoformat()} 起“营业中”只能按平时时间推算"
        f"（holidays for {gap.year} are unknown）",
        f"国务院办公厅发布通知后，新建 content/holidays/{gap.year}.yaml 填写放假和调休上班日期 / add the year's notice")]


def _ignored_files(content_dir: Path, read: set[str]) -> list[Problem]:
    """Files an editor may expect to count but that are never read (wrong place or extension)."""
    ignored = []
    relative = relative_paths(content_dir)
    # Filter first and sort only what is left: sorting every path of a large content/ cost more
    # than the rest. The cheap tests come first, so read files cost no is_dir() call.
    for file in content_dir.rglob("*"):
        rel = relative(file)
        if rel in read or file.name.startswith(".") or file.suffix.lower() == ".md" or file.is_dir():
            continue
        ignored.append((file, rel))
    ignored.sort(key=lambda pair: pair[0])
    return [warning(rel, 1, 1, "ignored-file",
                    "这个文件不会被读取（this file is ignored）",
                    "记录文件应放在 content/<类别>/<id>.yaml，例如 content/stations/x.yaml / "
                    "records live at content/<folder>/<id>.yaml")
            for _, rel in ignored]
