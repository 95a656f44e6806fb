"""List columns: values from the Lists sheet; harmless variants are warnings."""

from __future__ import annotations

from tests.registers import register
from tests.validate.helpers import E, W, at, fixes, found


def test_list_values_exact_variant_and_unknown() -> None:
    book = register(
        customers="""
        | Status      | Remark       | No marketing | Industry    |
        | Customer    | Bad payer    | Yes          | IT          |
        | customer    | ' Bad payer' | yes          | it          |
        | Kunde       | Dårlig betaler | Ja         | Finans      |
        | Client      | bad payor    | Y            | Fishing     |
    """
    )
    assert found(book) == {
        *((3, f, W) for f in ("Status", "Remark", "No marketing", "Industry")),
        *((4, f, W) for f in ("Status", "Remark", "No marketing", "Industry")),
        *((5, f, E) for f in ("Status", "Remark", "No marketing", "Industry")),
    }
    (unknown,) = at(book, 5, "Industry")
    assert "Lists sheet" in unknown.message  # Industry is editable
    (status,) = at(book, 5, "Status")
    assert "Customer, Prospect" in status.message and "Lists" not in status.message


def test_fix_writes_the_canonical_value() -> None:
    book = register(
        customers="""
        | Status   | Employee band |
        | customer | '10-49'       |
        | Kunde    |               |
    """
    )
    assert fixes(book) == {
        (2, "Status"): "Customer",
        (2, "Employee band"): "10–49",
        (3, "Status"): "Customer",
    }


def test_lists_come_from_the_workbook_lists_sheet() -> None:
    book = register(
        customers="| Industry |\n| Fishing |\n| IT |",
        lists={"industry": ["Fishing", "Aquaculture"]},
    )
    assert found(book) == {(3, "Industry", E)}


def test_norwegian_workbook_accepts_norwegian_values_and_flags_english_ones() -> None:
    book = register(customers="| Status | Merknad |\n| Kunde | Bad payer |", lang="nb")
    (remark,) = at(book, 2, "Remark")
    assert remark.severity is W and "Dårlig betaler" in remark.message


def test_product_and_response_lists() -> None:
    book = register(
        purchases="| Product |\n| Conference |\n| Konferanse |\n| Golf |",
        mailings="| Response |\n| Positive |\n| no response |\n| Maybe |",
    )
    assert found(book, "Product") == {(3, "Product", W), (4, "Product", E)}
    assert found(book, "Response") == {(3, "Response", W), (4, "Response", E)}
