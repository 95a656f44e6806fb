"""The workbook port on a closed .xlsx file: fast reads, surgical writes (DESIGN decision 4).

A write changes only the sheet parts its edits touch (plus a table's range, styles.xml for a new
format, and the package's sheet list for a new sheet) and copies every other zip member as its
compressed bytes. It refuses while Excel or LibreOffice has the workbook open, writes a temporary
file beside it, keeps a timestamped backup and renames the new file into place, so a crash at any
moment leaves either the old workbook or the new one — never half of one. Writers take turns
(crmbook.book.lock): ``writing`` holds the lock from the first read to the last write, every
``apply`` holds it while it writes, and a file changed since crmbook read it is not replaced.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import html
import os
import re
import shutil
import stat
import tempfile
import zipfile
from collections.abc import Callable, Iterable, Iterator, Sequence
from pathlib import Path

from crmbook.book import layout
from crmbook.book.backups import BACKUP_FOLDER, KEEP_BACKUPS, backup, backups, unfinished
from crmbook.book.lock import BookLock, Fingerprint, fingerprint, stale_temps, temp_prefix
from crmbook.book.reader import read_register
from crmbook.book.xlsx import markpatch, workbook
from crmbook.book.xlsx.charts import replace_charts
from crmbook.book.xlsx.package import Package, PackageError
from crmbook.book.xlsx.rowstore import style_hits
from crmbook.book.xlsx.sheet import new_worksheet
from crmbook.book.xlsx.styles import Styles
from crmbook.book.xlsx.writer import HEADER_ROW, CellError, SheetWriter
from crmbook.core import schema as s
from crmbook.core.edits import (
    AppendRows,
    ClearMarks,
    ClearRows,
    Edit,
    EnsureSheet,
    MarkCells,
    ReplaceCharts,
    ReplaceRows,
    SetCells,
)
from crmbook.core.i18n import say
from crmbook.core.register import Register
from crmbook.errors import BookLockedError, BookReadError, CrmbookError, RefusedError
from crmbook.zipraw import ZipRawError

__all__ = ["BACKUP_FOLDER", "KEEP_BACKUPS", "BookWriteError", "FileBook", "backup", "backups"]


class BookWriteError(CrmbookError, ValueError):
    """An edit cannot be written (a value Excel cannot hold, or the file cannot be replaced)."""

    exit_code = 1


class FileBook:
    """A register workbook on disk.

    ``clock`` gives the time stamped on backups (injectable for tests); one backup is kept per
    FileBook, i.e. per run, however many times ``apply`` is called. ``lock_wait``: seconds a
    writer waits for another one (default: crmbook.book.lock.wait_seconds()).
    """

    def __init__(
        self,
        path: str | Path,
        *,
        clock: Callable[[], dt.datetime] = dt.datetime.now,
        keep_backups: int = KEEP_BACKUPS,
        lock_wait: float | None = None,
    ) -> None:
        self.path = Path(path)
        self._clock = clock
        self._keep = keep_backups
        self._backed_up = False
        self._wait = lock_wait
        self._lock: BookLock | None = None
        self._seen: Fingerprint | None = None  # the file as first read since the last write

    def read(self, sheets: Iterable[str] = s.DATA_SHEETS, *, strict: bool = True) -> Register:
        """The register's data sheets, lists and settings (python-calamine)."""
        seen = fingerprint(self.path)
        register = read_register(self.path, sheets, strict=strict)
        if self._seen is None:
            self._seen = seen
        return register

    @contextlib.contextmanager
    def writing(self, enabled: bool = True) -> Iterator[FileBook]:
        """Hold the workbook's lock for a whole read-modify-write, so another command's write
        cannot fall between this one's read and its write; a second writer waits, then refuses.
        Temporary files a crashed write left are removed. ``enabled`` false (``--no-write``):
        no lock, nothing written; no workbook there: no lock either (the read says what is
        wrong)."""
        if not enabled or not self.path.is_file():
            yield self
            return
        with self._locked():
            for tmp in [*stale_temps(self.path), *unfinished(self.path)]:
                _remove(tmp)
            yield self

    def _locked(self) -> contextlib.AbstractContextManager[None]:
        if self._lock is None:
            self._lock = BookLock(self.path, book_lang(self.path), self._wait)
        return self._lock.held()

    def check_writable(self) -> None:
        """Refuse now, before work that would end in a write, when the write cannot happen."""
        check_unlocked(self.path)
        check_writable(self.path)

    def apply(self, edits: Sequence[Edit]) -> None:
        """Carry out the edits all together, or none of them."""
        if not edits:
            return
        with self._locked():
            self.check_writable()
            self._recheck()
            self._apply(edits)
            self._seen = fingerprint(self.path)

    def _recheck(self) -> None:
        """Refuse when the file changed since crmbook read it (saved by Excel, a sync client or
        a command that took no lock): writing now would throw that change away."""
        if self._seen is None or fingerprint(self.path) == self._seen:
            return
        raise RefusedError(
            say(
                book_lang(self.path),
                "{path}: the workbook was changed by another program while crmbook worked on it; "
                "nothing was written, so that change is kept. Run the command again.",
                "{path}: arbeidsboka ble endret av et annet program mens crmbook arbeidet med "
                "den; ingenting ble skrevet, så den endringen er beholdt. Kjør kommandoen på nytt.",
                path=self.path,
            )
        )

    def _apply(self, edits: Sequence[Edit]) -> None:
        try:
            pkg = Package(self.path)
        except (OSError, PackageError, ValueError) as exc:
            raise BookReadError(
                _unchanged(self.path, "cannot be opened as a workbook",
                           "kan ikke åpnes som arbeidsbok", exc)
            ) from exc  # fmt: skip
        try:
            _Edits(pkg, self.path).run(edits)
            tmp = self._write_temp(pkg)
        except (PackageError, ZipRawError) as exc:  # a damaged part is met only when edited
            raise BookReadError(
                _unchanged(self.path, "cannot be written: open it in Excel and save it again",
                           "kan ikke skrives: åpne den i Excel og lagre den på nytt", exc)
            ) from exc  # fmt: skip
        finally:
            pkg.close()
        self._replace(tmp)

    def _write_temp(self, pkg: Package) -> Path:
        fd, name = tempfile.mkstemp(
            prefix=temp_prefix(self.path), suffix=".tmp", dir=self.path.parent
        )
        tmp = Path(name)
        try:
            with os.fdopen(fd, "wb") as out:
                pkg.save(out)
                out.flush()
                os.fsync(out.fileno())
            shutil.copymode(self.path, tmp)
        except (OSError, ZipRawError) as exc:
            _remove(tmp)
            raise BookWriteError(
                _unchanged(self.path, "could not write the new workbook",
                           "kunne ikke skrive den nye arbeidsboka", exc)
            ) from exc  # fmt: skip
        return tmp

    def _replace(self, tmp: Path) -> None:
        """Back up the original, then rename the new file over it (atomic on one file system)."""
        try:
            self._recheck()  # again, as late as can be: a save meanwhile is not overwritten
            if not self._backed_up:
                backup(self.path, self._clock(), keep=self._keep)  # verified, or BackupError
                self._backed_up = True
            os.replace(tmp, self.path)
            _fsync_folder(self.path.parent)
        except PermissionError as exc:
            raise BookLockedError(
                _locked_message(self.path, self.path.name, book_lang(self.path))
            ) from exc
        except OSError as exc:
            raise BookWriteError(
                _unchanged(self.path, "could not replace the workbook",
                           "kunne ikke erstatte arbeidsboka", exc)
            ) from exc  # fmt: skip
        finally:
            _remove(tmp)


