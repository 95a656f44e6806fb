"""Columns of the other book that crmbook does not know ("Private mobile"): listed, never lost.

Each such column of the other book's Customers, Purchases or Mailings sheet is a row of the plan
with a Choice: keep (the default) leaves it out, take adds it to the same sheet here, after the
last column, with the values of the matched rows (where this book's cell is blank) and of the
rows the import adds. When this book already has a column of that name, take fills it instead;
a value that differs from this book's stays as it is, and the plan says how many.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from crmbook.core import typed
from crmbook.core.vocabulary import norm

COLUMN = "column"  # ChoiceKey kind of an extra column
SHEETS = ("Customers", "Purchases", "Mailings")
#: Sheet -> header as written -> {Excel row: value}, for the columns crmbook does not know.
Columns = Mapping[str, Mapping[str, Mapping[int, object]]]


@dataclass(frozen=True)
class ExtraColumn:
    """One column of the other book that this book's crmbook columns do not hold."""

    sheet: str  # English sheet key
    header: str  # as the other book writes it
    letter: str  # where it is (or would go) here
    new: bool  # this book lacks it: take writes the header too
    values: Mapping[int, object]  # the other book's Excel row -> value (blanks left out)
    here: Mapping[int, object] = field(default_factory=dict)  # this book's row -> value

    @property
    def key(self) -> tuple[str, None, str, None]:
        return (COLUMN, None, f"{self.sheet}|{norm(self.header)}", None)

    def fills(self, rows: Mapping[int, int]) -> tuple[dict[int, object], int]:
        """This book's row -> the value take sets there (only where this book's cell is
        blank), for the matched rows ``rows`` (other row -> here row); and how many values
        differ from this book's and stay as they are."""
        out, differ = {}, 0
        for other_row, value in self.values.items():
            here_row = rows.get(other_row)
            if here_row is None:
                continue
            mine = self.here.get(here_row)
            if typed.is_blank(mine):
                out[here_row] = value
            elif norm(mine) != norm(value):
                differ += 1
        return out, differ


def extra_columns(theirs: Columns, mine: Columns, letters: Mapping[str, Mapping[str, str]],
                  free: Mapping[str, int]) -> list[ExtraColumn]:  # fmt: skip
    """The other book's own columns, each placed here: at this book's column of the same name
    (``letters``: sheet -> normalised header -> letter), else at the next free column
    (``free``: sheet -> 0-based index of the first column after this book's header)."""
    out = []
    for sheet in SHEETS:
        spare = free.get(sheet, 0)
        for header, values in theirs.get(sheet, {}).items():
            letter = letters.get(sheet, {}).get(norm(header))
            here = mine.get(sheet, {}).get(_spelled(mine.get(sheet, {}), header), {})
            if letter is None:
                letter, spare = _letter(spare), spare + 1
            given = {r: v for r, v in values.items() if not typed.is_blank(v)}
            new = norm(header) not in letters.get(sheet, {})
            out.append(ExtraColumn(sheet, header, letter, new, given, dict(here)))
    return out


def _spelled(columns: Mapping[str, object], header: str) -> str:
    """This book's spelling of a header (case and spaces aside), else the header itself."""
    return next((h for h in columns if norm(h) == norm(header)), header)


def _letter(index: int) -> str:
    letters, n = "", index + 1
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return letters
