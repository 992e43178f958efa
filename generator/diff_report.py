"""The diff as text for a terminal, or as Markdown for a pull request's job summary.

Everything that comes from the data is shown inside Markdown code spans: there it can
become neither HTML nor a link nor an image, whatever an editor typed. Control
characters (YAML's "\\e" can make an ESC) are shown as \\uXXXX in both formats.
"""
from __future__ import annotations

import re
import unicodedata

from .diff import KIND_ZH, MISSING, DiffResult, FieldChange, GuardProblem, RecordChange

MAX_VALUE = 200  # characters of one value in a summary
MAX_ROWS = 300  # records listed per section; a bulk import gets a count for the rest
CHANGE_ZH = {"added": "新增", "changed": "修改", "closed": "关闭", "removed": "删除", "unreadable": "无法解析"}
_MARK = {"added": "+", "changed": "~", "closed": "×", "removed": "-", "unreadable": "!"}
_BACKTICKS = re.compile(r"`+")


def _clean(text: str) -> str:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\n", " ⏎ ")
    return "".join(f"\\u{ord(ch):04x}" if unicodedata.category(ch) == "Cc" else ch for ch in text)


def show(value) -> str:
    """A compact, one-line rendering of a value: nested values in YAML flow style."""
    if value is MISSING or value is None:
        return "（无）"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float):
        return repr(value)
    if isinstance(value, dict):
        text = "{" + ", ".join(f"{k}: {show(v)}" for k, v in value.items()) + "}"
    elif isinstance(value, list):
        text = "[" + ", ".join(show(v) for v in value) + "]"
    else:
        text = str(value)
    text = _clean(text)
    return text if len(text) <= MAX_VALUE else text[: MAX_VALUE - 1] + "…"


def _counts(result: DiffResult, kind: str) -> list[int]:
    return [len(result.of(kind, c)) for c in ("added", "changed", "closed", "removed")]


def _heading(kind: str, counts: list[int]) -> str:
    parts = [f"{CHANGE_ZH[c]} {n}" for c, n in zip(("added", "changed", "closed", "removed"), counts)]
    return f"{KIND_ZH.get(kind, kind)} {kind}：" + "，".join(parts)


def _delta(fc: FieldChange, fmt) -> str:
    bits = [f"+{fmt(show(x))}" for x in fc.added] + [f"−{fmt(show(x))}" for x in fc.removed]
    return "（" + "，".join(bits) + "）" if bits else ""


# ── text ──

def as_text(result: DiffResult) -> str:
    lines = [f"内容变更：{result.base} → 工作区（content changes against {result.base}）"]
    if not result.changes:
        lines.append("没有数据变更（no data changes）")
    for kind in result.kinds:
        lines.append(_heading(kind, _counts(result, kind)))
        for c in [c for c in result.changes if c.kind == kind]:
            where = f"  {_clean(c.path)}" if c.change in ("added", "removed") else ""
            lines.append(f"  {_MARK[c.change]} {CHANGE_ZH[c.change]} {c.change:<8} {_clean(c.id)}  {show(c.label)}{where}")
            if c.note:
                lines.append(f"      {_clean(c.note)}")
            for fc in c.fields:
                lines.append(f"      {_clean(fc.field)}: {show(fc.old)} → {show(fc.new)}{_delta(fc, str)}")
    if result.guard:
        lines.append("")
        lines.append("不能合并（blocked）：")
        lines += [f"  {_clean(g.message)}" for g in result.guard]
    return "\n".join(lines)


# ── Markdown ──

def code(text: str) -> str:
    """`text` as a code span that is safe in a GFM table cell."""
    text = _clean(text)
    if not text:
        return "（空）"
    text = text.replace("|", "\\|")  # the table splits on | even inside code spans
    fence = "`" * (max((len(m) for m in _BACKTICKS.findall(text)), default=0) + 1)
    return f"{fence} {text} {fence}"  # one space each side is stripped again by the renderer


