"""Python values as SpreadsheetML cell values: inline strings, numbers, booleans, serial dates.

Text is always an inline string, never a formula, whatever it begins with. Characters XML cannot
carry are escaped as Excel does (``_x000B_``), and text that already looks like such an escape is
protected (``_x005F_x0041_``) so Excel and calamine read back exactly what was written.
"""

from __future__ import annotations

import datetime as dt
import math
import numbers
import re
from dataclasses import dataclass
from decimal import Decimal
from enum import Enum

#: Excel's limit on the characters of one cell (UTF-16 code units).
MAX_TEXT = 32_767

_ESCAPE = re.compile(r"(_x[0-9A-Fa-f]{4}_)|([\x00-\x08\x0b-\x0d\x0e-\x1f])")
_NONCHARACTERS = re.compile("[\ufffe\uffff]")
_EPOCH_1900 = dt.datetime(1899, 12, 30)
_EPOCH_1904 = dt.datetime(1904, 1, 1)
#: Before this day Excel's serials are off by one (it believes 1900 was a leap year).
_FIRST_1900 = dt.date(1900, 3, 1)


class CellValueError(ValueError):
    """A value that cannot be put in a cell; the message says why, the caller adds where."""


class Kind(Enum):
    """What a cell holds, which decides its ``t`` attribute and the number format it needs."""

    BLANK = "blank"
    TEXT = "text"
    NUMBER = "number"
    BOOL = "bool"
    DATE = "date"
    DATETIME = "datetime"


@dataclass(frozen=True)
class CellValue:
    """A value ready for a ``<c>``: its kind and the text of its ``<v>`` or ``<t>``."""

    kind: Kind
    text: str = ""


def encode(value: object, *, date1904: bool = False) -> CellValue:
    """The cell form of a Python value (None, str, bool, number, date or datetime).

    An empty string is a blank cell: Excel cannot tell the two apart.
    """
    if value is None or value == "":
        return CellValue(Kind.BLANK)
    if isinstance(value, str):
        return CellValue(Kind.TEXT, escape_text(value))
    if isinstance(value, bool):
        return CellValue(Kind.BOOL, "1" if value else "0")
    if isinstance(value, dt.datetime):
        return CellValue(Kind.DATETIME, _number(serial(value, date1904=date1904)))
    if isinstance(value, dt.date):
        return CellValue(Kind.DATE, _number(serial(value, date1904=date1904)))
    if isinstance(value, numbers.Integral):
        return CellValue(Kind.NUMBER, str(int(value)))
    if isinstance(value, numbers.Real | Decimal):
        return CellValue(Kind.NUMBER, _number(float(value)))
    raise CellValueError(f"a value of type {type(value).__name__} cannot be written to a cell")


def escape_text(text: str) -> str:
    """Escape text for ``<t>``: XML-illegal characters and literal ``_xHHHH_`` sequences."""
    if len(text) > MAX_TEXT // 2 and _utf16_length(text) > MAX_TEXT:
        raise CellValueError(
            f"the text is {_utf16_length(text):,} characters long; Excel allows at most "
            f"{MAX_TEXT:,} in one cell. Shorten it or split it over several cells."
        )
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise CellValueError("the text contains an invalid character (a lone surrogate)") from exc
    bad = _NONCHARACTERS.search(text)
    if bad:
        raise CellValueError(
            f"the text contains U+{ord(bad.group()):04X}, which is not a character Excel can "
            "store; remove it"
        )
    return _ESCAPE.sub(_escape_one, text)


def _escape_one(match: re.Match[str]) -> str:
    if match.group(1):
        return "_x005F_" + match.group(1)[1:]
    return f"_x{ord(match.group(2)):04X}_"


def _utf16_length(text: str) -> int:
    return len(text) + sum(1 for ch in text if ord(ch) > 0xFFFF)


def serial(value: dt.date, *, date1904: bool = False) -> float:
    """Excel's serial number of a date or (naive or aware, taken as wall time) datetime."""
    moment = value if isinstance(value, dt.datetime) else dt.datetime(*value.timetuple()[:3])
    moment = moment.replace(tzinfo=None)
    epoch = _EPOCH_1904 if date1904 else _EPOCH_1900
    first = epoch.date() if date1904 else _FIRST_1900
    if moment.date() < first:
        raise CellValueError(f"dates before {first.isoformat()} cannot be stored in this workbook")
    delta = moment - epoch
    return delta.days + (delta.seconds + delta.microseconds / 1e6) / 86_400


def _number(value: float) -> str:
    if not math.isfinite(value):
        raise CellValueError(f"{value} is not a number Excel can store; write a number or blank")
    if value.is_integer() and abs(value) < 1e15:
        return str(int(value))
    return repr(value)
