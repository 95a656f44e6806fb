"""The vectorised engine agrees with a slow, obviously-correct, row-by-row reference.

The reference below is written from SPEC §1 and docs/selections.md, one customer and one
criterion at a time, with plain Python; random registers and random criteria are compared.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from crmbook.actions.select import compute
from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.register import Register, SheetData
from crmbook.core.selection import SelectionError, names
from crmbook.core.vocabulary import canonical_value, norm

DAYS = [dt.date(2024, 1, 1), dt.date(2025, 6, 30), dt.date(2025, 7, 1), dt.date(2026, 11, 24)]
NUMBERS = [0, 5, 100, 101, 500, 1000]
BANDS = ["1–9", "10-49", "50–99", "100-499", "100–499", "≥500", ">500", "> 500", None]
TURNOVER = ["<10 M", "10-49 M", "10–49", "50–99 mill.", "≥500 M", ">500 M", ">= 500", None]
REMARKS = ["Bad payer", "Dårlig betaler", " bad  PAYER ", "Credit stop", "Kredittstopp", None]
CITIES = ["Oslo", "oslo ", "Bergen", "Ål", " ", None]
PRODUCTS = ["Conference", "Konferanse", "Banquet", "Møterom", "meeting room"]
CAMPAIGNS = ["Vinter 2025", "vinter2025", "Sommer"]
RESPONSES = ["Positive", "Positiv", "Negative", "Ikke svart", None]
RESERVED = ["Yes", "Ja", "No", "Nei", None, None]
COUNTRIES = ["Norway", "Norge", " no ", "Sverige", "Sweden", "Danmark", " ", None, None]
NORWAY = ["norway", "norge", "noreg", "no", "nor"]  # SPEC §1: blank Country is Norway too

# --- random registers -------------------------------------------------------------------------

ids = st.one_of(st.none(), st.integers(1, 4).map(float))
days = st.one_of(st.none(), st.sampled_from(DAYS))
employees = st.one_of(
    st.none(), st.sampled_from(NUMBERS).map(float), st.sampled_from(["1 000", "ca. 50", " "])
)

customer = st.fixed_dictionaries({
    "Customer ID": ids, "Employees": employees, "Employee band": st.sampled_from(BANDS),
    "Remark": st.sampled_from(REMARKS), "City": st.sampled_from(CITIES),
    "No marketing": st.sampled_from(RESERVED), "Country": st.sampled_from(COUNTRIES),
    "Turnover band": st.sampled_from(TURNOVER),
})  # fmt: skip
purchase = st.fixed_dictionaries({
    "Customer ID": ids, "Date": days, "Product": st.sampled_from(PRODUCTS),
    "Amount (NOK)": st.one_of(st.none(), st.sampled_from(NUMBERS).map(float)),
})  # fmt: skip
mailing = st.fixed_dictionaries({
    "Customer ID": ids, "Campaign": st.sampled_from(CAMPAIGNS), "Date sent": days,
    "Response": st.sampled_from(RESPONSES), "Response date": days,
})  # fmt: skip

# --- random criteria: (field, operator, value) ------------------------------------------------

NUMERIC_OPS = ["=", "<>", ">", ">=", "<", "<=", "between", "one of", "is blank", "not blank"]
TEXT_OPS = ["=", "<>", "one of", "contains", "starts with", "is blank", "not blank"]


def _values(pool: list[object], op: str) -> st.SearchStrategy[object]:
    """A criterion's value for an operator, drawn from a pool of single values."""
    one = st.sampled_from(pool)
    if op in ("is blank", "not blank"):
        return st.none()
    if op == "between":
        return st.tuples(one, one).map(lambda p: f"{p[0]};{p[1]}")
    if op == "one of":
        return st.lists(one, min_size=1, max_size=3).map(lambda vs: ";".join(map(str, vs)))
    return one


def _criterion(
    field: str, ops: list[str], pool: list[object], parts: list[object] | None = None
) -> st.SearchStrategy[tuple]:
    """Criteria on a field; ``parts`` are the pieces of text for contains / starts with."""

    def values(op: str) -> st.SearchStrategy[object]:
        return _values(parts if parts and op in ("contains", "starts with") else pool, op)

    return st.sampled_from(ops).flatmap(lambda op: values(op).map(lambda v: (field, op, v)))


