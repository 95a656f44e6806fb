"""Selections computed in SQL give what the engine gives on the same register read into memory:
customers, funnel and groups, or the same error — for generated registers and selections (every
kind of field, AND/OR, blanks, æøå and case, band spellings, the reservation, bad-payer remarks,
purchases and mailings), on SQLite and a real PostgreSQL server."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmbook.core import schema as s
from crmbook.core.selection import Engine
from crmbook.core.selection import names as n
from crmbook.db import store
from crmbook.db.connect import connect
from crmbook.db.migrate import upgrade
from crmbook.db.sql_criteria import IN_MEMORY
from crmbook.db.sql_select import OnDb, select
from crmbook.db.view import DbView
from crmbook.errors import CrmbookError
from tests.db.fixtures import fresh_pg_database

CUSTOMER_VALUES: dict[str, list[object]] = {
    "Company": ["Hansen & Sønn AS", "hansen & sønn as", "ÆRØ Bygg", "ærø  bygg", "Øst-Vest AS",
                "Øst–Vest AS", "Blåbær", "Åsen", "Straße", "STRASSE"],
    "Employees": [None, 0, 5, 50, 100, 101, 500, 1000, "1 200"],
    "Turnover (NOK)": [None, 0, 9_500_000.5, 10_000_000, 500_000_000, "1 234,5"],
    "Profitability (%)": [None, -5.5, 0, 12.25],
    "Employee band": [None, "1–9", "1-9", "10-49", "10–49", "≥500", ">500", ">= 500", "100-499",
                      "50–99", "rundt 20"],
    "Turnover band": [None, "<10 M", "<10", "10–49 M", "10-49 mill.", "≥500 M", ">500 M",
                      "100–499 MNOK"],
    "Remark": [None, "Bad payer", "Dårlig betaler", "bad payer", "DÅRLIG  BETALER", "Credit stop",
               "Kredittstopp", "Disputed invoice", "Treg betaler"],
    "No marketing": [None, "Yes", "Ja", "No", "Nei", "yes", "nei", "Kanskje", "false"],
    "Country": [None, "Norge", "Norway", "NO", "Sverige", "sweden", "Danmark"],
    "Status": [None, "Customer", "Kunde", "Prospect", "prospekt"],
    "Industry": [None, "IT", "Finans", "Finance", "Reiseliv", "Fiske"],
    "City": [None, "Tromsø", "TROMSØ", "Ålesund", "ålesund", "Bodø", "Oslo"],
    "Department": [None, "Salg", "salg", "Økonomi", "ØKONOMI"],
    "Postal code": [None, "0150", "9008", "5003"],
}  # fmt: skip
PRODUCTS = ["Conference", "Konferanse", "konferanse", "Banquet", "Bankett", "Meeting room",
            "Møterom", "Kurs"]  # fmt: skip
AMOUNTS = [0, 100, 1500.5, 0.1, 0.2, -0.1, 0.7]
DATES = [dt.date(2023, 5, 1), dt.date(2024, 6, 1), dt.date(2025, 1, 1), dt.date(2025, 12, 31)]
CAMPAIGNS = ["Vinter 2025", "vinter 2025", "VINTER  2025", "Sommer 2026", "Høst"]
RESPONSES = [None, "Positive", "Positiv", "Negative", "Ikke svart"]

NUMBER_OPS = ["=", "<>", ">", ">=", "<", "<=", "mellom", "between", "en av", "er tom", "not blank",
              "større enn"]  # fmt: skip
LIST_OPS = ["=", "<>", "er", "ikke", "en av", "one of", "contains", "starter med", "is blank",
            "ikke tom"]  # fmt: skip
TEXT_OPS = [*LIST_OPS, ">", "<=", "between"]
#: Field spellings (English, bokmål, odd case) -> operators -> values, by field.
FIELDS: list[tuple[list[str], list[str], list[str]]] = [
    (["Employees", "Ansatte", "ANSATTE"], NUMBER_OPS, ["100", "1 000", "50;500", "0;5;101", "x"]),
    (["Turnover (NOK)", "omsetning (nok)"], NUMBER_OPS, ["10 000 000", "0;9 500 000,5", "1234,5"]),
    (["Profitability (%)", "Lønnsomhet (%)"], NUMBER_OPS, ["0", "-10;10"]),
    (["Customer ID", "Kundenr"], NUMBER_OPS, ["3", "2;5", "1;4;6"]),
    (
        ["Employee band", "Ansatteklasse"],
        [*NUMBER_OPS[:-1]],
        ["10-49", "10–49", "≥500", ">500", "1-9;50–99", "100–499;>500", "rundt 20"],
    ),
    (
        ["Turnover band", "omsetningsklasse"],
        ["=", "<>", ">=", "<", "between", "one of", "er tom"],
        ["<10 M", "10-49", ">500 M", "<10;10–49 M"],
    ),
    (
        ["Remark", "Merknad", "MERKNAD"],
        LIST_OPS,
        [
            "Bad payer",
            "dårlig betaler",
            "Kredittstopp;Bad payer",
            "betal",
            "Treg betaler",
            "DÅRLIG",
        ],
    ),
    (["No marketing", "Reservert mot markedsføring"], LIST_OPS, ["Ja", "no", "yes;nei"]),
    (["Status"], LIST_OPS, ["Kunde", "prospect", "kun"]),
    (["Industry", "Bransje"], LIST_OPS, ["IT", "finans", "Fiske", "Reiseliv;Finance", "fi"]),
    (["Country", "Land"], TEXT_OPS, ["Norge", "no", "sverige", "nor", "Sverige;Danmark"]),
    (
        ["Company", "Firma", "firma"],
        TEXT_OPS,
        ["hansen & sønn as", "ø", "Ø", "øst-vest", "ærø", "strasse", "blå;Åsen", "a;z"],
    ),
    (["City", "Poststed"], TEXT_OPS, ["TROMSØ", "ålesund", "bo", "Bodø;Oslo", "a;p"]),
    (["Department", "Avdeling"], TEXT_OPS, ["salg", "Ø", "økonomi"]),
    (["Postal code", "Postnr"], TEXT_OPS, ["0150", "9", "0;5"]),
    (
        ["Purchased product", "Kjøpt produkt"],
        LIST_OPS,
        ["Konferanse", "conference", "Bankett;Møterom", "kon", "Kurs"],
    ),
    (["Offer received", "Mottatt tilbud"], LIST_OPS, ["vinter 2025", "Sommer 2026", "vinter"]),
    (
        ["Number of purchases", "Antall kjøp"],
        NUMBER_OPS,
        ["1", "0", "2; Konferanse", "1; since 2025", "1; Konferanse; i 2024", "0;2"],
    ),
    (
        ["Last purchase date", "Siste kjøpsdato"],
        ["=", ">", "<", "mellom", "er tom", "not blank"],
        ["2025-01-01", "01.06.2024", "2024-01-01;2025-12-31", "2024-06-01; Konferanse"],
    ),
    (
        ["Purchases total (NOK)", "Sum kjøp (NOK)"],
        NUMBER_OPS,
        ["1000", "100; Konferanse", "0,3", "1", "0,1;1", "1600,5", "0,2; i 2024", "0"],
    ),
    (["Last response", "Siste svar"], LIST_OPS, ["Positiv", "negative"]),
    (["Response to offer", "Svar på tilbud"], ["=", "<>"], ["Vinter 2025: Positiv"]),
    (["Selection", "Utvalg"], ["=", "<>", "en av"], ["A", "b", "A;C", "Finnes ikke"]),
]
NAMES = ["A", "B", "C"]


@st.composite
def customers(draw: st.DrawFn) -> list[dict[str, object]]:
    count = draw(st.integers(0, 14))
    return [{"Customer ID": i + 1, **{f: draw(st.sampled_from(v)) for f, v in
             CUSTOMER_VALUES.items()}} for i in range(count)]  # fmt: skip


@st.composite
def criterion(draw: st.DrawFn) -> list[object]:
    spellings, ops, values = draw(st.sampled_from(FIELDS))
    op = draw(st.sampled_from(ops))
    value = None if op in ("er tom", "is blank", "not blank", "ikke tom") else \
        draw(st.sampled_from(values))  # fmt: skip
    return [draw(st.sampled_from(NAMES)), draw(st.integers(1, 3)), draw(st.sampled_from(spellings)),
            op, value]  # fmt: skip


@st.composite
def registers(draw: st.DrawFn) -> dict[str, object]:
    people = draw(customers())
    ids = [c["Customer ID"] for c in people]
    purchases = [] if not ids else draw(st.lists(st.fixed_dictionaries({
        "Customer ID": st.sampled_from(ids), "Date": st.sampled_from(DATES),
        "Product": st.sampled_from(PRODUCTS), "Amount (NOK)": st.sampled_from(AMOUNTS)
    }), max_size=20))  # fmt: skip
    mailings = [] if not ids else draw(st.lists(st.fixed_dictionaries({
        "Campaign": st.sampled_from(CAMPAIGNS), "Customer ID": st.sampled_from(ids),
        "Date sent": st.sampled_from(DATES), "Response": st.sampled_from(RESPONSES),
    }), max_size=12))  # fmt: skip
    for i, mailing in enumerate(mailings, start=1):
        mailing["Mailing ID"] = i
    rows = draw(st.lists(criterion(), min_size=1, max_size=7))
    keys = ("Selection", "Group", "Field", "Operator", "Value")
    return {"lang": draw(st.sampled_from(["nb", "en"])), "customers": people,
            "purchases": purchases, "mailings": mailings,
            "selections": [dict(zip(keys, r, strict=True)) for r in rows]}  # fmt: skip


def fill(url: str, data: dict[str, object]) -> None:
    """The register into the database through crmbook's own write path (what push stores)."""
    db = connect(url)
    try:
        upgrade(db)
        lang = str(data["lang"])
        with db.transaction():
            for table in ("selections", "mailings", "purchases", "customers", "settings"):
                db.execute(f"DELETE FROM {table}")
            store.insert(db, s.CUSTOMERS, data["customers"], lang)  # type: ignore[arg-type]
            store.insert(db, s.PURCHASES, data["purchases"], lang, key="purchase_id")  # type: ignore[arg-type]
            store.insert(db, s.MAILINGS, data["mailings"], lang)  # type: ignore[arg-type]
            store.insert(db, s.SELECTIONS, data["selections"], lang, key="position")  # type: ignore[arg-type]
            db.execute("INSERT INTO settings (name, value) VALUES (?, ?)",
                       [store.LANG_SETTING, lang])  # fmt: skip
    finally:
        db.close()


