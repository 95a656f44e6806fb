"""The issue record and the context every check reads the register through.

Checks are small pure functions ``check(ctx) -> Iterable[Issue]`` (beancount style): they never
raise on a cell's value and never change the register. The context converts each column once
(stripped text, numbers) so that twenty checks over 100,000 rows stay vectorised and fast.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.i18n import say
from crmbook.core.register import Register, SheetData


class Severity(StrEnum):
    """How bad an issue is. ``FIXED`` is a note: crmbook changed the cell (``--fix``, new IDs)."""

    ERROR = "Error"
    WARNING = "Warning"
    FIXED = "Fixed"


@dataclass(frozen=True)
class Fix:
    """A safe replacement for a cell. ``always`` fixes are made without ``--fix`` (new IDs)."""

    value: object
    always: bool = False


@dataclass(frozen=True)
class Issue:
    """One problem (or fix) at one cell, in the workbook's language (SPEC §1 Issues, §2 JSON)."""

    key: str  # English sheet key, e.g. "Customers" (edits and sorting use it)
    sheet: str  # the sheet's visible name, e.g. "Kunder"
    row: int  # Excel row
    column: str  # Excel column letter ("" when the sheet lacks the column)
    field: str  # English header
    value: object  # the raw cell value
    severity: Severity
    message: str
    fix: Fix | None = None

    def as_json(self) -> dict[str, object]:
        """The SPEC §2 JSON object (English severity; the value made JSON-safe)."""
        return {
            "sheet": self.sheet,
            "row": self.row,
            "column": self.column,
            "field": self.field,
            "value": json_value(self.value),
            "severity": str(self.severity),
            "message": self.message,
        }


def json_value(value: object) -> object:
    """A raw cell value as JSON: dates as ISO text, non-finite floats as text, blanks as null."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        return value if math.isfinite(value) else str(value)
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


class Context:
    """The register as checks see it: per-column text and numbers, converted once and cached."""

    def __init__(self, register: Register, field_aliases: Mapping[str, str] | None = None):
        self.register = register
        self.lang = register.lang
        self.field_aliases = dict(field_aliases or {})
        self._text: dict[tuple[str, str], pd.Series] = {}
        self._number: dict[tuple[str, str], pd.Series] = {}

    def say(self, en: str, nb: str, **values: object) -> str:
        """A message in the workbook's language."""
        return say(self.lang, en, nb, **values)

    def data(self, sheet: str) -> SheetData | None:
        """A sheet that was read, or None."""
        return self.register.sheets.get(sheet)

    def has(self, sheet: str, field: str) -> bool:
        """Whether the sheet was read and has the column (checks skip absent columns)."""
        data = self.data(sheet)
        return data is not None and field in data.columns and field in data.frame.columns

    def raw(self, sheet: str, field: str) -> pd.Series:
        """The raw cell values of a column, indexed by Excel row."""
        return self.register.sheets[sheet].frame[field]

    def text(self, sheet: str, field: str) -> pd.Series:
        """Each cell as a person reads it, trimmed (``str`` dtype; NA when blank)."""
        key = (sheet, field)
        if key not in self._text:
            self._text[key] = texts(self.raw(sheet, field))
        return self._text[key]

    def number(self, sheet: str, field: str) -> pd.Series:
        """Each cell as a float (NaN when blank or not a number; text like '1 234' converts)."""
        key = (sheet, field)
        if key not in self._number:
            self._number[key] = typed.typed_column(self.raw(sheet, field), s.Kind.NUMBER)
        return self._number[key]

    def issues(
        self,
        sheet: str,
        rows: Iterable[int],
        field: str,
        severity: Severity,
        message: str | Mapping[int, str],
        fixes: Mapping[int, object] | None = None,
        *,
        always: bool = False,
    ) -> list[Issue]:
        """Issues at ``rows`` of one column; ``message`` per row when a mapping."""
        data = self.register.sheets[sheet]
        raw = data.frame[field]
        column = data.columns.get(field, "")
        out = []
        for row in rows:
            text = message[row] if isinstance(message, Mapping) else message
            fix = Fix(fixes[row], always) if fixes is not None and row in fixes else None
            out.append(
                Issue(sheet, data.name, int(row), column, field, raw[row], severity, text, fix)
            )
        return out


def is_str(values: pd.Series) -> np.ndarray:
    """Which cells hold text (a bool array; fast enough for 100,000 cells)."""
    arr = values.to_numpy(dtype=object)
    return np.fromiter((type(v) is str for v in arr), dtype=bool, count=len(arr))


def texts(values: pd.Series) -> pd.Series:
    """Trimmed text of every cell: text as typed, numbers without '.0', dates as ISO; NA blank."""
    strings = is_str(values)
    arr = values.to_numpy(dtype=object)
    out = np.full(len(values), None, dtype=object)
    out[strings] = arr[strings]
    for i in np.flatnonzero(~strings & values.notna().to_numpy()):
        out[i] = typed.text(arr[i])
    result = pd.Series(out, index=values.index, dtype="str").str.strip()
    return result.mask(result == "")


def rows_where(mask: pd.Series) -> list[int]:
    """The Excel rows where a boolean column is true (NA counts as false)."""
    return [int(r) for r in mask.index[mask.fillna(False).to_numpy(dtype=bool)]]


def listing(rows: Iterable[int], limit: int = 5) -> str:
    """'3, 8 and 12' (at most ``limit`` rows, then '…'), for messages naming other rows."""
    rows = [str(r) for r in rows]
    if len(rows) > limit:
        return ", ".join(rows[:limit]) + ", …"
    return rows[0] if len(rows) == 1 else ", ".join(rows[:-1]) + " & " + rows[-1]


def duplicates(keys: pd.Series) -> dict[int, list[int]]:
    """Each row whose key (non-blank) an earlier row has -> those earlier rows.

    The first occurrence is left alone: it is the original, the later rows are the copies.
    """
    keys = keys.dropna()
    later = keys.duplicated(keep="first")
    if not later.any():
        return {}
    dup = keys[keys.duplicated(keep=False)]
    firsts: dict[object, list[int]] = {}
    out: dict[int, list[int]] = {}
    for row, key in dup.items():
        seen = firsts.setdefault(key, [])
        if seen:
            out[int(row)] = list(seen)
        seen.append(int(row))
    return out
