"""The registers shipped in workbook/ are what the builder makes today (SPEC §4)."""

from __future__ import annotations

from pathlib import Path

import openpyxl
import pytest

from crmbook.book import builder

SHIPPED = Path(__file__).resolve().parents[2] / "workbook"
REGENERATE = "python -m crmbook.book.builder workbook"


def facts(path: Path) -> dict[str, object]:
    """What a user sees of a workbook: sheets, cell values, names, dropdowns and tables."""
    wb = openpyxl.load_workbook(path)
    return {
        "sheets": wb.sheetnames,
        "values": {ws.title: list(ws.iter_rows(values_only=True)) for ws in wb},
        "names": {name: dn.attr_text for name, dn in wb.defined_names.items()},
        "dropdowns": {
            ws.title: sorted(
                (str(dv.sqref), dv.type, dv.formula1) for dv in ws.data_validations.dataValidation
            )
            for ws in wb
        },
        "tables": {
            ws.title: sorted((t.displayName, t.ref) for t in ws.tables.values()) for ws in wb
        },
        "formats": {ws.title: [c.number_format for c in ws[2]] for ws in wb},
    }


@pytest.fixture(scope="module")
def rebuilt(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    return {p.name: p for p in builder.build_shipped(tmp_path_factory.mktemp("shipped"))}


@pytest.mark.parametrize("name", [name for name, *_ in builder.SHIPPED])
def test_shipped_workbook_is_current(name: str, rebuilt: dict[str, Path]) -> None:
    fresh = rebuilt[name]
    shipped = SHIPPED / name
    assert shipped.exists(), f"workbook/{name} is missing; run `{REGENERATE}`"
    old, new = facts(shipped), facts(fresh)
    for key in new:
        assert old[key] == new[key], f"workbook/{name} is stale ({key}); run `{REGENERATE}`"