def outcome(compute: object) -> object:
    try:
        result = compute()  # type: ignore[operator]
    except CrmbookError as exc:
        return ("error", type(exc).__name__, str(exc))
    return (result.selection, result.customer_ids, result.funnel, result.groups)


def check(url: str, data: dict[str, object]) -> None:
    fill(url, data)
    engine = Engine(DbView(url).read())
    rows: list[dict[str, object]] = data["selections"]  # type: ignore[assignment]
    in_memory = {n.derived_field(r["Field"]) for r in rows} & IN_MEMORY
    for name in [*NAMES, "Ukjent"]:
        on_db: list[OnDb] = []

        def in_sql(name: str = name, found: list[OnDb] = on_db) -> object:
            found.append(select(url, name))
            return found[-1].result

        assert outcome(in_sql) == outcome(lambda name=name: engine.result(name)), name
        if on_db and not in_memory:  # computed by the database, not read into memory, but
            assert on_db[0].in_memory in (None, n.PURCHASES_TOTAL)  # for a total near a value
            sums = any(n.derived_field(r["Field"]) == n.PURCHASES_TOTAL for r in rows)
            assert on_db[0].in_memory is None or sums


SLOW = [HealthCheck.too_slow, HealthCheck.function_scoped_fixture]


@settings(max_examples=150, deadline=None, suppress_health_check=SLOW)
@given(registers())
def test_sql_equals_the_engine_on_sqlite(data: dict[str, object]) -> None:
    with tempfile.TemporaryDirectory() as folder:
        check(f"sqlite:///{Path(folder) / 'r.db'}", data)


