"""The letters action: a selection becomes letters on the letterhead, a print file, and a log.

Order matters, so that nothing is half done: the template is checked and the first letter
rendered as a trial before any folder is made; existing letters are refused unless overwrite;
every letter and the combined file are written to a temporary folder and moved into place only
when all of them rendered (any error a template raises becomes one UsageError naming the
customer); the Mailings rows are appended only after every letter exists. Customers who already
got this campaign are skipped and reported, so a rerun adds no duplicate rows; ``--overwrite``
makes their letters again but logs only customers new to the campaign. A run stopped after its
letters were in place but before they were logged is completed by the next run of the campaign
(actions/mailings_log.py), which also removes the staging folders a killed run left.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from crmbook.actions import mailings_log as log
from crmbook.actions import select as select_action
from crmbook.book.port import WorkbookPort
from crmbook.core import letters as core
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import AppendRows
from crmbook.core.i18n import say
from crmbook.core.register import Register
from crmbook.errors import CrmbookError, RefusedError, UsageError
from crmbook.letters import check, output
from crmbook.letters.engine import Batch, Combined

Progress = Callable[[int, int], None]


@dataclass
class LettersResult:
    """What was made: SPEC §2's JSON for ``crmbook letters``."""

    campaign: str
    folder: Path
    lang: str
    files: list[Path] = field(default_factory=list)
    combined: Path | None = None
    pdf: list[Path] = field(default_factory=list)
    skipped: list[core.Skipped] = field(default_factory=list)
    logged: int = 0
    resumed: int = 0  # letters of a stopped earlier run, logged by this one

    def to_json(self) -> dict[str, object]:
        resumed = {"resumed": self.resumed} if self.resumed else {}  # SPEC §2's keys, and this
        return {
            **resumed,
            "campaign": self.campaign,
            "letters": len(self.files),
            "files": [str(f) for f in self.files],
            "combined": str(self.combined) if self.combined else None,
            "pdf": [str(p) for p in self.pdf],
            "skipped": [{"customer_id": k.customer_id, "reason": k.reason} for k in self.skipped],
        }


@dataclass(frozen=True)
class Request:
    """The options of one ``crmbook letters`` run."""

    selection: str
    template: Path
    out: Path | None = None
    campaign: str | None = None
    pdf: bool = False
    preview: bool = False
    overwrite: bool = False


def make_letters(
    port: WorkbookPort, book: Path, req: Request, today: dt.date, progress: Progress | None = None
) -> LettersResult:
    """Run the letters step on a workbook (``book`` locates the relative Settings folders)."""
    register = port.read()
    if not req.preview:  # letters made but not logged would block the next run
        port.check_writable()
    lang, home = register.lang, Path(book).resolve().parent
    chosen = select_action.compute(register, req.selection)
    campaign = (req.campaign or chosen.selection).strip()
    out = _output_folder(register, home, req.out)
    folder = output.campaign_folder(out, campaign, lang)
    resumed = 0
    if not req.preview:  # the caller holds the lock: what a killed run left is stale
        output.remove_stale([out, folder], output.staging_prefix(book))
        resumed = log.complete(port, register, folder, campaign, home)
        if resumed:  # the log changed: read it again, so numbers and "already got" are right
            register = port.read()
            chosen = select_action.compute(register, req.selection)
    path = _template_path(register, home, req.template)
    template = check.load(
        path, lang, _setting_path(register, home, "Logo file"),
        _setting_path(register, home, "Signature file"),
    )  # fmt: skip
    people, skipped = core.recipients(register, [c for c in chosen.customer_ids if c is not None])
    done = log.already(register, campaign)
    if not req.preview:  # a preview shows the letter even to those who already got it
        people, skipped = _not_again(register, campaign, people, skipped, done, req.overwrite)
    result = LettersResult(campaign, folder, lang, skipped=skipped, resumed=resumed)
    if not people:
        return result
    fails = _Fails(path.name, lang)
    with fails.rendering(None):
        batch = template.batch(core.batch_context(register.settings, campaign, today))
    with fails.rendering(people[0]):  # fails fast, before any folder is made
        batch.document(people[0].context)
    if req.preview:  # its own folder, replaced each time: a preview never blocks the real run
        people, folder = people[:1], folder / say(lang, "preview", "forhåndsvisning")
        result.folder = folder
    _write(batch, people, (req, today), result, fails, output.staging_prefix(book), progress)
    if req.preview:
        return result
    new = [(p, f) for p, f in zip(people, result.files, strict=True) if p.customer_id not in done]
    letters = [log.Letter(p.customer_id, p.company, f) for p, f in new]
    rows = log.mailing_rows(register, campaign, req.template.name, today, letters, home)
    shown = select_action.recipients_edits(register, chosen, _letter_column(result, people, home))
    with _not_logged(register, result):
        if req.pdf:  # imported here: most runs make no PDF
            from crmbook.letters import pdf

            result.pdf = pdf.to_pdf(
                result.files, folder, lang, combined=result.combined,
                prefix=output.staging_prefix(book),
            )  # fmt: skip
        port.apply([AppendRows(s.MAILINGS, rows), *shown])
    result.logged = len(new)
    manifest = _manifest(result, req, today, people, logged=True)
    with contextlib.suppress(OSError):  # still pending: the next run finds all logged
        output.write_manifest(folder, manifest)
    return result


