"""The background read (``prefetch``) against what an office does to a workbook: every hostile
book (a stray cell at the last row, a totals row, text pasted from Word, a password, a zip bomb,
…) reads exactly as without it, and a workbook saved by another program after the background
parse is read again, never mixed with the one before."""

from __future__ import annotations

import os
import re
import shutil
import time
from pathlib import Path

import openpyxl
import pytest

from crmbook.book import layout, prefetch
from crmbook.book.reader import read_register
from crmbook.core import schema as s
from crmbook.errors import BookReadError
from tests.adversarial.hostile import CASES, base, build
from tests.reader.test_prefetch import assert_same, job, prefetched


@pytest.mark.parametrize("case", sorted(CASES))
def test_a_prefetched_read_is_the_plain_read_of_every_hostile_book(
    tmp_path: Path, case: str, capfd: pytest.CaptureFixture[str]
) -> None:
    path = build(case, tmp_path)
    try:
        plain = read_register(path)
    except BookReadError as exc:  # encrypted, a bomb, a lying zip: the same message
        with pytest.raises(BookReadError, match=re.escape(str(exc))):
            prefetched(path)
    else:
        assert_same(plain, prefetched(path))
    assert "Traceback" not in capfd.readouterr().err  # no thread died aloud


def test_a_file_saved_after_the_background_parse_is_read_again(tmp_path: Path) -> None:
    path = base(tmp_path / "book.xlsx")
    saved = tmp_path / "saved.xlsx"
    shutil.copyfile(path, saved)
    wb = openpyxl.load_workbook(saved)
    wb[layout.sheet_name(s.CUSTOMERS, "en")]["B2"] = "Lagret etterpå AS"
    wb.save(saved)
    with prefetch.reading(path):
        job(path).plan.result(timeout=30)
        customers = job(path).sheets[layout.sheet_name(s.CUSTOMERS, "en")]
        customers.result(timeout=30)  # parsed from the file as it was
        time.sleep(0.01)  # a later modification time, as a real save gives
        os.replace(saved, path)  # Excel's save: a new file in the old one's place
        register = read_register(path)
    assert register.sheets[s.CUSTOMERS].frame.loc[2, "Company"] == "Lagret etterpå AS"
