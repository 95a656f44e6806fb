"""Two commands at once on one workbook: both effects survive, or the second refuses clearly.

Real ``crmbook`` processes race on a real workbook (a bounded number of times). Before the
lock, select + report lost one sheet in 14 of 20 runs, import --apply beside select lost the
imported customers, and two letters runs gave duplicate Mailing IDs.
"""

from __future__ import annotations

import subprocess
import sys
import time
import zipfile
from pathlib import Path

import openpyxl
import pytest
from filelock import FileLock

from crmbook.book.filebook import FileBook
from crmbook.book.lock import lock_path
from crmbook.core import schema as s
from crmbook.core.edits import AppendRows, ReplaceRows
from crmbook.errors import RefusedError
from tests.adversarial.lock_helpers import (
    SELECTION,
    TEMPLATE,
    build,
    copy,
    finish,
    leftovers,
    mailing_ids,
    mailings,
    rows,
    run,
    start,
)


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo register whose Recipients and Report sheets are out of date (the demo comes with
    both filled in), so a lost write shows."""
    book = build(tmp_path_factory.mktemp("base"), "en", demo=60)
    FileBook(book).apply(
        [ReplaceRows(s.RECIPIENTS, [["old"]]), ReplaceRows(s.REPORT, [["old"]], first_row=1)]
    )
    return book


@pytest.fixture(scope="module")
def reference(base: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """select, then report, one after the other: what both together must give."""
    book = copy(base, tmp_path_factory.mktemp("reference"))
    assert run(["select", book, "--selection", SELECTION["en"]]).returncode == 0
    assert run(["report", book]).returncode == 0
    return book


def together(
    first: list[object], second: list[object], slow: float = 0.0, after: float = 0.0
) -> list[tuple[int, str, str]]:
    """Start ``first`` (its workbook writes ``slow`` seconds slower, as on a network share),
    then ``second`` ``after`` seconds later, so its write falls inside the first one's."""
    procs = [start(first, slow=slow or None)]
    time.sleep(after)
    procs.append(start(second))
    return [finish(p) for p in procs]


