"""xigu-stations.xlsx: a sheet "说明" (what this is, where it comes from, the licence),
then one sheet per table with the same columns and rows as the CSV files.

Text stays text (phones and ids keep their leading zeros, and the cells are
formatted "@" so that editing them in Excel keeps them text), numbers are
numbers, booleans are booleans. The header row is bold, frozen and filterable.

Written directly as SpreadsheetML (Office Open XML) rather than through
openpyxl: openpyxl takes minutes for the tens of thousands of stations the
benchmark builds, and stamps the clock into the file. Here the bytes are
reproducible: the document properties carry the build date, every zip entry
has the same fixed timestamp, and entries are written in a fixed order.
openpyxl, pandas and the spreadsheet programs read the result.
"""
from __future__ import annotations

import io
import re
import zipfile
from datetime import date
from xml.sax.saxutils import escape, quoteattr

from .tables import FORMULA_START, ExportError, TableData, number_text

ABOUT_SHEET = "说明"
MAX_CELL_TEXT = 32767  # Excel's limit on the characters in one cell
# Characters XML 1.0 cannot carry at all (the validator refuses them in content already).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")

NS_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
NS_REL = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
NS_PKG_REL = "http://schemas.openxmlformats.org/package/2006/relationships"
XML_HEAD = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'

# cellXfs: 0 default, 1 bold header, 2 text ("@", numFmtId 49)
STYLE_DEFAULT, STYLE_HEADER, STYLE_TEXT = 0, 1, 2
STYLES = XML_HEAD + (
    f'<styleSheet xmlns="{NS_MAIN}">'
    '<fonts count="2"><font><sz val="11"/><name val="Calibri"/><family val="2"/></font>'
    '<font><b/><sz val="11"/><name val="Calibri"/><family val="2"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill><fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="3"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/>'
    '<xf numFmtId="49" fontId="1" fillId="0" borderId="0" xfId="0" applyNumberFormat="1" applyFont="1"/>'
    '<xf numFmtId="49" fontId="0" fillId="0" borderId="0" xfId="0" applyNumberFormat="1"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    '</styleSheet>'
)


def column_letter(index: int) -> str:
    """1 → A, 26 → Z, 27 → AA."""
    letters = ""
    while index:
        index, rem = divmod(index - 1, 26)
        letters = chr(65 + rem) + letters
    return letters


def _text(value: str, where: str) -> str:
    if value.startswith(FORMULA_START):
        raise ExportError(f"{where}: text starts with {value[0]!r} and would run as a spreadsheet formula")
    if _XML_ILLEGAL.search(value):
        raise ExportError(f"{where}: text holds a control character that a spreadsheet cannot store")
    if len(value) > MAX_CELL_TEXT:
        raise ExportError(f"{where}: text longer than Excel's {MAX_CELL_TEXT} characters")
    return escape(value)


def _cell(ref: str, value, kind: str, style: int | None = None) -> str:
    """One <c> element; kind is the column's Table Schema type. Empty cells are left out."""
    if value is None or value == "":
        return ""
    if kind in ("number", "integer"):
        return f'<c r="{ref}"><v>{number_text(value)}</v></c>'
    if kind == "boolean":
        return f'<c r="{ref}" t="b"><v>{1 if value else 0}</v></c>'
    s = STYLE_TEXT if style is None else style
    return (f'<c r="{ref}" s="{s}" t="inlineStr"><is><t xml:space="preserve">'
            f'{_text(str(value), ref)}</t></is></c>')