class _Edits:
    """Edits carried out on an open package, in order, before anything is written."""

    def __init__(self, pkg: Package, path: Path) -> None:
        self._pkg = pkg
        self._path = path
        self._sheets = workbook.sheets(pkg)
        self._lang = layout.detect_lang(self._sheets)
        styles = workbook.styles_part(pkg)
        if styles is None:
            raise BookReadError(f"{path}: the workbook has no styles part; save it from Excel.")
        self._styles = Styles(pkg, styles)
        self._date1904 = workbook.uses_1904(pkg)
        self._writers: dict[str, SheetWriter] = {}

    def run(self, edits: Sequence[Edit]) -> None:
        marks_only = _marks_only(edits)
        for sheet, steps in marks_only.items():
            self._patch_marks(sheet, steps)
        for edit in edits:
            if edit.sheet in marks_only:
                continue
            try:
                self._one(edit)
            except CellError as exc:
                raise BookWriteError(self._cell_message(edit.sheet, exc)) from exc
        for part, writer in self._writers.items():
            if writer.touched:
                writer.finish()
            else:  # e.g. ClearMarks on a sheet without marks: its bytes stay as they were
                self._pkg.unchanged(part)
        if any(w.sheet.formula_removed for w in self._writers.values()):
            workbook.drop_calc_chain(self._pkg)

    def _one(self, edit: Edit) -> None:
        if isinstance(edit, EnsureSheet):
            self._ensure(edit)
            return
        if isinstance(edit, ClearMarks) and not self._may_have_marks(edit.sheet):
            return
        writer = self._writer(edit.sheet)
        if isinstance(edit, ReplaceRows):
            if edit.header is not None:
                writer.write_header(edit.header)
            writer.replace_rows(edit.first_row, edit.rows)
        elif isinstance(edit, AppendRows):
            writer.append_rows(max(writer.last_row(), HEADER_ROW) + 1, edit.rows)
        elif isinstance(edit, SetCells):
            for (row, letters), value in edit.cells.items():
                writer.write_cell(row, layout.column_index(letters), value)
        elif isinstance(edit, ClearRows):
            for row in edit.rows:
                writer.clear_row(row)
        elif isinstance(edit, MarkCells):
            writer.mark((row, layout.column_index(letters)) for row, letters in edit.cells)
        elif isinstance(edit, ClearMarks):
            writer.clear_marks()
        elif isinstance(edit, ReplaceCharts):
            name = layout.find_sheet(edit.sheet, self._sheets) or edit.sheet
            replace_charts(self._pkg, self._sheets[name], name, writer.sheet, edit.charts)
            writer.touched = True

    def _patch_marks(self, sheet: str, edits: list[MarkCells | ClearMarks]) -> None:
        """Marks set and cleared as patches to the rows they change (``markpatch``); a sheet
        that cannot be patched so is edited the ordinary way."""
        name = layout.find_sheet(sheet, self._sheets)
        if name is None:
            for edit in edits:
                self._one(edit)
            return
        part = self._sheets[name]
        steps = [
            [(row, layout.column_index(letters)) for row, letters in edit.cells]
            if isinstance(edit, MarkCells)
            else None
            for edit in edits
        ]
        original = self._pkg.original(part) and part not in self._writers
        patches = (
            markpatch.mark_patches(self._pkg.chunks(part), steps, self._styles)
            if original
            else None
        )
        if patches is None:
            for edit in edits:
                self._one(edit)
        elif patches:
            self._pkg.stream(part, lambda: markpatch.spliced(self._pkg.chunks(part), patches))

    def _ensure(self, edit: EnsureSheet) -> None:
        if layout.find_sheet(edit.sheet, self._sheets) is not None:
            return
        name = layout.sheet_name(edit.sheet, self._lang)
        if layout.norm(name) in {layout.norm(n) for n in workbook.all_sheet_names(self._pkg)}:
            raise BookWriteError(
                f"{self._path}: cannot add the sheet '{name}': another sheet has that name. "
                "Rename that sheet and run the command again."
            )
        self._sheets[name] = workbook.add_worksheet(self._pkg, name, new_worksheet())
        if edit.headers:
            self._writer(edit.sheet).write_header(list(edit.headers))

    def _may_have_marks(self, sheet: str) -> bool:
        """Whether a sheet may hold a marked cell; a sheet with none is not parsed at all (its
        rows would be scanned for nothing: 1 s for 100,000 rows)."""
        name = layout.find_sheet(sheet, self._sheets)
        if name is None or self._sheets[name] in self._writers:
            return True
        part = self._sheets[name]
        data = self._pkg.read(part)
        if next(style_hits(data, self._styles.marked_styles()), None) is None:
            return False
        self._writer(sheet, data)
        return True

    def _writer(self, sheet: str, data: bytes | None = None) -> SheetWriter:
        name = layout.find_sheet(sheet, self._sheets)
        if name is None:
            raise BookReadError(
                say(
                    self._lang,
                    "{path}: the sheet '{sheet}' is missing. Add it back (copy it from a "
                    "workbook made by `crmbook new`) or restore a backup.",
                    "{path}: arket «{sheet}» mangler. Legg det inn igjen (kopier det fra en "
                    "arbeidsbok laget med `crmbook new`) eller hent fram en sikkerhetskopi.",
                    path=self._path.name,
                    sheet=layout.sheet_name(sheet, self._lang),
                )
            )
        part = self._sheets[name]
        if part not in self._writers:
            self._writers[part] = SheetWriter(
                self._pkg, part, self._styles, date1904=self._date1904, data=data
            )
        return self._writers[part]

    def _cell_message(self, sheet: str, exc: CellError) -> str:
        name = layout.find_sheet(sheet, self._sheets) or sheet
        return say(
            self._lang,
            "{path}: sheet '{sheet}', row {row}, column {column}: {reason} Nothing was written.",
            "{path}: arket «{sheet}», rad {row}, kolonne {column}: {reason} Ingenting ble skrevet.",
            path=self._path.name,
            sheet=name,
            row=exc.row,
            column=layout.column_letter(exc.col),
            reason=exc.reason.rstrip(".") + ".",
        )


