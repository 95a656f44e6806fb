"""Typed columns at selection speed: the conversions of ``core.typed``, without a loop per cell.

Cells a reader gives already typed (floats, dates) are converted as whole arrays; the others
(text such as '1 000' or '24.11.2026') are factorised and converted once per distinct value with
the very same ``typed`` functions, so a selection reads a cell exactly as validation does.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import pandas as pd

from crmbook.core import schema as s
from crmbook.core import typed

_TYPE = np.frompyfunc(type, 1, 1)
#: What ``infer_dtype`` says of an array holding only Python numbers and blanks (no bools).
_NUMERIC = {"floating", "integer", "mixed-integer-float", "empty"}


def numbers(values: pd.Series, kind: s.Kind) -> np.ndarray:
    """Floats (NaN for blank or unreadable); INTEGER and ID cells must be whole numbers."""
    raw = values.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(raw, skipna=True) in _NUMERIC:
        out = raw.astype(float)  # only numbers and blanks: one conversion (None -> NaN)
    else:
        kinds = _TYPE(raw)
        fast = np.equal(kinds, float) | np.equal(kinds, int)  # bool and np types go slow
        out = np.full(len(raw), np.nan)
        out[fast] = raw[fast].astype(float)
        convert = typed.number if kind is s.Kind.NUMBER else typed.integer
        rest = ~fast & ~pd.isna(raw)
        out[rest] = _per_distinct(raw[rest], convert, np.nan).astype(float)
    with np.errstate(invalid="ignore"):
        if kind is not s.Kind.NUMBER:
            out[out % 1 != 0] = np.nan
        out[~np.isfinite(out)] = np.nan
    return out


def dates(values: pd.Series) -> np.ndarray:
    """datetime64[s] (NaT for blank or unreadable): one conversion for date cells."""
    raw = values.to_numpy(dtype=object)
    if pd.api.types.infer_dtype(raw, skipna=True) in ("date", "datetime", "empty"):
        days = pd.to_datetime(pd.Series(raw, dtype=object), errors="coerce")  # date cells
        return days.dt.floor("D").to_numpy(dtype="datetime64[s]")
    codes, uniques = pd.factorize(raw)  # text and serial numbers: each distinct value once
    days = pd.to_datetime(
        pd.Series([typed.date(u) for u in uniques], dtype=object), errors="coerce"
    )
    per_code = np.append(days.to_numpy(dtype="datetime64[s]"), np.datetime64("NaT", "s"))
    return per_code[codes]


def _per_distinct(
    raw: np.ndarray, convert: Callable[[object], object], blank: object
) -> np.ndarray:
    """``convert`` applied once per distinct value, spread back to every cell."""
    codes, uniques = pd.factorize(raw)
    converted = [convert(u) for u in uniques]
    per_code = np.array([blank if c is None else c for c in converted] + [blank], dtype=object)
    return per_code[codes]
