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

from .fields import FORMULA_START, ExportError, Table, formula_error, json_number

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


class _Sheet:
    """One sheet: a bold "@" header row, then the rows as they come, written by column type."""

    def __init__(self, workbook: xlsxwriter.Workbook, formats: dict, name: str, header, kinds, widths):
        try:
            self.ws = ws = workbook.add_worksheet(name)
        except XlsxInputError as e:  # over 31 characters, one of []:*?/\, or taken
            raise ExportError(f"{name!r} cannot be a sheet name: {e}") from None
        self.text, self.width, self.rows = formats["text"], len(header), 0
        for c, (kind, width) in enumerate(zip(kinds, widths)):
            ws.set_column(c, c, width, None if kind in ("number", "integer", "boolean") else self.text)
        for c, label in enumerate(header):
            self._text(ws, 0, c, label, formats["header"])
        # The cells are most of a large workbook's time: each column's kind is looked at once, not per cell.
        self.numbers = {c for c, kind in enumerate(kinds) if kind in ("number", "integer")}
        self.booleans = {c for c, kind in enumerate(kinds) if kind == "boolean"}

    def add(self, rows) -> None:
        # constant_memory: a row must come after the last one written to its sheet
        ws, numbers, booleans, write_string, text = self.ws, self.numbers, self.booleans, self.ws.write_string, self.text
        for r, row in enumerate(rows, self.rows + 1):
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
            self.rows = r

    def filtered(self) -> None:
        self.ws.freeze_panes(1, 0)
        self.ws.autofilter(0, 0, self.rows, self.width - 1)

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


class Workbook:
    """The workbook, a sheet per table, filled as the tables' rows come. Its "说明" sheet comes first
    but is filled last (`close`), as it cites the sources of every station."""

    def __init__(self, target, build_date: date, title: str, creator: str, tables: list[Table]):
        self.target = target  # a file name, or a BytesIO
        self.book = xlsxwriter.Workbook(target, OPTIONS)
        self.book.set_properties({"title": title, "author": creator,
                                  "created": datetime(build_date.year, build_date.month, build_date.day)})
        formats = {"header": self.book.add_format({"bold": True, "num_format": TEXT}),
                   "text": self.book.add_format({"num_format": TEXT})}
        self.about = _Sheet(self.book, formats, ABOUT_SHEET, ABOUT_HEADER, ("string", "string"), ABOUT_WIDTHS)
        self.sheets = {t: _Sheet(self.book, formats, t.name, [c.name for c in t.columns],
                                 [c.type for c in t.columns], [_width(c.name) for c in t.columns]) for t in tables}

    def add(self, table: Table, rows) -> None:
        self.sheets[table].add(rows)

    def close(self, about: list[tuple[str, str]]) -> None:
        self.about.add(about)
        for sheet in self.sheets.values():
            sheet.filtered()
        self.book.close()


def workbook_bytes(tables: list[tuple[Table, list[tuple]]], about: list[tuple[str, str]], build_date: date,
                   title: str, creator: str) -> bytes:
    """The whole workbook at once, from each table and its rows."""
    out = io.BytesIO()
    book = Workbook(out, build_date, title, creator, [table for table, _ in tables])
    for table, rows in tables:
        book.add(table, rows)
    book.close(about)
    return out.getvalue()
