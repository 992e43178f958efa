"""CSV: UTF-8 with BOM (Excel then shows Chinese; programs read it with encoding="utf-8-sig"),
RFC 4180 quoting, CRLF line ends, columns in the table's order, rows sorted by the primary key."""
from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from .fields import Table, cell_text

BOM = "\ufeff"
DIALECT = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True}
_TYPED = ("number", "integer", "boolean")


def csv_bytes(table: Table, rows: list[tuple]) -> bytes:
    """The rows must already have passed tables.checked_rows (no formula text)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=",", quotechar='"', doublequote=True,
                        quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    # The csv module already writes None as "" and text as str() gives it, as cell_text does: only numbers
    # and booleans need cell_text, and a table without them (most link tables) is written whole, in C.
    typed = [(i, c) for i, c in enumerate(table.columns) if c.type in _TYPED]
    writer.writerows(_as_text(rows, typed) if typed else rows)
    return (BOM + buf.getvalue()).encode("utf-8")


def _as_text(rows: list[tuple], typed: list) -> Iterator[list]:
    for row in rows:
        row = list(row)
        for i, column in typed:
            row[i] = cell_text(column, row[i])
        yield row
