"""The Report sheet: the figures as rows in the workbook's language, and charts on their cells.

A heading with the run's date, the key figures, room for the charts two by two (purchases per
product and year, response rates per campaign, purchases per industry, response rates per employee
and turnover band, top customers by lifetime value) whose series point at the tables below, then
one section per table. Numbers stay numbers and dates stay dates, so Excel can sum, sort and chart
them; each cell carries its role (``Styled``), which the workbook port turns into a look.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

import pandas as pd

from crmbook.core import report_mailings
from crmbook.core import report_value as rv
from crmbook.core.edits import Chart, Styled
from crmbook.core.i18n import say
from crmbook.core.report import DIMENSIONS, RECENT, TOTAL, Figures
from crmbook.core.vocabulary import value

#: Rows reserved for the charts (a 7.5 cm chart is about 14 rows of 15 points).
CHART_ROWS = 16
#: Where the charts go, side by side: a 12.5 cm chart from A ends before E (the columns are
#: fitted to the tables: A about 30 characters wide, the others about 13).
CHART_COLUMNS = ("A", "E")
CHART_WIDTH_CM = 12.5
#: Most recent years drawn in the products chart.
CHART_YEARS = 5
#: Columns a section heading's band spans (the widest table's).
HEADING_SPAN = 9
#: Customers drawn in the lifetime value chart.
VALUE_BARS = 10
#: Columns whose values are list values, shown in the workbook's language.
_LIST_COLUMNS = ("Industry", "Product", "Status")

_NB: dict[str, str] = {
    "Customer ID": "Kundenr",
    "Company": "Firma",
    "Purchases last 12 months (NOK)": "Kjøp siste 12 måneder (NOK)",
    "Purchases total (NOK)": "Kjøp totalt (NOK)",
    "Turnover (NOK)": "Omsetning (NOK)",
    "Profitability (%)": "Lønnsomhet (%)",
    "Turnover band": "Omsetningsklasse",
    "Employee band": "Ansatteklasse",
    "Industry": "Bransje",
    "Group": "Konsern",
    "Department": "Avdeling",
    "Customers": "Kunder",
    "Prospects": "Prospekter",
    "Customers with purchases": "Kunder med kjøp",
    "Letters sent": "Sendte brev",
    "Average profitability (%)": "Gj.snittlig lønnsomhet (%)",
    "Product": "Produkt",
    "Total": "Totalt",
    "Campaign": "Kampanje",
    "Letters": "Brev",
    "Recipients": "Mottakere",
    "No response": "Ikke svart",
    "Negative": "Negativ",
    "Positive": "Positiv",
    "Response rate (%)": "Svarprosent (%)",
    "Positive rate (%)": "Andel positive (%)",
    "First purchase": "Første kjøp",
    rv.YEARLY: "Kjøp per år i snitt (NOK)",
    rv.MARGIN: "Margin (%)",
    rv.VALUE: "Kundeverdi (NOK)",
    rv.EXPECTED_YEARS: rv.SETTINGS_NB[rv.EXPECTED_YEARS],
    rv.DEFAULT_MARGIN: rv.SETTINGS_NB[rv.DEFAULT_MARGIN],
}


#: Shorter column headers for tables (English, bokmål), so they fit their columns.
_HEADERS: dict[str, tuple[str, str]] = {
    "Purchases last 12 months (NOK)": ("Last 12 months (NOK)", "Siste 12 mnd (NOK)"),
    "Purchases total (NOK)": ("All time (NOK)", "Totalt (NOK)"),
    "Average profitability (%)": ("Avg. profitability (%)", "Snitt lønnsomhet (%)"),
    rv.YEARLY: ("Per year, avg. (NOK)", "Per år i snitt (NOK)"),
}


def word(english: str, lang: str) -> str:
    """A report word (a column or figure name) in the workbook's language."""
    return _NB.get(english, english) if lang == "nb" else english