def _write(
    batch: Batch,
    people: list[core.Recipient],
    run: tuple[Request, dt.date],
    result: LettersResult,
    fails: _Fails,
    prefix: str,
    progress: Progress | None,
) -> None:
    """Render every letter and the combined file into a staging folder, with a pending
    manifest, and put them in place together (or nothing, on any error)."""
    (req, today), folder, lang = run, result.folder, result.lang
    files = [folder / output.letter_file_name(p.customer_id, p.company or "") for p in people]
    combined = None if req.preview else folder / _combined_name(lang)
    made = [*files, *([combined] if combined else [])]
    if not req.preview:
        output.refuse_overwrite(made, req.overwrite, lang)
    replaced = [f for f in made if f.exists()]
    result.files, result.combined = files, combined
    first = [] if req.preview else [folder / output.MANIFEST]  # in place before the letters
    with output.staged(folder, [*first, *made], lang, prefix) as staging:
        with fails.rendering(None), _combined(batch, staging, combined) as into:
            for i, (person, file) in enumerate(zip(people, files, strict=True), 1):
                with fails.rendering(person):
                    batch.write(staging / file.name, person.context, into)
                if progress:
                    progress(i, len(people))
        if combined is not None:
            with fails.rendering(None):
                output.write_manifest(staging, _manifest(result, req, today, people, logged=False))
    if not req.pdf:  # PDFs of the letters just replaced would pass for the new ones
        output.remove_pdf_twins(replaced)


@contextmanager
def _not_logged(register: Register, result: LettersResult) -> Iterator[None]:
    """A failure after the letters are in place says they are, and that a rerun logs them."""
    try:
        yield
    except CrmbookError as exc:
        sheet = register.sheet_name(s.MAILINGS)
        note = log.not_logged_note(result.lang, sheet, len(result.files), result.folder)
        raise type(exc)(f"{exc} {note}") from exc


def _combined(
    batch: Batch, staging: Path, combined: Path | None
) -> contextlib.AbstractContextManager[Combined | None]:
    """The combined print file in the staging folder, filled as the letters are written."""
    return batch.combined(staging / combined.name) if combined else contextlib.nullcontext()


def _letter_column(
    result: LettersResult, people: list[core.Recipient], home: Path
) -> dict[int, str]:
    """Customer id -> the letter's file, or why there is none, for the Recipients sheet."""
    column = {k.customer_id: k.reason for k in result.skipped if k.customer_id is not None}
    files = log.relative(home, result.files)
    column.update((p.customer_id, f) for p, f in zip(people, files, strict=True))
    return column