def _value(value) -> str:
    return "（无）" if value is MISSING or value is None else code(show(value))


def _section(rows: list[str], total: int) -> list[str]:
    if total > MAX_ROWS:
        rows.append(f"\n……以及另外 {total - MAX_ROWS} 条（and {total - MAX_ROWS} more）")
    return rows


def _files_table(records: list[RecordChange]) -> list[str]:
    notes = any(c.note for c in records[:MAX_ROWS])
    rows = ["| id | 名称 / name | 文件 / file |" + (" 说明 / note |" if notes else ""),
            "| --- | --- | --- |" + (" --- |" if notes else "")]
    for c in records[:MAX_ROWS]:
        note = (f" {code(c.note)} |" if c.note else " |") if notes else ""
        rows.append(f"| {code(c.id)} | {code(show(c.label))} | {code(c.path)} |{note}")
    return _section(rows, len(records))


def _fields_table(records: list[RecordChange]) -> list[str]:
    rows = ["| id | 字段 / field | 原值 / old | 新值 / new |", "| --- | --- | --- | --- |"]
    for c in records[:MAX_ROWS]:
        first = f"{code(c.id)}<br>{code(show(c.label))}"
        if c.note:
            rows.append(f"| {first} | | | {code(c.note)} |")
            first = ""
        for fc in c.fields:
            rows.append(f"| {first} | {code(fc.field)} | {_value(fc.old)} | {_value(fc.new)}{_delta(fc, code)} |")
            first = ""
        if first:  # a record whose only change is the file's name
            rows.append(f"| {first} | | | |")
    return _section(rows, len(records))


def _guard(g: GuardProblem, max_share: float) -> str:
    if g.code == "deleted-station":
        return (f"- 删除了驿站文件 {code(g.path)}：驿站不删除。请恢复这个文件，把 `status` 改为 `closed`（已关闭），"
                "这样历史仍保留在数据里。/ A station file was deleted: restore it and set `status: closed` instead.")
    names = "、".join(code(p) for p in g.paths[:10]) + ("……" if len(g.paths) > 10 else "")
    return (f"- 一次删除了 {g.removed}/{g.total} 条{KIND_ZH.get(g.kind, g.kind)}记录，超过 {max_share:.0%}：{names}。"
            "请确认这是有意的；停用的驿站请改为 `status: closed`，不要删除。/ Too many records removed at once.")


def as_markdown(result: DiffResult) -> str:
    out = ["## 内容变更 / Content changes", "", f"与 {code(result.base)} 相比（compared with the base branch）。", ""]
    if result.guard:
        out += ["### ❌ 不能合并 / Blocked", ""] + [_guard(g, result.max_share) for g in result.guard] + [""]
    if not result.changes:
        out.append("没有数据变更（no data changes）。")
        return "\n".join(out) + "\n"
    out += ["| 类别 / kind | 新增 added | 修改 changed | 关闭 closed | 删除 removed |",
            "| --- | ---: | ---: | ---: | ---: |"]
    for kind in result.kinds:
        counts = _counts(result, kind)
        out.append(f"| {KIND_ZH.get(kind, kind)} {kind} | " + " | ".join(map(str, counts)) + " |")
    for kind in result.kinds:
        out += ["", f"### {KIND_ZH.get(kind, kind)} / {kind}"]
        for change, title, table in (("added", "新增 / added", _files_table),
                                     ("changed", "修改 / changed", _fields_table),
                                     ("closed", "关闭 / closed", _fields_table),
                                     ("removed", "删除 / removed", _files_table),
                                     ("unreadable", "无法解析 / cannot be parsed", _files_table)):
            records = result.of(kind, change)
            if records:
                out += ["", f"**{title}**", ""] + table(records)
    return "\n".join(out) + "\n"


FORMATS = {"text": as_text, "markdown": as_markdown}
