"""Brønnøysund enrichment: company facts from Enhetsregisteret, planned, then applied.

As ``crmbook import``: a dry run writes the plan to the Import sheet (a blank here is filled,
Choice take; a different value is shown, Choice keep) with a warning row for each company that
is deleted, bankrupt, being dissolved or unknown; ``apply`` asks the source again and carries
out the plan as chosen, in one write, logged.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, replace
from pathlib import Path

import pandas as pd

from crmbook.actions import import_sheet, importing, late_columns
from crmbook.actions.saft import applied_note
from crmbook.book import accounts_source, layout
from crmbook.book.brreg_source import from_api, from_file
from crmbook.book.port import WorkbookPort
from crmbook.core import schema as s
from crmbook.core.brreg import MISSING, EnrichPlan, Entity, plan_enrich
from crmbook.core.edits import Edit, EnsureSheet, ReplaceRows
from crmbook.core.i18n import say
from crmbook.core.merge_values import org_key
from crmbook.core.register import Register

IMPORT = s.IMPORT
API_SOURCE = "Enhetsregisteret (data.brreg.no)"
WARNING = ("Warning", "Varsel")


@dataclass(frozen=True)
class EnrichResult:
    """What an enrichment planned or did."""

    enrich: EnrichPlan
    applied: bool
    no_org: int  # customers without an org number (not looked up)
    stale: int = 0

    @property
    def lang(self) -> str:
        return self.enrich.plan.lang

    def counts(self) -> dict[str, int]:
        plan = self.enrich.plan
        return {"looked_up": self.enrich.looked_up, "found": self.enrich.found,
                "flagged": len(self.enrich.flags), "no_org": self.no_org,
                "changes": len(plan.changes), "taken": len(plan.taken()),
                "ambiguous": len(plan.ambiguous)}  # fmt: skip

    def summary(self) -> str:
        return say(self.lang,
            "{looked_up} org numbers looked up, {found} found; {changes} fields to fill or "
            "change ({taken} to take); {flagged} companies flagged; {ambiguous} ambiguous; "
            "{no_org} customers without a nine-digit org number.",
            "{looked_up} org.nr slått opp, {found} funnet; {changes} felt å fylle eller endre "
            "({taken} tas inn); {flagged} firma flagget; {ambiguous} uklare; {no_org} kunder "
            "uten nisifret org.nr.", **self.counts())  # fmt: skip


@dataclass(frozen=True)
class Accounts:
    """Where turnover comes from: Regnskapsregisteret's API (``api``), a file of its
    statements (``file``), or nowhere (neither)."""

    api: bool = True
    file: Path | None = None


def enrich_book(
    book: Path, source: Path | None = None, *, accounts: Accounts | None = None,
    apply: bool = False, today: dt.date | None = None,
) -> EnrichResult:  # fmt: skip
    """File mode: plan (or with ``apply`` carry out) the enrichment of ``book``. Turnover is
    asked of Regnskapsregisteret's API by default when the entities come from the API too
    (``source`` None); with a bulk file only from ``accounts.file``."""
    from crmbook.book.filebook import FileBook

    port = FileBook(book)
    with port.writing():
        return run(port, source, accounts=accounts, apply=apply, today=today)


def run(
    port: WorkbookPort, source: Path | None, *, accounts: Accounts | None = None,
    apply: bool = False, today: dt.date | None = None,
) -> EnrichResult:  # fmt: skip
    """Dry run: the plan on the Import sheet. ``apply``: carry it out as chosen."""
    here = port.read()
    orgs = _orgs(here)
    fetched = from_file(source, orgs, here.lang) if source else from_api(orgs, here.lang)
    found = _accounts(accounts or Accounts(api=source is None), fetched, here.lang)
    planned = plan_enrich(here, fetched, source.name if source else API_SOURCE, found)
    no_org = len(here.frame(s.CUSTOMERS)) - sum(1 for o in _keys(here) if o in orgs)
    if not apply:
        headers = layout.headers(IMPORT, here.lang)
        rows = _rows(EnrichResult(planned, False, no_org))
        port.apply([EnsureSheet(IMPORT, headers), ReplaceRows(IMPORT, rows, header=headers)])
        return EnrichResult(planned, applied=False, no_org=no_org)
    sheet = port.read([IMPORT], strict=False).sheets.get(IMPORT)
    frame = sheet.frame if sheet is not None else pd.DataFrame(columns=["Action"])
    choices, stale = import_sheet.read_choices(frame, planned.plan)
    planned = replace(planned, plan=replace(planned.plan, choices=choices))
    result = EnrichResult(planned, applied=True, no_org=no_org, stale=stale)
    day = today or dt.date.today()
    here, headers = late_columns.for_plan(port, here, planned.plan)
    edits = headers + _apply_edits(here, result, day)
    if sheet is not None and importing.planned_source(frame) == planned.plan.source:
        edits.append(applied_note(sheet, result, day))
    port.apply(edits)
    return result


def _accounts(accounts: Accounts, fetched: dict[str, Entity], lang: str) -> dict[str, object]:
    """Regnskapsregisteret's answers for the companies found (none asked for the others)."""
    live = [o for o, e in fetched.items() if e.get("navn") and not e.get(MISSING)
            and not e.get("slettedato")]  # fmt: skip
    if accounts.file is not None:
        return accounts_source.from_file(accounts.file, live, lang)
    return accounts_source.from_api(live, lang) if accounts.api else {}


def _keys(here: Register) -> list[str | None]:
    return [org_key(v) for v in here.frame(s.CUSTOMERS)["Org number"]]


def _orgs(here: Register) -> set[str]:
    """The customers' org numbers that can be looked up (nine digits)."""
    return {o for o in _keys(here) if o and len(o) == 9}


def _apply_edits(here: Register, result: EnrichResult, day: dt.date) -> list[Edit]:
    plan = result.enrich.plan
    event = say(plan.lang, "Brønnøysund enrichment", "Oppdatering fra Brønnøysund")
    return importing.apply_logged(here, plan, day, event, result.summary())


def _rows(result: EnrichResult) -> list[list[object]]:
    """Import's plan rows, then one warning row per flagged company."""
    plan, lang = result.enrich.plan, result.lang
    rows = import_sheet.plan_rows(plan, "")
    rows[0][8] = result.summary()
    field = layout.header(s.CUSTOMERS, "Org number", lang)
    for f in result.enrich.flags:
        rows.append([WARNING[lang == "nb"], f.customer_id, None, f.company, field, None, f.org,
                     None, f.message])  # fmt: skip
    return rows