DATE_TEXTS = [d.isoformat() for d in DAYS] + [d.strftime("%d.%m.%Y") for d in DAYS]
criterion = st.one_of(
    _criterion("Employees", NUMERIC_OPS, [*map(str, NUMBERS), "1 000"]),
    _criterion("Employee band", NUMERIC_OPS, ["1-9", "10–49", "100-499", ">=500", ">500"]),
    _criterion("Turnover band", NUMERIC_OPS, ["<10 M", "10-49", "10–49 M", ">500 M", "≥500"]),
    _criterion("Remark", TEXT_OPS, ["Bad payer", "dårlig betaler", "Credit stop"], ["pay", "kr"]),
    _criterion("City", NUMERIC_OPS + TEXT_OPS[3:5], ["oslo", "Bergen", "ål", "o"]),
    _criterion(
        "Country",
        NUMERIC_OPS + TEXT_OPS[3:5],
        ["Norway", "norge", "NO", "Noreg", "Sverige", "danmark"],
        ["nor", "ge", "sve"],
    ),
    _criterion(
        "Purchased product", TEXT_OPS, ["Conference", "konferanse", "Møterom"], ["ban", "rom"]
    ),
    _criterion("Purchases total (NOK)", NUMERIC_OPS, [*map(str, NUMBERS), "100,5"]),
    _criterion("Last purchase date", NUMERIC_OPS, DATE_TEXTS),
    _criterion("Offer received", TEXT_OPS, ["Vinter 2025", "sommer", "2025"]),
    _criterion("Last response", TEXT_OPS[:3] + TEXT_OPS[5:], ["Positive", "negativ", "Ikke svart"]),
)
criteria = st.lists(st.tuples(st.integers(1, 2), criterion), min_size=1, max_size=4)

# --- the source's questions: purchases by product and period, responses per offer -------------

PERIODS = [
    "since 2025",
    "fra 01.07.2025",
    "til 30.06.2025",
    "i 2025",
    "from 2024-01-01",
    "til 2024",
]
FIGURE_OPS = ["=", "<>", ">", ">=", "<", "<=", "between", "one of"]


def _figure(field: str, pool: list[str]) -> st.SearchStrategy[tuple]:
    """A purchase figure: the figure (two for between), then products and periods, any order."""

    def value(op: str) -> st.SearchStrategy[object]:
        if op in ("is blank", "not blank"):
            return st.none()
        least = 2 if op == "between" else 1
        figures = st.lists(
            st.sampled_from(pool), min_size=least, max_size=3 if op == "one of" else least
        )
        products = st.lists(st.sampled_from(PRODUCTS), max_size=2)
        periods = st.lists(st.sampled_from(PERIODS), max_size=1)
        filters = st.tuples(products, periods).map(lambda f: f[0] + f[1])
        parts = st.tuples(figures, filters).map(lambda p: p[0] + p[1]).flatmap(st.permutations)
        return parts.map("; ".join)

    ops = st.sampled_from([*FIGURE_OPS, "is blank", "not blank"])
    return ops.flatmap(lambda op: value(op).map(lambda v: (field, op, v)))


OFFERS = ["Vinter 2025: Positive", "vinter2025: positiv", "Vinter 2025: Ikke svart",
          "Sommer: Negative", "Sommer: No response", "sommer: ikke svart"]  # fmt: skip
source_criterion = st.one_of(
    _figure("Purchases total (NOK)", ["0", "100", "1 000", "500,5"]),
    _figure("Number of purchases", ["0", "1", "2"]),
    _figure("Last purchase date", DATE_TEXTS),
    st.sampled_from(["=", "<>", "one of"]).flatmap(
        lambda op: st.lists(
            st.sampled_from(OFFERS), min_size=1, max_size=1 if op != "one of" else 3
        ).map(lambda v: ("Response to offer", op, ";".join(v)))
    ),
)
source_criteria = st.lists(st.tuples(st.integers(1, 2), source_criterion), min_size=1, max_size=3)


