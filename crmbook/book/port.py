"""The workbook port: what actions need from a workbook, whether a file or a live Excel book."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Protocol

from crmbook.core import schema as s
from crmbook.core.edits import Edit
from crmbook.core.register import Register


class WorkbookPort(Protocol):
    """Read the register; apply edits. File and live (xlwings) implementations."""

    def read(self, sheets: Iterable[str] = s.DATA_SHEETS, *, strict: bool = True) -> Register:
        """The register's data sheets, lists and settings."""
        ...

    def apply(self, edits: Sequence[Edit]) -> None:
        """Carry out the edits all together, or none of them."""
        ...

    def check_writable(self) -> None:
        """Refuse now (a CrmbookError) when a later ``apply`` could not write, so a step that
        makes files first (letters) does not leave them unlogged."""
        ...
