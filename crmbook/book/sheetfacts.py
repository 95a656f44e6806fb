"""What python-calamine does not say about a sheet, read from the file itself: error cells,
formula cells and totals rows; and whether a sheet is too sparse for a dense read.

Kept apart from the reader (and from pandas) so the background prefetch can run it beside
calamine's parse while the command is still importing.
"""

from __future__ import annotations

import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from crmbook.book.xlsx import bounds, tables, workbook
from crmbook.book.xlsx.errors import error_cells
from crmbook.book.xlsx.formulas import formula_cells
from crmbook.book.xlsx.package import Package, PackageError
from crmbook.book.xlsx.pieces import cell_pieces


@dataclass(frozen=True)
class SheetFacts:
    """What python-calamine does not say about a sheet: error cells, formulas, totals rows."""

    errors: dict[tuple[int, int], str] = field(default_factory=dict)
    formulas: dict[tuple[int, int], bool] = field(default_factory=dict)  # -> has a cached value
    totals: frozenset[int] = frozenset()


def sheet_facts(path: Path, sheet_name: str) -> SheetFacts:
    """Error cells, formula cells and totals rows of one sheet (python-calamine hides them);
    the sheet's XML is scanned a piece at a time, never held whole."""
    try:
        pkg = Package(path)
    except (OSError, PackageError, ValueError):
        return SheetFacts()
    try:
        part = workbook.sheets(pkg).get(sheet_name)
        if part is None or part not in pkg:
            return SheetFacts()
        totals = frozenset(tables.totals_rows(pkg, part))
    finally:
        pkg.close()
    errors: dict[tuple[int, int], str] = {}
    formulas: dict[tuple[int, int], bool] = {}
    with zipfile.ZipFile(path) as zf:
        for piece in cell_pieces(zf, part):
            errors.update(error_cells(piece))
            formulas.update(formula_cells(piece))
    return SheetFacts(errors, formulas, totals)


def sparse_sheets(path: Path) -> set[str]:
    """The sheets whose grid is mostly empty space that a dense read would fill (a stray value
    at XFD1048576): python-calamine must not parse them whole (see ``bounds``)."""
    return {name for name, (_, sparse) in worksheets(path).items() if sparse}


def worksheets(path: Path) -> dict[str, tuple[int, bool]]:
    """Each worksheet's XML size (as its zip entry declares it) and whether it is sparse."""
    try:
        pkg = Package(path)
    except (OSError, PackageError, ValueError):  # calamine judges such a file itself
        return {}
    try:
        parts = {name: part for name, part in workbook.sheets(pkg).items() if part in pkg}
    finally:
        pkg.close()
    with zipfile.ZipFile(path) as zf:
        return {
            name: (zf.getinfo(part).file_size, bounds.is_sparse(zf, part))
            for name, part in parts.items()
        }
