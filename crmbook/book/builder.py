"""Build a new register workbook with openpyxl (SPEC §1; DESIGN decision 4: build, not edit).

The workbook is plain ``.xlsx``: tables, classic data validations fed by workbook-level names on
the Lists sheet, number formats and frozen headers, nothing that needs macros or Excel 2010+
extensions, so every later surgical write and every spreadsheet program keeps it intact. The
output is deterministic for the same arguments (fixed timestamps), so the shipped files in
``workbook/`` only change when the builder does.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import quote_sheetname
from openpyxl.workbook.defined_name import DefinedName
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.table import Table, TableStyleInfo
from openpyxl.worksheet.worksheet import Worksheet
from openpyxl.writer.excel import ExcelWriter

from crmbook.book import layout
from crmbook.book.builder_content import example_selection, fill_report, fill_start, sample_settings
from crmbook.book.builder_rows import SheetRows, cell_value, style_cell
from crmbook.book.filebook import check_unlocked
from crmbook.book.print_setup import set_up_printing
from crmbook.core import schema as s
from crmbook.core.filenames import fit_name
from crmbook.core.i18n import say
from crmbook.core.selection import names
from crmbook.errors import RefusedError, UsageError
from crmbook.resources import shipped

#: Records per English sheet key, each keyed by English field name with canonical list values.
Rows = Mapping[str, Sequence[Mapping[str, object]]]

SHEET_ORDER = (
    s.START,
    s.CUSTOMERS,
    s.PURCHASES,
    s.MAILINGS,
    s.SELECTIONS,
    s.RECIPIENTS,
    s.ISSUES,
    s.REPORT,
    s.IMPORT,
    s.LOG,
    s.SETTINGS,
    s.LISTS,
)
#: Sheets laid out as an Excel table; the names are the same in both languages.
TABLE_NAMES = {
    sheet: f"tbl{sheet}"
    for sheet in (
        s.CUSTOMERS,
        s.PURCHASES,
        s.MAILINGS,
        s.SELECTIONS,
        s.RECIPIENTS,
        s.ISSUES,
        s.IMPORT,
        s.LOG,
    )
}
TABLE_NAMES[s.SETTINGS] = "tblSettings"

#: Dropdown lists the builder adds for the Selections sheet (not register data, so not in schema).
#: Derived fields and "Selection" offered in the Field dropdown, after the Customers headers.
DERIVED_FIELDS = (*names.DERIVED_NB, names.SELECTION)
HELPER_TITLES = {
    "field": ("Field", "Felt"),
    "operator": ("Operator", "Operator"),
    "choice": ("Import choice", "Importvalg"),
}
#: The Import sheet's Choice dropdown: keep this book's value, or take the other book's.
IMPORT_CHOICES = {"en": ["keep", "take"], "nb": ["behold", "ta"]}
#: Lists users are expected to extend: a value not in them is a warning, not a stop.
EDITABLE_LISTS = ("industry", "product", "field")

FIXED_TIME = dt.datetime(2026, 1, 1)
MIN_VALIDATED_ROWS = 5000
WIDTH_SAMPLE = 300  # rows looked at to size the columns
HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F4E78")
TABLE_STYLE = "TableStyleMedium2"

#: Widths of columns whose values are long, so an empty register is readable too.
MIN_WIDTHS = {
    "Company": 30, "Address": 28, "Email": 36, "Title": 14, "Notes": 40, "Message": 60,
    "Letter file": 36, "Contact person": 20, "Group": 20, "Account manager": 18, "Campaign": 18,
    "Template": 22, "Selection": 20, "Field": 22, "Value": 20, "Letter": 45,
}  # fmt: skip
#: The funnel `crmbook select` writes right of the Recipients, after one empty column
#: (crmbook.actions.select.FUNNEL_GAP): criterion and customers remaining, so both are readable.
FUNNEL_GAP = 1
FUNNEL_WIDTHS = (45, 10)


def create(
    path: str | Path,
    *,
    lang: str = "nb",
    demo: int = 0,
    seed: int = 1,
    force: bool = False,
    templates: bool = True,
) -> Path:
    """Build a register at ``path``: empty, or with ``demo`` fictional customers.

    Refuses to replace an existing file unless ``force``, because a register is someone's data.
    With ``templates``, the shipped letter templates are put where the Template folder setting
    points (beside the workbook), so letters work at once.
    """
    path = Path(path)
    _check_target(path, lang, force)
    rows: Rows = {}
    if demo:
        from crmbook.core.demo import generate

        rows = generate(demo, seed=seed, lang=lang).rows()
    save(*build_workbook(lang, rows), path=path)
    if templates:
        install_templates(path.parent / str(sample_settings(lang)["Template folder"]))
    return path


def _check_target(path: Path, lang: str, force: bool) -> None:
    """Refuse a name Excel would not open as a register, and a file that is someone's data."""
    if path.suffix.lower() != ".xlsx":
        raise UsageError(
            say(
                lang,
                "{path}: a register is an .xlsx workbook; give a name ending in .xlsx.",
                "{path}: et register er en .xlsx-arbeidsbok; gi et navn som slutter på .xlsx.",
                path=path,
            )
        )
    if not path.exists():
        return
    check_unlocked(path, lang)  # even --force must not pull a workbook from under Excel
    if not force:
        raise RefusedError(
            say(
                lang,
                "{path} already exists; nothing was written. Use --force to replace it.",
                "{path} finnes allerede; ingenting ble skrevet. Bruk --force for å erstatte den.",
                path=path,
            )
        )


