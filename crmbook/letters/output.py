"""Where letters go: safe Windows file names, a campaign folder that stays inside the output
folder, no overwriting without being asked, and a manifest of what was made.

The manifest is put in place together with the letters, marked ``"logged": false`` until their
Mailings rows are written: a run killed in between (or stopped by a full disk) leaves a pending
manifest, and the next run of that campaign logs the letters it names (actions/letters.py).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import re
import shutil
import tempfile
import unicodedata
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path

from crmbook.core.filenames import MAX_NAME_BYTES, fit_bytes
from crmbook.core.i18n import plural, say
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
#: Hidden folders a run writes its files into before they are put in place.
STAGING = ".crmbook-"
_JSON = json.JSONEncoder(ensure_ascii=False, default=str)


def safe_name(text: str, max_len: int = MAX_STEM, max_bytes: int = MAX_NAME_BYTES) -> str:
    """One path component Windows, macOS and Linux all accept, as close to ``text`` as can be:
    at most ``max_len`` characters and ``max_bytes`` bytes of UTF-8."""
    name = unicodedata.normalize("NFC", text)
    name = _FORBIDDEN.sub("_", name)
    name = fit_bytes(" ".join(name.split())[:max_len], max_bytes).rstrip(". ")
    if not name or set(name) <= {"."}:
        name = "_"
    if name.split(".")[0].upper().rstrip() in RESERVED:
        name = "_" + name
    return name


def letter_file_name(customer_id: int, company: str) -> str:
    """'<customer id> <company>.docx', made safe; unique because customer ids are."""
    return safe_name(f"{customer_id} {company}".strip(), max_bytes=MAX_NAME_BYTES - 5) + ".docx"


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
                "{n} already in {d} ({f}); use --overwrite to replace them",
                "{n} finnes allerede i {d} ({f}); bruk --overwrite for å erstatte dem",
                n=plural(
                    lang, len(existing), ("letter file", "letter files"), ("brevfil", "brevfiler")
                ),
                d=existing[0].parent,
                f=shown,
            )
        )


def write_manifest(folder: Path, manifest: Mapping[str, object]) -> Path:
    """``manifest.json`` in the campaign folder: what was made from what, for whom (written
    under a temporary name and renamed, so a crash leaves the old manifest or the new one)."""
    path = folder / MANIFEST
    tmp = folder / f".{MANIFEST}.tmp"
    try:
        tmp.write_text(manifest_text(manifest), encoding="utf-8")
        os.replace(tmp, path)
    finally:
        with contextlib.suppress(OSError):
            tmp.unlink()
    return path


def manifest_text(manifest: Mapping[str, object]) -> str:
    """The manifest as JSON, a line per key and per item of a list (one per letter): as easy
    to read as indented JSON, and written by json's C encoder (the indenting one is Python,
    ten times slower for 2,000 letters)."""

    def value(v: object) -> str:
        if isinstance(v, list) and v:
            return "[\n" + ",\n".join(f"    {_JSON.encode(item)}" for item in v) + "\n  ]"
        return _JSON.encode(v)

    lines = ",\n".join(f"  {_JSON.encode(k)}: {value(v)}" for k, v in manifest.items())
    return "{\n" + lines + "\n}\n"


def pending_manifest(folder: Path) -> dict | None:
    """The manifest of a run whose letters were put in place but not (all) logged, or None."""
    try:
        data = json.loads((folder / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or data.get("logged") is not False:
        return None
    return data


def staging_prefix(book: Path) -> str:
    """The name start of this workbook's staging folders: runs of other workbooks sharing an
    output folder use other names, so cleaning up never touches their work."""
    tag = hashlib.sha1(Path(book).name.casefold().encode("utf-8")).hexdigest()[:8]
    return f"{STAGING}{tag}-"


def remove_stale(folders: Iterable[Path], prefix: str) -> list[Path]:
    """Remove staging folders (and ``.manifest.json.tmp``) that a killed run of this workbook
    left in ``folders``; the caller holds the workbook's lock, so no run of it is using them."""
    removed = []
    for folder in folders:
        try:
            found = [p for p in folder.iterdir() if p.name.startswith(prefix) and p.is_dir()]
        except OSError:
            continue
        for staging in found:
            shutil.rmtree(staging, ignore_errors=True)
        tmp = folder / f".{MANIFEST}.tmp"
        with contextlib.suppress(OSError):
            tmp.unlink()
            found.append(tmp)
        removed += found
    return removed


@contextmanager
def staged(
    folder: Path, files: Sequence[Path], lang: str = "en", prefix: str = STAGING
) -> Iterator[Path]:
    """A hidden temporary folder to write this run's files into. When the block ends without an
    error, the files are put in place — a new campaign folder by renaming the temporary folder
    itself (one step for 2,000 letters), an existing one file by file in the order given,
    replacing what was there; on an error nothing is moved, and the temporary folder and any
    folder made for this run are removed: a failing run leaves no files behind."""
    created = [d for d in (folder, *folder.parents) if not d.exists()]
    new = folder in created
    staging = _staging_folder(folder.parent if new else folder, prefix, lang)
    try:
        yield staging
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        for empty in created:  # deepest first; a folder someone put files in stays
            with contextlib.suppress(OSError):
                empty.rmdir()
        raise
    try:
        if new and _renamed(staging, folder, lang):
            return
        for file in files:  # an existing folder, or one another run made meanwhile
            if (staging / file.name).exists():
                _replace(staging / file.name, file, lang)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _staging_folder(home: Path, prefix: str, lang: str) -> Path:
    """A new hidden folder in ``home`` (made when missing), or a refusal naming the folder."""
    try:
        home.mkdir(parents=True, exist_ok=True)
        staging = Path(tempfile.mkdtemp(prefix=prefix, dir=home))
        staging.chmod(_folder_mode())  # mkdtemp makes it private; the campaign folder must not be
    except OSError as exc:
        raise RefusedError(
            say(
                lang,
                "{d}: crmbook cannot write in this folder ({e}); no letters were written. "
                "Give a folder you can write to with --out, or change the Output folder setting.",
                "{d}: crmbook kan ikke skrive i denne mappen ({e}); ingen brev ble skrevet. Oppgi "
                "en mappe du kan skrive i med --out, eller endre innstillingen Utdatamappe.",
                d=home,
                e=exc.strerror or exc,
            )
        ) from exc
    return staging


def _renamed(staging: Path, folder: Path, lang: str) -> bool:
    """Rename the staging folder to the new campaign folder; False when a folder of that name
    appeared meanwhile (a run of another workbook), whose files are then replaced one by one."""
    try:
        os.replace(staging, folder)
    except OSError as exc:
        if folder.is_dir():
            return False
        raise RefusedError(
            f"{folder}: {exc.strerror or exc}; "
            + say(lang, "no letters were put in place.", "ingen brev ble lagt på plass.")
        ) from exc
    return True


def _folder_mode() -> int:
    """The mode a new folder gets from the user's umask (what ``mkdir`` would give)."""
    mask = os.umask(0)
    os.umask(mask)
    return 0o777 & ~mask


def _replace(source: Path, target: Path, lang: str) -> None:
    try:
        os.replace(source, target)
    except OSError as exc:  # Windows: the letter is open in Word
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
