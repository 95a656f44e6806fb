"""Where each field of SPEC §1 lives in the database, and its values on the way in and out.

The database holds values language-neutral and typed: list values in English, numbers as
numbers, dates as dates. A value that does not read as its field's type is refused with the
sheet, row and column, before anything is written (run ``crmbook validate`` to see them all).
"""

from __future__ import annotations

from dataclasses import dataclass

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.i18n import say
from crmbook.core.merge_values import org_key, translate
from crmbook.core.vocabulary import canonical_value
from crmbook.errors import RefusedError

#: The column of a field where snake_case would be an SQL keyword or too vague.
_RENAMED = {
    (s.CUSTOMERS, "Group"): "parent_group",
    (s.PURCHASES, "Date"): "purchase_date",
    (s.SELECTIONS, "Group"): "group_no",
}
TABLES = {s.CUSTOMERS: "customers", s.PURCHASES: "purchases", s.MAILINGS: "mailings",
          s.SELECTIONS: "selections"}  # fmt: skip
#: The key column the database adds to a sheet that has none of its own.
ROW_KEYS = {s.PURCHASES: "purchase_id", s.SELECTIONS: "position"}


def column(sheet: str, field: s.Field) -> str:
    """The database column of a field."""
    return _RENAMED.get((sheet, field.name), field.key)


def columns(sheet: str) -> list[str]:
    return [column(sheet, f) for f in s.SHEET_FIELDS[sheet]]


@dataclass(frozen=True)
class Where:
    """A cell, for messages: the sheet's visible name, Excel row and column letter."""

    sheet: str
    row: int
    column: str


def to_db(field: s.Field, value: object, lang: str, where: Where | None = None) -> object:
    """A workbook value as the database stores it (None when blank)."""
    if typed.is_blank(value):
        return None
    kind = field.kind
    if kind is s.Kind.LIST:
        return canonical_value(value) or typed.text(value)
    if kind is s.Kind.ORGNR:  # digits only, so one number is found however it was typed
        return org_key(value) or typed.text(value)
    if kind is s.Kind.NUMBER:
        out: object = typed.number(value)
    elif kind in (s.Kind.INTEGER, s.Kind.ID):
        out = typed.integer(value)
    elif kind is s.Kind.DATE:
        out = typed.date(value)
    else:
        return typed.text(value)
    if out is None:
        raise RefusedError(_unreadable(field, value, lang, where))
    return out


def _unreadable(field: s.Field, value: object, lang: str, where: Where | None) -> str:
    place = f"{where.sheet}!{where.column}{where.row}: " if where else ""
    return place + say(lang,
        "'{v}' is not a valid {f}; correct it (crmbook validate lists every such cell), then "
        "run the command again. Nothing was sent to the database.",
        "«{v}» er ikke gyldig {f}; rett det (crmbook validate viser alle slike celler), og kjør "
        "kommandoen på nytt. Ingenting ble sendt til databasen.",
        v=value, f=field.name)  # fmt: skip


def from_db(field: s.Field, value: object, lang: str) -> object:
    """A database value as the workbook shows it in ``lang``."""
    if value is None:
        return None
    if field.kind is s.Kind.DATE:
        return typed.date(value)
    if field.kind in (s.Kind.INTEGER, s.Kind.ID) and isinstance(value, float):
        return int(value)
    return translate(field, value, lang)
