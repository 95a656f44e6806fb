"""Raw cell values to typed values, forgivingly: what a person would read in the cell.

Used by validation (a value that does not convert is an issue at its cell) and by selections
(typed comparisons). Every function returns None for a blank or unreadable value, never raises.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Callable

import numpy as np
import pandas as pd

from crmbook.core import schema as s

_EXCEL_EPOCH = dt.date(1899, 12, 30)
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_NUMBER_TEXT = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")
_NB_DATE = re.compile(r"^(\d{1,2})\.(\d{1,2})\.(\d{4})$")


def is_blank(value: object) -> bool:
    """None, NaN and whitespace-only text are blank."""
    if value is None:
        return True
    if isinstance(value, float) and math.isnan(value):
        return True
    return isinstance(value, str) and not value.strip()


def number(value: object) -> float | None:
    """A number from a numeric cell or from text like '1 234,5', 'kr 500' or '12 %'."""
    if is_blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value) if math.isfinite(value) else None
    if not isinstance(value, str):
        return None
    text = _SPACES.sub("", value).lower().removeprefix("kr").removesuffix("kr").rstrip("%")
    text = text.removesuffix(",-")
    if not _NUMBER_TEXT.match(text):
        return None
    return float(text.replace(",", "."))


def integer(value: object) -> int | None:
    """A whole number, or None when blank, unreadable or fractional."""
    n = number(value)
    if n is None or n != int(n):
        return None
    return int(n)


def date(value: object) -> dt.date | None:
    """A date from a date cell, an Excel serial number, ISO text or Norwegian '24.11.2026'."""
    if is_blank(value) or isinstance(value, bool):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, int | float):
        if not math.isfinite(value) or not 1 <= value < 2958466:
            return None
        return _EXCEL_EPOCH + dt.timedelta(days=int(value))
    if isinstance(value, str):
        return _date_text(value.strip())
    return None


def _date_text(text: str) -> dt.date | None:
    match = _NB_DATE.match(text)
    try:
        if match:
            day, month, year = (int(g) for g in match.groups())
            return dt.date(year, month, day)
        return dt.date.fromisoformat(text[:10]) if len(text) >= 10 else None
    except ValueError:
        return None


def text(value: object) -> str | None:
    """Text as a person reads the cell: trimmed; whole numbers without '.0'."""
    if is_blank(value):
        return None
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime | dt.date):
        return value.isoformat()[:10]
    return str(value).strip()


def typed_column(values: pd.Series, kind: s.Kind) -> pd.Series:
    """A raw column converted for its field kind: floats (NaN), datetimes (NaT) or text (None)."""
    if kind in (s.Kind.NUMBER, s.Kind.INTEGER, s.Kind.ID):
        return _numbers(values, integer if kind is not s.Kind.NUMBER else number)
    if kind is s.Kind.DATE:
        dates = [date(v) for v in values]
        return pd.Series(pd.to_datetime(dates), index=values.index, name=values.name)
    texts = [(v.strip() or None) if type(v) is str else text(v) for v in values]  # text(), inlined
    return pd.Series(texts, index=values.index, dtype=object, name=values.name)  # for plain str


def _numbers(values: pd.Series, convert: Callable[[object], float | None]) -> pd.Series:
    """Vectorised for cells that are already numbers; the slow path only for the others."""
    is_num = values.map(lambda v: type(v) is float or type(v) is int)
    out = pd.Series(float("nan"), index=values.index, dtype="float64", name=values.name)
    out[is_num] = values[is_num].astype("float64")
    if convert is integer:
        out[is_num & (out % 1 != 0)] = float("nan")
    rest = values[~is_num & values.notna()]
    if len(rest):
        out[rest.index] = [_nan(convert(v)) for v in rest]
    out[~np.isfinite(out)] = float("nan")
    return out


def _nan(value: float | None) -> float:
    return float("nan") if value is None else value


def typed_frame(frame: pd.DataFrame, sheet: str) -> pd.DataFrame:
    """Every known column of a sheet's raw frame converted for its field kind."""
    kinds = {f.name: f.kind for f in s.SHEET_FIELDS[sheet]}
    return pd.DataFrame(
        {c: typed_column(frame[c], kinds.get(c, s.Kind.TEXT)) for c in frame.columns},
        index=frame.index,
    )