def install_templates(folder: Path) -> list[Path]:
    """Copy the shipped letter templates into ``folder``; a file already there is kept, since
    it may be the user's edited copy. Returns the files copied."""
    source = shipped("letter_templates")
    copied = []
    for file in sorted(source.iterdir()):
        target = folder / file.name
        if file.is_file() and file.suffix != ".py" and not target.exists():
            folder.mkdir(parents=True, exist_ok=True)
            shutil.copyfile(file, target)
            copied.append(target)
    return copied


def build_workbook(lang: str, rows: Rows | None = None) -> tuple[Workbook, list[SheetRows]]:
    """The register as an openpyxl workbook, in ``lang``, and the ``rows`` (if any) that
    ``save`` writes into its data sheets (see crmbook.book.builder_rows)."""
    rows = dict(rows or {})
    rows.setdefault(s.SELECTIONS, example_selection(lang))
    wb = Workbook()
    wb.remove(wb.active)
    for sheet in SHEET_ORDER:
        wb.create_sheet(layout.sheet_name(sheet, lang))
    names = {sheet: wb[layout.sheet_name(sheet, lang)] for sheet in SHEET_ORDER}
    fill_start(names[s.START], lang)
    records = [
        _fill_data_sheet(names[sheet], sheet, lang, rows.get(sheet, ()))
        for sheet in TABLE_NAMES
        if sheet != s.SETTINGS
    ]
    fill_report(names[s.REPORT], lang)
    _fill_settings(names[s.SETTINGS], lang)
    _fill_lists(wb, names[s.LISTS], lang)
    wb.properties.creator = "crmbook"
    wb.properties.title = say(lang, "Customer register", "Kunderegister")
    wb.properties.created = wb.properties.modified = FIXED_TIME
    set_up_printing(wb)
    return wb, records


def _number_format(f: s.Field, lang: str) -> str | None:
    """Display format of a field's cells; text format keeps leading zeros of typed codes
    (and an industry code's trailing ones: Excel makes the number 55.1 of 55.100)."""
    if f.kind in (s.Kind.POSTAL, s.Kind.ORGNR, s.Kind.PHONE) or f.name == "Industry code":
        return "@"
    if f.name == "Turnover year":
        return "0"
    if f.kind is s.Kind.DATE:
        return "dd.mm.yyyy" if lang == "nb" else "yyyy-mm-dd"
    if f.kind is s.Kind.NUMBER and "NOK" in f.name:
        return '#,##0 "kr"' if lang == "nb" else '"NOK "#,##0'
    if f.kind is s.Kind.NUMBER:
        return "0.0"
    if f.kind is s.Kind.INTEGER:
        return "#,##0"
    if f.kind is s.Kind.ID:
        return "0"
    return None


