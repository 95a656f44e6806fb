"""The OOXML parts of a one-sheet, macro-enabled workbook, written as a reproducible zip.

Small on purpose: one worksheet of inline strings (the add-in's xlwings settings), a minimal
style sheet, the VBA project and, for the add-in, the ribbon. Every zip entry gets the same
fixed timestamp, so the same inputs give the same bytes.
"""

from __future__ import annotations

import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path
from xml.sax.saxutils import escape, quoteattr

XLAM = "application/vnd.ms-excel.addin.macroEnabled.main+xml"
XLSM = "application/vnd.ms-excel.sheet.macroEnabled.main+xml"
RIBBON_PART = "customUI/customUI14.xml"

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_R = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
_PKG_RELS = "http://schemas.openxmlformats.org/package/2006/relationships"
_OFFICE_DOC = f"{_R}/officeDocument"
_RIBBON_REL = "http://schemas.microsoft.com/office/2007/relationships/ui/extensibility"
_VBA_REL = "http://schemas.microsoft.com/office/2006/relationships/vbaProject"
_XML = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
_EPOCH = (1980, 1, 1, 0, 0, 0)


def workbook_parts(
    main_type: str,
    vba: bytes,
    sheet_name: str,
    rows: Sequence[Sequence[str]],
    ribbon: bytes | None = None,
) -> dict[str, bytes]:
    """Part name -> bytes of a workbook whose codeNames are ThisWorkbook and Sheet1."""
    parts = {
        "[Content_Types].xml": _content_types(main_type),
        "_rels/.rels": _rels(
            [("rId1", _OFFICE_DOC, "xl/workbook.xml")]
            + ([("rId2", _RIBBON_REL, RIBBON_PART)] if ribbon is not None else [])
        ),
        "xl/workbook.xml": _workbook(sheet_name),
        "xl/_rels/workbook.xml.rels": _rels(
            [
                ("rId1", f"{_R}/worksheet", "worksheets/sheet1.xml"),
                ("rId2", f"{_R}/styles", "styles.xml"),
                ("rId3", _VBA_REL, "vbaProject.bin"),
            ]
        ),
        "xl/worksheets/sheet1.xml": _sheet(rows),
        "xl/styles.xml": _STYLES.encode(),
        "xl/vbaProject.bin": vba,
    }
    if ribbon is not None:
        parts[RIBBON_PART] = ribbon
    return parts


def write_zip(path: Path, parts: Mapping[str, bytes]) -> None:
    """Write the parts in the given order with fixed timestamps (reproducible bytes)."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, data in parts.items():
            info = zipfile.ZipInfo(name, _EPOCH)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            zf.writestr(info, data)


def _content_types(main_type: str) -> bytes:
    ct = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    return (
        f'{_XML}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" '
        'ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        '<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{main_type}"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{ct}.worksheet+xml"/>'
        f'<Override PartName="/xl/styles.xml" ContentType="{ct}.styles+xml"/>'
        "</Types>"
    ).encode()


def _rels(rels: Sequence[tuple[str, str, str]]) -> bytes:
    items = "".join(
        f'<Relationship Id="{i}" Type="{t}" Target="{target}"/>' for i, t, target in rels
    )
    return f'{_XML}<Relationships xmlns="{_PKG_RELS}">{items}</Relationships>'.encode()


def _workbook(sheet_name: str) -> bytes:
    return (
        f'{_XML}<workbook xmlns="{_MAIN}" xmlns:r="{_R}">'
        '<workbookPr codeName="ThisWorkbook"/>'
        '<bookViews><workbookView visibility="hidden"/></bookViews>'
        f'<sheets><sheet name={quoteattr(sheet_name)} sheetId="1" r:id="rId1"/></sheets>'
        "</workbook>"
    ).encode()


def _sheet(rows: Sequence[Sequence[str]]) -> bytes:
    cells = []
    for r, row in enumerate(rows, start=1):
        inline = "".join(
            f'<c r="{chr(65 + c)}{r}" t="inlineStr"><is><t>{escape(v)}</t></is></c>'
            for c, v in enumerate(row)
        )
        cells.append(f'<row r="{r}">{inline}</row>')
    return (
        f'{_XML}<worksheet xmlns="{_MAIN}" xmlns:r="{_R}"><sheetPr codeName="Sheet1"/>'
        f"<sheetData>{''.join(cells)}</sheetData></worksheet>"
    ).encode()


_STYLES = (
    f'{_XML}<styleSheet xmlns="{_MAIN}">'
    '<fonts count="1"><font><sz val="11"/><name val="Calibri"/></font></fonts>'
    '<fills count="2"><fill><patternFill patternType="none"/></fill>'
    '<fill><patternFill patternType="gray125"/></fill></fills>'
    '<borders count="1"><border><left/><right/><top/><bottom/><diagonal/></border></borders>'
    '<cellStyleXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0"/></cellStyleXfs>'
    '<cellXfs count="1"><xf numFmtId="0" fontId="0" fillId="0" borderId="0" xfId="0"/></cellXfs>'
    '<cellStyles count="1"><cellStyle name="Normal" xfId="0" builtinId="0"/></cellStyles>'
    "</styleSheet>"
)
