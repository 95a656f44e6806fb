"""The letters action: a selection becomes letters on the letterhead, a print file, and a log.

Order matters, so that nothing is half done: the template is checked and the first letter
rendered as a trial before any file is written; existing letters are refused unless overwrite;
the Mailings rows are appended only after every letter exists. Customers who already got this
campaign are skipped and reported, so a rerun adds no duplicate rows.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from jinja2.exceptions import TemplateError

from crmbook.actions import select as select_action
from crmbook.book.port import WorkbookPort
from crmbook.core import letters as core
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.edits import AppendRows
from crmbook.core.i18n import say
from crmbook.core.register import Register
from crmbook.core.vocabulary import norm
from crmbook.errors import UsageError
from crmbook.letters import check, output, pdf
from crmbook.letters.engine import Batch

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

    def to_json(self) -> dict[str, object]:
        return {
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
    lang, home = register.lang, Path(book).resolve().parent
    chosen = select_action.compute(register, req.selection)
    campaign = (req.campaign or chosen.selection).strip()
    template = check.load(_template_path(register, home, req.template), lang, _logo(register, home))
    people, skipped = core.recipients(register, [c for c in chosen.customer_ids if c is not None])
    people, skipped = _not_again(register, campaign, people, skipped, req.overwrite)
    folder = output.campaign_folder(_output_folder(register, home, req.out), campaign, lang)
    result = LettersResult(campaign, folder, lang, skipped=skipped)
    if not people:
        return result
    batch = template.batch(core.batch_context(register.settings, campaign, today))
    _trial(batch, people[0], lang)
    if req.preview:  # its own folder, replaced each time: a preview never blocks the real run
        people, folder = people[:1], folder / say(lang, "preview", "forhåndsvisning")
    files = [folder / output.letter_file_name(p["customer_id"], p["company"] or "") for p in people]
    combined = None if req.preview else folder / _combined_name(lang)
    if not req.preview:
        output.refuse_overwrite([*files, *([combined] if combined else [])], req.overwrite, lang)
    folder.mkdir(parents=True, exist_ok=True)
    for i, (person, path) in enumerate(zip(people, files, strict=True), 1):
        batch.write(path, person)
        if progress:
            progress(i, len(people))
    result.files = files
    if combined is None:
        return result
    batch.write_combined(combined, people)
    result.combined = combined
    if req.pdf:
        result.pdf = pdf.to_pdf([*files, combined], folder, lang)
    output.write_manifest(folder, _manifest(result, req, today, people))
    log = AppendRows(s.MAILINGS, _mailing_rows(register, result, people, req, today, home))
    shown = select_action.recipients_edits(register, chosen, _letter_column(result, people, home))
    port.apply([log, *shown])
    result.logged = len(people)
    return result


def _letter_column(result: LettersResult, people: list[dict], home: Path) -> dict[int, str]:
    """Customer id -> the letter's file, or why there is none, for the Recipients sheet."""
    column = {k.customer_id: k.reason for k in result.skipped if k.customer_id is not None}
    for person, path in zip(people, result.files, strict=True):
        column[person["customer_id"]] = _relative(path, home)
    return column


def _trial(batch: Batch, first: dict, lang: str) -> None:
    """Render the first letter in memory: a template failing at run time fails before any file."""
    try:
        batch.document(first)
    except (TemplateError, TypeError, ValueError) as exc:
        raise UsageError(
            say(
                lang,
                "the template fails for customer {c}: {e}",
                "malen feiler for kunde {c}: {e}",
                c=first["customer_id"],
                e=exc,
            )
        ) from exc


def _not_again(
    register: Register, campaign: str, people: list[dict], skipped: list, overwrite: bool
) -> tuple[list[dict], list[core.Skipped]]:
    """Customers already logged for this campaign get no new letter (unless overwrite)."""
    done = _already(register, campaign)
    if overwrite or not done:
        return people, skipped
    reason = say(
        register.lang, "already got campaign {c}", "har allerede fått kampanjen {c}", c=campaign
    )
    again = [
        core.Skipped(p["customer_id"], p["company"] or "", reason)
        for p in people
        if p["customer_id"] in done
    ]
    return [p for p in people if p["customer_id"] not in done], [*skipped, *again]


def _already(register: Register, campaign: str) -> set[int]:
    frame = register.frame(s.MAILINGS)
    ids = typed.typed_column(frame["Customer ID"], s.Kind.ID)
    same = frame["Campaign"].map(lambda v: norm(typed.text(v) or "") == norm(campaign))
    return {int(v) for v in ids[same] if v == v}


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


def _logo(register: Register, home: Path) -> Path | None:
    logo = typed.text(register.settings.get("Logo file"))
    return home / logo if logo else None


def _output_folder(register: Register, home: Path, out: Path | None) -> Path:
    if out is not None:
        return Path(out).resolve()
    return (home / (typed.text(register.settings.get("Output folder")) or "letters")).resolve()


def _combined_name(lang: str) -> str:
    return say(lang, "all letters.docx", "alle brev.docx")


def _relative(path: Path, home: Path) -> str:
    try:
        return path.resolve().relative_to(home).as_posix()
    except ValueError:
        return str(path)


def _mailing_rows(
    register: Register,
    result: LettersResult,
    people: list[dict],
    req: Request,
    today: dt.date,
    home: Path,
) -> list[list[object]]:
    """One Mailings row per letter (SPEC §1), numbered after the highest Mailing ID."""
    ids = typed.typed_column(register.frame(s.MAILINGS)["Mailing ID"], s.Kind.ID)
    start = int(ids.max()) + 1 if ids.notna().any() else 1
    return [
        [
            start + i,
            result.campaign,
            p["customer_id"],
            p["company"],
            req.template.name,
            today,
            _relative(f, home),
            None,
            None,
            None,
        ]
        for i, (p, f) in enumerate(zip(people, result.files, strict=True))
    ]


def _manifest(result: LettersResult, req: Request, today: dt.date, people: list[dict]) -> dict:
    return {
        "campaign": result.campaign,
        "selection": req.selection,
        "template": str(req.template),
        "date": today.isoformat(),
        "letters": [
            {"customer_id": p["customer_id"], "company": p["company"], "file": f.name}
            for p, f in zip(people, result.files, strict=True)
        ],
        "combined": result.combined.name if result.combined else None,
        "pdf": [p.name for p in result.pdf],
        "skipped": result.to_json()["skipped"],
    }
