"""Every command on every hostile workbook (see ``hostile.CASES``): the standing adversarial suite.

For each pair: the exit code is 0, 1 or 2 with a message, never a traceback; the workbook is still
a sound zip that python-calamine and crmbook read; every cell the command does not own is as it
was (sheets it does not write, and the user's own columns of sheets it does); letters it writes
open in python-docx. Most pairs run in-process (click's runner); a representative subset runs as
a real ``crmbook`` process.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pytest
import python_calamine as calamine
from click.testing import CliRunner

from crmbook.book.reader import read_register
from crmbook.book.xlsx import bounds
from crmbook.cli import main
from crmbook.core import schema as s
from tests.adversarial import hostile
from tests.adversarial.snapshot import column_of, user_columns, workbook_cells
from tests.office import CSV_ALL_SHEETS, convert, needs_office

DATA = (s.CUSTOMERS, s.PURCHASES, s.MAILINGS, s.SELECTIONS)


@dataclass(frozen=True)
class Command:
    """A command line, the sheets it rewrites whole, the sheets whose known columns it may
    change (user columns stay), and the sheets it may add rows to."""

    args: tuple[str, ...]
    owns: frozenset[str] = frozenset()
    known_columns: frozenset[str] = frozenset()
    appends: frozenset[str] = frozenset()


COMMANDS = {
    "validate": Command(("validate", "{book}"), frozenset({s.ISSUES})),
    "validate-fix": Command(
        ("validate", "{book}", "--fix"), frozenset({s.ISSUES}), frozenset(DATA)
    ),
    "select": Command(
        ("select", "{book}", "--selection", hostile.SELECTION), frozenset({s.RECIPIENTS})
    ),
    "letters": Command(
        ("letters", "{book}", "--selection", hostile.SELECTION, "--template", "{template}"),
        frozenset({s.RECIPIENTS}),
        appends=frozenset({s.MAILINGS}),
    ),
    "report": Command(("report", "{book}"), frozenset({s.REPORT})),
    "import": Command(
        ("import", "{book}", "{other}", "--apply"),
        frozenset({s.IMPORT, s.LOG}),
        frozenset(DATA),
        frozenset(DATA),
    ),
    "export": Command(("customer", "export", "{book}", "1")),
    "erase": Command(
        ("customer", "erase", "{book}", "2"),
        frozenset(
            {
                s.CUSTOMERS,
                s.PURCHASES,
                s.MAILINGS,
                s.RECIPIENTS,
                s.ISSUES,
                s.REPORT,
                s.IMPORT,
                s.LOG,
            }
        ),
    ),
}

#: Pairs run as a real process (the rest in-process).
SUBPROCESS = {
    ("stray-last-cell", "validate"),
    ("stray-last-cell", "export"),
    ("stray-last-row", "letters"),
    ("totals-row", "import"),
    ("encrypted", "select"),
    ("zip-bomb", "report"),
    ("formulas-without-values", "validate-fix"),
}


@pytest.fixture(scope="session")
def built(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """Each hostile workbook once per session (with its templates); tests work on copies."""
    root = tmp_path_factory.mktemp("hostile")
    books = {name: hostile.build(name, root / name) for name in hostile.CASES}
    books["other"] = hostile.base(root / "other" / "other.xlsx")
    return books


def _params() -> list[object]:
    return [
        pytest.param(case, name, id=f"{case}-{name}") for case in hostile.CASES for name in COMMANDS
    ]


@pytest.mark.parametrize(("case", "name"), _params())
def test_command_on_hostile_workbook(
    case: str, name: str, built: dict[str, Path], tmp_path: Path
) -> None:
    folder = tmp_path / case
    shutil.copytree(built[case].parent, folder)
    book = folder / built[case].name
    before_bytes = book.read_bytes()
    readable = _reads(book)
    before = workbook_cells(book) if readable else {}
    command = COMMANDS[name]
    args = [
        a.format(book=book, other=built["other"],
                 template=folder / "letter_templates" / hostile.TEMPLATE)
        for a in command.args
    ]  # fmt: skip
    code, output = _run(args, subprocess_run=(case, name) in SUBPROCESS)

    assert "Traceback" not in output, output
    assert code in (0, 1, 2), output
    if code:
        assert output.strip(), "a refusal must say why"
    if not readable or name == "export":
        assert book.read_bytes() == before_bytes, "a command that cannot read must not write"
        return
    _assert_sound(book)
    _assert_unowned_cells_kept(before, workbook_cells(book), command)
    for letter in sorted(folder.glob("letters/**/*.docx")):
        _assert_docx_opens(letter)


def _run(args: list[str], *, subprocess_run: bool) -> tuple[int, str]:
    if subprocess_run:
        done = subprocess.run(
            [str(Path(sys.executable).parent / "crmbook"), *args], capture_output=True, text=True,
            timeout=120, check=False,
        )  # fmt: skip
        return done.returncode, done.stdout + done.stderr
    result = CliRunner().invoke(main, args)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception  # an uncaught exception is a traceback for the user
    return result.exit_code, result.output


def _reads(book: Path) -> bool:
    try:
        read_register(book)
    except Exception:
        return False
    return True


def _assert_sound(book: Path) -> None:
    """A sound zip that python-calamine reads sheet by sheet (bounded where a sheet is sparse)
    and crmbook reads as a register."""
    with zipfile.ZipFile(book) as z:
        assert z.testzip() is None
        parts = _sheet_parts(z)
        sparse = {name for name, part in parts.items() if bounds.is_sparse(z, part)}
    wb = calamine.CalamineWorkbook.from_path(str(book))
    for name in wb.sheet_names:
        if name not in sparse:
            wb.get_sheet_by_name(name).to_python()
    read_register(book)


def _sheet_parts(z: zipfile.ZipFile) -> dict[str, str]:
    from crmbook.book.xlsx import workbook
    from crmbook.book.xlsx.package import Package

    pkg = Package(Path(z.filename or ""))
    try:
        return workbook.sheets(pkg)
    finally:
        pkg.close()


def _assert_unowned_cells_kept(before: dict, after: dict, command: Command) -> None:
    for sheet, cells in before.items():
        key = sheet  # the hostile registers are English: sheet names are the keys
        if key in command.owns:
            continue
        now = after.get(sheet)
        assert now is not None, f"sheet {sheet} is gone"
        if key in command.known_columns:
            users = user_columns(key, cells)
            cells = {r: v for r, v in cells.items() if column_of(r) in users}
        changed = {r: (v, now.get(r)) for r, v in cells.items() if now.get(r) != v}
        assert not changed, f"{sheet}: cells changed that the command does not own: {changed}"
        if key not in command.appends and key not in command.known_columns:
            added = set(now) - set(cells)
            assert not added, f"{sheet}: cells added that the command does not own: {added}"


def _assert_docx_opens(path: Path) -> None:
    import docx

    docx.Document(str(path))


#: Results an independent program must open: one soffice call converts them all.
OFFICE_SAMPLE = (
    ("stray-last-row", "letters"),
    ("totals-row", "validate-fix"),
    ("merged-issues", "validate"),
    ("dates-1904", "import"),
    ("formulas-without-values", "validate-fix"),
)


@needs_office
def test_libreoffice_opens_a_sample_of_results(built: dict[str, Path], tmp_path: Path) -> None:
    books = []
    for case, name in OFFICE_SAMPLE:
        folder = tmp_path / f"{case}-{name}"
        shutil.copytree(built[case].parent, folder)
        book = folder / built[case].name
        args = [a.format(book=book, other=built["other"],
                         template=folder / "letter_templates" / hostile.TEMPLATE)
                for a in COMMANDS[name].args]  # fmt: skip
        assert _run(args, subprocess_run=False)[0] in (0, 1)
        books.append(book.rename(folder / f"{case}-{name}.xlsx"))
    out = convert(books, CSV_ALL_SHEETS, tmp_path / "csv", profile=tmp_path / "profile")
    for book in books:
        sheets = [p for p in out if p.name.startswith(book.stem + "-")]
        assert any(p.name.endswith("-Customers.csv") for p in sheets), book.name
        customers = next(p for p in sheets if p.name.endswith("-Customers.csv"))
        assert len(customers.read_text(encoding="utf-8").splitlines()) > hostile.CUSTOMERS