def header(english: str, lang: str) -> str:
    """A table's column header in the workbook's language."""
    short = _HEADERS.get(english)
    return word(english, lang) if short is None else short[lang == "nb"]


@dataclass(frozen=True)
class SheetReport:
    """The Report sheet's rows from row 1 down, and its charts."""

    rows: list[list[object]]  # values, most of them ``Styled`` with their role
    charts: list[Chart]

    @property
    def values(self) -> list[list[object]]:
        """The rows' plain values (what the cells hold)."""
        return [[v.value if isinstance(v, Styled) else v for v in row] for row in self.rows]


class _Rows:
    """Rows being laid out; ``next_row`` is the Excel row the next one lands on."""

    def __init__(self, lang: str) -> None:
        self.lang = lang
        self.rows: list[list[object]] = []

    @property
    def next_row(self) -> int:
        return len(self.rows) + 1

    def add(self, *cells: object) -> None:
        self.rows.append(list(cells))

    def section(self, en: str, nb: str) -> None:
        if self.rows:
            self.add()
        band = [Styled(None, "heading")] * (HEADING_SPAN - 1)
        self.add(Styled(say(self.lang, en, nb), "heading"), *band)

    def pair(self, label: str, number: object, column: str = "") -> None:
        """A labelled figure (key figures, assumptions)."""
        self.add(Styled(label, "key"), self._cell(column, number, None))

    def table(self, frame: pd.DataFrame, labels: int = 0) -> tuple[int, int]:
        """Header and rows of a table; the first and last Excel row of its data.

        The first ``labels`` columns name groups: a blank one there reads "(blank)".
        """
        numeric = [pd.api.types.is_numeric_dtype(frame[c]) or _numbers(frame[c]) for c in frame]
        roles = ["number header" if n and i >= labels else "header" for i, n in enumerate(numeric)]
        self.add(*(Styled(header(str(c), self.lang), r) for c, r in zip(frame, roles, strict=True)))
        first = self.next_row
        blank = say(self.lang, "(blank)", "(tom)")
        for record in frame.itertuples(index=False):
            cells = zip(frame.columns, record, strict=True)
            self.add(
                *(self._cell(c, v, blank if i < labels else None) for i, (c, v) in enumerate(cells))
            )
        return first, self.next_row - 1

    def _cell(self, column: object, cell: object, blank: str | None) -> object:
        if cell is None or (isinstance(cell, float) and pd.isna(cell)):
            return None if blank is None else Styled(blank, "text")
        if column in _LIST_COLUMNS and isinstance(cell, str):
            return Styled(value(cell, self.lang), "text")
        plain = cell.item() if hasattr(cell, "item") else cell
        return Styled(plain, role_of(str(column), plain))


def _numbers(column: pd.Series) -> bool:
    """Whether a column of objects holds numbers (and blanks) only, like the rates."""
    found = column.dropna()
    return not found.empty and all(isinstance(v, int | float) for v in found)


def role_of(column: str, cell: object) -> str:
    """How a table cell is shown: amounts in NOK and counts with thousands separators,
    percentages with one decimal, dates as dates, the rest as text."""
    if isinstance(cell, dt.date):
        return "date"
    if isinstance(cell, bool) or not isinstance(cell, int | float):
        return "text"
    if "(NOK)" in column or column == rv.VALUE:
        return "nok"
    if "(%)" in column or column in (rv.MARGIN, rv.DEFAULT_MARGIN):
        return "pct"
    return "int" if float(cell).is_integer() else "pct"


def sheet_report(figures: Figures, lang: str) -> SheetReport:
    """The Report sheet for the figures, in ``lang``: title, key figures, the charts two by two,
    then the tables the charts draw."""
    out = _Rows(lang)
    out.add(
        Styled(
            say(
                lang, "Report: customers, purchases and responses", "Rapport: kunder, kjøp og svar"
            ),
            "title",
        )
    )
    out.pair(say(lang, "Made", "Laget"), figures.today)
    out.pair(say(lang, "Last 12 months from", "Siste 12 måneder fra"), figures.since)
    out.section("Key figures", "Nøkkeltall")
    for name, number in figures.summary.items():
        out.pair(word(name, lang), number, name)
    count = len(_wanted(figures))
    out.add()
    grid = _Grid(out.next_row, count)
    out.rows.extend([] for _ in range(grid.rows))
    _tables(out, figures, grid)
    _value(out, figures, grid)
    return SheetReport(out.rows, grid.charts)


