"""Whatever a row holds — any text, numbers, dates, blanks — reads back as it was written."""

from __future__ import annotations

import datetime as dt
import shutil
import tempfile
from collections.abc import Sequence
from pathlib import Path

import pytest
import python_calamine as calamine
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmbook.book.filebook import FileBook
from crmbook.book.reader import read_register
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows, ReplaceRows
from tests.writer.books import register

WIDTH = len(s.SHEET_FIELDS[s.MAILINGS])

#: Every character a cell can hold (not lone surrogates, not the non-characters U+FFFE/U+FFFF).
chars = st.characters(exclude_categories=["Cs"], exclude_characters="\ufffe\uffff")
texts = st.one_of(
    st.text(chars, max_size=40),
    st.sampled_from("=+-@").flatmap(lambda p: st.text(chars, max_size=20).map(lambda t: p + t)),
    st.text(st.characters(max_codepoint=0x1F), min_size=1, max_size=10),
    st.from_regex(r"_x[0-9A-Fa-f]{4}_", fullmatch=True),
    st.sampled_from(["Bø & Co <AS>", "  innrykk", "linje\r\nlinje", "æøå ÆØÅ", "tab\there"]),
    st.integers(1_000, 32_767).map(lambda n: "å" * n),
)
values = st.one_of(
    st.none(),
    texts,
    st.booleans(),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=False, allow_infinity=False),
    st.dates(dt.date(1900, 3, 1), dt.date(9999, 12, 31)),
    st.datetimes(dt.datetime(1900, 3, 1), dt.datetime(2200, 1, 1)).map(
        lambda d: d.replace(microsecond=0)
    ),
)
rows_strategy = st.lists(st.lists(values, min_size=1, max_size=WIDTH), min_size=1, max_size=6)


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return register(tmp_path_factory.mktemp("template") / "crmbook.xlsx", "en")


def expected(value: object) -> object:
    """What python-calamine gives back for a written value."""
    if value is None or value == "":
        return ""
    if isinstance(value, bool | str | dt.date) and not isinstance(value, dt.datetime):
        return value
    if isinstance(value, dt.datetime):
        return value.date() if value.time() == dt.time() else value
    return float(value)


def check(path: Path, first_row: int, rows: Sequence[Sequence[object]]) -> None:
    got = calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Mailings").to_python()
    for offset, row in enumerate(rows):
        line = got[first_row - 1 + offset] if first_row - 1 + offset < len(got) else []
        line = [*line, *[""] * WIDTH][:WIDTH]
        want = [expected(v) for v in [*row, *[None] * WIDTH][:WIDTH]]
        assert line == want, f"row {first_row + offset}"
    frame = read_register(path, [s.MAILINGS]).frame(s.MAILINGS)
    for offset, row in enumerate(rows):
        want = [None if expected(v) == "" else expected(v) for v in row]
        if all(v is None for v in want):
            assert first_row + offset not in frame.index
            continue
        assert list(frame.loc[first_row + offset])[: len(want)] == want


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows_strategy)
def test_appended_rows_read_back_equal(template: Path, rows: list[list[object]]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "crmbook.xlsx"
        shutil.copy(template, path)
        FileBook(path).apply([AppendRows(s.MAILINGS, rows)])
        check(path, 4, rows)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows=rows_strategy, again=rows_strategy)
def test_replaced_rows_read_back_equal(
    template: Path, rows: list[list[object]], again: list[list[object]]
) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "crmbook.xlsx"
        shutil.copy(template, path)
        book = FileBook(path)
        book.apply([ReplaceRows(s.MAILINGS, rows)])
        book.apply([ReplaceRows(s.MAILINGS, again)])
        check(path, 2, again)
        got = calamine.CalamineWorkbook.from_path(str(path)).get_sheet_by_name("Mailings")
        below = got.to_python()[1 + len(again) :]
        assert all(v == "" for line in below for v in line[:WIDTH])