def _sheet(key: str, rows: list[dict[str, object]]) -> SheetData:
    fields = [f.name for f in s.SHEET_FIELDS[key]]
    data = {f: [r.get(f) for r in rows] for f in fields}
    frame = pd.DataFrame(data, index=pd.RangeIndex(2, len(rows) + 2), dtype=object)
    return SheetData(key, key, frame, {f: chr(65 + i) for i, f in enumerate(fields)})


def _in_lang(field: str, lang: str) -> str:
    """A field's name as a Norwegian workbook's user types it."""
    if lang != "nb":
        return field
    return layout.HEADERS_NB[s.CUSTOMERS].get(field) or names.derived_name(field, "nb")


def _register(
    customers: list, purchases: list, mailings: list, crits: list, lang: str = "en"
) -> Register:
    selections = [
        {"Selection": "S", "Group": float(g), "Field": _in_lang(f, lang), "Operator": op,
         "Value": v}
        for g, (f, op, v) in crits
    ]  # fmt: skip
    sheets = {
        s.CUSTOMERS: _sheet(s.CUSTOMERS, customers),
        s.PURCHASES: _sheet(s.PURCHASES, purchases),
        s.MAILINGS: _sheet(s.MAILINGS, mailings),
        s.SELECTIONS: _sheet(s.SELECTIONS, selections),
    }
    return Register(lang, sheets, {k: layout.list_values(k, lang) for k in s.LISTS_EN}, {})


# --- the reference: one customer, one criterion, plain Python ---------------------------------


def _key(value: object) -> str | None:
    """Text compared case- and space-insensitively; list values by their English value."""
    shown = typed.text(value)
    return None if shown is None or not norm(shown) else norm(canonical_value(shown) or shown)


def _country(value: object) -> str:
    key = _key(value)
    return "norway" if key is None or key in NORWAY else key


def _band_text(value: object) -> str | None:
    """A band as the source writes it: '>500 M', '≥ 500', '10-49 mill.' -> '≥500', '10–49'."""
    key = _key(value)
    if key is None:
        return None
    for unit in ("millioner", "mill.", "mill", "mnok", "m"):
        if key.endswith(unit) and key[: -len(unit)][-1:].isdigit():
            key = key[: -len(unit)]
            break
    for sign in (">=", "=>", ">"):
        if key.startswith(sign):
            return "≥" + key[len(sign) :]
    return key


def _band(value: object, bands: tuple[str, ...] = s.EMPLOYEE_BANDS) -> float | None:
    order = [_band_text(b) for b in bands]
    key = _band_text(value)
    return float(order.index(key)) if key in order else None


def _latest_response(mine: list[dict]) -> object:
    answered = [(i, m) for i, m in enumerate(mine) if _key(m["Response"]) is not None]
    if not answered:
        return None

    def when(pair: tuple[int, dict]) -> tuple:
        day = pair[1]["Response date"] or pair[1]["Date sent"]
        return (day is not None, day or dt.date.min, pair[0])

    return max(answered, key=when)[1]["Response"]


def _field_value(field: str, c: dict, purchases: list[dict], mailings: list[dict]) -> object:
    """The customer's value of a field: a number, date, key, rank or a set of keys."""
    cid = c["Customer ID"]
    bought = [p for p in purchases if cid is not None and p["Customer ID"] == cid]
    mailed = [m for m in mailings if cid is not None and m["Customer ID"] == cid]
    return {
        "Employees": lambda: typed.integer(c["Employees"]),
        "Employee band": lambda: _band(c["Employee band"]),
        "Turnover band": lambda: _band(c["Turnover band"], s.TURNOVER_BANDS),
        "Remark": lambda: _key(c["Remark"]),
        "City": lambda: _key(c["City"]),
        "Country": lambda: _country(c["Country"]),
        "Purchased product": lambda: {_key(p["Product"]) for p in bought},
        "Purchases total (NOK)": lambda: sum(p["Amount (NOK)"] or 0 for p in bought),
        "Last purchase date": lambda: max((p["Date"] for p in bought if p["Date"]), default=None),
        "Offer received": lambda: {_key(m["Campaign"]) for m in mailed},
        "Last response": lambda: _key(_latest_response(mailed)),
    }[field]()


def _read(field: str, text: str) -> object:
    if field in ("Employees", "Purchases total (NOK)", "Number of purchases"):
        return typed.number(text)
    if field == "Last purchase date":
        return typed.date(text)
    if field == "Country":
        return _country(text)
    if field == "Turnover band":
        return _band(text, s.TURNOVER_BANDS)
    return _band(text) if field == "Employee band" else _key(text)