def test_select_and_report_at_once_both_sheets_survive(
    base: Path, reference: Path, tmp_path: Path
) -> None:
    for i in range(3):  # either one slow, the other started with it or a little later
        book = copy(base, tmp_path / str(i))
        pair = [["report", book], ["select", book, "--selection", SELECTION["en"]]]
        outcomes = together(*pair[:: 1 if i % 2 else -1], slow=1.0, after=0.25 * (i // 2))
        assert [code for code, _, _ in outcomes] == [0, 0], outcomes
        assert rows(book, s.RECIPIENTS) == rows(reference, s.RECIPIENTS), f"run {i}"
        assert rows(book, s.REPORT) == rows(reference, s.REPORT), f"run {i}"
        assert leftovers(book.parent) == []


def test_import_apply_beside_select_keeps_the_imported_customers(
    base: Path, tmp_path: Path
) -> None:
    other = build(tmp_path / "west", "en", demo=15, seed=9, name="west.xlsx")
    planned = copy(base, tmp_path / "planned")
    assert run(["import", planned, other]).returncode == 0  # the plan, as staff would see it
    for i in range(2):
        book = copy(planned, tmp_path / str(i))
        customers, log = len(rows(book, s.CUSTOMERS)), len(rows(book, s.LOG))
        pair = [
            ["import", book, other, "--apply"],
            ["select", book, "--selection", "Conference offer"],
        ]
        outcomes = together(*pair[:: 1 if i % 2 else -1], slow=1.0)
        assert [code for code, _, _ in outcomes] == [0, 0], outcomes
        assert len(rows(book, s.CUSTOMERS)) > customers, f"run {i}: imported customers lost"
        assert len(rows(book, s.LOG)) == log + 1, f"run {i}: the Log row was lost"
        assert rows(book, s.RECIPIENTS)[1][0] != "old", f"run {i}: the Recipients were lost"


def test_two_letters_runs_never_share_a_mailing_id(base: Path, tmp_path: Path) -> None:
    for i in range(1):
        book = copy(base, tmp_path / str(i))
        args = ["letters", book, "--selection", SELECTION["en"], "--template", TEMPLATE["en"]]
        outcomes = together([*args, "--campaign", "Spring"], [*args, "--campaign", "Autumn"])
        assert [code for code, _, _ in outcomes] == [0, 0], outcomes
        ids = mailing_ids(book)
        assert len(ids) == len(set(ids)), f"run {i}: duplicate Mailing IDs {ids}"
        for name in ("Spring", "Autumn"):
            logged = sorted(str(r["Letter file"]) for r in mailings(book) if r["Campaign"] == name)
            on_disk = sorted(
                p.relative_to(book.parent).as_posix()
                for p in (book.parent / "letters" / name).glob("*.docx")
                if p.name != "all letters.docx"
            )
            assert logged == on_disk and logged, f"run {i}: {name}"
        assert leftovers(book.parent) == []


def test_two_letters_runs_of_one_campaign_log_each_letter_once(base: Path, tmp_path: Path) -> None:
    book = copy(base, tmp_path)
    args = ["letters", book, "--selection", SELECTION["en"], "--template", TEMPLATE["en"]]
    outcomes = together(args, args)
    assert sorted(code for code, _, _ in outcomes) == [0, 0], outcomes
    assert not any("Traceback" in err for _, _, err in outcomes)
    assert any("already got campaign" in out for _, out, _ in outcomes)  # the second skipped all
    ids = mailing_ids(book)
    campaign = [r["Customer ID"] for r in mailings(book) if r["Campaign"] == SELECTION["en"]]
    assert len(ids) == len(set(ids)) and len(campaign) == len(set(campaign)) and campaign
    assert leftovers(book.parent) == [], "no hidden staging folder is left"


def test_a_second_writer_waits_then_refuses_in_the_workbook_language(tmp_path: Path) -> None:
    book = build(tmp_path, "nb", demo=10)
    before = book.read_bytes()
    with FileLock(lock_path(book)):  # another crmbook command is writing
        began = time.perf_counter()
        done = run(["validate", book], wait="0.6")
        waited = time.perf_counter() - began
    assert done.returncode == 1 and waited >= 0.6
    assert "en annen crmbook-kommando skriver til denne arbeidsboka" in done.stderr
    assert "ventet 0.6 s" in done.stderr and "ingenting ble skrevet" in done.stderr
    assert "Traceback" not in done.stderr and book.read_bytes() == before
    assert run(["validate", book], wait="0.6").returncode in (0, 1)  # free again: it runs
    assert book.read_bytes() != before


def test_read_only_commands_need_no_lock(tmp_path: Path) -> None:
    book = build(tmp_path, "en", demo=10)
    with FileLock(lock_path(book)):
        for args in (["report", book, "--no-write", "--json"],
                     ["select", book, "--selection", SELECTION["en"], "--explain", 1],
                     ["customer", "export", book, 1, "--out", tmp_path / "c1.json"]):  # fmt: skip
            done = run(args, wait="0")
            assert done.returncode in (0, 1) and "another crmbook" not in done.stderr, args
    lock_path(book).unlink()
    assert run(["report", book, "--no-write"]).returncode == 0
    assert not lock_path(book).exists(), "a read-only command makes no lock file"


def test_a_killed_writer_leaves_no_lock_behind(tmp_path: Path) -> None:
    book = build(tmp_path, "en", demo=10)
    holder = subprocess.Popen(
        [sys.executable, "-c", "import sys, time\n"
         "from crmbook.book.filebook import FileBook\n"
         "with FileBook(sys.argv[1]).writing():\n"
         "    print('held', flush=True); time.sleep(60)\n", str(book)],
        stdout=subprocess.PIPE, text=True,
    )  # fmt: skip
    assert holder.stdout is not None and holder.stdout.readline().strip() == "held"
    assert run(["validate", book], wait="0.3").returncode == 1  # held: refused
    holder.kill()
    holder.communicate(timeout=30)
    done = run(["validate", book], wait="0.3")
    assert done.returncode in (0, 1) and "another crmbook" not in done.stderr
    assert lock_path(book).stat().st_size == 0, "the lock file holds nothing"


def test_a_workbook_saved_by_another_program_meanwhile_is_not_overwritten(
    tmp_path: Path,
) -> None:
    book = build(tmp_path, "en", demo=10)
    port = FileBook(book)
    with port.writing():
        port.read()
        wb = openpyxl.load_workbook(book)  # a colleague saves from Excel meanwhile
        wb["Customers"]["B2"] = "Saved in Excel AS"
        wb.save(book)
        theirs = book.read_bytes()
        with pytest.raises(RefusedError, match="changed by another program") as caught:
            port.apply([AppendRows(s.MAILINGS, [[99, "Spring"]])])
    assert caught.value.exit_code == 1
    assert book.read_bytes() == theirs, "their save is kept"


def test_the_workbook_holds_no_absolute_path_after_writing_commands(
    base: Path, tmp_path: Path
) -> None:
    book = copy(base, tmp_path)
    for args in (["select", book, "--selection", SELECTION["en"]], ["report", book],
                 ["letters", book, "--selection", SELECTION["en"], "--template", TEMPLATE["en"]],
                 ["validate", book]):  # fmt: skip
        assert run(args).returncode in (0, 1), args
    with zipfile.ZipFile(book) as z:
        text = b"".join(z.read(n) for n in z.namelist())
    assert str(tmp_path).encode() not in text and b".~crmbook-" not in text


def test_a_campaign_folder_made_meanwhile_by_another_run_is_filled_not_a_traceback(
    tmp_path: Path,
) -> None:
    """Two workbooks sharing one output folder are not serialised: the run that finds its new
    campaign folder made by the other one meanwhile puts its files in it one by one."""
    from crmbook.letters import output

    folder = tmp_path / "letters" / "Spring"
    with output.staged(folder, [folder / "1 A.docx"]) as staging:
        (staging / "1 A.docx").write_bytes(b"mine")
        folder.mkdir(parents=True)  # the other run put its folder in place first
        (folder / "2 B.docx").write_bytes(b"theirs")
    assert sorted(p.name for p in folder.iterdir()) == ["1 A.docx", "2 B.docx"]
    assert leftovers(tmp_path) == []


def test_a_missing_workbook_is_named_and_gets_no_lock_file(tmp_path: Path) -> None:
    from click.testing import CliRunner

    from crmbook.cli import main

    for book in (tmp_path / "missing.xlsx", tmp_path / "no folder" / "missing.xlsx"):
        done = CliRunner().invoke(main, ["report", str(book)])
        assert done.exit_code == 2 and "no such file" in done.output
    assert list(tmp_path.iterdir()) == []


def test_a_save_by_another_program_while_crmbook_writes_is_not_overwritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The re-check is repeated just before the rename: a save during the write counts too."""
    book = build(tmp_path, "en", demo=10)
    write = FileBook._write_temp

    def saved_meanwhile(self: FileBook, pkg: object) -> Path:
        tmp = write(self, pkg)
        wb = openpyxl.load_workbook(book)
        wb["Customers"]["B2"] = "Saved in Excel AS"
        wb.save(book)
        return tmp

    monkeypatch.setattr(FileBook, "_write_temp", saved_meanwhile)
    port = FileBook(book)
    port.read()
    with pytest.raises(RefusedError, match="changed by another program"):
        port.apply([AppendRows(s.MAILINGS, [[99, "Spring"]])])
    assert "Saved in Excel AS" in str(rows(book, s.CUSTOMERS)) and leftovers(tmp_path) == []
