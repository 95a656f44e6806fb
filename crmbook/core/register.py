"""The register as read from a workbook: one raw frame per sheet, with cell locations.

Frames hold the cells' raw values (object dtype: text stays text, so a typo in a number column
is a validation issue, not a crash). The index is the Excel row number and the columns are the
English field names, so every value can be traced back to its cell.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

import pandas as pd


class ExcelError(str):
    """A cell that shows an Excel error such as #REF! or #DIV/0! (a broken formula).

    It is text, so a number or date column cannot read it, and validation reports it by type.
    """


@dataclass(frozen=True)
class ReadNote:
    """Something the reader saw in a sheet that validation should tell the user about.

    ``kind``: "formula" (a formula with a value Excel calculated: read, never overwritten),
    "formula-no-value" (a formula Excel never calculated: it reads as blank), or
    "duplicate-header" (``other`` is the ignored column's letter).
    """

    kind: str
    row: int
    field: str  # English field name
    column: str  # Excel column letter
    other: str = ""


@dataclass(frozen=True)
class SheetData:
    """One data sheet: raw values indexed by Excel row, columns named by English field."""

    sheet: str  # English sheet key, e.g. "Customers"
    name: str  # the sheet's visible name in the workbook, e.g. "Kunder"
    frame: pd.DataFrame
    columns: dict[str, str]  # English field name -> Excel column letter (absent when missing)
    headers: dict[str, str] = field(default_factory=dict)  # English field -> header as written
    notes: tuple[ReadNote, ...] = ()  # formulas, duplicate headers (see ReadNote)

    def column(self, field_name: str) -> str | None:
        """The Excel column letter of a field, or None when the sheet lacks it."""
        return self.columns.get(field_name)


@dataclass(frozen=True)
class Register:
    """Everything crmbook reads from one workbook."""

    lang: str  # "nb" or "en"
    sheets: dict[str, SheetData]
    lists: dict[str, list[str]]  # list name -> allowed values as written on the Lists sheet
    settings: dict[str, object]  # English setting name -> value
    path: Path | None = None
    setting_rows: dict[str, int] = field(default_factory=dict)  # setting -> its Excel row
    settings_sheet: str = "Settings"  # the Settings sheet's visible name

    def frame(self, sheet: str) -> pd.DataFrame:
        """The raw frame of a sheet (empty with the right columns when the sheet is absent)."""
        return self.sheets[sheet].frame

    def sheet_name(self, sheet: str) -> str:
        """The visible name of a sheet in this workbook."""
        return self.sheets[sheet].name
