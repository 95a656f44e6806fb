"""The columns Brønnøysund fills: Industry code, Org form and Turnover year (issue 17).

A code in another form than the register's (``55101``, or the number 55.1 that Excel made of
``55.100``) is missed by a selection like ``Industry code starts with 55.1``, and an org form
that is not one of the register's codes is a typo; so both are errors, fixed by ``--fix`` when
there is exactly one reading. A turnover year in the future is a mistyped year.
"""

from __future__ import annotations

from crmbook.core import schema as s
from crmbook.core.checks.base import Context, Issue, Severity, map_unique, matches, rows_where
from crmbook.core.registry_codes import NACE, nace_code, org_form

_C = s.CUSTOMERS


def industry_codes(ctx: Context) -> list[Issue]:
    """Industry code: ``dd.ddd`` (SN2007 as Enhetsregisteret writes it)."""
    field = "Industry code"
    if not ctx.has(_C, field):
        return []
    raw = ctx.raw(_C, field)
    text = ctx.text(_C, field)
    bad = text.notna() & ~matches(text, NACE.fullmatch)
    fixes = {r: nace_code(raw[r]) for r in rows_where(bad)}
    message = ctx.say(
        "Not an industry code: write it as the Brønnøysund register does, two digits, a "
        "point and three digits (55.101).",
        "Ikke en næringskode: skriv den som Brønnøysundregistrene gjør, to sifre, punktum og "
        "tre sifre (55.101).",
    )
    fixed = {r: v for r, v in fixes.items() if v is not None}
    return ctx.issues(_C, list(fixes), field, Severity.ERROR, message, fixed)


def org_forms(ctx: Context) -> list[Issue]:
    """Org form: one of Enhetsregisteret's codes (AS, ENK, ASA, NUF ...)."""
    field = "Org form"
    if not ctx.has(_C, field):
        return []
    text = ctx.text(_C, field)
    code = map_unique(text, lambda v: org_form(v) if v is not None else None)
    given, known = text.notna(), code.notna()  # each once: 100,000 cells are 30 ms a pass
    bad = rows_where(given & ~known)
    message = ctx.say(
        "Not an organisation form of the Brønnøysund register. Use its code: {examples} … "
        "(docs/saft.md lists them all).",
        "Ikke en organisasjonsform i Brønnøysundregistrene. Bruk koden: {examples} … "
        "(docs/saft.md viser alle).",
        examples=", ".join(("AS", "ASA", "ENK", "NUF", "ANS", "DA", "SA", "STI")),
    )
    recased = rows_where(given & known & (code != text))
    fixes = {r: code[r] for r in recased}
    note = ctx.say("Write the register's code in capitals.",
                   "Skriv registerets kode med store bokstaver.")  # fmt: skip
    return ctx.issues(_C, bad, field, Severity.ERROR, message) + ctx.issues(
        _C, recased, field, Severity.WARNING, note, fixes
    )


def turnover_years(ctx: Context) -> list[Issue]:
    """Turnover year: not after this year (a number and whole: ``numbers_bands``)."""
    field = "Turnover year"
    if not ctx.has(_C, field):
        return []
    year = ctx.number(_C, field)
    late = rows_where(year.notna() & (year > ctx.today.year) & (year % 1 == 0))
    message = ctx.say(
        "The turnover year is after this year ({y}): check the year.",
        "Omsetningsåret er etter i år ({y}): sjekk året.", y=ctx.today.year)  # fmt: skip
    return ctx.issues(_C, late, field, Severity.WARNING, message)
