"""Print setup for every sheet of a new workbook: A4, fit to the page's width, the header row
repeated on each page, a footer with the sheet's name and the page number.

Wide sheets (the registers, more than ``PORTRAIT_COLUMNS`` columns) print landscape; the Start
sheet, Settings and the Report portrait. The report command gives a Report sheet that lacks it
the same setup (``crmbook.book.xlsx.printing``).
"""

from __future__ import annotations

from openpyxl import Workbook
from openpyxl.worksheet.properties import PageSetupProperties
from openpyxl.worksheet.worksheet import Worksheet

from crmbook.book import layout
from crmbook.book.xlsx.printing import MARGINS
from crmbook.core import schema as s

PORTRAIT_COLUMNS = 8
#: Sheets whose row 1 is not a table header (nothing to repeat) or that stay portrait.
NO_TITLES = (s.START, s.REPORT)
PORTRAIT = (s.START, s.REPORT, s.SETTINGS)


def set_up_printing(wb: Workbook) -> None:
    """Give every worksheet of ``wb`` its print setup."""
    for ws in wb.worksheets:
        _set_up(ws, _key(ws.title))


def _key(title: str) -> str | None:
    """The sheet's English key ("Customers" for "Kunder"), None for a sheet of the user's."""
    keys = dict.fromkeys((*s.SHEET_FIELDS, s.START, s.REPORT, s.SETTINGS, s.LISTS))
    return next((k for k in keys if layout.find_sheet(k, [title]) == title), None)


def _set_up(ws: Worksheet, key: str | None) -> None:
    wide = ws.max_column > PORTRAIT_COLUMNS and key not in PORTRAIT
    ws.page_setup.paperSize = ws.PAPERSIZE_A4
    ws.page_setup.orientation = "landscape" if wide else "portrait"
    ws.page_setup.fitToWidth, ws.page_setup.fitToHeight = 1, 0
    ws.sheet_properties.pageSetUpPr = PageSetupProperties(fitToPage=True)
    ws.print_options.horizontalCentered = True
    for name, value in MARGINS.items():
        setattr(ws.page_margins, name, float(value))
    if key not in NO_TITLES:
        ws.print_title_rows = "1:1"
    ws.oddFooter.left.text, ws.oddFooter.right.text = "&A", "&P / &N"
