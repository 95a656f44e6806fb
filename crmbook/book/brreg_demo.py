"""Brønnøysund files for the demo, so ``crmbook enrich`` runs offline on the demo register.

Enhetsregisteret's bulk file (a JSON array of enheter, as the register publishes it) holding
the register's customers as the register would describe them — the name in capitals, a few
with a newer head count, one bankrupt, one deleted — and Regnskapsregisteret's statements (a
JSON array, as its API answers) for those few, with last year's turnover.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from stdnum.no import orgnr

from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.merge_values import org_key
from crmbook.core.register import Register
from crmbook.core.registry_codes import ORG_FORMS

CHANGED = 6  # customers the register describes differently (a newer head count, accounts)
BANKRUPT, DELETED = CHANGED, CHANGED + 1  # and one bankrupt, one deleted after them


def write_demo_files(register: Register, folder: Path, today: dt.date) -> tuple[Path, Path]:
    """Write the demo's enheter and annual accounts files in ``folder``; their paths."""
    chosen = _chosen(register)
    entities = [_entity(rec, org, n) for n, (org, rec) in enumerate(chosen)]
    statements = [_statement(rec, org, today) for org, rec in chosen[:CHANGED]]
    enheter, accounts = folder / "enheter_alle.json", folder / "regnskap.json"
    for path, data in ((enheter, entities), (accounts, statements)):
        path.write_text(json.dumps(data, ensure_ascii=False, indent=1), encoding="utf-8")
    return enheter, accounts


def _chosen(register: Register) -> list[tuple[str, dict]]:
    """Every customer with a nine-digit org number (once each; an org number that fails its
    check is not in the register, and is flagged so), those without a turnover first, so the
    demo shows turnover filled in from the accounts."""
    found: dict[str, dict] = {}
    for rec in register.frame(s.CUSTOMERS).to_dict("records"):
        org = org_key(rec.get("Org number"))
        if org and len(org) == 9 and orgnr.is_valid(org):
            found.setdefault(org, rec)
    return sorted(found.items(), key=lambda pair: not typed.is_blank(pair[1].get("Turnover (NOK)")))


def _entity(rec: dict, org: str, n: int) -> dict:
    form = typed.text(rec.get("Org form")) or "AS"
    employees = (typed.integer(rec.get("Employees")) or 0) + (3 if n < CHANGED else 0)
    entity: dict[str, object] = {
        "organisasjonsnummer": org,
        "navn": (typed.text(rec.get("Company")) or "").upper(),
        "organisasjonsform": {"kode": form, "beskrivelse": ORG_FORMS.get(form, "")},
        "naeringskode1": {"kode": typed.text(rec.get("Industry code")),
                          "beskrivelse": typed.text(rec.get("Industry text"))},
        "antallAnsatte": employees,
        "forretningsadresse": {
            "land": "Norge", "landkode": "NO", "adresse": [typed.text(rec.get("Address"))],
            "postnummer": typed.text(rec.get("Postal code")),
            "poststed": (typed.text(rec.get("City")) or "").upper(),
        },
        "konkurs": n == BANKRUPT, "underAvvikling": False,
        "underTvangsavviklingEllerTvangsopplosning": False,
    }  # fmt: skip
    if n == DELETED:
        entity["slettedato"] = "2026-03-31"
    return entity


def _statement(rec: dict, org: str, today: dt.date) -> dict:
    """Last year's company accounts: the typed turnover grown 8 %, else 1.6 M NOK a head."""
    typed_turnover = typed.number(rec.get("Turnover (NOK)"))
    heads = typed.integer(rec.get("Employees")) or 1
    income = round((typed_turnover or heads * 1.6e6 / 1.08) * 1.08, -3)
    year = today.year - 1
    return {
        "regnskapstype": "SELSKAP", "valuta": "NOK", "avviklingsregnskap": False,
        "virksomhet": {"organisasjonsnummer": org, "organisasjonsform": "AS",
                       "morselskap": False},
        "regnskapsperiode": {"fraDato": f"{year}-01-01", "tilDato": f"{year}-12-31"},
        "resultatregnskapResultat": {"driftsresultat": {
            "driftsresultat": round(income * 0.06),
            "driftsinntekter": {"sumDriftsinntekter": income},
            "driftskostnad": {"sumDriftskostnad": round(income * 0.94)}}},
    }  # fmt: skip