def _one(op: str, have: object, want: list[object]) -> bool:
    """A single (non-set) value against the wanted values; blank only meets 'is blank'."""
    if have is None:
        return op == "is blank"
    tests = {
        "=": lambda: have == want[0], "<>": lambda: have != want[0],
        ">": lambda: have > want[0], ">=": lambda: have >= want[0],
        "<": lambda: have < want[0], "<=": lambda: have <= want[0],
        "between": lambda: min(want) <= have <= max(want), "one of": lambda: have in want,
        "contains": lambda: any(w in k for k in _spellings(have) for w in want),
        "starts with": lambda: any(k.startswith(w) for k in _spellings(have) for w in want),
        "is blank": lambda: False, "not blank": lambda: True,
    }  # fmt: skip
    return tests[op]()


def _spellings(key: object) -> list[str]:
    if key == "norway":
        return NORWAY
    nb = {norm(en): norm(nb) for en, nb in [("Bad payer", "Dårlig betaler"),
          ("Credit stop", "Kredittstopp"), ("Conference", "Konferanse"),
          ("Meeting room", "Møterom"), ("Banquet", "Bankett")]}  # fmt: skip
    return [str(key), nb.get(str(key), str(key))]


CELLS = ("Employees", "Employee band", "Turnover band", "Remark", "City", "Country")


def meets(field: str, op: str, text: object, value: object, cell: object = None) -> bool:
    """Whether a customer's value meets one criterion, as the docs describe it.

    ``cell`` is the raw Customers cell: ``is blank`` asks about it, not about its value, so
    text a field cannot read (Employees ``ca. 50``) is not blank and meets no comparison.
    """
    if field in CELLS and op in ("is blank", "not blank"):
        return typed.is_blank(cell) == (op == "is blank")
    is_text = field in ("Remark", "City", "Country", "Employee band", "Turnover band")
    is_text = is_text or field == "Last response"
    want = [] if text is None else [_read(field, t.strip()) for t in str(text).split(";")]
    if op in ("contains", "starts with"):
        want = [norm(t) for t in str(text).split(";")]
    if isinstance(value, set):  # has / has not
        if op in ("is blank", "not blank"):
            return (not value) == (op == "is blank")
        if op == "<>":
            return not any(_one("=", v, want) for v in value)
        return any(_one(op, v, want) for v in value)
    if op == "<>" and is_text:
        return not _one("=", value, want)
    return _one(op, value, want)


PERIOD_WORDS = {"since": "from", "from": "from", "fra": "from", "siden": "from", "to": "to",
                "until": "to", "til": "to", "in": "in", "i": "in"}  # fmt: skip
PRODUCT_KEYS = {_key(p) for p in PRODUCTS}
FIGURES = ("Purchases total (NOK)", "Number of purchases", "Last purchase date")


def _days(when: str) -> tuple[dt.date, dt.date]:
    if len(when) == 4 and when.isdigit():
        return dt.date(int(when), 1, 1), dt.date(int(when), 12, 31)
    day = typed.date(when)
    assert day is not None
    return day, day


def _figure_value(field: str, text: object, c: dict, purchases: list[dict]) -> tuple[object, str]:
    """A purchase figure over the purchases its value's products and periods let count, and the
    rest of the value (the figure to compare with)."""
    figures, products, start, end = [], set(), dt.date.min, dt.date.max
    for part in [p.strip() for p in str(text or "").split(";") if p.strip()]:
        word, _, when = part.partition(" ")
        if word.casefold() in PERIOD_WORDS:
            first, last = _days(when.strip())
            kind = PERIOD_WORDS[word.casefold()]
            start = max(start, first) if kind in ("from", "in") else start
            end = min(end, last) if kind in ("to", "in") else end
        elif _key(part) in PRODUCT_KEYS:
            products.add(_key(part))
        else:
            figures.append(part)
    period = (start, end) != (dt.date.min, dt.date.max)
    bought = [
        p for p in purchases
        if c["Customer ID"] is not None and p["Customer ID"] == c["Customer ID"]
        and (not products or _key(p["Product"]) in products)
        and (not period or (p["Date"] is not None and start <= p["Date"] <= end))
    ]  # fmt: skip
    value = {
        "Purchases total (NOK)": lambda: sum(p["Amount (NOK)"] or 0 for p in bought),
        "Number of purchases": lambda: len(bought),
        "Last purchase date": lambda: max((p["Date"] for p in bought if p["Date"]), default=None),
    }[field]()
    return value, ";".join(figures)