def _marks_only(edits: Sequence[Edit]) -> dict[str, list[MarkCells | ClearMarks]]:
    """Sheet -> its edits, for the sheets whose every edit sets or clears marks."""
    marks: dict[str, list[MarkCells | ClearMarks]] = {}
    others: set[str] = set()
    for edit in edits:
        if isinstance(edit, MarkCells | ClearMarks):
            marks.setdefault(edit.sheet, []).append(edit)
        else:
            others.add(edit.sheet)
    return {sheet: found for sheet, found in marks.items() if sheet not in others}


def lock_files(path: Path) -> list[Path]:
    """The lock files Excel (``~$NAME``) and LibreOffice (``.~lock.NAME#``) keep beside a book.

    Excel shortens the owner file's name for long names in some versions (``~$` + the name
    without its first two characters); both spellings count.
    """
    names = (f"~${path.name}", f"~${path.name[2:]}", f".~lock.{path.name}#")
    return [path.parent / n for n in dict.fromkeys(names) if _exists(path.parent / n)]


def _exists(path: Path) -> bool:
    """Whether a file exists; a name the file system cannot hold (too long) does not."""
    try:
        return path.exists()
    except OSError:
        return False


def check_writable(path: Path, lang: str | None = None) -> None:
    """Refuse (exit 1) before any work when the workbook is marked read-only or its folder
    cannot take the new file and the backup; a failure halfway would help nobody."""
    lang = lang or book_lang(path)
    if path.exists() and not path.stat().st_mode & stat.S_IWUSR:
        raise RefusedError(
            say(
                lang,
                "{path}: the workbook is read-only; nothing was written. Remove the read-only "
                "mark (the file's properties), or run the command on a copy.",
                "{path}: arbeidsboka er skrivebeskyttet; ingenting ble skrevet. Fjern "
                "skrivebeskyttelsen (filens egenskaper), eller kjør kommandoen på en kopi.",
                path=path,
            )
        )
    try:
        with tempfile.TemporaryFile(dir=path.parent):
            pass
    except OSError as exc:
        raise RefusedError(
            say(
                lang,
                "{folder}: crmbook cannot write in this folder ({exc}); nothing was written. "
                "Move the workbook to a folder you can write to.",
                "{folder}: crmbook kan ikke skrive i denne mappen ({exc}); ingenting ble "
                "skrevet. Flytt arbeidsboka til en mappe du kan skrive i.",
                folder=path.parent,
                exc=exc.strerror or exc,
            )
        ) from exc


