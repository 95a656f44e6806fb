"""``crmbook demo``: a fictional register, and every step run on it — the first thing to try."""

from __future__ import annotations

import datetime as dt
import shutil
from collections.abc import Callable
from pathlib import Path

import click

from crmbook.book.filebook import FileBook
from crmbook.cli import main
from crmbook.core.i18n import plural, say

DEMO_CUSTOMERS = 200
DEMO_NAME = "crmbook-demo.xlsx"
OTHER_CUSTOMERS = 40  # in the second department's register, for the import step
SHARED_CUSTOMERS = 3  # of ours that the other department has too, with a newer phone


@main.command("demo")
@click.argument(
    "folder",
    required=False,
    default="crmbook-demo",
    type=click.Path(file_okay=False, path_type=Path),
)
@click.option(
    "--lang",
    type=click.Choice(["nb", "en"]),
    default="nb",
    show_default=True,
    help="Language of the demo workbook.",
)
def demo(folder: Path, lang: str) -> None:
    """Make a demo register in FOLDER (default ./crmbook-demo/) and run every step on it."""
    from crmbook.book.builder import create

    book = folder / DEMO_NAME
    if book.exists():
        kept = _set_aside(book)
        click.echo(
            say(
                lang,
                "The previous demo workbook was moved to {p}.",
                "Forrige demoarbeidsbok ble flyttet til {p}.",
                p=kept,
            )
        )
    create(book, lang=lang, demo=DEMO_CUSTOMERS, seed=1)
    click.echo(
        say(
            lang,
            "1. Built {b} with {n} fictional customers (crmbook new --demo {n}).",
            "1. Laget {b} med {n} oppdiktede kunder (crmbook new --demo {n}).",
            b=book,
            n=DEMO_CUSTOMERS,
        )
    )
    for number, step in enumerate(STEPS, start=2):
        click.echo(f"{number}. {step(book, lang)}")
    click.echo(
        say(
            lang,
            "Done. Open {b} in Excel or LibreOffice to see the results.",
            "Ferdig. Åpne {b} i Excel eller LibreOffice for å se resultatet.",
            b=book,
        )
    )


def _set_aside(book: Path) -> Path:
    """Move an earlier demo workbook into backups/ instead of overwriting what a user changed."""
    backups = book.parent / "backups"
    backups.mkdir(exist_ok=True)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    target = backups / f"{book.stem}-previous-demo-{stamp}{book.suffix}"  # never pruned
    shutil.move(book, target)
    return target


def _selection(lang: str) -> str:
    return say(lang, "Conference offer", "Konferansetilbud")


def _validate(book: Path, lang: str) -> str:
    from crmbook.actions import validate

    result = validate.run(FileBook(book))
    return say(
        lang,
        "Validated (crmbook validate): {s} Every problem is listed on the Issues "
        "sheet and marked at its cell.",
        "Kontrollert (crmbook validate): {s} Hvert problem "
        "står på arket Kontroll og er merket i sin celle.",
        s=result.summary(),
    )


def _select(book: Path, lang: str) -> str:
    from crmbook.actions import select

    port = FileBook(book)
    register = port.read()
    result = select.compute(register, _selection(lang))
    port.apply(select.recipients_edits(register, result))
    return say(
        lang,
        "Computed the selection '{n}' (crmbook select): {c} customers, on the "
        "Recipients sheet with the funnel.",
        "Beregnet utvalget «{n}» (crmbook select): {c} kunder, på arket Mottakere med trakten.",
        n=result.selection,
        c=result.count,
    )


def _letters(book: Path, lang: str) -> str:
    from crmbook.actions.letters import Request, make_letters

    template = Path(say(lang, "conference-offer.docx", "konferansetilbud.docx"))
    req = Request(_selection(lang), template, overwrite=True)
    result = make_letters(FileBook(book), book, req, dt.date.today())
    return say(
        lang,
        "Wrote {n} (crmbook letters) to {d}, with one combined print file "
        "{c}; each is logged on the Mailings sheet.",
        "Skrev {n} (crmbook letters) "
        "til {d}, med én samlet utskriftsfil {c}; hvert brev er logget på arket "
        "Utsendelser.",
        n=plural(lang, len(result.files), ("letter", "letters"), ("brev", "brev")),
        d=result.folder,
        c=result.combined.name if result.combined else "-",
    )