def _fill_data_sheet(
    ws: Worksheet, sheet: str, lang: str, records: Sequence[Mapping[str, object]]
) -> SheetRows:
    """Header, table, formats, widths and dropdowns of one data sheet; its records are
    returned for ``save`` to write."""
    fields = s.SHEET_FIELDS[sheet]
    headers = layout.headers(sheet, lang)
    _write_header(ws, headers)
    formats = [_number_format(f, lang) for f in fields]
    widths = _record_widths(fields, records, lang)
    _add_table(ws, sheet, len(fields), max(len(records) + 1, 2))
    for col, f in enumerate(fields, start=1):
        dimension = ws.column_dimensions[layout.column_letter(col - 1)]
        head = max(len(headers[col - 1]) + 4, MIN_WIDTHS.get(f.name, 10))
        dimension.width = min(max(head, widths[col - 1]), 60)
        if formats[col - 1]:  # rows typed later get the format too
            dimension.number_format = formats[col - 1]
    validated = max(MIN_VALIDATED_ROWS, len(records) + 1001)
    for col, f in enumerate(fields, start=1):
        if f.list_name:
            _add_dropdown(ws, col, f.list_name, validated, lang)
    if sheet == s.SELECTIONS:
        _add_dropdown(ws, 3, "field", validated, lang)
        _add_dropdown(ws, 4, "operator", validated, lang)
    if sheet == s.IMPORT:
        choice = [f.name for f in fields].index("Choice") + 1
        _add_dropdown(ws, choice, "choice", validated, lang)
    if sheet == s.RECIPIENTS:
        _size_funnel(ws, len(fields) + FUNNEL_GAP)
    ws.freeze_panes = "A2"
    return SheetRows(ws, fields, formats, records, lang)


def _size_funnel(ws: Worksheet, first: int) -> None:
    """Widths for the funnel columns (0-based ``first``); the counts right-aligned, header too
    (new cells there take their column's style)."""
    criterion, remaining = (layout.column_letter(first + i) for i in range(2))
    ws.column_dimensions[criterion].width = FUNNEL_WIDTHS[0]
    ws.column_dimensions[remaining].width = FUNNEL_WIDTHS[1]
    ws.column_dimensions[remaining].alignment = Alignment(horizontal="right")


def _record_widths(
    fields: Sequence[s.Field], records: Sequence[Mapping[str, object]], lang: str
) -> list[int]:
    """The widths the first records need per column."""
    widths = [0] * len(fields)
    for record in records[: WIDTH_SAMPLE - 1]:
        for col, f in enumerate(fields):
            value = cell_value(f, record.get(f.name), lang)
            if value is not None:
                widths[col] = max(widths[col], len(_shown(value)) + 2)
    return widths


def _write_header(ws: Worksheet, headers: Sequence[str]) -> None:
    ws.append(list(headers))
    for cell in ws[1]:
        cell.font = HEADER_FONT
        cell.fill = HEADER_FILL


def _put(ws: Worksheet, row: int, col: int, value: object, number_format: str | None) -> None:
    """Write one value; text beginning with '=' stays text, never becomes a formula."""
    style_cell(ws.cell(row, col, value), number_format)


def _add_table(ws: Worksheet, sheet: str, ncols: int, last_row: int) -> None:
    ref = f"A1:{layout.column_letter(ncols - 1)}{last_row}"
    table = Table(displayName=TABLE_NAMES[sheet], ref=ref)
    table.tableStyleInfo = TableStyleInfo(name=TABLE_STYLE, showRowStripes=True)
    # Named from the header here: openpyxl would otherwise make a cell for every table cell
    # to read the header, and the records are not cells (crmbook.book.builder_rows).
    table._initialise_columns()
    for column, header in zip(table.tableColumns, ws[1], strict=False):
        column.name = str(header.value)
    ws.add_table(table)


def _shown(value: object) -> str:
    if isinstance(value, dt.date):
        return "00.00.0000"
    if isinstance(value, int | float):
        return f"{value:,.0f} kr"
    return str(value)


def _add_dropdown(ws: Worksheet, col: int, list_name: str, last_row: int, lang: str) -> None:
    """A classic list validation (no x14 extension) fed by the list's defined name."""
    editable = list_name in EDITABLE_LISTS
    dv = DataValidation(
        type="list",
        formula1=layout.range_name(list_name),
        allow_blank=True,
        showErrorMessage=True,
        errorStyle="warning" if editable else "stop",
        errorTitle="crmbook",
        error=say(
            lang,
            "Pick a value from the list (the lists are on the Lists sheet).",
            "Velg en verdi fra lista (listene står i arket Lister).",
        ),
    )
    letter = layout.column_letter(col - 1)
    dv.add(f"{letter}2:{letter}{last_row}")
    ws.add_data_validation(dv)


def _fill_settings(ws: Worksheet, lang: str) -> None:
    _write_header(ws, layout.headers(s.SETTINGS, lang))
    for name, value in sample_settings(lang).items():
        ws.append([layout.setting_label(name, lang), value])
    _add_table(ws, s.SETTINGS, 2, len(s.SETTING_NAMES) + 1)
    for (cell,) in ws.iter_rows(min_row=2, min_col=2, max_col=2):
        cell.number_format = "@"
    ws.column_dimensions["A"].width = 24
    ws.column_dimensions["B"].width = 44
    ws.freeze_panes = "A2"