def check_unlocked(path: Path, lang: str | None = None) -> None:
    """Refuse (BookLockedError, exit 1) while the workbook is open in Excel or LibreOffice."""
    found = lock_files(path)
    if found:
        raise BookLockedError(_locked_message(path, found[0].name, lang or book_lang(path)))


def book_lang(path: Path) -> str:
    """The workbook's language from its sheet names, read cheaply (English when unreadable)."""
    try:
        with zipfile.ZipFile(path) as z:
            xml = z.read("xl/workbook.xml").decode("utf-8", "replace")
    except (OSError, KeyError, zipfile.BadZipFile):
        return "en"
    names = [html.unescape(n) for n in re.findall(r'<(?:\w+:)?sheet\b[^>]*\bname="([^"]*)"', xml)]
    return layout.detect_lang(names)


def _locked_message(path: Path, lock: str, lang: str) -> str:
    return say(
        lang,
        "{path}: the workbook is open in Excel or LibreOffice (found '{lock}'). Close it there "
        "and run the command again; nothing was written. If no one has it open, the lock file "
        "is left over from a crash: delete it.",
        "{path}: arbeidsboka er åpen i Excel eller LibreOffice (fant «{lock}»). Lukk den der og "
        "kjør kommandoen på nytt; ingenting ble skrevet. Hvis ingen har den åpen, er låsefila "
        "til overs etter et krasj: slett den.",
        path=path,
        lock=lock,
    )


def _unchanged(path: Path, what_en: str, what_nb: str, exc: Exception) -> str:
    lang = book_lang(path)
    return say(
        lang,
        "{path}: {what} ({exc}). The workbook is unchanged.",
        "{path}: {what} ({exc}). Arbeidsboka er uendret.",
        path=path,
        what=what_nb if lang == "nb" else what_en,
        exc=exc,
    )


def _fsync_folder(folder: Path) -> None:
    """Make the rename durable (POSIX); Windows cannot open folders and needs no such step."""
    with contextlib.suppress(OSError):
        fd = os.open(folder, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _remove(path: Path) -> None:
    with contextlib.suppress(FileNotFoundError, PermissionError):
        path.unlink()
