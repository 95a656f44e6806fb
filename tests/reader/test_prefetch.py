"""The background read (``prefetch``) gives exactly what the reader reads itself, on every hostile
workbook and on random ones; never a sheet of a file saved meanwhile; one parsed sheet at most
waits for the reader; and a command that stops early leaves no thread behind."""

from __future__ import annotations

import datetime as dt
import os
import threading
import time
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmbook.book import layout, prefetch, reader
from crmbook.book.reader import read_register
from crmbook.core import schema as s
from crmbook.core.register import Register
from tests.adversarial.hostile import base


def cells(frame: pd.DataFrame) -> list[tuple[object, ...]]:
    """Every value with its type (1 and 1.0 and True are not the same cell)."""
    return [(i, *((type(v), v) for v in row)) for i, *row in frame.itertuples()]


def assert_same(plain: Register, fetched: Register) -> None:
    assert (fetched.lang, fetched.settings, fetched.lists) == (
        plain.lang, plain.settings, plain.lists
    )  # fmt: skip
    assert fetched.sheets.keys() == plain.sheets.keys()
    for key, sheet in plain.sheets.items():
        other = fetched.sheets[key]
        assert (other.name, other.columns, other.headers, other.notes) == (
            sheet.name, sheet.columns, sheet.headers, sheet.notes
        )  # fmt: skip
        assert list(other.frame.columns) == list(sheet.frame.columns)
        assert cells(other.frame) == cells(sheet.frame), key


def prefetched(path: Path) -> Register:
    with prefetch.reading(path):
        return read_register(path)


def job(path: Path) -> prefetch._Job:
    return prefetch._jobs[os.path.abspath(path)]


def prefetch_threads() -> list[threading.Thread]:
    return [t for t in threading.enumerate() if t.name.startswith("crmbook-prefetch")]


def test_the_reader_takes_every_sheet_from_the_background(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = base(tmp_path / "book.xlsx")
    plain = read_register(path)

    def itself(_rows: object, name: str) -> list[list[object]]:
        raise AssertionError(f"the reader parsed {name} itself")

    monkeypatch.setattr(reader._CalamineRows, "_read", itself)
    assert_same(plain, prefetched(path))


def test_a_big_sheet_is_parsed_only_once_the_reader_let_the_one_before_go(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = base(tmp_path / "book.xlsx")
    monkeypatch.setattr(prefetch, "BUDGET", 0)  # every sheet counts as big
    first, second = (layout.sheet_name(k, "en") for k in (s.CUSTOMERS, s.PURCHASES))
    with prefetch.reading(path):
        futures = job(path).sheets
        job(path).plan.result(timeout=30)
        waiting, parsed = futures[second], futures[first]
        parsed.result(timeout=30)
        time.sleep(0.3)
        assert not waiting.running() and not waiting.done()  # two big sheets never at once
        sheet = prefetch.take(path, first)
        assert sheet is not None
        assert parsed.result() == []  # the reader holds calamine's copy alone: it goes with it
        del sheet
        prefetch.release(path, first)
        assert waiting.result(timeout=30)


def test_small_sheets_are_parsed_without_waiting_for_the_reader(tmp_path: Path) -> None:
    path = base(tmp_path / "book.xlsx")
    with prefetch.reading(path):
        planned = job(path).plan.result(timeout=30)
        for _, _, parse, _ in planned:  # none taken yet, and every one parsed
            assert parse.result(timeout=30)


def test_a_sheet_not_yet_begun_is_read_by_the_reader_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = base(tmp_path / "book.xlsx")
    monkeypatch.setattr(prefetch, "BUDGET", 0)
    plain = read_register(path)
    with prefetch.reading(path):
        job(path).plan.result(timeout=30)
        job(path).sheets[layout.sheet_name(s.CUSTOMERS, "en")].result(timeout=30)
        # Customers is parsed and not yet taken, so Purchases waits: a reader that asks for
        # Purchases first gets None and parses it itself, instead of waiting forever.
        assert prefetch.take(path, layout.sheet_name(s.PURCHASES, "en")) is None
        assert_same(plain, read_register(path))


def test_a_command_that_stops_before_its_read_leaves_no_thread(tmp_path: Path) -> None:
    path = base(tmp_path / "book.xlsx")
    with pytest.raises(RuntimeError), prefetch.reading(path):
        raise RuntimeError("the command failed before reading")
    for thread in prefetch_threads():
        thread.join(timeout=30)
    assert not prefetch_threads()
    assert not prefetch._jobs


def test_no_background_read_where_an_open_file_blocks_the_next_writer(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = base(tmp_path / "book.xlsx")
    monkeypatch.setattr(prefetch, "BESIDE_OTHER_WRITERS", False)  # as on Windows
    with prefetch.reading(path):
        assert not prefetch._jobs
        register = read_register(path)
    assert_same(read_register(path), register)


@pytest.mark.parametrize("book", ["missing.xlsx", ".", "postgresql://host/db"])
def test_no_file_no_background_read(tmp_path: Path, book: str) -> None:
    with prefetch.reading(tmp_path / book if "://" not in book else book):
        assert not prefetch._jobs


VALUES = st.one_of(
    st.none(),
    st.text(st.characters(codec="utf-8", exclude_categories=["Cs", "Cc"]), max_size=12),
    st.integers(-(10**9), 10**9),
    st.floats(allow_nan=False, allow_infinity=False, width=32),
    st.booleans(),
    st.dates(dt.date(1950, 1, 1), dt.date(2090, 12, 31)),
)


@settings(
    max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(rows=st.lists(st.lists(VALUES, min_size=1, max_size=8), max_size=30))
def test_a_prefetched_read_of_any_register_is_the_plain_read(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[object]]
) -> None:
    folder = tmp_path_factory.mktemp("random")
    wb = openpyxl.Workbook()
    for key in s.DATA_SHEETS:
        ws = wb.create_sheet(layout.sheet_name(key, "nb"))
        ws.append(layout.headers(key, "nb"))
        if key in (s.CUSTOMERS, s.PURCHASES):
            for row in rows:
                ws.append(row)
    del wb["Sheet"]
    path = folder / "book.xlsx"
    wb.save(path)
    assert_same(read_register(path), prefetched(path))