def _import(book: Path, lang: str) -> str:
    from crmbook.actions.importing import import_book
    from crmbook.book.builder import create

    other = create(
        book.parent / say(lang, "west-department.xlsx", "avdeling-vest.xlsx"),
        lang=lang, demo=OTHER_CUSTOMERS, seed=2, force=True,
    )  # fmt: skip
    _share_customers(book, other)
    plan = import_book(book, other)
    import_book(book, other, apply=True)
    return say(lang, "Imported another department's register {o} (crmbook import): the plan "
               "was on the Import sheet ({p}); changed fields stay as they are here unless "
               "their Choice says take; applied and logged on the Log sheet.",
               "Importerte en annen avdelings register {o} (crmbook import): planen sto på "
               "arket Import ({p}); endrede felt beholdes her med mindre Valg sier ta; utført "
               "og ført i arket Logg.", o=other.name, p=plan.summary().rstrip("."))  # fmt: skip


def _share_customers(book: Path, other: Path) -> None:
    """Give the other department a few of our customers with a newer phone number, so the
    import has changes to show side by side (departments share customers in real life)."""
    from crmbook.core import schema as s
    from crmbook.core.edits import AppendRows

    frame = FileBook(book).read().frame(s.CUSTOMERS)
    shared = frame[frame["Org number"].notna()].head(SHARED_CUSTOMERS)
    rows = []
    for i, record in enumerate(shared.to_dict("records")):
        record["Customer ID"] = None  # the other department numbers its customers itself
        record["Phone"] = f"+47 9{i + 1}0 12 34{i}"
        rows.append([record[f.name] for f in s.SHEET_FIELDS[s.CUSTOMERS]])
    FileBook(other).apply([AppendRows(s.CUSTOMERS, rows)])


def _saft(book: Path, lang: str) -> str:
    """The accounting system's SAF-T file: planned, each account given a product, applied."""
    from crmbook.actions.saft import import_saft
    from crmbook.book.saft_demo import ACCOUNTS, write_demo_saft
    from crmbook.core import schema as s
    from crmbook.core.edits import SetCells

    file = write_demo_saft(FileBook(book).read(), book.parent / "SAF-T_999999999.xml",
                           dt.date.today())  # fmt: skip
    import_saft(book, file)
    port = FileBook(book)  # read after the plan was written
    register = port.read([s.PRODUCT_MAP])
    products = register.lists["product"]
    sheet = register.sheets[s.PRODUCT_MAP]
    rows = {str(a): int(r) for r, a in sheet.frame["Account"].items()}
    skip = say(lang, "skip", "hopp over")
    cells = {(rows[a], sheet.columns["Product"]): products[i] if i is not None else skip
             for a, (_, i) in ACCOUNTS.items()}  # fmt: skip
    port.apply([SetCells(s.PRODUCT_MAP, cells)])
    done = import_saft(book, file, apply=True)
    return say(lang, "Imported the accounting system's SAF-T file {f} (crmbook import-saft): "
               "each sales account got a product on the Product mapping sheet; {s}",
               "Importerte regnskapssystemets SAF-T-fil {f} (crmbook import-saft): hver "
               "salgskonto fikk et produkt i arket Produktkobling; {s}",
               f=file.name, s=done.summary())  # fmt: skip


def _enrich(book: Path, lang: str) -> str:
    """Brønnøysund enrichment, offline, from the demo's register files."""
    from crmbook.actions.enrich import Accounts, enrich_book
    from crmbook.book.brreg_demo import write_demo_files

    enheter, accounts = write_demo_files(FileBook(book).read(), book.parent, dt.date.today())
    enrich_book(book, enheter, accounts=Accounts(api=False, file=accounts))
    done = enrich_book(book, enheter, accounts=Accounts(api=False, file=accounts), apply=True)
    return say(lang, "Enriched from the Brønnøysund registers' files {e} and {a} (crmbook "
               "enrich --from … --accounts …, offline): blanks filled, differences left for "
               "a choice. {s}",
               "Oppdaterte fra Brønnøysundregistrenes filer {e} og {a} (crmbook enrich --from "
               "… --accounts …, uten nett): tomme felt fylt, forskjeller venter på et valg. {s}",
               e=enheter.name, a=accounts.name, s=done.summary())  # fmt: skip


def _report(book: Path, lang: str) -> str:
    from crmbook.actions import report

    register, figures = report.run(FileBook(book), dt.date.today())
    summary = report.summary(figures, register.lang, written=True)
    head = say(lang, "Report (crmbook report), with charts on the Report sheet:",
               "Rapport (crmbook report), med diagrammer på arket Rapport:")  # fmt: skip
    return head + "\n   " + summary.replace("\n", "\n   ")


STEPS: tuple[Callable[[Path, str], str], ...] = (
    _validate,
    _select,
    _letters,
    _import,
    _saft,
    _enrich,
    _report,
)