def sheet_xml(header: list[str], rows: list[tuple], kinds: list[str], widths: list[float],
              freeze: bool = True, autofilter: bool = True) -> str:
    ncols = max(len(header), 1)
    last = f"{column_letter(ncols)}{len(rows) + 1}"
    parts = [XML_HEAD, f'<worksheet xmlns="{NS_MAIN}" xmlns:r="{NS_REL}">', f'<dimension ref="A1:{last}"/>']
    if freeze:
        parts.append('<sheetViews><sheetView workbookViewId="0"><pane ySplit="1" topLeftCell="A2" '
                     'activePane="bottomLeft" state="frozen"/><selection pane="bottomLeft"/></sheetView></sheetViews>')
    else:
        parts.append('<sheetViews><sheetView workbookViewId="0"/></sheetViews>')
    parts.append('<sheetFormatPr defaultRowHeight="15"/><cols>')
    parts += [f'<col min="{i}" max="{i}" width="{w:g}" customWidth="1"/>' for i, w in enumerate(widths, 1)]
    parts.append("</cols><sheetData>")
    letters = [column_letter(i) for i in range(1, ncols + 1)]
    parts.append('<row r="1">' + "".join(_cell(f"{letters[i]}1", h, "string", STYLE_HEADER)
                                          for i, h in enumerate(header)) + "</row>")
    for r, row in enumerate(rows, 2):
        parts.append(f'<row r="{r}">' + "".join(_cell(f"{letters[i]}{r}", v, kinds[i])
                                                 for i, v in enumerate(row)) + "</row>")
    parts.append("</sheetData>")
    if autofilter:
        parts.append(f'<autoFilter ref="A1:{last}"/>')
    parts.append("</worksheet>")
    return "".join(parts)


def _workbook_xml(names: list[str], filters: dict[int, str]) -> str:
    sheets = "".join(f'<sheet name={quoteattr(n)} sheetId="{i}" r:id="rId{i}"/>' for i, n in enumerate(names, 1))
    defined = "".join(
        f'<definedName name="_xlnm._FilterDatabase" localSheetId="{i}" hidden="1">'
        f"{escape(repr_sheet(names[i]))}!{ref}</definedName>" for i, ref in sorted(filters.items()))
    return (XML_HEAD + f'<workbook xmlns="{NS_MAIN}" xmlns:r="{NS_REL}"><workbookPr/>'
            '<bookViews><workbookView activeTab="0"/></bookViews>'
            f"<sheets>{sheets}</sheets>" + (f"<definedNames>{defined}</definedNames>" if defined else "")
            + "</workbook>")


def repr_sheet(name: str) -> str:
    return "'" + name.replace("'", "''") + "'"


def _absolute(ref: str) -> str:
    a, b = ref.split(":")
    fix = lambda c: re.sub(r"([A-Z]+)(\d+)", r"$\1$\2", c)  # noqa: E731
    return f"{fix(a)}:{fix(b)}"


def _content_types(n: int) -> str:
    sheets = "".join(f'<Override PartName="/xl/worksheets/sheet{i}.xml" ContentType="application/'
                     'vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/>' for i in range(1, n + 1))
    return (XML_HEAD + '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
            '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
            '<Default Extension="xml" ContentType="application/xml"/>'
            '<Override PartName="/xl/workbook.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/>'
            f"{sheets}"
            '<Override PartName="/xl/styles.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.styles+xml"/>'
            '<Override PartName="/docProps/core.xml" '
            'ContentType="application/vnd.openxmlformats-package.core-properties+xml"/>'
            '<Override PartName="/docProps/app.xml" '
            'ContentType="application/vnd.openxmlformats-officedocument.extended-properties+xml"/>'
            "</Types>")


def _root_rels() -> str:
    return (XML_HEAD + f'<Relationships xmlns="{NS_PKG_REL}">'
            '<Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'officeDocument" Target="xl/workbook.xml"/>'
            '<Relationship Id="rId2" Type="http://schemas.openxmlformats.org/package/2006/relationships/metadata/'
            'core-properties" Target="docProps/core.xml"/>'
            '<Relationship Id="rId3" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/'
            'extended-properties" Target="docProps/app.xml"/>'
            "</Relationships>")


def _workbook_rels(n: int) -> str:
    rels = "".join(f'<Relationship Id="rId{i}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
                   f'relationships/worksheet" Target="worksheets/sheet{i}.xml"/>' for i in range(1, n + 1))
    return (XML_HEAD + f'<Relationships xmlns="{NS_PKG_REL}">{rels}'
            f'<Relationship Id="rId{n + 1}" Type="http://schemas.openxmlformats.org/officeDocument/2006/'
            'relationships/styles" Target="styles.xml"/></Relationships>')


