"""CSV: UTF-8 with BOM (Excel then shows Chinese; programs read it with encoding="utf-8-sig"),
RFC 4180 quoting, CRLF line ends, columns in the table's order, rows in its order (`Table.sort`)."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from .fields import Table, cell_text
from .files import DataFile, Written

BOM = "\ufeff"
DIALECT = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True}
_TYPED = ("number", "integer", "boolean")


class CsvFile:
    """A table's CSV file, written as its rows come (they must already have passed fields.check_rows,
    so no formula text)."""

    def __init__(self, table: Table, file: DataFile):
        self.table, self.file, self.rows = table, file, 0
        # The csv module already writes None as "" and text as str() gives it, as cell_text does: only numbers
        # and booleans need cell_text, and a table without them (most link tables) is written whole, in C.
        self._typed = [(i, c) for i, c in enumerate(table.columns) if c.type in _TYPED]
        self._add([[c.name for c in table.columns]], BOM)

    def add(self, rows: list[tuple]) -> None:
        self._add(_as_text(rows, self._typed) if self._typed else rows)
        self.rows += len(rows)

    def _add(self, rows, head: str = "") -> None:
        buf = io.StringIO(head, newline="")
        buf.seek(len(head))
        csv.writer(buf, delimiter=",", quotechar='"', doublequote=True, quoting=csv.QUOTE_MINIMAL,
                   lineterminator="\r\n").writerows(rows)
        self.file.write(buf.getvalue())

    def close(self) -> Written:
        return self.file.close()


def csv_bytes(table: Table, rows: list[tuple]) -> bytes:
    """The whole file at once."""
    f = CsvFile(table, DataFile(None, table.filename))
    f.add(rows)
    return f.close().content


def _as_text(rows: list[tuple], typed: list) -> Iterator[list]:
    for row in rows:
        row = list(row)
        for i, column in typed:
            row[i] = cell_text(column, row[i])
        yield row