@dataclass(frozen=True)
class _Fails:
    """Turns any error a template raises while rendering into a UsageError naming the
    customer (id and company) and the template's error, in the workbook's language."""

    template: str
    lang: str

    @contextmanager
    def rendering(self, person: core.Recipient | None) -> Iterator[None]:
        try:
            yield
        except CrmbookError:
            raise
        except OSError as exc:  # not the template's fault: the disk is full, a folder read-only
            raise RefusedError(
                say(self.lang, "could not write the letters: {e}",
                    "kunne ikke skrive brevene: {e}", e=exc)
            ) from exc  # fmt: skip
        except Exception as exc:  # whatever the template raised: Jinja's, ZeroDivision, …
            raise UsageError(self._message(person, exc)) from exc

    def _message(self, person: core.Recipient | None, exc: Exception) -> str:
        error = (str(exc) or type(exc).__name__).rstrip(".")
        if person is None:
            return say(
                self.lang,
                "The template {t} fails: {e}. No letters were written.",
                "Malen {t} feiler: {e}. Ingen brev er skrevet.",
                t=self.template,
                e=error,
            )
        return say(
            self.lang,
            "The template {t} fails for customer {c} ({f}): {e}. No letters were written.",
            "Malen {t} feiler for kunde {c} ({f}): {e}. Ingen brev er skrevet.",
            t=self.template,
            c=person.customer_id,
            f=person.company or "",
            e=error,
        )


def _not_again(
    register: Register,
    campaign: str,
    people: list[core.Recipient],
    skipped: list,
    done: set[int],
    overwrite: bool,
) -> tuple[list[core.Recipient], list[core.Skipped]]:
    """Customers already logged for this campaign get no new letter (unless overwrite, which
    replaces their letters but logs them no second time)."""
    if overwrite or not done:
        return people, skipped
    reason = say(
        register.lang, "already got campaign {c}", "har allerede fått kampanjen {c}", c=campaign
    )
    again = [
        core.Skipped(p.customer_id, p.company or "", reason)
        for p in people
        if p.customer_id in done
    ]
    return [p for p in people if p.customer_id not in done], [*skipped, *again]


def _template_path(register: Register, home: Path, template: Path) -> Path:
    if template.is_absolute() or template.exists():
        return template
    folder = typed.text(register.settings.get("Template folder")) or "."
    candidate = home / folder / template
    if not candidate.exists():
        raise UsageError(
            say(register.lang, "template {t} not found", "fant ikke malen {t}", t=template)
        )
    return candidate


def _setting_path(register: Register, home: Path, setting: str) -> Path | None:
    """A file named in Settings (Logo file, Signature file), from the workbook's folder."""
    name = typed.text(register.settings.get(setting))
    return home / name if name else None


def _output_folder(register: Register, home: Path, out: Path | None) -> Path:
    if out is not None:
        return Path(out).resolve()
    return (home / (typed.text(register.settings.get("Output folder")) or "letters")).resolve()


def _combined_name(lang: str) -> str:
    return say(lang, "all letters.docx", "alle brev.docx")


def _manifest(
    result: LettersResult, req: Request, today: dt.date, people: list[core.Recipient], logged: bool
) -> dict:
    """What the run made, from what, for whom; ``logged`` false until the Mailings rows are
    written (a later run completes the log of a pending manifest)."""
    return {
        "campaign": result.campaign,
        "selection": req.selection,
        "template": req.template.name,
        "date": today.isoformat(),
        "logged": logged,
        "letters": [
            {"customer_id": p.customer_id, "company": p.company, "file": f.name}
            for p, f in zip(people, result.files, strict=True)
        ],
        "combined": result.combined.name if result.combined else None,
        "pdf": [p.name for p in result.pdf],
        "skipped": result.to_json()["skipped"],
    }
