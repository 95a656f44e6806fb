"""The Brønnøysund registers' codes the Customers sheet holds: NACE industry codes and
organisation forms.

Industry code: the Norwegian standard for industrial classification (SN2007, NACE Rev. 2 with
a national fifth digit), written ``dd.ddd`` as Enhetsregisteret writes ``naeringskode1.kode``
(``55.101`` Drift av hoteller). Org form: Enhetsregisteret's ``organisasjonsform.kode``; the
list is the register's own (data.brreg.no/enhetsregisteret/api/organisasjonsformer), with its
Norwegian descriptions.
"""

from __future__ import annotations

import re

#: An SN2007 code as the register writes it.
NACE = re.compile(r"[0-9]{2}\.[0-9]{3}")
_NACE_LOOSE = re.compile(r"([0-9]{2})[ .,]?([0-9]{3})")

ORG_FORMS: dict[str, str] = {
    "AAFY": "Underenhet til ikke-næringsdrivende",
    "ADOS": "Administrativ enhet - offentlig sektor",
    "ANNA": "Annen juridisk person",
    "ANS": "Ansvarlig selskap med solidarisk ansvar",
    "AS": "Aksjeselskap",
    "ASA": "Allmennaksjeselskap",
    "BA": "Selskap med begrenset ansvar",
    "BBL": "Boligbyggelag",
    "BEDR": "Underenhet til næringsdrivende og offentlig forvaltning",
    "BO": "Andre bo",
    "BRL": "Borettslag",
    "DA": "Ansvarlig selskap med delt ansvar",
    "ENK": "Enkeltpersonforetak",
    "EOFG": "Europeisk økonomisk foretaksgruppe",
    "ESEK": "Eierseksjonssameie",
    "FKF": "Fylkeskommunalt foretak",
    "FLI": "Forening/lag/innretning",
    "FYLK": "Fylkeskommune",
    "GFS": "Gjensidig forsikringsselskap",
    "IKJP": "Andre ikke-juridiske personer",
    "IKS": "Interkommunalt selskap",
    "KBO": "Konkursbo",
    "KF": "Kommunalt foretak",
    "KIRK": "Den norske kirke",
    "KOMM": "Kommune",
    "KS": "Kommandittselskap",
    "KTRF": "Kontorfellesskap",
    "NUF": "Norskregistrert utenlandsk foretak",
    "OPMV": "Særskilt oppdelt enhet, jf. mval. § 2-2",
    "ORGL": "Organisasjonsledd",
    "PERS": "Andre enkeltpersoner som registreres i tilknyttet register",
    "PK": "Pensjonskasse",
    "PRE": "Partrederi",
    "SA": "Samvirkeforetak",
    "SAM": "Tingsrettslig sameie",
    "SE": "Europeisk selskap",
    "SF": "Statsforetak",
    "SPA": "Sparebank",
    "STAT": "Staten",
    "STI": "Stiftelse",
    "SÆR": "Annet foretak iflg. særskilt lov",
    "TVAM": "Tvangsregistrert for MVA",
    "UTLA": "Utenlandsk enhet",
    "VPFO": "Verdipapirfond",
}


def nace_code(value: object) -> str | None:
    """The code in the register's form (``55.101``) when ``value`` has exactly one reading as
    one: ``55101``, ``55 101``, ``55,101``, or the number 55.1 that Excel made of ``55.100``;
    else None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        if not 0 <= value < 100:
            return None
        text = f"{value:06.3f}"
        return text if abs(float(text) - value) < 1e-9 else None
    found = _NACE_LOOSE.fullmatch(str(value).strip())
    return f"{found.group(1)}.{found.group(2)}" if found else None


def org_form(value: object) -> str | None:
    """The register's code of an org form typed in any case ('as' -> 'AS'), or None."""
    code = str(value).strip().upper()
    return code if code in ORG_FORMS else None
