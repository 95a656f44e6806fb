"""The issue record and the context every check reads the register through.

Checks are small pure functions ``check(ctx) -> Iterable[Issue]`` (beancount style): they never
raise on a cell's value and never change the register. The context converts each column once
(stripped text, numbers) so that twenty checks over 100,000 rows stay vectorised and fast.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum
from functools import cached_property

import numpy as np
import pandas as pd

from crmbook.core import typed
from crmbook.core.i18n import say
from crmbook.core.register import ExcelError, Register, SheetData
from crmbook.core.schema import DATA_SHEETS


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
    header: str = ""  # the column's header as written in the workbook ("" = the English field)

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
    """A raw cell value as JSON: whole numbers as integers (Excel stores every number as a
    float: 150, not 150.0), dates as ISO text, non-finite floats as text, blanks as null."""
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        if math.isnan(value):
            return None
        if not math.isfinite(value):
            return str(value)
        return int(value) if value.is_integer() and abs(value) < 2**53 else value
    if isinstance(value, dt.date | dt.datetime):
        return value.isoformat()
    return str(value)


_LEADING = re.compile(r"\n\s")  # whitespace just after a cell boundary


class _Codes(dict[type, int]):
    """A code per cell type, handed out as types are met (the few a column holds)."""

    def __missing__(self, kind: type) -> int:
        if len(self) == 255:
            raise OverflowError("more than 255 cell types")
        code = self[kind] = len(self)
        return code


_TYPE_CODES = _Codes()


class Column:
    """One column's raw cells and what checks derive from them, each computed once, on demand.

    Plain Python over the cells (``str.strip``, ``type``) is several times faster here than
    pandas' object-string methods, and 100,000 rows × 25 columns must check in well under 1 s.
    """

    def __init__(self, raw: pd.Series):
        self.raw = raw
        self.cells = raw.to_numpy(dtype=object)

    @cached_property
    def _types(self) -> np.ndarray:
        """Each cell's type as a small code (``_TYPE_CODES``): a byte a cell, not a pointer (the
        checks keep this for every column of every sheet: 35 MB less at 100,000 customers)."""
        codes = map(_TYPE_CODES.__getitem__, map(type, self.cells))
        return np.fromiter(codes, dtype=np.uint8, count=len(self.cells))

    def _typed(self, kind: type) -> np.ndarray:
        return np.equal(self._types, _TYPE_CODES[kind])

    @cached_property
    def is_str(self) -> np.ndarray:
        """Which cells hold text."""
        return self._typed(str)

    @cached_property
    def is_excel_error(self) -> np.ndarray:
        """Which cells show an Excel error such as #REF! (see ``register.ExcelError``)."""
        return self._typed(ExcelError)

    @cached_property
    def _is_float(self) -> np.ndarray:
        return self._typed(float)

    @cached_property
    def is_num(self) -> np.ndarray:
        """Which cells hold a number (bools are not numbers)."""
        return self._is_float | self._typed(int)

    @cached_property
    def na(self) -> np.ndarray:
        """Which cells are None or NaN (pandas' isna only for the rare cells of other types).

        Each step is skipped when no cell needs it, and plain dates are never NA: most columns
        hold one type, and a date column of 200,000 purchases then costs no per-cell isna.
        """
        out = self._typed(type(None))
        floats = self._is_float
        if floats.any():
            out[floats] = np.isnan(self.cells[floats].astype(float))
        other = ~(out | self.is_str | self.is_num)  # floats are numbers
        if other.any():
            other &= ~(self._typed(dt.date) | self._typed(dt.datetime))
            out[other] = pd.isna(self.cells[other])
        return out

    @cached_property
    def strings(self) -> list[str]:
        """The text cells, as typed."""
        return list(self.cells[self.is_str])

    @cached_property
    def joined(self) -> str:
        """All text cells joined by newlines: one substring search tells whether any cell can
        have a problem, so a check skips a clean column without looking at each cell."""
        return "\n".join(self.strings)

    def any_contains(self, needle: str) -> bool:
        """Whether any text cell contains ``needle`` (a fast pre-check)."""
        return needle in self.joined

    @cached_property
    def edge_space(self) -> bool:
        """Whether any text cell is empty or has whitespace before or after it (a pre-check:
        searched forwards and backwards, in C, over the newline-joined cells)."""
        joined = "\n" + self.joined + "\n"
        found = _LEADING.search(joined) or _LEADING.search(joined[::-1])
        return found is not None and bool(self.strings)

    @cached_property
    def blank(self) -> pd.Series:
        """Which cells are blank: None, NaN or only spaces."""
        out = self.na.copy()
        if self.edge_space:
            out[self.is_str] = [not v.strip() for v in self.strings]
        return pd.Series(out, index=self.raw.index)

    @cached_property
    def text(self) -> pd.Series:
        """Each cell as a person reads it, trimmed; None when blank (object dtype)."""
        out = np.full(len(self.cells), None, dtype=object)
        if self.edge_space:
            out[self.is_str] = [v.strip() or None for v in self.strings]
        else:  # no cell is empty or has spaces around it: each is its own trimmed text
            out[self.is_str] = self.cells[self.is_str]
        for i in np.flatnonzero(~self.is_str & ~self.na):
            out[i] = typed.text(self.cells[i])
        return pd.Series(out, index=self.raw.index, dtype=object)

    @cached_property
    def number(self) -> pd.Series:
        """Each cell as a float; NaN when blank or not a number (text like '1 234' converts)."""
        out = np.full(len(self.cells), np.nan)
        with np.errstate(over="ignore", invalid="ignore"):
            out[self.is_num] = self.cells[self.is_num].astype(float)
        for i in np.flatnonzero(~self.is_num & ~self.na):
            value = typed.number(self.cells[i])
            out[i] = np.nan if value is None else value
        out[~np.isfinite(out)] = np.nan
        return pd.Series(out, index=self.raw.index)


