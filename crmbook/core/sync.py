"""The three-way merge of a sync: the workbook's edits against what it pulled and what the
database holds now (DESIGN decision 7; docs/database.md).

Per customer and field: changed only in the workbook -> sent; changed only in the database ->
the pull afterwards brings it; changed on both sides to the same meaning -> nothing to do;
changed on both sides differently -> a conflict, settled only by a Choice (keep: the workbook's
value goes to the database; take: the database's value comes to the workbook). A conflict
without a choice stays pending: nothing is overwritten on either side. A reservation against
marketing (No marketing = Yes) wins a conflict by itself, as it does in import.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.merge import KEEP, TAKE, Change, ChoiceKey
from crmbook.core.merge_values import comparable
from crmbook.core.vocabulary import canonical_value

Record = Mapping[str, object]
FIELDS = s.SHEET_FIELDS[s.CUSTOMERS][1:]  # every field but the Customer ID


@dataclass(frozen=True)
class Pulled:
    """One customer as the workbook pulled it: its row version and values (the merge base)."""

    version: int
    values: Record


@dataclass(frozen=True)
class Edited:
    """One customer as the workbook holds it now, at ``row`` of the Customers sheet."""

    row: int
    values: Record


@dataclass
class SyncPlan:
    """What a sync sends, and what it leaves for the staff."""

    send: dict[int, dict[str, object]] = field(default_factory=dict)  # ID -> field -> value
    conflicts: list[Change] = field(default_factory=list)  # pending: no choice yet
    settled: int = 0  # conflicts settled by a choice or by a reservation
    gone: list[int] = field(default_factory=list)  # pulled, since erased from the database

    def pending(self) -> dict[int, dict[str, object]]:
        """Customer ID -> field -> the workbook's value, for each pending conflict."""
        out: dict[int, dict[str, object]] = {}
        for c in self.conflicts:
            out.setdefault(int(c.customer_id or 0), {})[c.field] = c.here
        return out


def plan_sync(
    edited: Mapping[int, Edited],
    pulled: Mapping[int, Pulled],
    current: Mapping[int, Pulled],
    choices: Mapping[ChoiceKey, str],
) -> SyncPlan:
    """The merge of every pulled customer (``current``: the database now, same IDs)."""
    plan = SyncPlan()
    for cid, base in pulled.items():
        now = current.get(cid)
        mine = edited.get(cid)
        if now is None:
            plan.gone.append(cid)
            continue
        if mine is None:  # a row deleted in the workbook deletes nothing in the database
            continue
        for f in FIELDS:
            _merge_field(plan, cid, f, mine, base, now, choices)
    return plan


def _merge_field(
    plan: SyncPlan, cid: int, f: s.Field, mine: Edited, base: Pulled, now: Pulled,
    choices: Mapping[ChoiceKey, str],
) -> None:  # fmt: skip
    if mine.values.get(f.name) == base.values.get(f.name):
        return  # the cell as pulled (the common case, checked before the slower comparison)
    w, b = comparable(f, mine.values.get(f.name)), comparable(f, base.values.get(f.name))
    if w == b:
        return  # not edited here: the pull brings the database's value
    d = b if now.version == base.version else comparable(f, now.values.get(f.name))
    if d == w:
        return
    if d == b:
        plan.send.setdefault(cid, {})[f.name] = mine.values.get(f.name)
        return
    key = (s.CUSTOMERS, cid, f.name, None)  # a conflict's Change.key: no row of another book
    choice = choices.get(key) or _reserved(f, mine.values.get(f.name), now.values)
    if choice == KEEP:
        plan.send.setdefault(cid, {})[f.name] = mine.values.get(f.name)
    if choice in (KEEP, TAKE):
        plan.settled += 1
        return
    company = typed.text(now.values.get("Company"))
    plan.conflicts.append(Change(cid, mine.row, None, company, f.name,  # type: ignore[arg-type]
                                 mine.values.get(f.name), now.values.get(f.name)))  # fmt: skip


def _reserved(f: s.Field, mine: object, theirs: Record) -> str | None:
    """Keep or take, whichever side reserves the customer against marketing; else None."""
    if f.name != "No marketing":
        return None
    if canonical_value(mine) == "Yes":
        return KEEP
    return TAKE if canonical_value(theirs.get(f.name)) == "Yes" else None
