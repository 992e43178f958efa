"""xigu-stations.xlsx: a sheet "说明" (what this is, where it comes from, the licence),
then one sheet per table with the same columns and rows as the CSV files.

Text stays text (phones and ids keep their leading zeros, and text columns are
formatted "@" so that editing them in Excel keeps them text), numbers are
numbers, booleans are booleans. The header row is bold, frozen and filterable.

Written with XlsxWriter, a row at a time, with its guesses off (a text cell is never
turned into a number, formula or link). The bytes are reproducible: the document
properties carry the build date, never the clock, and XlsxWriter gives every zip
entry the same fixed timestamp (1980-01-01) and writes the parts in a fixed order.
"""
from __future__ import annotations

import io
from datetime import date, datetime

import xlsxwriter
from xlsxwriter.exceptions import XlsxInputError
from xlsxwriter.utility import xl_rowcol_to_cell

from .fields import FORMULA_START, ExportError, TableData, formula_error, json_number

ABOUT_SHEET = "说明"
ABOUT_HEADER = ("项目 / Item", "内容 / Value")
ABOUT_WIDTHS = (28, 110)
# constant_memory: each row goes to a temporary file once the next is begun (rows are written in
# order), where kept in memory 100,000 stations' workbook took ~1 GB; its strings are then written
# in their cells rather than in a shared table, which every spreadsheet program reads.
OPTIONS = {"constant_memory": True, "strings_to_numbers": False, "strings_to_formulas": False,
           "strings_to_urls": False}
TEXT = "@"  # the text number format: what is typed into the cell stays text


def _width(name: str) -> float:
    return float(max(10, min(40, len(name) + 4)))


class _Sheets:
    """Adds sheets to a workbook: a bold "@" header row, then the rows, written by column type."""

    def __init__(self, workbook: xlsxwriter.Workbook):
        self.workbook = workbook
        self.header = workbook.add_format({"bold": True, "num_format": TEXT})
        self.text = workbook.add_format({"num_format": TEXT})

    def add(self, name: str, header, kinds, widths, rows, *, filtered: bool = True) -> None:
        try:
            ws = self.workbook.add_worksheet(name)
        except XlsxInputError as e:  # over 31 characters, one of []:*?/\, or taken
            raise ExportError(f"{name!r} cannot be a sheet name: {e}") from None
        for c, (kind, width) in enumerate(zip(kinds, widths)):
            ws.set_column(c, c, width, None if kind in ("number", "integer", "boolean") else self.text)
        for c, label in enumerate(header):
            self._text(ws, 0, c, label, self.header)
        # The cells are most of a large workbook's time: each column's kind is looked at once, not per cell.
        numbers = {c for c, kind in enumerate(kinds) if kind in ("number", "integer")}
        booleans = {c for c, kind in enumerate(kinds) if kind == "boolean"}
        write_string, text = ws.write_string, self.text
        for r, row in enumerate(rows, 1):
            for c, value in enumerate(row):
                if value is None or value == "":
                    continue  # empty cells are left out
                if c in numbers:
                    ws.write_number(r, c, json_number(value))  # json_number refuses NaN, Infinity and booleans
                elif c in booleans:
                    ws.write_boolean(r, c, bool(value))
                else:
                    value = str(value)
                    if value.startswith(FORMULA_START) or write_string(r, c, value, text) == -2:
                        raise _refusal(ws, r, c, value)
        if filtered:
            ws.freeze_panes(1, 0)
            ws.autofilter(0, 0, len(rows), len(header) - 1)

    @staticmethod
    def _text(ws, row: int, col: int, value: str, fmt) -> None:
        if value.startswith(FORMULA_START) or ws.write_string(row, col, value, fmt) == -2:
            raise _refusal(ws, row, col, value)


def _refusal(ws, row: int, col: int, value: str) -> ExportError:
    """Why a text cell was refused: it would run as a formula, or Excel would cut it (write_string gave -2)."""
    where = f"{ws.name}!{xl_rowcol_to_cell(row, col)}"
    if value.startswith(FORMULA_START):
        return formula_error(value, where)
    return ExportError(f"{where}: text longer than Excel's 32767 characters")


def workbook_bytes(tables: list[TableData], about: list[tuple[str, str]], build_date: date, title: str,
                   creator: str) -> bytes:
    out = io.BytesIO()
    workbook = xlsxwriter.Workbook(out, OPTIONS)
    workbook.set_properties({"title": title, "author": creator,
                             "created": datetime(build_date.year, build_date.month, build_date.day)})
    sheets = _Sheets(workbook)
    sheets.add(ABOUT_SHEET, ABOUT_HEADER, ("string", "string"), ABOUT_WIDTHS, about, filtered=False)
    for td in tables:
        cols = td.table.columns
        sheets.add(td.table.name, [c.name for c in cols], [c.type for c in cols], [_width(c.name) for c in cols],
                   td.rows)
    workbook.close()
    return out.getvalue()
