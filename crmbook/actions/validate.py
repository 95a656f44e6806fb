"""The validate action: read the register, check every entry, write the Issues sheet and marks.

Called by the CLI (``crmbook validate``) and the Excel ribbon ("Kontroller register") through a
workbook port; the Issues sheet's header comes from the layout here.
"""

from __future__ import annotations

import datetime as dt

from crmbook.book import layout
from crmbook.book.port import WorkbookPort
from crmbook.core import schema as s
from crmbook.core.edits import Edit
from crmbook.core.register import Register
from crmbook.core.validate import Validation, edits, validate


def check(
    register: Register, *, fix: bool = False, write: bool = True, today: dt.date | None = None
) -> Validation:
    """Every issue in a register already read (``fix``: safe fixes replace their issues;
    ``write`` false: the fixes are only said, as what would change; ``today``: the date after
    which purchases and responses lie in the future, the computer's date by default)."""
    return validate(register, fix=fix, write=write, today=today)


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