def _core(title: str, creator: str, build_date: date) -> str:
    stamp = f"{build_date.isoformat()}T00:00:00Z"
    return (XML_HEAD + '<cp:coreProperties '
            'xmlns:cp="http://schemas.openxmlformats.org/package/2006/metadata/core-properties" '
            'xmlns:dc="http://purl.org/dc/elements/1.1/" xmlns:dcterms="http://purl.org/dc/terms/" '
            'xmlns:dcmitype="http://purl.org/dc/dcmitype/" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
            f"<dc:title>{escape(title)}</dc:title><dc:creator>{escape(creator)}</dc:creator>"
            f"<cp:lastModifiedBy>{escape(creator)}</cp:lastModifiedBy><dc:language>zh-CN</dc:language>"
            f'<dcterms:created xsi:type="dcterms:W3CDTF">{stamp}</dcterms:created>'
            f'<dcterms:modified xsi:type="dcterms:W3CDTF">{stamp}</dcterms:modified>'
            "</cp:coreProperties>")


def _app(names: list[str]) -> str:
    titles = "".join(f"<vt:lpstr>{escape(n)}</vt:lpstr>" for n in names)
    return (XML_HEAD + '<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/extended-properties" '
            'xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes">'
            "<Application>xigu-yizhan</Application><DocSecurity>0</DocSecurity><ScaleCrop>false</ScaleCrop>"
            '<HeadingPairs><vt:vector size="2" baseType="variant"><vt:variant><vt:lpstr>Worksheets</vt:lpstr>'
            f'</vt:variant><vt:variant><vt:i4>{len(names)}</vt:i4></vt:variant></vt:vector></HeadingPairs>'
            f'<TitlesOfParts><vt:vector size="{len(names)}" baseType="lpstr">{titles}</vt:vector></TitlesOfParts>'
            "</Properties>")


def _width(name: str) -> float:
    return float(max(10, min(40, len(name) + 4)))


def workbook_bytes(tables: list[TableData], about: list[tuple[str, str]], build_date: date, title: str,
                   creator: str) -> bytes:
    names = [ABOUT_SHEET] + [td.table.name for td in tables]
    for n in names:
        if len(n) > 31 or re.search(r"[\[\]:*?/\\]", n):
            raise ExportError(f"{n!r} cannot be a sheet name")
    sheets = [sheet_xml(["项目 / Item", "内容 / Value"], [tuple(r) for r in about], ["string", "string"],
                        [28, 110], freeze=False, autofilter=False)]
    filters: dict[int, str] = {}
    for i, td in enumerate(tables, 1):
        cols = td.table.columns
        sheets.append(sheet_xml([c.name for c in cols], td.rows, [c.type for c in cols], [_width(c.name) for c in cols]))
        filters[i] = _absolute(f"A1:{column_letter(len(cols))}{len(td.rows) + 1}")

    parts = [
        ("[Content_Types].xml", _content_types(len(names))),
        ("_rels/.rels", _root_rels()),
        ("docProps/app.xml", _app(names)),
        ("docProps/core.xml", _core(title, creator, build_date)),
        ("xl/workbook.xml", _workbook_xml(names, filters)),
        ("xl/_rels/workbook.xml.rels", _workbook_rels(len(names))),
        ("xl/styles.xml", STYLES),
        *((f"xl/worksheets/sheet{i}.xml", xml) for i, xml in enumerate(sheets, 1)),
    ]
    stamp = (max(build_date.year, 1980), build_date.month, build_date.day, 0, 0, 0)
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, text in parts:
            entry = zipfile.ZipInfo(name, date_time=stamp)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            entry.create_system = 0
            archive.writestr(entry, text.encode("utf-8"), compresslevel=6)
    return out.getvalue()
