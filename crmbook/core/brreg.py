"""Enhetsregisteret (the Brønnøysund register of legal entities) as the register sees it.

Pure: an entity as the register publishes it (the JSON of data.brreg.no's ``enheter``, or a
row of its CSV download, unflattened) becomes the Customers fields it can fill, and a plan of
changes made with ``plan_import`` — Brønnøysund is just another book matched by org number.
Nothing is overwritten silently: a blank here is filled (Choice take), a different value is
shown with Choice keep. Deleted, bankrupt and dissolving companies are flagged.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace

from crmbook.core import annual_accounts, typed
from crmbook.core import schema as s
from crmbook.core.i18n import say
from crmbook.core.merge import TAKE, Change, Plan, Record, plan_import
from crmbook.core.merge_values import org_key
from crmbook.core.other_book import other_book
from crmbook.core.register import Register
from crmbook.core.vocabulary import value

Entity = Mapping[str, object]
#: Fetchers mark an org number the register does not know (HTTP 404) with this key.
MISSING = "_missing"

#: SN2007 (NACE) divisions -> the Industry list's values; other divisions leave Industry as is.
_DIVISIONS: dict[str, tuple[int, ...]] = {
    "Manufacturing": tuple(range(10, 34)),
    "Construction": (41, 42, 43),
    "Retail": (45, 46, 47),
    "Transport": (49, 50, 51, 52, 53),
    "Hospitality": (55, 56),
    "IT": (58, 61, 62, 63),
    "Finance": (64, 65, 66),
    "Consulting": (69, 70, 71, 73, 74),
    "Public sector": (84,),
    "Education": (85,),
    "Health": (86, 87, 88),
}
INDUSTRY_BY_DIVISION = {d: name for name, ds in _DIVISIONS.items() for d in ds}
_SMALL_WORDS = {"i", "på", "og", "ved", "under", "over"}


@dataclass(frozen=True)
class Flag:
    """A customer whose company is deleted, bankrupt, being dissolved or not found."""

    customer_id: int | None
    company: str | None
    org: str
    message: str


@dataclass(frozen=True)
class EnrichPlan:
    plan: Plan
    flags: tuple[Flag, ...]
    looked_up: int  # org numbers asked for
    found: int  # entities found


def get(entity: Entity, path: str) -> object:
    """A field by dotted path ('naeringskode1.kode'), None when absent."""
    node: object = entity
    for part in path.split("."):
        if not isinstance(node, Mapping):
            return None
        node = node.get(part)
    return node


def nace(entity: Entity) -> tuple[str | None, str | None]:
    """The main industry code (NACE/SN2007, e.g. '55.101') and its text."""
    return typed.text(get(entity, "naeringskode1.kode")), typed.text(
        get(entity, "naeringskode1.beskrivelse")
    )


def record(entity: Entity, lang: str) -> Record:
    """The Customers fields an entity fills: name, postal (else business) address, industry
    (and its NACE code and text), employees and their band, organisation form and its text.
    Blank where the register has nothing."""
    address = get(entity, "postadresse") or get(entity, "forretningsadresse") or {}
    lines = get(address, "adresse") if isinstance(address, Mapping) else None
    street = ", ".join(str(x) for x in lines if x) if isinstance(lines, list) else lines
    employees = typed.integer(get(entity, "antallAnsatte"))
    code, code_text = nace(entity)
    industry = INDUSTRY_BY_DIVISION.get(typed.integer((code or "").split(".")[0]) or -1)
    country = typed.text(get(address, "landkode"))
    return {
        "Company": typed.text(entity.get("navn")),
        "Org number": typed.text(entity.get("organisasjonsnummer")),
        "Address": typed.text(street),
        "Postal code": typed.text(get(address, "postnummer")),
        "City": _city(typed.text(get(address, "poststed"))),
        "Country": None if country in (None, "NO") else typed.text(get(address, "land")),
        "Industry": value(industry, lang) if industry else None,
        "Employees": employees if employees else None,
        "Employee band": _band(employees, lang),
        "Industry code": code,
        "Industry text": code_text,
        "Org form": typed.text(get(entity, "organisasjonsform.kode")),
        "Org form text": typed.text(get(entity, "organisasjonsform.beskrivelse")),
    }


def _band(employees: int | None, lang: str) -> str | None:
    band = s.employee_band(employees) if employees else None
    return value(band, lang) if band else None


def _city(text: str | None) -> str | None:
    """'MO I RANA' -> 'Mo i Rana' (the register writes post towns in capitals)."""
    if text is None or not text.isupper():
        return text
    words = text.lower().split(" ")
    return " ".join(w if i and w in _SMALL_WORDS else w.capitalize() for i, w in enumerate(words))


def flag(entity: Entity, lang: str) -> str | None:
    """Why a customer's company needs attention, or None."""
    if entity.get(MISSING):
        return say(lang, "not found in Enhetsregisteret: check the org number.",
                   "finnes ikke i Enhetsregisteret: sjekk org.nr.")  # fmt: skip
    deleted = typed.text(entity.get("slettedato"))
    if deleted:
        return say(lang, "deleted from Enhetsregisteret on {d}.",
                   "slettet fra Enhetsregisteret {d}.", d=deleted)  # fmt: skip
    if entity.get("konkurs"):
        return say(lang, "bankrupt (konkurs).", "konkurs.")
    if entity.get("underTvangsavviklingEllerTvangsopplosning"):
        return say(lang, "under compulsory dissolution.", "under tvangsavvikling.")
    if entity.get("underAvvikling"):
        return say(lang, "being wound up (under avvikling).", "under avvikling.")
    return None


