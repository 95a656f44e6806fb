"""Hostile workbooks, built in code: what a real office does to a register.

Each builder takes a fresh demo register (``crmbook new --demo``) and does one thing to it the way
a user or another program would: a stray value at the last row, a table with a totals row, text
pasted from Word, a password, a zip bomb, a header typed twice, formulas Excel never calculated,
a 1904-date workbook, a merged range on the Issues sheet, absolute paths in the Settings.
``CASES`` names them all; ``build(name, folder)`` makes one.
"""

from __future__ import annotations

import struct
import zipfile
from collections.abc import Callable
from pathlib import Path

import openpyxl
from openpyxl.utils.datetime import CALENDAR_MAC_1904

from crmbook.book import builder, layout
from crmbook.book.filebook import FileBook
from crmbook.book.reader import read_register
from crmbook.core import schema as s
from crmbook.core.demo import generate
from crmbook.core.edits import SetCells

LANG = "en"
CUSTOMERS = 30
SEED = 3
SELECTION = "Conference offer"
TEMPLATE = "letter.docx"
#: A customer that SELECTION picks in the demo register of this seed.
SELECTED_ID = 14
PASSWORD = "hemmelig"
#: The bomb's sharedStrings: 400 MB of XML that deflates to well under 1 MB.
BOMB_BYTES = 400 * 1024 * 1024


def base(path: Path, *, lang: str = LANG) -> Path:
    """A demo register with the shipped templates beside it (the starting point of every case)."""
    return builder.create(path, lang=lang, demo=CUSTOMERS, seed=SEED, force=True)


def _sheet(_path: Path, sheet: str) -> str:
    return layout.sheet_name(sheet, LANG)


def _edit(path: Path, change: Callable[[openpyxl.Workbook], None]) -> None:
    """Change the workbook as a user of Excel would, through openpyxl (which keeps tables)."""
    wb = openpyxl.load_workbook(path)
    change(wb)
    wb.save(path)


def stray_last_row(path: Path) -> None:
    """Mailings!Z1048576 holds a value (Ctrl+Down, then a typo)."""
    _edit(path, lambda wb: wb[_sheet(path, s.MAILINGS)].cell(1_048_576, 26, "x"))


def stray_last_cell(path: Path) -> None:
    """Customers!XFD1048576 holds a value: a dense read would need 512 GB."""
    _edit(path, lambda wb: wb[_sheet(path, s.CUSTOMERS)].cell(1_048_576, 16_384, "x"))


def stray_far_right(path: Path) -> None:
    """A value in the last column of a customer's row (Ctrl+Right, then a typo)."""
    _edit(path, lambda wb: wb[_sheet(path, s.CUSTOMERS)].cell(3, 16_384, "x"))


def totals_row(path: Path) -> None:
    """The Customers and Purchases tables get a totals row (Table Design > Total Row)."""

    def change(wb: openpyxl.Workbook) -> None:
        for sheet, label_col, sum_col in ((s.CUSTOMERS, 2, 1), (s.PURCHASES, 5, 4)):
            ws = wb[_sheet(path, sheet)]
            table = next(iter(ws.tables.values()))
            last = ws.max_row + 1
            table.ref = (
                f"{table.ref.split(':')[0]}:{table.ref.split(':')[1].rstrip('0123456789')}{last}"
            )
            table.autoFilter.ref = table.ref.replace(str(last), str(last - 1))
            table.totalsRowCount = 1
            column = table.tableColumns[sum_col - 1]
            column.totalsRowFunction = "count" if sheet == s.CUSTOMERS else "sum"
            table.tableColumns[label_col - 1].totalsRowLabel = "Total"
            function = 103 if sheet == s.CUSTOMERS else 109
            ws.cell(last, sum_col, f"=SUBTOTAL({function},{table.displayName}[{column.name}])")
            ws.cell(last, label_col, "Total")

    _edit(path, change)


def control_characters(path: Path) -> None:
    """A company name pasted from Word: a vertical tab and a \\x01 (crmbook's writer escapes them
    as Excel does, _x000B_), on a customer the selection picks for letters."""
    ids = read_register(path).frame(s.CUSTOMERS)["Customer ID"]
    row = int(ids.index[ids == SELECTED_ID][0])
    FileBook(path).apply([SetCells(s.CUSTOMERS, {(row, "B"): "Fjord\x0bfisk\x01 AS"})])


def encrypted(path: Path) -> None:
    """Password-protected in Excel (File > Info > Encrypt with Password)."""
    import msoffcrypto.format.ooxml as ooxml

    plain = path.read_bytes()
    with path.open("rb") as src, path.with_suffix(".enc").open("wb") as out:
        ooxml.OOXMLFile(src).encrypt(PASSWORD, out)
    path.with_suffix(".enc").replace(path)
    assert path.read_bytes() != plain


