"""CSV: UTF-8 with BOM (Excel then shows Chinese; programs read it with encoding="utf-8-sig"),
RFC 4180 quoting, CRLF line ends, columns in the table's order, rows sorted by the primary key."""
from __future__ import annotations

import csv
import io

from .fields import Table, cell_text

BOM = "\ufeff"
DIALECT = {"delimiter": ",", "lineTerminator": "\r\n", "quoteChar": '"', "doubleQuote": True, "header": True}


def csv_bytes(table: Table, rows: list[tuple]) -> bytes:
    """The rows must already have passed tables.checked_rows (no formula text)."""
    buf = io.StringIO(newline="")
    writer = csv.writer(buf, delimiter=",", quotechar='"', doublequote=True,
                        quoting=csv.QUOTE_MINIMAL, lineterminator="\r\n")
    writer.writerow([c.name for c in table.columns])
    for row in rows:
        writer.writerow([cell_text(c, v) for c, v in zip(table.columns, row)])
    return (BOM + buf.getvalue()).encode("utf-8")
