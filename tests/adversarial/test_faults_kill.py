"""A real ``crmbook`` process killed (SIGKILL) anywhere: the workbook is the old version or the
new one, the Mailings log matches the letter files, and running the command again finishes.

Two kinds of kill: at chosen points (between writing the letters and logging them, between the
backup and the rename, halfway through a backup), and at seeded random moments of every writing
command (a bounded loop, so the file stays within about a minute on two cores).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from python_calamine import CalamineWorkbook

from crmbook.book.backups import backups
from crmbook.book.reader import read_register
from crmbook.core import schema as s
from tests.adversarial.lock_helpers import (
    SELECTION,
    TEMPLATE,
    build,
    copy,
    kill_after,
    killed_at,
    leftovers,
    mailing_ids,
    mailings,
    run,
)

SEED = 12
KILLS_PER_COMMAND = 2
Args = Callable[[Path], list[object]]


@pytest.fixture(scope="module")
def base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("base")
    book = build(folder, "en", demo=40)
    west = build(folder / "west", "en", demo=10, seed=9, name="west.xlsx")
    assert run(["import", book, west]).returncode == 0  # a plan to apply
    return book


def letters_args(book: Path) -> list[object]:
    return ["letters", book, "--selection", SELECTION["en"], "--template", TEMPLATE["en"]]


def commands(west: Path) -> dict[str, Args]:
    """Every writing command but letters (checked on its own), by name."""
    return {
        "validate": lambda b: ["validate", b, "--fix"],
        "select": lambda b: ["select", b, "--selection", SELECTION["en"]],
        "report": lambda b: ["report", b],
        "import --apply": lambda b: ["import", b, west, "--apply"],
        "customer erase": lambda b: ["customer", "erase", b, 7],
    }


def letters_match_the_log(book: Path) -> None:
    """Every letter file of the campaign is logged once, every logged letter exists, Mailing
    IDs are unique and nothing temporary is left."""
    folder = book.parent / "letters" / SELECTION["en"]
    on_disk = sorted(
        p.relative_to(book.parent).as_posix()
        for p in folder.glob("*.docx")
        if p.name != "all letters.docx"
    )
    logged = [str(r["Letter file"]) for r in mailings(book) if r["Campaign"] == SELECTION["en"]]
    assert sorted(logged) == on_disk and on_disk
    ids = mailing_ids(book)
    assert len(ids) == len(set(ids))
    assert leftovers(book.parent) == []


def test_letters_killed_after_writing_before_logging_are_logged_by_the_rerun(
    base: Path, tmp_path: Path
) -> None:
    book = copy(base, tmp_path)
    before = book.read_bytes()
    assert killed_at("crmbook.book.filebook:FileBook.apply", letters_args(book)) == -9
    folder = book.parent / "letters" / SELECTION["en"]
    assert len(list(folder.glob("*.docx"))) > 1 and book.read_bytes() == before
    again = run(letters_args(book))
    assert again.returncode == 0, again.stderr
    made = len(list(folder.glob("*.docx"))) - 1
    letters = "1 letter" if made == 1 else f"{made} letters"
    assert f"{letters} that a stopped run left in" in again.stdout
    assert "already got campaign" in again.stdout  # nothing is made twice
    letters_match_the_log(book)


def test_letters_killed_while_rendering_leave_nothing_a_rerun_does_not_clean(
    base: Path, tmp_path: Path
) -> None:
    book = copy(base, tmp_path)
    assert killed_at("crmbook.letters.engine:Batch.write", letters_args(book), count=3) == -9
    assert any(p.name.startswith(".crmbook-") for p in (book.parent / "letters").iterdir())
    again = run(letters_args(book))
    assert again.returncode == 0, again.stderr
    letters_match_the_log(book)


@pytest.mark.parametrize(("where", "count"), [("os:replace", 1), ("os:replace", 2),
                                               ("shutil:copyfileobj", 1)])  # fmt: skip
def test_a_write_killed_around_the_backup_leaves_the_old_workbook(
    base: Path, tmp_path: Path, where: str, count: int
) -> None:
    """os.replace 1: the backup copy is made, not renamed; 2: the backup is in place, the new
    workbook not yet; copyfileobj: killed as the backup copy starts."""
    book = copy(base, tmp_path)
    before = book.read_bytes()
    assert killed_at(where, ["report", book], count=count) == -9
    assert book.read_bytes() == before
    assert all(p.read_bytes() == before for p in backups(book))
    assert leftovers(book.parent), "the kill left a temporary file (cleaned by the next write)"
    assert run(["report", book]).returncode == 0
    assert book.read_bytes() != before and leftovers(book.parent) == []
    assert all(p.stat().st_size > 0 for p in (book.parent / "backups").iterdir())


def same_but_secret(book: Path, reference: Path) -> bool:
    """The same cells as the reference run's workbook, but for the erasure key and the
    tombstones keyed with it: ``customer erase`` makes a fresh random secret each time."""

    def cells(path: Path) -> dict[str, list[list[object]]]:
        wb = CalamineWorkbook.from_path(str(path))
        out = {n: wb.get_sheet_by_name(n).to_python() for n in wb.sheet_names}
        for row in out.get("Log", [])[1:]:
            if row[1] in ("Erasure key", "Customer erased"):
                row[3] = "secret"
        return out

    return cells(book) == cells(reference)


def test_every_writing_command_killed_at_random_moments(base: Path, tmp_path: Path) -> None:
    rng = random.Random(SEED)
    for name, args in commands(base.parent / "west" / "west.xlsx").items():
        reference = copy(base, tmp_path / f"{name}-reference")
        began = time.perf_counter()
        assert run(args(reference)).returncode in (0, 1), name
        length = time.perf_counter() - began
        old, new = base.read_bytes(), reference.read_bytes()
        for k in range(KILLS_PER_COMMAND):
            book = copy(base, tmp_path / f"{name}-{k}")
            kill_after(args(book), rng.uniform(0.3, 1.05) * length)
            now = book.read_bytes()
            done = now == new or (now != old and same_but_secret(book, reference))
            assert now == old or done, f"{name}, kill {k}: neither the old nor the new workbook"
            if now == old:  # the rerun finishes the job
                assert run(args(book)).returncode in (0, 1), name
                assert same_but_secret(book, reference), f"{name}, kill {k}: the rerun differs"
            assert read_register(book).frame(s.CUSTOMERS).shape[0] > 0  # it reads as a register
    for k in range(KILLS_PER_COMMAND):
        book = copy(base, tmp_path / f"letters-{k}")
        kill_after(letters_args(book), rng.uniform(0.4, 1.6))
        again = run(letters_args(book))
        assert again.returncode == 0, again.stderr
        letters_match_the_log(book)


def test_a_customer_erased_before_the_rerun_is_not_logged_again(base: Path, tmp_path: Path) -> None:
    book = copy(base, tmp_path)
    assert killed_at("crmbook.book.filebook:FileBook.apply", letters_args(book)) == -9
    folder = book.parent / "letters" / SELECTION["en"]
    first = min(int(p.name.split()[0]) for p in folder.glob("*.docx") if p.name[0].isdigit())
    assert run(["customer", "erase", book, first]).returncode == 0
    again = run(letters_args(book))
    assert again.returncode == 0, again.stderr
    logged = {int(r["Customer ID"]) for r in mailings(book) if r["Campaign"] == SELECTION["en"]}
    assert first not in logged and logged