def _wanted(figures: Figures) -> dict[str, bool]:
    """Which charts the figures can draw (a chart of an empty table is left out)."""
    years = [c for c in figures.products.columns if c not in ("Product", "Total")]
    has_letters = not figures.campaigns.empty
    return {
        name: True
        for name, shown in (
            ("products", bool(years) and not figures.products.empty),
            ("campaigns", has_letters),
            ("industry", bool(figures.groups["Industry"][TOTAL].fillna(0).sum())),
            ("value", not figures.top_value.empty),
            ("Employee band", has_letters),
            ("Turnover band", has_letters),
        )
        if shown
    }


class _Grid:
    """Charts two by two in the rows reserved under the key figures, in the order added."""

    def __init__(self, first_row: int, count: int) -> None:
        self.first_row = first_row
        self.rows = -(-count // len(CHART_COLUMNS)) * CHART_ROWS
        self.charts: list[Chart] = []

    def next_anchor(self) -> str:
        n = len(self.charts)
        row = self.first_row + (n // len(CHART_COLUMNS)) * CHART_ROWS
        return f"{CHART_COLUMNS[n % len(CHART_COLUMNS)]}{row}"


def _tables(out: _Rows, figures: Figures, grid: _Grid) -> None:
    """The tables under the charts: products, campaigns, responses by band, customers, groups."""
    lang, wanted = out.lang, _wanted(figures)
    out.section("Purchases per product and year (NOK)", "Kjøp per produkt og år (NOK)")
    first, last = out.table(figures.products, labels=1)
    if "products" in wanted:
        grid.charts.append(_products_chart(lang, figures.products, first, last, grid.next_anchor()))
    out.section("Mailings per campaign", "Utsendelser per kampanje")
    first, last = out.table(figures.campaigns, labels=1)
    if "campaigns" in wanted:
        grid.charts.append(
            _campaigns_chart(lang, figures.campaigns, first, last, grid.next_anchor())
        )
    industry = figures.groups["Industry"].rename(columns={"Value": "Industry"})
    out.section("Customers per industry", "Kunder per bransje")
    first, last = out.table(industry, labels=1)
    if "industry" in wanted:
        grid.charts.append(_industry_chart(lang, industry, first, last, grid.next_anchor()))
    bands = (
        ("Employee band", figures.by_employee_band),
        ("Turnover band", figures.by_turnover_band),
    )
    for dimension, table in bands:
        name = word(dimension, lang).lower()
        totals = report_mailings.all_campaigns(table, dimension)
        out.section(f"Responses per {name}, all campaigns", f"Svar per {name}, alle kampanjer")
        first, last = out.table(totals, labels=1)
        if dimension in wanted:
            at = grid.next_anchor()
            grid.charts.append(_band_chart(lang, dimension, totals, first, last, at))
        out.section(f"Responses per campaign and {name}", f"Svar per kampanje og {name}")
        out.table(table, labels=2)
    out.section("Top 20 customers, last 12 months", "Topp 20 kunder, siste 12 måneder")
    out.table(figures.top_recent)
    out.section("Top 20 customers, all purchases", "Topp 20 kunder, alle kjøp")
    out.table(figures.top_total)
    for dimension in (d for d in DIMENSIONS if d != "Industry"):
        name = word(dimension, lang).lower()
        out.section(f"Customers per {name}", f"Kunder per {name}")
        table = figures.groups[dimension]
        out.table(table.rename(columns={"Value": dimension}), labels=1)


def _value(out: _Rows, figures: Figures, grid: _Grid) -> None:
    lang = out.lang
    out.section("Customer value (lifetime value estimate)", "Kundeverdi (anslag for levetidsverdi)")
    note = say(
        lang,
        "Average yearly purchases × margin × expected customer years. Margin = Profitability "
        "(%), or the default margin when blank.",
        "Kjøp per år i snitt × margin × forventet antall kundeår. Margin = Lønnsomhet (%), "
        "eller standardmarginen når den er tom.",
    )
    out.add(Styled(note, "note"))
    out.pair(word(rv.EXPECTED_YEARS, lang), figures.assumptions.expected_years)
    out.pair(
        word(rv.DEFAULT_MARGIN, lang), figures.assumptions.default_margin_pct, rv.DEFAULT_MARGIN
    )
    first, last = out.table(figures.top_value)
    if "value" in _wanted(figures):
        last = min(last, first + VALUE_BARS - 1)
        grid.charts.append(_value_chart(lang, figures.top_value, first, last, grid.next_anchor()))


def _products_chart(lang: str, frame: pd.DataFrame, first: int, last: int, at: str) -> Chart:
    """Bars per product, one series per year (the latest ``CHART_YEARS``)."""
    years = [c for c in frame.columns if c not in ("Product", "Total")][-CHART_YEARS:]
    series = [(y, _range(frame, y, first, last)) for y in years]
    title = say(lang, "Purchases per product and year (NOK)", "Kjøp per produkt og år (NOK)")
    return Chart(title, _range(frame, "Product", first, last), series, at, CHART_WIDTH_CM)


def _campaigns_chart(lang: str, frame: pd.DataFrame, first: int, last: int, at: str) -> Chart:
    """Response rate and positive rate per campaign."""
    rates = ("Response rate (%)", "Positive rate (%)")
    series = [(word(name, lang), _range(frame, name, first, last)) for name in rates]
    title = say(lang, "Response rate per campaign (%)", "Svarprosent per kampanje (%)")
    return Chart(title, _range(frame, "Campaign", first, last), series, at, CHART_WIDTH_CM)


def _industry_chart(lang: str, frame: pd.DataFrame, first: int, last: int, at: str) -> Chart:
    """Purchases per industry (the customer groups), last 12 months and all time."""
    series = [(header(c, lang), _range(frame, c, first, last)) for c in (RECENT, TOTAL)]
    title = say(lang, "Purchases per industry (NOK)", "Kjøp per bransje (NOK)")
    categories = _range(frame, "Industry", first, last)
    return Chart(title, categories, series, at, CHART_WIDTH_CM, kind="bar")


def _band_chart(
    lang: str, dimension: str, frame: pd.DataFrame, first: int, last: int, at: str
) -> Chart:
    """Response rate and positive rate per employee or turnover band, all campaigns."""
    rates = ("Response rate (%)", "Positive rate (%)")
    series = [(word(name, lang), _range(frame, name, first, last)) for name in rates]
    name = word(dimension, lang).lower()
    title = say(lang, f"Response rate per {name} (%)", f"Svarprosent per {name} (%)")
    return Chart(title, _range(frame, dimension, first, last), series, at, CHART_WIDTH_CM)


def _value_chart(lang: str, frame: pd.DataFrame, first: int, last: int, at: str) -> Chart:
    """The customers with the highest estimated lifetime value, as horizontal bars."""
    series = [(word(rv.VALUE, lang), _range(frame, rv.VALUE, first, last))]
    title = say(
        lang,
        f"Top {VALUE_BARS} customers by lifetime value (NOK)",
        f"Topp {VALUE_BARS} kunder etter kundeverdi (NOK)",
    )
    categories = _range(frame, "Company", first, last)
    return Chart(title, categories, series, at, CHART_WIDTH_CM, kind="bar")


def _range(frame: pd.DataFrame, column: str, first: int, last: int) -> str:
    """The cells of a table's column, for a table laid out from column A."""
    n, letters = list(frame.columns).index(column) + 1, ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{first}:{letters}{last}"
