"""The Mailings log of a letters run: its rows, and completing it after a run was stopped.

A run puts its letters in place with a manifest marked ``"logged": false``, then appends the
Mailings rows, then marks the manifest logged. A run killed in between (or refused by a full
disk or a changed workbook) leaves letters that no Mailings row names; the next run of that
campaign, holding the workbook's lock, logs them from the manifest — once each, only customers
still in the register — and then goes on as usual.
"""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from crmbook.book.port import WorkbookPort
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import AppendRows
from crmbook.core.i18n import say
from crmbook.core.register import Register
from crmbook.core.vocabulary import norm
from crmbook.letters import output


@dataclass(frozen=True)
class Letter:
    """One letter to log: for whom, and its file."""

    customer_id: int
    company: str | None
    file: Path


def mailing_rows(
    register: Register,
    campaign: str,
    template: str,
    day: dt.date,
    letters: Sequence[Letter],
    home: Path,
) -> list[list[object]]:
    """One Mailings row per letter (SPEC §1), numbered after the highest Mailing ID read: the
    caller holds the workbook's lock, so no other run takes the same numbers."""
    ids = typed.typed_column(register.frame(s.MAILINGS)["Mailing ID"], s.Kind.ID)
    start = int(ids.max()) + 1 if ids.notna().any() else 1
    files = relative(home, [x.file for x in letters])
    return [
        [start + i, campaign, x.customer_id, x.company, template, day, file, None, None, None]
        for i, (x, file) in enumerate(zip(letters, files, strict=True))
    ]


def already(register: Register, campaign: str) -> set[int]:
    """The customers the Mailings sheet says got this campaign."""
    frame = register.frame(s.MAILINGS)
    ids = typed.typed_column(frame["Customer ID"], s.Kind.ID)
    same = frame["Campaign"].map(lambda v: norm(typed.text(v) or "") == norm(campaign))
    return {int(v) for v in ids[same] if v == v}


def complete(
    port: WorkbookPort, register: Register, folder: Path, campaign: str, home: Path
) -> int:
    """Log the letters a stopped run of ``campaign`` left in ``folder``; how many were logged."""
    manifest = output.pending_manifest(folder)
    if manifest is None or norm(str(manifest.get("campaign") or "")) != norm(campaign):
        return 0
    letters = _unlogged(register, manifest, folder, campaign)
    if letters:
        day = _day(manifest.get("date"))
        template = str(manifest.get("template") or "")
        port.apply([AppendRows(s.MAILINGS, mailing_rows(register, campaign, template, day,
                                                        letters, home))])  # fmt: skip
    output.write_manifest(folder, {**manifest, "logged": True})
    return len(letters)


def _unlogged(register: Register, manifest: dict, folder: Path, campaign: str) -> list[Letter]:
    """The manifest's letters still on disk whose customer is in the register and not logged
    for the campaign (an erased customer is never logged again)."""
    done = already(register, campaign)
    ids = typed.typed_column(register.frame(s.CUSTOMERS)["Customer ID"], s.Kind.ID)
    known = {int(v) for v in ids if v == v}
    found = []
    for entry in manifest.get("letters") or []:
        if not isinstance(entry, dict):
            continue
        cid, name = typed.integer(entry.get("customer_id")), str(entry.get("file") or "")
        file = folder / Path(name).name
        if cid in known and cid not in done and name and file.is_file():
            found.append(Letter(cid, typed.text(entry.get("company")), file))
            done.add(cid)
    return found


def _day(text: object) -> dt.date:
    try:
        return dt.date.fromisoformat(str(text))
    except ValueError:
        return dt.date.today()


def relative(home: Path, paths: Sequence[Path]) -> list[str]:
    """Each path from the workbook's folder, with '..' when the letters are elsewhere: a
    workbook holds no absolute paths (SPEC). On another Windows drive: the path from the output
    folder. Each folder is resolved once (2,000 letters share one)."""
    prefixes: dict[Path, str] = {}
    for folder in {path.parent for path in paths}:
        try:
            found = Path(os.path.relpath(folder.resolve(), home)).as_posix()
        except ValueError:
            found = folder.name
        prefixes[folder] = "" if found == "." else f"{found}/"
    return [prefixes[path.parent] + path.name for path in paths]


def not_logged_note(lang: str, sheet: str, count: int, folder: Path) -> str:
    """What exists after the log step failed, and what to do."""
    letters = say(lang, "The {n} letters are", "De {n} brevene ligger", n=count)
    if count == 1:
        letters = say(lang, "The letter is", "Brevet ligger")
    return say(
        lang,
        "{letters} in {d} but not yet on the {sheet} sheet; run the same command "
        "again to log them (no letter is made twice).",
        "{letters} i {d}, men er ikke ført i arket {sheet} ennå; kjør samme kommando "
        "på nytt for å føre dem (ingen brev lages to ganger).",
        letters=letters,
        d=folder,
        sheet=sheet,
    )
