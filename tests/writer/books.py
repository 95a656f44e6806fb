"""Small real workbooks for the writer's tests, built with openpyxl as a user's file would be."""

from __future__ import annotations

import datetime as dt
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.formatting.rule import CellIsRule
from openpyxl.styles import Font, PatternFill
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table

from crmbook.book import layout
from crmbook.core import schema as s

#: An Excel 2010 list validation (x14) as Excel writes it; openpyxl would drop it.
X14_VALIDATION = (
    '<extLst><ext uri="{CCE6A557-97BC-4b89-ADB6-D9C93CAAB3DF}" '
    'xmlns:x14="http://schemas.microsoft.com/office/spreadsheetml/2009/9/main">'
    '<x14:dataValidations count="1" xmlns:xm="http://schemas.microsoft.com/office/excel/2006/main">'
    '<x14:dataValidation type="list" allowBlank="1" showErrorMessage="1"><x14:formula1>'
    "<xm:f>Lists!$A$2:$A$4</xm:f></x14:formula1><xm:sqref>H2:H1000</xm:sqref>"
    "</x14:dataValidation></x14:dataValidations></ext></extLst>"
)


def register(path: Path, lang: str = "en", *, customers: int = 3, mailings: int = 2) -> Path:
    """A register with Customers, Mailings (an Excel table, dates), Issues and Lists sheets."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = layout.sheet_name(s.CUSTOMERS, lang)
    ws.append(layout.headers(s.CUSTOMERS, lang))
    for i in range(1, customers + 1):
        ws.append([i, f"Firma {i} AS", "974760673", "Customer"])
    ws["A1"].font = Font(bold=True)
    ws.freeze_panes = "A2"
    mail = wb.create_sheet(layout.sheet_name(s.MAILINGS, lang))
    mail.append(layout.headers(s.MAILINGS, lang))
    for i in range(1, mailings + 1):
        mail.append([i, "Vår 2025", i, f"Firma {i} AS", "tilbud.docx", dt.date(2025, 3, i)])
        mail.cell(i + 1, 6).number_format = "dd.mm.yyyy"
        mail.cell(i + 1, 8).fill = PatternFill("solid", fgColor="FFFFFF00")
    mail.add_table(Table(displayName="Mailings", ref=f"A1:J{mailings + 1}"))
    mail.column_dimensions["B"].width = 30
    mail.merge_cells("L1:M1")
    mail.row_dimensions[1].height = 30
    rule = CellIsRule(operator="equal", formula=['"Negativ"'], fill=PatternFill("solid", "FFC0C0"))
    mail.conditional_formatting.add("H2:H1000", rule)
    validation = DataValidation(type="list", formula1='"Ja,Nei"')
    validation.add("K2:K1000")
    mail.add_data_validation(validation)
    issues = wb.create_sheet(layout.sheet_name(s.ISSUES, lang))
    issues.append(layout.headers(s.ISSUES, lang))
    lists = wb.create_sheet(layout.sheet_name(s.LISTS, lang))
    lists.append(["Response"])
    for value in ("No response", "Negative", "Positive"):
        lists.append([value])
    wb.save(path)
    return path


def patch_member(path: Path, member: str, change: Callable[[str], str]) -> None:
    """Rewrite one zip member's text (to add markup openpyxl cannot write)."""
    with zipfile.ZipFile(path) as src:
        items = [(info, src.read(info)) for info in src.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as out:
        for info, data in items:
            if info.filename == member:
                data = change(data.decode("utf-8")).encode("utf-8")
            out.writestr(info, data)


def add_x14_validation(path: Path, member: str = "xl/worksheets/sheet2.xml") -> None:
    """Give a sheet an x14 data validation block, as Excel writes one for a cross-sheet list."""
    patch_member(
        path, member, lambda xml: xml.replace("</worksheet>", X14_VALIDATION + "</worksheet>")
    )


def raw_members(path: Path) -> dict[str, bytes]:
    """Every member's compressed bytes as stored in the file (not decompressed)."""
    found = {}
    with zipfile.ZipFile(path) as z, path.open("rb") as f:
        for info in z.infolist():
            f.seek(info.header_offset + 26)
            name_len, extra_len = (
                int.from_bytes(f.read(2), "little"),
                int.from_bytes(f.read(2), "little"),
            )
            f.seek(name_len + extra_len, 1)
            found[info.filename] = f.read(info.compress_size)
    return found
