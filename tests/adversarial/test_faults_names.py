"""Names that are long in bytes, not characters: 100 emoji are 400 bytes, and a file name may
hold 255. Every name crmbook makes is cut by UTF-8 bytes and keeps its extension."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import docx
import pytest
from click.testing import CliRunner

from crmbook.actions.letters import Request, make_letters
from crmbook.actions.select import compute
from crmbook.book.filebook import FileBook, backups
from crmbook.book.lock import lock_path
from crmbook.cli import main
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows, SetCells
from crmbook.letters.output import campaign_folder, letter_file_name, safe_name
from tests.adversarial.lock_helpers import SELECTION, TEMPLATE, build

EMOJI = "😀" * 100


def fits(name: str) -> bool:
    return len(name.encode("utf-8")) <= 255


def test_letter_and_folder_names_are_cut_by_bytes_and_keep_their_extension(
    tmp_path: Path,
) -> None:
    name = letter_file_name(7, EMOJI)
    assert fits(name) and name.endswith(".docx") and name.startswith("7 😀")
    assert fits(safe_name(EMOJI)) and fits(campaign_folder(tmp_path, EMOJI, "en").name)
    assert "\ufffd" not in name, "no emoji is cut in half"


@pytest.fixture
def book(tmp_path: Path) -> Path:
    return build(tmp_path, "en", demo=20)


def test_a_customer_named_with_100_emoji_gets_a_letter(book: Path) -> None:
    register = FileBook(book).read()
    first = compute(register, SELECTION["en"]).rows[0]
    column = register.sheets[s.CUSTOMERS].columns["Company"]
    FileBook(book).apply([SetCells(s.CUSTOMERS, {(first, column): EMOJI})])
    req = Request(SELECTION["en"], Path(TEMPLATE["en"]), campaign=EMOJI)
    result = make_letters(FileBook(book), book, req, dt.date(2026, 12, 1))
    (mine,) = [f for f in result.files if "😀" in f.name]
    assert fits(mine.name) and fits(result.folder.name) and mine.is_file()
    assert EMOJI in "\n".join(p.text for p in docx.Document(str(mine)).paragraphs)


def test_a_workbook_named_with_emoji_is_written_backed_up_and_exported(tmp_path: Path) -> None:
    book = build(tmp_path, "en", demo=5, name="😀" * 62 + ".xlsx")  # 253 bytes: the most there is
    workbook = FileBook(book)
    with workbook.writing():
        workbook.read()
        workbook.apply([AppendRows(s.MAILINGS, [[900, "Spring"]])])
    assert fits(lock_path(book).name) and len(backups(book)) == 1
    done = CliRunner().invoke(main, ["customer", "export", str(book), "1"])
    assert done.exit_code == 0, done.output
    assert fits(Path(done.output.strip()).name) and Path(done.output.strip()).is_file()
