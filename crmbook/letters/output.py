"""Where letters go: safe Windows file names, a campaign folder that stays inside the output
folder, no overwriting without being asked, and a manifest of what was made."""

from __future__ import annotations

import contextlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from crmbook.core.i18n import say
from crmbook.errors import RefusedError, UsageError

#: Device names Windows refuses as a file name, with or without an extension.
RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{d}{i}" for d in ("COM", "LPT") for i in [*"123456789", "¹", "²", "³"]}
)
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
#: Letter file names stay short enough for deep folders under Windows' 260-character limit.
MAX_STEM = 80
MANIFEST = "manifest.json"


def safe_name(text: str, max_len: int = MAX_STEM) -> str:
    """One path component Windows, macOS and Linux all accept, as close to ``text`` as can be."""
    name = unicodedata.normalize("NFC", text)
    name = _FORBIDDEN.sub("_", name)
    name = " ".join(name.split())[:max_len].rstrip(". ")
    if not name or set(name) <= {"."}:
        name = "_"
    if name.split(".")[0].upper().rstrip() in RESERVED:
        name = "_" + name
    return name


def letter_file_name(customer_id: int, company: str) -> str:
    """'<customer id> <company>.docx', made safe; unique because customer ids are."""
    return safe_name(f"{customer_id} {company}".strip()) + ".docx"


def campaign_folder(output: Path, campaign: str, lang: str) -> Path:
    """The campaign's folder, one level inside ``output`` whatever the name holds
    ('../x', 'C:\\x', '/etc' become folder names, never paths)."""
    if not campaign.strip():
        raise UsageError(say(lang, "the campaign needs a name", "kampanjen må ha et navn"))
    folder = output / (safe_name(campaign).lstrip(".") or "_")  # no hidden folder either
    if folder.resolve().parent != output.resolve():
        raise UsageError(
            say(
                lang,
                "campaign {c!r} cannot be used as a folder name",
                "kampanjen {c!r} kan ikke brukes som mappenavn",
                c=campaign,
            )
        )
    return folder


def refuse_overwrite(paths: Iterable[Path], overwrite: bool, lang: str) -> None:
    """Refuse before anything is written when letters from an earlier run would be replaced."""
    existing = [p for p in paths if p.exists()]
    if existing and not overwrite:
        shown = ", ".join(p.name for p in existing[:3]) + (" …" if len(existing) > 3 else "")
        raise RefusedError(
            say(
                lang,
                "{n} letter file(s) already exist in {d} ({f}); use --overwrite to replace them",
                "{n} brevfil(er) finnes allerede i {d} ({f}); bruk --overwrite for å erstatte dem",
                n=len(existing),
                d=existing[0].parent,
                f=shown,
            )
        )


def write_manifest(folder: Path, manifest: Mapping[str, object]) -> Path:
    """``manifest.json`` in the campaign folder: what was made from what, for whom."""
    path = folder / MANIFEST
    text = json.dumps(manifest, ensure_ascii=False, indent=2, default=str)
    path.write_text(text + "\n", encoding="utf-8")
    return path


@contextmanager
def staged(folder: Path, files: Sequence[Path], lang: str = "en") -> Iterator[Path]:
    """A hidden temporary folder to write this run's files into. When the block ends without an
    error, the files are put in place — a new campaign folder by renaming the temporary folder
    itself (one step for 2,000 letters), an existing one file by file, replacing what was there;
    on an error nothing is moved, and the temporary folder and any folder made for this run are
    removed: a failing run leaves no files behind."""
    created = [d for d in (folder, *folder.parents) if not d.exists()]
    new = folder in created
    home = folder.parent if new else folder
    home.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=".crmbook-", dir=home))
    staging.chmod(_folder_mode())  # mkdtemp makes it private; the campaign folder must not be
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for empty in created:  # deepest first; a folder someone put files in stays
            with contextlib.suppress(OSError):
                empty.rmdir()
        raise
    if new:
        _replace(staging, folder, lang)
        return
    try:
        for file in files:
            _replace(staging / file.name, file, lang)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _folder_mode() -> int:
    """The mode a new folder gets from the user's umask (what ``mkdir`` would give)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o777 & ~mask


def _replace(source: Path, target: Path, lang: str) -> None:
    try:
        os.replace(source, target)
    except PermissionError as exc:  # Windows: the letter is open in Word
        raise RefusedError(
            say(
                lang,
                "cannot replace {f} (is it open in Word?): {e}",
                "kan ikke erstatte {f} (er den åpen i Word?): {e}",
                f=target,
                e=exc,
            )
        ) from exc


def remove_pdf_twins(replaced: Iterable[Path]) -> list[Path]:
    """Remove the PDF made from each replaced letter by an earlier ``--pdf`` run (same name,
    .pdf), so an old PDF cannot pass for the new letter; other files are left alone."""
    removed = []
    for letter in replaced:
        twin = letter.with_suffix(".pdf")
        if twin.is_file():
            twin.unlink()
            removed.append(twin)
    return removed
