""" "Why not?": which criteria keep one customer out of a selection, group by group."""

from __future__ import annotations

from dataclasses import dataclass, replace

import numpy as np

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.i18n import say
from crmbook.core.selection.columns import raw_column
from crmbook.core.selection.criteria import SelectionError
from crmbook.core.selection.engine import Engine


@dataclass(frozen=True)
class GroupVerdict:
    """One group's verdict: the criteria the customer fails (none = the group lets them in)."""

    group: int
    failed: tuple[str, ...]


@dataclass(frozen=True)
class Explanation:
    """Why a customer is, or is not, in a selection.

    When several Customers rows share the Customer ID (validate reports it), this explains the
    first and ``duplicates`` explains each further row.
    """

    selection: str
    customer_id: int
    company: str | None
    row: int  # Excel row on the Customers sheet
    reserved: bool  # No marketing is anything but blank or No
    groups: tuple[GroupVerdict, ...]
    reserved_by: str | None = None  # the No marketing cell as written, e.g. "Ja" or "x"
    duplicates: tuple[Explanation, ...] = ()
    sheet: str = s.CUSTOMERS  # the Customers sheet's name, for the duplicates message

    @property
    def selected(self) -> bool:
        """In the selection: some group lets the customer in, and they are not reserved."""
        return not self.reserved and any(not g.failed for g in self.groups)

    def lines(self, lang: str) -> list[str]:
        """The explanation as sentences in the workbook's language."""
        if not self.duplicates:
            return self._lines(lang, with_row=False)
        every = (self, *self.duplicates)
        out = [
            say(
                lang,
                "Several rows on the sheet {sheet} have Customer ID {id} (rows {rows}); "
                "run crmbook validate. Each row:",
                "Flere rader på arket {sheet} har kundenr {id} (rad {rows}); "
                "kjør crmbook validate. Hver rad:",
                sheet=self.sheet,
                id=self.customer_id,
                rows=", ".join(str(e.row) for e in every),
            )
        ]
        for one in every:
            out += one._lines(lang, with_row=True)
        return out

    def _lines(self, lang: str, *, with_row: bool) -> list[str]:
        parts = [self.company, say(lang, "row {r}", "rad {r}", r=self.row) if with_row else None]
        shown = ", ".join(p for p in parts if p)
        who = f"{self.customer_id} ({shown})" if shown else str(self.customer_id)
        if self.selected:
            en, nb = (
                "Customer {who} is in the selection '{sel}'.",
                "Kunde {who} er med i utvalget «{sel}».",
            )
            return [say(lang, en, nb, who=who, sel=self.selection)]
        en, nb = (
            "Customer {who} is not in the selection '{sel}':",
            "Kunde {who} er ikke med i utvalget «{sel}»:",
        )
        out = [say(lang, en, nb, who=who, sel=self.selection)]
        out += [_verdict(g, lang) for g in self.groups]
        if self.reserved:
            en, nb = (
                "reserved against marketing (No marketing = {v})",
                "reservert mot markedsføring (= {v})",
            )
            out.append("  " + say(lang, en, nb, v=self.reserved_by or "?"))
        return out


def _verdict(g: GroupVerdict, lang: str) -> str:
    if g.failed:
        text = say(
            lang,
            "group {g}: excluded by {c}",
            "gruppe {g}: stoppet av {c}",
            g=g.group,
            c="; ".join(g.failed),
        )
    else:
        text = say(
            lang,
            "group {g}: meets every criterion",
            "gruppe {g}: oppfyller alle kriteriene",
            g=g.group,
        )
    return "  " + text


def explain(engine: Engine, name: str, customer_id: int) -> Explanation:
    """Explain one customer's place in a selection; an error when the ID is unknown."""
    written, groups = engine.groups(name)
    found = np.flatnonzero(engine.columns.ids == customer_id)
    if not len(found):
        raise SelectionError(
            say(
                engine.lang,
                "There is no customer with Customer ID {id} on the sheet {sheet}.",
                "Det finnes ingen kunde med kundenr {id} på arket {sheet}.",
                id=customer_id,
                sheet=engine.register.sheet_name(s.CUSTOMERS),
            )
        )
    customers = engine.columns.customers
    reserved = engine.reserved()
    no_marketing = raw_column(customers, "No marketing")

    def one(at: int) -> Explanation:
        verdicts = tuple(
            GroupVerdict(g, tuple(c.text for c, mask in criteria if not mask[at]))
            for g, criteria in groups.items()
        )
        return Explanation(
            selection=written,
            customer_id=customer_id,
            company=typed.text(customers["Company"].iloc[at]) if "Company" in customers else None,
            row=int(customers.index[at]),
            reserved=bool(reserved[at]),
            groups=verdicts,
            reserved_by=typed.text(no_marketing.iloc[at]),
            sheet=engine.register.sheet_name(s.CUSTOMERS),
        )

    first, *rest = (one(int(at)) for at in found)
    return replace(first, duplicates=tuple(rest)) if rest else first
