"""Real ``crmbook`` processes for the lock and fault tests: started, raced, killed, read back."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
from collections.abc import Sequence
from pathlib import Path

from python_calamine import CalamineWorkbook

from crmbook.book import layout
from crmbook.book.builder import create
from crmbook.book.reader import read_register
from crmbook.core import schema as s
from crmbook.core import typed

SELECTION = {"en": "Conference offer", "nb": "Konferansetilbud"}
TEMPLATE = {"en": "conference-offer.docx", "nb": "konferansetilbud.docx"}
#: Each test process waits this long for the lock (the product default is 10 s).
WAIT = "20"


def build(folder: Path, lang: str = "en", demo: int = 60, seed: int = 1, name: str = "") -> Path:
    """A demo register with its templates folder, as ``crmbook new`` makes it."""
    return create(folder / (name or f"book-{lang}.xlsx"), lang=lang, demo=demo, seed=seed)


def copy(book: Path, folder: Path) -> Path:
    """A copy of a register (and its templates) in a fresh folder."""
    folder.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(book, folder / book.name)
    templates = book.parent / "letter_templates"
    if templates.is_dir():
        shutil.copytree(templates, folder / templates.name, dirs_exist_ok=True)
    return folder / book.name


#: ``crmbook`` on a slow disk (a network share): each workbook write takes SLOW more seconds.
SLOW_DISK = """
import sys, time
from crmbook.book import filebook
from crmbook.cli import main
write, delay = filebook.FileBook._write_temp, float(sys.argv.pop(1))
def slow(self, pkg):
    time.sleep(delay)
    return write(self, pkg)
filebook.FileBook._write_temp = slow
main(prog_name="crmbook")
"""


def command(*args: object, slow: float | None = None) -> list[str]:
    if slow is not None:
        return [sys.executable, "-c", SLOW_DISK, str(slow), *map(str, args)]
    return [sys.executable, "-m", "crmbook", *map(str, args)]


def env(wait: str = WAIT) -> dict[str, str]:
    return {**os.environ, "CRMBOOK_LOCK_WAIT": wait, "PYTHONHASHSEED": "0"}


def start(
    args: Sequence[object], wait: str = WAIT, slow: float | None = None
) -> subprocess.Popen[str]:
    return subprocess.Popen(
        command(*args, slow=slow), env=env(wait), stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True,
    )  # fmt: skip


def run(args: Sequence[object], wait: str = WAIT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(command(*args), env=env(wait), capture_output=True, text=True,
                          timeout=120, check=False)  # fmt: skip


def finish(proc: subprocess.Popen[str]) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=120)
    return proc.returncode, out, err


def kill_after(args: Sequence[object], delay: float) -> int:
    """Start a command, SIGKILL it after ``delay`` seconds (if still running); its exit code."""
    proc = start(args)
    try:
        proc.wait(timeout=delay)
    except subprocess.TimeoutExpired:
        proc.send_signal(signal.SIGKILL)
    proc.communicate(timeout=60)
    return proc.returncode


def rows(book: Path, sheet: str) -> list[list[object]]:
    """A sheet's cells as python-calamine reads them ([] when the sheet is missing)."""
    wb = CalamineWorkbook.from_path(str(book))
    name = layout.find_sheet(sheet, wb.sheet_names)
    return [] if name is None else wb.get_sheet_by_name(name).to_python()


def mailings(book: Path) -> list[dict[str, object]]:
    """The Mailings rows, English fields."""
    frame = read_register(book, [s.MAILINGS], strict=False).frame(s.MAILINGS)
    return frame.to_dict("records")


def mailing_ids(book: Path) -> list[int]:
    return [typed.integer(r["Mailing ID"]) for r in mailings(book)]


def leftovers(folder: Path) -> list[Path]:
    """Hidden temporary files and staging folders anywhere under ``folder`` (the lock file is
    meant to stay: it is empty and hidden)."""
    return sorted(p for p in folder.rglob(".*") if not p.name.startswith(".~crmbook-"))


#: ``crmbook`` killed (SIGKILL, no clean-up) the N-th time it reaches a function: ``python -c
#: KILL_AT module:Qualified.name N crmbook-arguments...``.
KILL_AT = """
import importlib, os, signal, sys
from crmbook.cli import main
where, count = sys.argv.pop(1), int(sys.argv.pop(1))
module, name = where.split(":")
owner = importlib.import_module(module)
*path, attr = name.split(".")
for part in path:
    owner = getattr(owner, part)
original, calls = getattr(owner, attr), [0]
def killed(*args, **kwargs):
    calls[0] += 1
    if calls[0] >= count:
        os.kill(os.getpid(), signal.SIGKILL)
    return original(*args, **kwargs)
setattr(owner, attr, killed)
main(prog_name="crmbook")
"""


def killed_at(where: str, args: Sequence[object], count: int = 1) -> int:
    """Run a command that SIGKILLs itself on reaching ``where``; its exit code (-9 if reached)."""
    cmd = [sys.executable, "-c", KILL_AT, where, str(count), *map(str, args)]
    return subprocess.run(cmd, env=env(), capture_output=True, text=True, timeout=120).returncode
