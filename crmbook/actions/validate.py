"""The validate action: read the register, check every entry, write the Issues sheet and marks.

Called by the CLI (``crmbook validate``) and the Excel ribbon ("Kontroller register") through a
workbook port; the Norwegian headers come from the layout here, so the core stays free of the
workbook's words.
"""

from __future__ import annotations

from crmbook.book import layout
from crmbook.book.port import WorkbookPort
from crmbook.core import schema as s
from crmbook.core.edits import Edit
from crmbook.core.register import Register
from crmbook.core.validate import Validation, edits, validate


def aliases() -> dict[str, str]:
    """Bokmål Customers headers -> English field names, for the Field column of Selections."""
    return {nb: en for en, nb in layout.HEADERS_NB[s.CUSTOMERS].items()}


def check(register: Register, *, fix: bool = False, write: bool = True) -> Validation:
    """Every issue in a register already read (``fix``: safe fixes replace their issues;
    ``write`` false: the fixes are only said, as what would change)."""
    return validate(register, fix=fix, field_aliases=aliases(), write=write)


def issue_edits(register: Register, result: Validation) -> list[Edit]:
    """Fixes, cell marks and the Issues sheet, with its header in the workbook's language."""
    return edits(result, register, layout.headers(s.ISSUES, register.lang))


def run(port: WorkbookPort, *, fix: bool = False, write: bool = True) -> Validation:
    """Read, validate and (unless ``write`` is false) write the result into the workbook."""
    register = port.read()
    result = check(register, fix=fix, write=write)
    if write:
        port.apply(issue_edits(register, result))
    return result
