"""Shared pieces of the letter tests: a frozen day, a sender, recipients with awkward names."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import docx

from crmbook.core.letters import batch_context
from crmbook.resources import shipped

TEMPLATES = shipped("letter_templates")
TODAY = dt.date(2026, 11, 22)
SETTINGS = {
    "Sender company": "Fjordhotellet AS",
    "Sender address": "Strandkaien 1",
    "Sender postal code": "5003",
    "Sender city": "Bergen",
    "Sender phone": "55 12 34 56",
    "Sender email": "salg@fjordhotellet.no",
    "Sender org number": "923 609 016",
    "Signature name": "Kari Nordmann",
    "Signature title": "Salgssjef",
}
SHARED = batch_context(SETTINGS, "Vinter 2026", TODAY)


def recipient(company: str, *, employees: int | None = 12, purchases=(), **more) -> dict:
    """A letter context the way core.letters builds one (the fields the templates read)."""
    return {
        "customer_id": 1,
        "company": company,
        "contact_person": "Åse Ørn",
        "address": "Storgata 1",
        "postal_code": "0150",
        "city": "Oslo",
        "employees": employees,
        "purchases": list(purchases),
        **more,
    }


def purchase(day: str, product: str, amount: float) -> dict:
    return {"date": dt.date.fromisoformat(day), "product": product, "amount_nok": amount}


def body_text(path: Path) -> str:
    """Every paragraph and table cell of a document's body, one per line, read by python-docx."""
    d = docx.Document(str(path))
    lines = [p.text for p in d.paragraphs]
    for table in d.tables:
        lines += [" | ".join(c.text for c in row.cells) for row in table.rows]
    return "\n".join(lines)


def letterhead_text(path: Path) -> str:
    """The first section's header (cells included) and footer text."""
    section = docx.Document(str(path)).sections[0]
    parts = [p.text for p in section.header.paragraphs + section.footer.paragraphs]
    for table in section.header.tables:
        parts += [c.text for row in table.rows for c in row.cells]
    return "\n".join(parts)


def raw_members(path: Path) -> dict[str, tuple[int, int]]:
    """Each member's CRC and compressed size (equal when copied as compressed bytes)."""
    with zipfile.ZipFile(path) as z:
        assert z.testzip() is None
        return {i.filename: (i.CRC, i.compress_size) for i in z.infolist()}
