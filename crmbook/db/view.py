"""A read-only workbook port over the database, so ``select`` and ``report`` run unchanged on
a database URL (``crmbook select URL --selection NAME``). It only reads: a role with SELECT
rights alone is enough."""

from __future__ import annotations

import contextlib
from collections.abc import Iterable, Iterator, Sequence

from crmbook.core import schema as s
from crmbook.core.edits import Edit
from crmbook.core.register import Register
from crmbook.db import store
from crmbook.db.connect import Db, connect, shown_url
from crmbook.db.migrate import require_current
from crmbook.db.narrow import needed
from crmbook.errors import RefusedError


class DbView:
    """The register in a database, read once, as a workbook port that never writes."""

    def __init__(self, url: str, *, narrow: bool = False, lang: str | None = None) -> None:
        """``narrow``: fetch only the columns the saved selections read (for ``select``);
        ``lang``: values and names in this language (default: the register's)."""
        self.url = url
        self._narrow = narrow
        self.lang = lang
        self._register: Register | None = None

    def read(self, sheets: Iterable[str] = s.DATA_SHEETS, *, strict: bool = True) -> Register:
        if self._register is None:
            db = connect(self.url)
            try:
                require_current(db)
                with db.transaction(snapshot=True):  # every sheet from one moment
                    self._register = self._read(db)
            finally:
                db.close()
        return self._register

    def _read(self, db: Db) -> Register:
        if not self._narrow:
            return store.read(db, self.lang)
        return store.read(db, self.lang, fields=needed(store.selections(db, self.lang)))

    @contextlib.contextmanager
    def writing(self, enabled: bool = True) -> Iterator[DbView]:
        """Nothing to lock: the view never writes (the same shape as ``FileBook.writing``)."""
        yield self

    def apply(self, edits: Sequence[Edit]) -> None:
        if edits:
            self.check_writable()

    def check_writable(self) -> None:
        raise RefusedError(
            f"{shown_url(self.url)}: results on a database are printed, not written; "
            "add --into BOOK.xlsx to write them into a workbook."
        )