def _offer_status(c: dict, mailings: list[dict], campaign: str) -> str | None:
    """The latest response to one campaign; 'noresponse' when got and unanswered; None when
    the customer did not get it."""
    mine = [
        m for m in mailings
        if c["Customer ID"] is not None and m["Customer ID"] == c["Customer ID"]
        and _key(m["Campaign"]) == campaign
    ]  # fmt: skip
    if not mine:
        return None
    return _key(_latest_response(mine)) or "noresponse"


def _offer_meets(op: str, text: str, c: dict, mailings: list[dict]) -> bool:
    wanted = [p.rpartition(":") for p in text.split(";")]
    said = [_offer_status(c, mailings, _key(k)) == _key(r) for k, _, r in wanted]
    return not said[0] if op == "<>" else any(said)


def reference(customers: list, purchases: list, mailings: list, crits: list) -> list[int]:
    """Row positions the selection should give (customers without a Customer ID are left out)."""
    out = []
    for i, c in enumerate(customers):
        groups: dict[int, bool] = {}
        for g, (field, op, text) in crits:
            if field == "Response to offer":
                groups[g] = groups.get(g, True) and _offer_meets(op, text, c, mailings)
                continue
            if field in FIGURES:
                value, text = _figure_value(field, text, c, purchases)
            else:
                value = _field_value(field, c, purchases, mailings)
            groups[g] = groups.get(g, True) and meets(field, op, text, value, c.get(field))
        has_id = c["Customer ID"] is not None
        if any(groups.values()) and _key(c["No marketing"]) in (None, "no") and has_id:
            out.append(i + 2)
    return out


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(customer, max_size=12),
    st.lists(purchase, max_size=10),
    st.lists(mailing, max_size=10),
    criteria,
)
def test_engine_agrees_with_the_reference(customers, purchases, mailings, crits) -> None:
    result = compute(_register(customers, purchases, mailings, crits), "S")
    assert list(result.rows) == reference(customers, purchases, mailings, crits)


@settings(max_examples=100, deadline=None)
@given(st.lists(customer, max_size=12), st.lists(purchase, max_size=6), criteria)
def test_no_reserved_customer_is_ever_selected(customers, purchases, crits) -> None:
    result = compute(_register(customers, purchases, [], crits), "S")
    for row in result.rows:
        assert _key(customers[row - 2]["No marketing"]) in (None, "no")


def _known(row: dict) -> dict:
    """A row of customer 1, 2 or 3 (by its drawn values), so purchases and mailings meet."""
    drawn = row["Customer ID"]
    return {**row, "Customer ID": None if drawn == 4.0 else float((drawn or 0) % 3 + 1)}


def _unknown_campaign(mailings: list[dict], crits: list) -> bool:
    """Whether a Response to offer criterion names a campaign no mailing has (an error)."""
    known = {_key(m["Campaign"]) for m in mailings}
    named = [
        _key(part.rpartition(":")[0])
        for _, (field, _, text) in crits
        if field == "Response to offer"
        for part in text.split(";")
    ]  # fmt: skip
    return any(k not in known for k in named)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(customer.map(_known), min_size=1, max_size=6),
    st.lists(purchase.map(_known), min_size=1, max_size=12),
    st.lists(mailing.map(_known), min_size=1, max_size=10),
    source_criteria,
    st.sampled_from(["en", "nb"]),
)
def test_the_sources_questions_agree_with_the_reference(
    customers, purchases, mailings, crits, lang
) -> None:
    book = _register(customers, purchases, mailings, crits, lang)
    if _unknown_campaign(mailings, crits):
        with pytest.raises(SelectionError, match=r"(?i)campaign|kampanjen"):
            compute(book, "S")
        return
    assert list(compute(book, "S").rows) == reference(customers, purchases, mailings, crits)
