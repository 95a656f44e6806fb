"""Timestamped backups of a workbook, kept before each write: the last ten, each one verified.

A copy is written under a temporary name, synced, compared in size with the workbook and opened
as a zip (its central directory, at the very end, is missing from a truncated copy) before it
gets its backup name; a copy cut short by a full disk is removed and the write refused, so a
broken file never counts among the ten kept.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import re
import shutil
import zipfile
from pathlib import Path

from crmbook.core.filenames import fit_bytes

BACKUP_FOLDER = "backups"
KEEP_BACKUPS = 10
_STAMP = "-20261124-120000-99"


class BackupError(OSError):
    """The backup could not be made whole (e.g. the disk is full); the workbook is not written."""


def backup(path: Path, now: dt.datetime, *, keep: int = KEEP_BACKUPS) -> Path:
    """Copy the workbook to backups/NAME-YYYYMMDD-HHMMSS[-n].xlsx and keep the last ``keep``."""
    folder = path.parent / BACKUP_FOLDER
    folder.mkdir(exist_ok=True)
    stamp = now.strftime("%Y%m%d-%H%M%S")
    stem = _backup_stem(path)
    target = folder / f"{stem}-{stamp}{path.suffix}"
    n = 1
    while target.exists():
        n += 1
        target = folder / f"{stem}-{stamp}-{n}{path.suffix}"
    _verified_copy(path, target)
    kept = backups(path)
    for old in [*_broken(path), *(kept[:-keep] if keep > 0 else [])]:
        _remove(old)
    return target


def _verified_copy(path: Path, target: Path) -> None:
    """Copy ``path`` to ``target`` whole, or leave nothing and raise BackupError."""
    tmp = target.with_name(f".{target.stem}.tmp")
    try:
        with path.open("rb") as src, tmp.open("wb") as out:
            shutil.copyfileobj(src, out, 1 << 20)
            out.flush()
            os.fsync(out.fileno())
        shutil.copystat(path, tmp)
        if tmp.stat().st_size != path.stat().st_size or not is_whole(tmp):
            raise BackupError(f"the backup {target.name} came out incomplete")
        os.replace(tmp, target)
    except OSError as exc:
        _remove(tmp)
        if isinstance(exc, BackupError):
            raise
        raise BackupError(exc.errno, f"cannot make the backup {target.name}: {exc}") from exc


def unfinished(path: Path) -> list[Path]:
    """Backup copies a killed write left under their temporary name (``.NAME-STAMP.tmp``)."""
    folder = path.parent / BACKUP_FOLDER
    prefix = f".{_backup_stem(path)}-"
    try:
        return sorted(
            p for p in folder.iterdir() if p.name.startswith(prefix) and p.suffix == ".tmp"
        )
    except OSError:
        return []


def is_whole(path: Path) -> bool:
    """Whether a backup is a complete zip package (a truncated copy has no central directory)."""
    try:
        with zipfile.ZipFile(path) as z:
            return bool(z.namelist())
    except (OSError, zipfile.BadZipFile, ValueError):
        return False


def _backup_stem(path: Path) -> str:
    """The workbook's name shortened so a stamped backup name stays within 255 bytes."""
    return fit_bytes(path.stem, 255 - len(_STAMP) - len(path.suffix.encode()))


def backups(path: Path) -> list[Path]:
    """The backups of a workbook that can be restored, oldest first."""
    return [p for p in _named(path) if is_whole(p)]


def _broken(path: Path) -> list[Path]:
    """Incomplete backups (an older crmbook kept them after a full disk): removed when pruning."""
    return [p for p in _named(path) if not is_whole(p)]


def _named(path: Path) -> list[Path]:
    pattern = re.compile(
        rf"{re.escape(_backup_stem(path))}-(\d{{8}}-\d{{6}})(?:-(\d+))?{re.escape(path.suffix)}"
    )
    found = []
    folder = path.parent / BACKUP_FOLDER
    for candidate in folder.iterdir() if folder.is_dir() else ():
        match = pattern.fullmatch(candidate.name)
        if match:
            found.append(((match.group(1), int(match.group(2) or 1)), candidate))
    return [p for _, p in sorted(found)]


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError, PermissionError):
        path.unlink()