def zip_bomb(path: Path) -> None:
    """A small file whose sharedStrings part inflates to hundreds of megabytes."""
    item = b"<si><t>" + b"A" * 1000 + b"</t></si>"
    head = b'<sst xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main">'
    with (
        zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z,
        z.open("xl/sharedStrings.xml", "w", force_zip64=True) as out,
    ):
        out.write(head)
        chunk = item * (1024 * 1024 // len(item))
        for _ in range(BOMB_BYTES // len(chunk)):
            out.write(chunk)
        out.write(b"</sst>")


def lying_zip(path: Path) -> None:
    """A part whose zip directory claims a tenth of what it really inflates to."""
    data, name = b"<x>" + b"B" * (30 * 1024 * 1024) + b"</x>", b"xl/custom.xml"
    with zipfile.ZipFile(path, "a", zipfile.ZIP_DEFLATED) as z:
        z.writestr(name.decode(), data)
    raw = bytearray(path.read_bytes())
    real, claim = len(data), len(data) // 10
    for sig, offset in ((b"PK\x03\x04", 22), (b"PK\x01\x02", 24)):
        at = raw.rfind(sig)
        while at != -1:
            name_at = at + (30 if sig == b"PK\x03\x04" else 46)
            if raw[name_at : name_at + len(name)] == name:
                assert struct.unpack_from("<I", raw, at + offset)[0] == real
                struct.pack_into("<I", raw, at + offset, claim)
                break
            at = raw.rfind(sig, 0, at)
        else:
            raise AssertionError(f"no {sig!r} header for {name!r}")
    path.write_bytes(bytes(raw))


def duplicate_headers(path: Path) -> None:
    """A user column headed 'Company' again (a copy of the column, edited)."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[_sheet(path, s.CUSTOMERS)]
        ws.cell(1, 26, "Company")
        for row in range(2, ws.max_row + 1):
            ws.cell(row, 26, f"Old name {row}")

    _edit(path, change)


def duplicate_ids(path: Path) -> None:
    """Two customers with one Customer ID (a row copied and edited)."""
    _edit(path, lambda wb: wb[_sheet(path, s.CUSTOMERS)].cell(3, 1, 1))


def formulas_without_values(path: Path) -> None:
    """Formulas written by a program that cannot calculate: no cached value in the file."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[_sheet(path, s.CUSTOMERS)]
        headers = {c.value: c.column for c in ws[1]}
        ws.cell(2, headers["Turnover band"], '=IF(O2>=500000000,"≥500 M","<10 M")')
        ws.cell(3, headers["Company"], '=" Fjord AS "')
        ws.cell(4, headers["Customer ID"], "=1+3")

    _edit(path, change)


def dates_1904(path: Path) -> None:
    """The same register saved by an old Mac Excel: serial dates count from 1904."""
    rows = generate(CUSTOMERS, seed=SEED, lang=LANG).rows()
    wb, sheet_rows = builder.build_workbook(LANG, rows)
    wb.epoch = CALENDAR_MAC_1904
    builder.save(wb, sheet_rows, path=path)


def merged_issues(path: Path) -> None:
    """A user merged a block of the Issues sheet to write a note across it."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[_sheet(path, s.ISSUES)]
        ws.cell(2, 1, "Note: check these before Friday")
        ws.merge_cells("A2:G6")

    _edit(path, change)


def absolute_paths(path: Path) -> None:
    """Settings paths that only work on one PC (the shared workbook's other users lack them)."""

    def change(wb: openpyxl.Workbook) -> None:
        ws = wb[_sheet(path, s.SETTINGS)]
        for row in ws.iter_rows(min_row=2):
            if row[0].value in ("Template folder", "Output folder"):
                folder = "letter_templates" if row[0].value == "Template folder" else "letters"
                row[1].value = str(path.parent.resolve() / folder)

    _edit(path, change)


#: name -> what is done to a fresh demo register.
CASES: dict[str, Callable[[Path], None]] = {
    "stray-last-row": stray_last_row,
    "stray-last-cell": stray_last_cell,
    "stray-far-right": stray_far_right,
    "totals-row": totals_row,
    "control-characters": control_characters,
    "encrypted": encrypted,
    "zip-bomb": zip_bomb,
    "lying-zip": lying_zip,
    "duplicate-headers": duplicate_headers,
    "duplicate-ids": duplicate_ids,
    "formulas-without-values": formulas_without_values,
    "dates-1904": dates_1904,
    "merged-issues": merged_issues,
    "absolute-paths": absolute_paths,
}


def build(name: str, folder: Path) -> Path:
    """The hostile workbook ``name`` in ``folder`` (with the shipped templates beside it)."""
    folder.mkdir(parents=True, exist_ok=True)
    path = base(folder / f"{name}.xlsx")
    CASES[name](path)
    return path