@pytest.fixture(scope="module")
def pg_url(postgres: str) -> str:
    return fresh_pg_database(postgres)


@settings(max_examples=60, deadline=None, suppress_health_check=SLOW)
@given(data=registers())
def test_sql_equals_the_engine_on_postgresql(pg_url: str, data: dict[str, object]) -> None:
    check(pg_url, data)


@pytest.mark.parametrize("letter", ["ø", "å"])
def test_long_lists_of_values_go_as_one_parameter(url: str, letter: str) -> None:
    """1,000 distinct companies, two in three with Ø: the values that match (or, when fewer,
    those that do not) go as one array (PostgreSQL) or one JSON text (SQLite)."""
    people = [{"Customer ID": i, "Company": f"Firma {i:04d} {'Ø' if i % 3 else 'Å'}",
               "No marketing": "Ja" if i % 7 == 0 else None} for i in range(1, 1001)]  # fmt: skip
    rows = [{"Selection": "A", "Group": 1, "Field": "Firma", "Operator": "inneholder",
             "Value": letter}]  # fmt: skip
    data = {"lang": "nb", "customers": people, "purchases": [], "mailings": [], "selections": rows}
    check(url, data)
    with_o = letter == "ø"
    wanted = [i for i in range(1, 1001) if bool(i % 3) == with_o and i % 7]
    assert select(url, "A").result.customer_ids == tuple(wanted)


def test_a_total_within_rounding_of_the_value_is_left_to_the_engine(url: str) -> None:
    """0.1 + 0.2 + 0.7 is 0.9999999999999999 in pandas' sum and 1.0 in SQLite's: `= 1` is
    computed by the engine; `> 2`, far from every total, by the database — both as the engine."""
    people = [{"Customer ID": 1, "Company": "Små AS"}, {"Customer ID": 2, "Company": "Stor AS"}]
    bought = [{"Customer ID": c, "Date": DATES[0], "Product": "Kurs", "Amount (NOK)": a}
              for c, a in ((1, 0.1), (1, 0.2), (1, 0.7), (2, 5))]  # fmt: skip
    rows = [{"Selection": "A", "Group": 1, "Field": "Sum kjøp (NOK)", "Operator": op, "Value": v}
            for op, v in (("=", 1), (">", 2))]  # fmt: skip
    rows[1]["Selection"] = "B"
    data = {"lang": "nb", "customers": people, "purchases": bought, "mailings": [],
            "selections": rows}  # fmt: skip
    check(url, data)
    assert select(url, "A").in_memory == n.PURCHASES_TOTAL
    chosen = select(url, "B")
    assert chosen.in_memory is None and chosen.result.customer_ids == (2,)
