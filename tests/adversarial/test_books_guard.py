"""Files that are not a workbook crmbook can read safely are refused before any reading, with a
message that says what the file is and what to do (issue 12)."""

from __future__ import annotations

import time
import zipfile
from pathlib import Path

import pytest
from click.testing import CliRunner

from crmbook.book.reader import read_register
from crmbook.cli import main
from crmbook.errors import BookReadError
from tests.adversarial import hostile


def test_a_password_protected_workbook_is_named_as_such(tmp_path: Path) -> None:
    book = hostile.build("encrypted", tmp_path)
    result = CliRunner().invoke(main, ["validate", str(book)])
    assert result.exit_code == 2
    assert "password-protected" in result.output and "remove the password" in result.output


def test_an_old_xls_file_is_named_as_such(tmp_path: Path) -> None:
    import xlwt  # a real Excel 97-2003 file, saved under the wrong extension

    old = xlwt.Workbook()
    old.add_sheet("Kunder").write(0, 0, "Kundenr")
    book = tmp_path / "old.xlsx"
    old.save(str(book))
    with pytest.raises(BookReadError, match=r"Excel 97-2003 .*save it as 'Excel Workbook"):
        read_register(book)


@pytest.mark.parametrize("case", ["zip-bomb", "lying-zip"])
def test_a_zip_bomb_is_refused_before_reading(case: str, tmp_path: Path) -> None:
    book = hostile.build(case, tmp_path)
    before = book.read_bytes()
    started = time.perf_counter()
    with pytest.raises(BookReadError, match="refused: the part 'xl/") as refused:
        read_register(book)
    assert time.perf_counter() - started < 5
    assert "Nothing was read" in str(refused.value)
    assert book.read_bytes() == before


def test_the_bomb_really_is_one(tmp_path: Path) -> None:
    """The test file is what the issue describes: a small file, a huge part."""
    book = hostile.build("zip-bomb", tmp_path)
    with zipfile.ZipFile(book) as z:
        info = z.getinfo("xl/sharedStrings.xml")
    assert book.stat().st_size < 3_000_000 and info.file_size > 400_000_000
