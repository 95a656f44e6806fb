"""Annual accounts from Regnskapsregisteret: the open API, or a file of saved answers.

The API (data.brreg.no/regnskapsregisteret/regnskap/{orgnr}) answers one org number at a time
with a JSON list of the company's latest statements; 404 means it has none (a sole
proprietorship files no accounts). Without network the message says so, as for
Enhetsregisteret. An answer that is not JSON marks that company only: the others go on.
Offline, a file holds the statements (a JSON array, gzip'ed or not, e.g. saved answers put
together), read statement by statement.
"""

from __future__ import annotations

import json
import os
from collections.abc import Iterable
from pathlib import Path

from crmbook.book.brreg_source import BrregError, fetch, json_objects, open_text
from crmbook.core.annual_accounts import UNREADABLE
from crmbook.core.i18n import say
from crmbook.core.merge_values import org_key

API = "https://data.brreg.no/regnskapsregisteret/regnskap"
#: Set to another address (a local server in the tests, a proxy) to ask that instead.
API_ENV = "CRMBOOK_REGNSKAP_URL"
TIMEOUT = 15.0  # seconds per answer
#: A company's statements take a few kilobytes; an answer beyond this is not the register's.
MAX_ANSWER = 4 << 20


def from_api(orgs: Iterable[str], lang: str, timeout: float | None = None) -> dict[str, object]:
    """Org number -> the register's answer (None: no accounts; UNREADABLE: not JSON)."""
    base = os.environ.get(API_ENV, API).rstrip("/")
    wait = TIMEOUT if timeout is None else timeout
    return {org: _get(f"{base}/{org}", lang, wait) for org in sorted(set(orgs))}


def _get(url: str, lang: str, timeout: float) -> object:
    try:
        code, body = fetch(url, timeout, MAX_ANSWER)
    except OSError as exc:  # URLError and TimeoutError are OSErrors
        reason = getattr(exc, "reason", exc)
        raise BrregError(say(lang,
            "cannot reach Regnskapsregisteret ({reason}): no network? Run again with "
            "--no-accounts, or give saved answers with --accounts FILE.",
            "får ikke kontakt med Regnskapsregisteret ({reason}): mangler nettverk? Kjør på "
            "nytt med --no-accounts, eller oppgi lagrede svar med --accounts FIL.",
            reason=reason)) from None  # fmt: skip
    if code == 404:
        return None
    if code >= 400:
        raise BrregError(say(lang,
            "Regnskapsregisteret answered {code} for {url}; try again later, or run with "
            "--no-accounts.",
            "Regnskapsregisteret svarte {code} for {url}; prøv igjen senere, eller kjør med "
            "--no-accounts.", code=code, url=url))  # fmt: skip
    if len(body) > MAX_ANSWER:
        return UNREADABLE
    try:
        return json.loads(body)
    except (ValueError, RecursionError):  # not JSON, or nested past any statement's depth
        return UNREADABLE


def from_file(path: Path, orgs: Iterable[str], lang: str) -> dict[str, object]:
    """Org number -> its statements in the file (None: the file has none for it)."""
    wanted = set(orgs)
    found: dict[str, list[object]] = {}
    try:
        with open_text(path) as text:
            first = text.read(1)
            while first.isspace():
                first = text.read(1)
            if first != "[":
                raise ValueError("not a JSON array of annual accounts")
            for statement in json_objects(text):
                org = org_key((statement.get("virksomhet") or {}).get("organisasjonsnummer"))
                if org in wanted:
                    found.setdefault(org, []).append(statement)
    except (OSError, EOFError, UnicodeDecodeError, ValueError, AttributeError,
            RecursionError) as exc:  # fmt: skip
        raise BrregError(say(lang,
            "{f}: cannot read it as annual accounts from Regnskapsregisteret ({why}). Give a "
            "JSON array of the register's statements (its answers, put together).",
            "{f}: kan ikke lese den som årsregnskap fra Regnskapsregisteret ({why}). Oppgi en "
            "JSON-liste med registerets regnskap (svarene, satt sammen).",
            f=path.name, why=exc)) from None  # fmt: skip
    return {org: found.get(org) for org in wanted}
