"""A text column typed in one pass is each cell read by ``typed.text``, whatever the cells hold."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from crmbook.core import schema as s
from crmbook.core.register import ExcelError
from crmbook.core.typed import text, typed_column

CELLS = st.one_of(
    st.text(st.sampled_from(" \t\n\u00a0\u202f\u3000ab1æ"), max_size=6),
    st.text(max_size=8),
    st.none(),
    st.floats(),
    st.integers(),
    st.booleans(),
    st.dates(dt.date(1900, 1, 1)),
    st.builds(ExcelError, st.sampled_from(["#REF!", " #N/A "])),
)


@given(st.lists(CELLS, max_size=40))
def test_a_text_column_is_text_of_each_cell(cells: list[object]) -> None:
    column = pd.Series(cells, dtype=object, index=range(2, len(cells) + 2), name="Company")
    typed = typed_column(column, s.Kind.TEXT)
    assert typed.tolist() == [text(v) for v in cells]
    assert [type(v) for v in typed] == [type(text(v)) for v in cells]
    assert typed.index.equals(column.index) and typed.name == "Company"
