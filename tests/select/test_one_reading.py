"""Validate and select read the Selections sheet alike: arbitrary criteria rows, both languages.

A row validate accepts is computed by select, and the problem select stops on is an error of
validate at the same cell, in the same words.
"""

from __future__ import annotations

import datetime as dt
import re

import pandas as pd
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmbook.actions.select import compute
from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core.checks import Severity
from crmbook.core.register import Register, SheetData
from crmbook.core.selection import SelectionError
from crmbook.core.validate import validate
from tests.select.helpers import book

NAMES = ["S", "T", " s ", None, None]
GROUPS = [None, 1.0, 2.0, "2", "x", 1.5, " "]
FIELDS = [
    "Employees", "Ansatte", "Employes", "City", "Poststed", "Country", "Employee band",
    "Turnover band", "Remark", "Merknad", "Purchased product", "Kjøpt produkt",
    "Purchases total (NOK)", "Sum kjøp (NOK)", "Number of purchases", "Antall kjøp",
    "Last purchase date", "Offer received", "Last response", "Response to offer",
    "Svar på tilbud", "Selection", "Utvalg", "", None, 3.0,
]  # fmt: skip
OPERATORS = [
    "=", "<>", ">", ">=", "<", "<=", "between", "mellom", "one of", "en av", "contains",
    "starts with", "is blank", "not blank", "er tom", "~", "", None,
]  # fmt: skip
PIECES = [
    "100", "1 000", "many", "10", "50", "", " ", "Oslo", "Bad payer", "Dårlig betaler",
    "Conference", "Konferanse", "Sauna", "2025-01-01", "31.02.2026", "100-499", "10–49",
    ">500 M", "<10 M", "≥500", "S", "T", "Nope", "Vinter 2025: Positive",
    "Vinter 2025: Ikke svart", "Sommer 2025: Negativ", "Høst: Positive", "Vinter 2025",
    "since 2024", "fra 01.03.2025", "i 2025", "til 20x5", "i 0000", "since 99999", "Norge",
    ": Positive", "Vinter 2025:", "1e309", "\x00",
]  # fmt: skip
texts = st.lists(st.sampled_from(PIECES), min_size=1, max_size=4).map(";".join)
values = st.one_of(
    st.none(),
    st.sampled_from(PIECES),
    texts,
    st.sampled_from([100.0, 0.0, 12.5, dt.date(2025, 1, 1), True]),
)
rows = st.lists(
    st.tuples(
        st.sampled_from(NAMES),
        st.sampled_from(GROUPS),
        st.sampled_from(FIELDS),
        st.sampled_from(OPERATORS),
        values,
    ),
    min_size=1,
    max_size=6,
)


def _with_selections(lang: str, records: list[tuple]) -> Register:
    reg = book("1 | City | = | Oslo", lang=lang)
    fields = [f.name for f in s.SHEET_FIELDS[s.SELECTIONS]]
    frame = pd.DataFrame(
        records, columns=fields, index=pd.RangeIndex(2, len(records) + 2), dtype=object
    )
    letters = {f: layout.column_letter(i) for i, f in enumerate(fields)}
    name = layout.sheet_name(s.SELECTIONS, lang)
    reg.sheets[s.SELECTIONS] = SheetData(s.SELECTIONS, name, frame, letters)
    return reg


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows, st.sampled_from(["en", "nb"]))
def test_validate_accepts_what_select_computes_and_errs_where_select_stops(records, lang):
    reg = _with_selections(lang, records)
    errors: dict[tuple[int, str], set[str]] = {}
    for i in validate(reg, today=dt.date(2026, 12, 1)).issues:
        if i.key == s.SELECTIONS and i.severity is Severity.ERROR:
            errors.setdefault((i.row, i.field), set()).add(i.message)
    for name in {str(r[0]).strip() for r in records if r[0] is not None}:
        try:
            compute(reg, name)
        except SelectionError as refused:
            found = re.match(r"^.+?, (?:row|rad) (\d+), (?:column|kolonne) \w+ \((\w+)\): (.*)$",
                             str(refused), re.DOTALL)  # fmt: skip
            assert found, str(refused)
            row, column, message = int(found[1]), found[2], found[3]
            assert message in errors.get((row, column), set())
    error_rows = {row for row, _ in errors}
    for name in {str(r[0]).strip().casefold() for r in records if r[0] is not None}:
        own = [i + 2 for i, r in enumerate(records) if _in(r, name)]
        refers = any(str(records[i - 2][2]) in ("Selection", "Utvalg") for i in own)
        if not refers and not error_rows & set(own):  # its rows accepted: it computes
            compute(reg, name)
    if not errors:  # every row accepted: every selection computes
        for name in {str(r[0]).strip() for r in records if r[0] is not None}:
            compute(reg, name)


def _in(record: tuple, name: str) -> bool:
    """Whether a row belongs to the selection (a row without a name could be anyone's)."""
    return record[0] is None or str(record[0]).strip().casefold() == name
