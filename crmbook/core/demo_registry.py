"""What the Brønnøysund registers would say of a demo company, derived from what the demo
already drew (its industry and name), so adding it changed no other demo value."""

from __future__ import annotations

from crmbook.core.registry_codes import ORG_FORMS

#: Industry -> a typical SN2007 (NACE) code and its text, as Enhetsregisteret writes them.
NACE = {
    "Construction": ("41.200", "Oppføring av bygninger"),
    "Consulting": ("70.220", "Bedriftsrådgivning og annen administrativ rådgivning"),
    "Education": ("85.590", "Annen undervisning ikke nevnt annet sted"),
    "Finance": ("64.190", "Bankvirksomhet ellers"),
    "Health": ("86.211", "Allmenn legetjeneste"),
    "Hospitality": ("55.101", "Drift av hoteller, pensjonater og moteller med restaurant"),
    "IT": ("62.010", "Programmeringstjenester"),
    "Manufacturing": ("25.110", "Produksjon av metallkonstruksjoner og deler"),
    "Public sector": ("84.110", "Generell offentlig administrasjon"),
    "Retail": ("47.190", "Butikkhandel med bredt vareutvalg ellers"),
    "Transport": ("49.410", "Godstransport på vei"),
}


def registry_facts(company: str, industry: str, year: int) -> dict[str, object]:
    """What Brønnøysund says of a demo company: its NACE code from the industry, its org form
    from the name (no legal form in the name: a sole proprietorship), ``year`` as the year of
    its turnover. Drawn from no random numbers, so the rest of the demo stays as it was."""
    code, text = NACE[industry]
    last = company.rsplit(" ", 1)[-1]
    form = last if last in ORG_FORMS else "ENK"
    return {"Industry code": code, "Industry text": text, "Org form": form,
            "Org form text": ORG_FORMS[form], "Turnover year": year}  # fmt: skip
