"""Turnover from the annual accounts in Regnskapsregisteret (the Brønnøysund register of
company accounts), with the accounting year it is from.

Pure: the register's JSON for one org number (data.brreg.no/regnskapsregisteret/regnskap/
{orgnr}: a list of statements, the company's own ``SELSKAP`` and, for a parent company, the
group's ``KONSERN``) becomes the latest company statement's operating income
(``resultatregnskapResultat.driftsresultat.driftsinntekter.sumDriftsinntekter``) in NOK, the
year its accounting period ends, and so the turnover band. Statements in another currency and
group accounts are not used: the band is the company's own, in NOK.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.i18n import say
from crmbook.core.merge import Record
from crmbook.core.vocabulary import value

#: Fetchers mark an answer that is not the register's JSON with this value.
UNREADABLE = "\0unreadable"
INCOME = "resultatregnskapResultat.driftsresultat.driftsinntekter.sumDriftsinntekter"
#: The Customers fields the accounts fill.
FIELDS = ("Turnover (NOK)", "Turnover band", "Turnover year")


@dataclass(frozen=True)
class Turnover:
    """A company's operating income in one set of annual accounts."""

    amount: float  # NOK
    start: dt.date | None
    end: dt.date

    @property
    def year(self) -> int:
        return self.end.year

    def record(self, lang: str) -> Record:
        """Turnover (NOK), its band and the year, as this book writes them."""
        band = value(s.turnover_band(self.amount), lang)
        return {"Turnover (NOK)": round(self.amount), "Turnover band": band,
                "Turnover year": self.year}  # fmt: skip

    def note(self, lang: str) -> str:
        """Where the figure is from, for the plan: 'Regnskapsregisteret, annual accounts 2024'."""
        period = "" if self.start is None or (self.start.month, self.start.day) == (1, 1) else (
            f" ({self.start.isoformat()} – {self.end.isoformat()})")  # fmt: skip
        return say(lang, "Regnskapsregisteret, annual accounts {y}{p}",
                   "Regnskapsregisteret, årsregnskap {y}{p}", y=self.year, p=period)  # fmt: skip


def _get(node: object, path: str) -> object:
    for part in path.split("."):
        node = node.get(part) if isinstance(node, Mapping) else None
    return node


def latest(statements: object) -> Turnover | None:
    """The latest company statement's turnover in NOK, or None when there is none.

    ``statements``: the register's answer (a list of statements, or one statement). Raises
    ValueError when it is neither.
    """
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list):
        raise ValueError("not a list of annual accounts")
    best: Turnover | None = None
    for one in statements:
        found = _turnover(one) if isinstance(one, Mapping) else None
        if found is not None and (best is None or found.end > best.end):
            best = found
    return best


def _turnover(statement: Mapping) -> Turnover | None:
    kind = typed.text(statement.get("regnskapstype"))
    currency = typed.text(statement.get("valuta")) or "NOK"
    if (kind is not None and kind.upper() != "SELSKAP") or currency.upper() != "NOK":
        return None
    end = typed.date(_get(statement, "regnskapsperiode.tilDato"))
    amount = typed.number(_get(statement, INCOME))
    if end is None or amount is None or amount < 0:
        return None
    return Turnover(amount, typed.date(_get(statement, "regnskapsperiode.fraDato")), end)


def unreadable(lang: str) -> str:
    """A flag's message: the register's answer for this company could not be read."""
    return say(
        lang,
        "Regnskapsregisteret's answer could not be read; its turnover is left as it is.",
        "svaret fra Regnskapsregisteret kunne ikke leses; omsetningen står som den er.",
    )
