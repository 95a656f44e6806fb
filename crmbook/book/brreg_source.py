"""Entities from Enhetsregisteret: the open API, or the bulk download read streaming.

The API (data.brreg.no/enhetsregisteret/api/enheter) is asked in batches of org numbers with a
timeout; an org number the batch lacks is asked for alone, so a deleted company (HTTP 410) and
an unknown number (404) are told apart. Without network the message says so and points at the
bulk file, which works offline: the register's JSON array of entities or its CSV, either
gzip'ed or not, read entity by entity and kept only for the org numbers asked for.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import IO

from crmbook.core.brreg import MISSING, Entity
from crmbook.core.i18n import say
from crmbook.core.merge_values import org_key
from crmbook.errors import CrmbookError

API = "https://data.brreg.no/enhetsregisteret/api/enheter"
#: Set to another address (a local server in the tests, a proxy) to ask that instead.
API_ENV = "CRMBOOK_BRREG_URL"
BULK = "https://data.brreg.no/enhetsregisteret/oppslag/enheter/lastned"
BATCH = 100
TIMEOUT = 15.0
#: A batch of 100 entities takes a few hundred kilobytes; an answer beyond this is not the
#: register's (a proxy's endless page), and is not read further.
MAX_ANSWER = 16 << 20
_FLAGS = ("konkurs", "underAvvikling", "underTvangsavviklingEllerTvangsopplosning")


class BrregError(CrmbookError):
    """The register could not be reached, or its file could not be read."""


def from_api(orgs: Iterable[str], lang: str, timeout: float = TIMEOUT) -> dict[str, Entity]:
    """Org number -> entity, asked of the API (unknown numbers are marked MISSING)."""
    base = os.environ.get(API_ENV, API).rstrip("/")
    wanted = sorted(set(orgs))
    found: dict[str, Entity] = {}
    for start in range(0, len(wanted), BATCH):
        batch = wanted[start : start + BATCH]
        query = urllib.parse.urlencode({"organisasjonsnummer": ",".join(batch),
                                        "size": len(batch)})  # fmt: skip
        data = _get(f"{base}?{query}", lang, timeout) or {}
        for entity in data.get("_embedded", {}).get("enheter", []):
            found[str(entity.get("organisasjonsnummer"))] = entity
    for org in wanted:
        if org not in found:
            found[org] = _get(f"{base}/{org}", lang, timeout) or {MISSING: True}
    return found


def fetch(url: str, timeout: float, limit: int) -> tuple[int, bytes]:
    """(HTTP status, body) of a GET asking for JSON; the body is read up to ``limit`` + 1
    bytes, so an answer over the limit shows as one and is never read whole. No network, a
    refused connection or a timeout raise ``OSError``, for each register's own message."""
    request = urllib.request.Request(url, headers={"Accept": "application/json"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            return response.status, response.read(limit + 1)
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(limit + 1)


def _get(url: str, lang: str, timeout: float) -> dict | None:
    """The JSON at ``url``; None for 404; a deleted entity's body (410) with its slettedato."""
    try:
        code, body = fetch(url, timeout, MAX_ANSWER)
    except OSError as exc:  # URLError and TimeoutError are OSErrors
        reason = getattr(exc, "reason", exc)
        raise BrregError(say(lang,
            "cannot reach Enhetsregisteret ({reason}): no network? Download the register's "
            "file (enheter, JSON or CSV) from {bulk} and run again with --from FILE.",
            "får ikke kontakt med Enhetsregisteret ({reason}): mangler nettverk? Last ned "
            "registerets fil (enheter, JSON eller CSV) fra {bulk} og kjør på nytt med "
            "--from FIL.", reason=reason, bulk=BULK)) from None  # fmt: skip
    if code == 404:
        return None
    if code == 410:
        found = _json_or_empty(body)
        return {**found, "slettedato": found.get("slettedato") or "?"}
    if code >= 400:
        raise BrregError(say(lang, "Enhetsregisteret answered {code} for {url}; try again later.",
                             "Enhetsregisteret svarte {code} for {url}; prøv igjen senere.",
                             code=code, url=url))  # fmt: skip
    try:
        if len(body) > MAX_ANSWER:
            raise ValueError("over the limit")
        return json.loads(body)
    except (ValueError, RecursionError):  # JSONDecodeError is a ValueError
        raise BrregError(say(lang,
            "Enhetsregisteret answered {url} with something that is not its JSON; try again "
            "later, or use its file with --from FILE.",
            "Enhetsregisteret svarte på {url} med noe som ikke er JSON; prøv igjen senere, "
            "eller bruk registerets fil med --from FIL.", url=url)) from None  # fmt: skip


def _json_or_empty(body: bytes) -> dict:
    try:
        data = json.loads(body or b"{}")
    except (ValueError, RecursionError):
        return {}
    return data if isinstance(data, dict) else {}


def from_file(path: Path, orgs: Iterable[str], lang: str) -> dict[str, Entity]:
    """Org number -> entity from the bulk file; org numbers it lacks are marked MISSING."""
    wanted = set(orgs)
    found: dict[str, Entity] = {}
    try:
        with open_text(path) as text:
            for entity in _entities(text, path, lang):
                org = org_key(entity.get("organisasjonsnummer"))
                if org in wanted:
                    found[org] = entity
    except (OSError, EOFError, UnicodeDecodeError, ValueError, RecursionError) as exc:
        raise _bad(path, lang, str(exc)) from None
    return {org: found.get(org, {MISSING: True}) for org in wanted}


def open_text(path: Path) -> IO[str]:
    """The file as text, gunzipped when it is gzip'ed (closing it closes the file)."""
    with open(path, "rb") as probe:
        zipped = probe.read(2) == b"\x1f\x8b"
    binary = gzip.open(path, "rb") if zipped else open(path, "rb")  # noqa: SIM115
    return io.TextIOWrapper(binary, encoding="utf-8-sig", newline="")


def _entities(text: IO[str], path: Path, lang: str) -> Iterator[Entity]:
    first = text.read(1)
    while first.isspace():
        first = text.read(1)
    if first == "[":
        yield from json_objects(text)
    elif first and first not in "{":
        yield from _csv(first + text.readline(), text, path, lang)
    else:
        raise _bad(path, lang, "neither a JSON array of enheter nor CSV")


def json_objects(text: IO[str]) -> Iterator[Entity]:
    """The objects of a JSON array whose '[' is read, one at a time."""
    decoder = json.JSONDecoder()
    buffer, pos = "", 0
    while True:
        chunk = text.read(1 << 16)
        buffer, pos = buffer[pos:] + chunk, 0
        while True:
            while pos < len(buffer) and (buffer[pos].isspace() or buffer[pos] == ","):
                pos += 1
            if buffer.startswith("]", pos):
                return
            try:
                entity, pos = decoder.raw_decode(buffer, pos)
            except json.JSONDecodeError:
                if not chunk:
                    raise
                break
            if isinstance(entity, dict):
                yield entity
        if not chunk:
            raise json.JSONDecodeError("the array is not closed", buffer, pos)


def _csv(header: str, text: IO[str], path: Path, lang: str) -> Iterator[Entity]:
    """CSV rows (',' or ';'), dotted headers unflattened ('naeringskode1.kode')."""
    delimiter = ";" if header.count(";") > header.count(",") else ","
    names = next(csv.reader([header], delimiter=delimiter))
    if "organisasjonsnummer" not in names:
        raise _bad(path, lang, "no column organisasjonsnummer")
    for row in csv.reader(text, delimiter=delimiter):
        entity: dict[str, object] = {}
        for name, cell in zip(names, row, strict=False):
            if cell != "":
                _put(entity, name.split("."), _cell(name, cell))
        yield entity


def _cell(name: str, cell: str) -> object:
    if name in _FLAGS:
        return cell.strip().lower() in ("true", "ja", "j", "1")
    return cell


def _put(entity: dict, parts: list[str], value: object) -> None:
    for part in parts[:-1]:
        entity = entity.setdefault(part, {})
        if not isinstance(entity, dict):
            return
    entity[parts[-1]] = value


def _bad(path: Path, lang: str, why: str) -> BrregError:
    return BrregError(say(lang,
        "{f}: cannot read it as Enhetsregisteret's file of enheter ({why}). Use the JSON or CSV "
        "file from {bulk}, gzip'ed or not.",
        "{f}: kan ikke lese den som Enhetsregisterets fil med enheter ({why}). Bruk JSON- eller "
        "CSV-fila fra {bulk}, gzip-et eller ikke.", f=path.name, why=why, bulk=BULK))  # fmt: skip
