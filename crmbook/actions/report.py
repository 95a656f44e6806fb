"""The report action: compute the figures and rebuild the Report sheet with its charts.

Called by the CLI (``crmbook report``), the Excel ribbon (Report) and ``crmbook demo``, all
through a workbook port; the sheet is rebuilt each run and last run's charts are replaced.
"""

from __future__ import annotations

import datetime as dt

from crmbook.book import layout
from crmbook.book.port import WorkbookPort
from crmbook.core import report
from crmbook.core import schema as s
from crmbook.core.edits import Edit, EnsureSheet, ReplaceCharts, ReplaceRows
from crmbook.core.i18n import say
from crmbook.core.register import Register
from crmbook.core.report import Figures
from crmbook.core.report_layout import sheet_report, word


def compute(register: Register, today: dt.date) -> Figures:
    """Every figure of the report as of ``today``."""
    return report.compute(register, today)


def report_edits(register: Register, figures: Figures) -> list[Edit]:
    """The Report sheet (added when missing) from row 1 down, and its charts."""
    sheet = sheet_report(figures, register.lang)
    return [
        EnsureSheet(s.REPORT),
        ReplaceRows(s.REPORT, sheet.rows, first_row=1),
        ReplaceCharts(s.REPORT, sheet.charts),
    ]


def run(book: WorkbookPort, today: dt.date, *, write: bool = True) -> tuple[Register, Figures]:
    """Read the register, compute the figures and (unless ``write`` is off) fill Report."""
    register = book.read((s.CUSTOMERS, s.PURCHASES, s.MAILINGS))
    figures = compute(register, today)
    if write:
        book.apply(report_edits(register, figures))
    return register, figures


def summary(figures: Figures, lang: str, *, written: bool) -> str:
    """The key figures as lines of text, for the terminal or a message box."""
    lines = []
    for name, number in figures.summary.items():
        shown = "–" if number is None else f"{number:,}".replace(",", " ")
        if lang == "nb":
            shown = shown.replace(".", ",")  # Norwegian decimal comma
        lines.append(f"{word(name, lang)}: {shown}")
    if written:
        sheet = layout.sheet_name(s.REPORT, lang)
        lines.append(say(lang, "Written to the {s} sheet.", "Skrevet til arket {s}.", s=sheet))
    return "\n".join(lines)
