"""The Report sheet: the figures as rows in the workbook's language, and charts on their cells.

A heading with the run's date, the key figures, room for two charts (purchases per product and
year; response rates per campaign) whose series point at the tables below, then one section per
table. Numbers stay numbers and dates stay dates, so Excel can sum, sort and chart them.
"""

from __future__ import annotations

from dataclasses import dataclass

import pandas as pd

from crmbook.core import report_value as rv
from crmbook.core.edits import Chart
from crmbook.core.i18n import say
from crmbook.core.report import DIMENSIONS, Figures
from crmbook.core.vocabulary import value

#: Rows reserved for the charts (a 7.5 cm chart is about 14 rows of 15 points).
CHART_ROWS = 16
#: Where the charts go, side by side: a 15.5 cm chart from A ends before E in a new workbook
#: (A is 34 characters wide, the others 18).
CHART_COLUMNS = ("A", "E")
CHART_WIDTH_CM = 15.5
#: Most recent years drawn in the products chart.
CHART_YEARS = 5
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

    rows: list[list[object]]
    charts: list[Chart]


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
        self.add(say(self.lang, en, nb))

    def table(self, frame: pd.DataFrame, labels: int = 0) -> tuple[int, int]:
        """Header and rows of a table; the first and last Excel row of its data.

        The first ``labels`` columns name groups: a blank one there reads "(blank)".
        """
        self.add(*(header(str(c), self.lang) for c in frame.columns))
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
            return blank
        if column in _LIST_COLUMNS and isinstance(cell, str):
            return value(cell, self.lang)
        return cell.item() if hasattr(cell, "item") else cell


def sheet_report(figures: Figures, lang: str) -> SheetReport:
    """The Report sheet for the figures, in ``lang``."""
    out = _Rows(lang)
    out.add(
        say(lang, "Report: customers, purchases and responses", "Rapport: kunder, kjøp og svar")
    )
    out.add(say(lang, "Made", "Laget"), figures.today)
    out.add(say(lang, "Last 12 months from", "Siste 12 måneder fra"), figures.since)
    out.section("Key figures", "Nøkkeltall")
    for name, number in figures.summary.items():
        out.add(word(name, lang), number)
    years = [c for c in figures.products.columns if c not in ("Product", "Total")]
    wanted = [bool(years) and not figures.products.empty, not figures.campaigns.empty]
    out.add()
    row = out.next_row
    anchors = [f"{column}{row}" for column in CHART_COLUMNS[: sum(wanted)]]
    out.rows.extend([] for _ in range(CHART_ROWS if any(wanted) else 0))
    charts = []
    out.section("Purchases per product and year (NOK)", "Kjøp per produkt og år (NOK)")
    first, last = out.table(figures.products, labels=1)
    if wanted[0]:
        charts.append(_products_chart(lang, figures.products, first, last, anchors.pop(0)))
    out.section("Mailings per campaign", "Utsendelser per kampanje")
    first, last = out.table(figures.campaigns, labels=1)
    if wanted[1]:
        charts.append(_campaigns_chart(lang, figures.campaigns, first, last, anchors.pop(0)))
    _rest(out, figures)
    return SheetReport(out.rows, charts)


def _rest(out: _Rows, figures: Figures) -> None:
    """The tables below the charts' tables: responses by group, customers, groups, value."""
    bands = (
        ("Employee band", figures.by_employee_band),
        ("Turnover band", figures.by_turnover_band),
    )
    for dimension, table in bands:
        name = word(dimension, out.lang).lower()
        out.section(f"Responses per campaign and {name}", f"Svar per kampanje og {name}")
        out.table(table, labels=2)
    out.section("Top 20 customers, last 12 months", "Topp 20 kunder, siste 12 måneder")
    out.table(figures.top_recent)
    out.section("Top 20 customers, all purchases", "Topp 20 kunder, alle kjøp")
    out.table(figures.top_total)
    for dimension in DIMENSIONS:
        name = word(dimension, out.lang).lower()
        out.section(f"Customers per {name}", f"Kunder per {name}")
        table = figures.groups[dimension]
        out.table(table.rename(columns={"Value": dimension}), labels=1)
    _value(out, figures)


def _value(out: _Rows, figures: Figures) -> None:
    lang = out.lang
    out.section("Customer value (lifetime value estimate)", "Kundeverdi (anslag for levetidsverdi)")
    out.add(
        say(
            lang,
            "Average yearly purchases × margin × expected customer years. Margin = Profitability "
            "(%), or the default margin when blank.",
            "Kjøp per år i snitt × margin × forventet antall kundeår. Margin = Lønnsomhet (%), "
            "eller standardmarginen når den er tom.",
        )
    )
    out.add(word(rv.EXPECTED_YEARS, lang), figures.assumptions.expected_years)
    out.add(word(rv.DEFAULT_MARGIN, lang), figures.assumptions.default_margin_pct)
    out.table(figures.top_value)


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


def _range(frame: pd.DataFrame, column: str, first: int, last: int) -> str:
    """The cells of a table's column, for a table laid out from column A."""
    n, letters = list(frame.columns).index(column) + 1, ""
    while n:
        n, rem = divmod(n - 1, 26)
        letters = chr(65 + rem) + letters
    return f"{letters}{first}:{letters}{last}"