def plan_enrich(
    here: Register, entities: Mapping[str, Entity], source: str,
    accounts: Mapping[str, object] | None = None,
) -> EnrichPlan:  # fmt: skip
    """Changes to this book's customers from their entities (by org number) and, with
    ``accounts`` (org number -> Regnskapsregisteret's answer), their turnover; and flags."""
    mine = here.frame(s.CUSTOMERS)
    live = {o: e for o, e in entities.items()
            if not e.get(MISSING) and not e.get("slettedato") and e.get("navn")}  # fmt: skip
    turnovers, unread = _turnovers(accounts or {}, live)
    records = [record(e, here.lang) | (turnovers[o].record(here.lang) if o in turnovers else {})
               for o, e in live.items()]  # fmt: skip
    plan = plan_import(here, other_book(here, records), source)
    orgs = {int(r): org_key(v) for r, v in mine["Org number"].items()}
    changes = _coherent(tuple(replace(c, choice=TAKE) if typed.is_blank(c.here) else c
                              for c in plan.changes))  # fmt: skip
    changes = tuple(_with_year(c, turnovers.get(orgs.get(c.here_row) or ""), here.lang)
                    for c in changes)  # fmt: skip
    plan = replace(plan, changes=changes, new=(), only_here=())
    flags = []
    for rec in mine.to_dict("records"):
        org = org_key(rec.get("Org number"))
        message = flag(entities[org], here.lang) if org in entities else None
        message = message or (annual_accounts.unreadable(here.lang) if org in unread else None)
        if message:
            flags.append(Flag(typed.integer(rec.get("Customer ID")),
                              typed.text(rec.get("Company")), org or "", message))  # fmt: skip
    return EnrichPlan(plan, tuple(flags), len(entities), len(live))


#: A field whose default choice follows another's: a band or year never lands beside a
#: number it does not belong to, nor a code's text beside another code.
FOLLOWS = {"Turnover band": "Turnover (NOK)", "Turnover year": "Turnover (NOK)",
           "Employee band": "Employees", "Industry text": "Industry code",
           "Org form text": "Org form"}  # fmt: skip


def _coherent(changes: tuple[Change, ...]) -> tuple[Change, ...]:
    """Each following field's change gets the choice of its leading field's change (when the
    leading field changes too)."""
    lead = {(c.here_row, c.field): c.choice for c in changes}
    return tuple(replace(c, choice=lead.get((c.here_row, FOLLOWS.get(c.field, "")), c.choice))
                 for c in changes)  # fmt: skip


def _with_year(change: Change, turnover: annual_accounts.Turnover | None, lang: str) -> Change:
    """A turnover change notes the annual accounts it is from."""
    if turnover is None or change.field not in annual_accounts.FIELDS:
        return change
    return replace(change, note=turnover.note(lang))


def _turnovers(
    accounts: Mapping[str, object], live: Mapping[str, Entity]
) -> tuple[dict[str, annual_accounts.Turnover], set[str]]:
    """Org number -> latest turnover, for the live companies; and those whose answer is
    unreadable."""
    found: dict[str, annual_accounts.Turnover] = {}
    unread: set[str] = set()
    for org, answer in accounts.items():
        if org not in live or answer is None:
            continue
        try:
            if answer == annual_accounts.UNREADABLE:
                raise ValueError(answer)
            turnover = annual_accounts.latest(answer)
        except ValueError:
            unread.add(org)
            continue
        if turnover is not None:
            found[org] = turnover
    return found, unread