def list_columns(lang: str) -> dict[str, tuple[str, list[str]]]:
    """List name -> (title, values) of every column of the Lists sheet, in order."""
    columns = {
        key: (layout.LIST_TITLES[key][lang == "nb"], layout.list_values(key, lang))
        for key in s.LISTS_EN
    }
    fields = [layout.header(s.CUSTOMERS, f.name, lang) for f in s.SHEET_FIELDS[s.CUSTOMERS]]
    derived = [names.derived_name(d, lang) for d in DERIVED_FIELDS]
    columns["field"] = (HELPER_TITLES["field"][lang == "nb"], fields + derived)
    operators = [names.operator_name(op, lang) for op in names.Op]
    columns["operator"] = (HELPER_TITLES["operator"][lang == "nb"], operators)
    columns["choice"] = (HELPER_TITLES["choice"][lang == "nb"], IMPORT_CHOICES[lang])
    return columns


def _fill_lists(wb: Workbook, ws: Worksheet, lang: str) -> None:
    """One column per list under its title, each behind a defined name for the dropdowns."""
    columns = list_columns(lang)
    for col, (key, (title, values)) in enumerate(columns.items(), start=1):
        head = ws.cell(1, col, title)
        head.font, head.fill = HEADER_FONT, HEADER_FILL
        for row, text in enumerate(values, start=2):
            _put(ws, row, col, text, None)
        letter = layout.column_letter(col - 1)
        ref = f"{quote_sheetname(ws.title)}!${letter}$2:${letter}${len(values) + 1}"
        wb.defined_names[layout.range_name(key)] = DefinedName(
            layout.range_name(key), attr_text=ref
        )
        ws.column_dimensions[letter].width = max(len(title), *map(len, values)) + 4
    ws.freeze_panes = "A2"


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose members all carry one fixed timestamp, so equal content gives equal bytes;
    a data sheet's part gets its records (``rows``) streamed in as it is stored."""

    rows: Sequence[SheetRows] = ()

    def writestr(self, zinfo_or_arcname, data, *args, **kwargs):  # type: ignore[override]
        super().writestr(_member(zinfo_or_arcname), data, *args, **kwargs)

    def write(self, filename, arcname=None, *args, **kwargs):  # type: ignore[override]
        arcname = arcname or os.fspath(filename)
        part = Path(filename).read_bytes()
        records = next((r for r in self.rows if r.ws.path[1:] == arcname), None)
        if records is None:
            self.writestr(arcname, part)
            return
        with self.open(_member(arcname), "w", force_zip64=True) as member:
            for chunk in records.splice(part):
                member.write(chunk)


def _member(name: str | zipfile.ZipInfo) -> zipfile.ZipInfo:
    if isinstance(name, zipfile.ZipInfo):
        return name
    member = zipfile.ZipInfo(name, FIXED_TIME.timetuple()[:6])
    member.compress_type = zipfile.ZIP_DEFLATED
    return member


def save(wb: Workbook, rows: Sequence[SheetRows] = (), *, path: str | Path) -> None:
    """Write the workbook, with the data sheets' ``rows``, through a temporary file, keeping
    its fixed timestamps.

    openpyxl's ``save`` stamps the current time into the file; the writer it wraps does not.
    """
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(fit_name(".", path.name, ".crmbook-tmp"))
    try:
        with _FixedTimeZip(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as archive:
            archive.rows = rows
            ExcelWriter(wb, archive).write_data()
        os.replace(tmp, path)
    finally:
        tmp.unlink(missing_ok=True)


#: The registers shipped in ``workbook/`` (SPEC §4): file name, language, demo customers, seed.
SHIPPED = (
    ("crmbook.xlsx", "nb", 0, 1),
    ("crmbook-en.xlsx", "en", 0, 1),
    ("crmbook-demo.xlsx", "nb", 200, 1),
)


def build_shipped(folder: str | Path) -> list[Path]:
    """Rebuild the shipped registers into ``folder`` (replacing them)."""
    return [
        create(Path(folder) / name, lang=lang, demo=n, seed=seed, force=True, templates=False)
        for name, lang, n, seed in SHIPPED
    ]


if __name__ == "__main__":  # python -m crmbook.book.builder [FOLDER]
    import sys

    for built in build_shipped(sys.argv[1] if len(sys.argv) > 1 else "workbook"):
        print(built)