class Context:
    """The register as checks see it: per-column text and numbers, converted once and cached."""

    def __init__(self, register: Register, *, write: bool = True, today: dt.date | None = None):
        self.register = register
        self.lang = register.lang
        self.write = write  # False under --no-write: fixes are only what *would* be done
        self.today = today or dt.date.today()  # what "in the future" means (fixed in tests)
        self._columns: dict[tuple[str, str], Column] = {}

    def say(self, en: str, nb: str, **values: object) -> str:
        """A message in the workbook's language."""
        return say(self.lang, en, nb, **values)

    def done(self, done: tuple[str, str], would: tuple[str, str], **values: object) -> str:
        """A Fixed note, (en, nb): what was changed, or (``--no-write``) what would be."""
        return say(self.lang, *(done if self.write else would), **values)

    def data(self, sheet: str) -> SheetData | None:
        """A sheet that was read, or None."""
        return self.register.sheets.get(sheet)

    def has(self, sheet: str, field: str) -> bool:
        """Whether the sheet was read and has the column (checks skip absent columns)."""
        data = self.data(sheet)
        return data is not None and field in data.columns and field in data.frame.columns

    def columns_read(self) -> Iterator[tuple[str, str, Column]]:
        """(sheet, field, column) of every known column read on the data sheets, for checks
        that look at every cell whatever its field (pasted characters, formulas, errors)."""
        for sheet in DATA_SHEETS:
            data = self.data(sheet)
            if data is None:
                continue
            for field in data.frame.columns:
                if self.has(sheet, field):
                    yield sheet, field, self.column(sheet, field)

    def column(self, sheet: str, field: str) -> Column:
        """A column's cells and derived values (cached)."""
        key = (sheet, field)
        if key not in self._columns:
            self._columns[key] = Column(self.register.sheets[sheet].frame[field])
        return self._columns[key]

    def raw(self, sheet: str, field: str) -> pd.Series:
        """The raw cell values of a column, indexed by Excel row."""
        return self.column(sheet, field).raw

    def text(self, sheet: str, field: str) -> pd.Series:
        """Trimmed text of each cell (None when blank)."""
        return self.column(sheet, field).text

    def number(self, sheet: str, field: str) -> pd.Series:
        """Each cell as a float (NaN when blank or not a number)."""
        return self.column(sheet, field).number

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
        header = data.headers.get(field, field)
        out = []
        for row in rows:
            text = message[row] if isinstance(message, Mapping) else message
            fix = Fix(fixes[row], always) if fixes is not None and row in fixes else None
            out.append(
                Issue(
                    sheet, data.name, int(row), column, field, raw[row], severity, text, fix, header
                )
            )
        return out


def matches(text: pd.Series, predicate: Callable[[str], object]) -> pd.Series:
    """``predicate`` over the non-blank texts of a column (False where blank), as a bool column.

    ``map`` feeds ``np.fromiter`` straight from C: with a C predicate such as a compiled
    pattern's ``fullmatch`` no Python frame runs per value (a third of the cost at 100,000 rows).
    """
    cells = text.to_numpy(dtype=object)
    given = cells.astype(bool)  # text columns hold None (never "") for blanks
    values = cells[given]
    out = np.zeros(len(cells), dtype=bool)
    out[given] = np.fromiter(map(predicate, values), dtype=bool, count=len(values))
    return pd.Series(out, index=text.index)


def translated(values: Sequence[str], table: Mapping[int, int | str | None]) -> list[str]:
    """``v.translate(table)`` for each value, as one ``translate`` over the newline-joined values
    (``table`` must leave newlines alone); per value only when a value holds a newline itself."""
    out = "\n".join(values).translate(table).split("\n")
    if len(out) == len(values):
        return out
    return [v.translate(table) for v in values]


def each(text: pd.Series, func: Callable[[str], object]) -> pd.Series:
    """``func`` over the non-blank texts of a column (None where blank), as an object column."""
    cells = text.to_numpy(dtype=object)
    given = cells.astype(bool)  # text columns hold None (never "") for blanks
    out = np.full(len(cells), None, dtype=object)
    out[given] = list(map(func, cells[given]))  # no Python frame per value for C functions
    return pd.Series(out, index=text.index, dtype=object)


def map_unique(values: pd.Series, func: Callable[[object], object]) -> pd.Series:
    """``func`` applied once per distinct value (None for blanks): fast on repetitive columns."""
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    mapped = np.empty(len(uniques) + 1, dtype=object)
    mapped[:-1] = [func(u) for u in uniques]
    mapped[-1] = None
    return pd.Series(mapped[codes], index=values.index, dtype=object)


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
    One hashing pass (``factorize``) numbers the keys; only rows whose number repeats are
    looked at one by one (pandas' ``duplicated`` would hash the column twice).
    """
    codes, _ = pd.factorize(keys, use_na_sentinel=True)  # -1 for blanks
    given = codes >= 0
    counts = np.bincount(codes[given])
    repeated = np.zeros(len(codes), dtype=bool)
    repeated[given] = counts[codes[given]] > 1
    firsts: dict[int, list[int]] = {}
    out: dict[int, list[int]] = {}
    for row, code in zip(keys.index[repeated], codes[repeated], strict=True):
        seen = firsts.setdefault(int(code), [])
        if seen:
            out[int(row)] = list(seen)
        seen.append(int(row))
    return out
