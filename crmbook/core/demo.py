"""Fictional demo registers: Norwegian companies, purchases, a past campaign and known mistakes.

Pure and deterministic per seed (no clock, no I/O), so tests and the shipped demo workbook can
rely on every value. Records use English field names and canonical English list values; the
builder translates them into the workbook's language. ``Demo.mistakes`` lists the errors planted
on purpose, so a test can check that the validator finds each of them.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass

from stdnum.no import orgnr

from crmbook.core import schema as s
from crmbook.core.demo_registry import registry_facts

REFERENCE_DATE = dt.date(2026, 11, 1)  # "today" of the demo: no purchase on or after it
FIRST_PURCHASE = dt.date(2022, 1, 1)
CAMPAIGN = {"en": "Winter 2025", "nb": "Vinter 2025"}
CAMPAIGN_SENT = dt.date(2025, 1, 14)
CAMPAIGN_TEMPLATE = {"en": "winter-accommodation-offer.docx", "nb": "vintertilbud-overnatting.docx"}
MIN_CUSTOMERS_FOR_MISTAKES = 10
#: Name draws in a row that hit a used name before the larger family-name space is drawn from;
#: small demos never get there, so the shipped demo workbook keeps its names.
_MAX_MISSES = 50

Record = dict[str, object]


def _words(text: str, sep: str | None = None) -> tuple[str, ...]:
    """A word list written as one string, so long lists stay a few lines."""
    return tuple(w.strip() for w in text.split(sep) if w.strip())


_PREFIXES = _words("""
Bølgen Fjordgløtt Nordlys Havbris Skjærgården Bjørkeli Solstrand Vestkyst Lofoten
Ærø Østerhus Hardanger Fosen Kvitfjell Måkeskjær Tindeberg Sjøbris Granli Elvebakken Furulund
Lysefjord Åsgård Blåbær Grønnåsen Midtbyen Bryggen Kystlys Polarlys Sørvest Nordkapp Vindheim
Trollheimen Jøkul Sølvberg Gullhaug Fløyen Ulriken Stølen Hamarøy Nærøy Tjøme Lindesnes Ålgård
Kråkerøy Hvaler Bjørnstad Fagerli Rødberg Snøhetta Værøy""")

#: Industry -> words that make a company name sound like it.
_TRADES = {
    "Construction": ("Bygg", "Entreprenør", "Tak & Fasade", "Anlegg", "Rørleggerservice"),
    "Consulting": ("Rådgivning", "Consult", "Partner", "Prosjektledelse"),
    "Education": ("Kompetanse", "Akademi", "Kurssenter", "Fagskole"),
    "Finance": ("Regnskap", "Revisjon", "Finans", "Forsikring"),
    "Health": ("Helse", "Tannklinikk", "Fysioterapi", "Legesenter"),
    "Hospitality": ("Fjellstue", "Gjestegård", "Catering", "Kro"),
    "IT": ("Data", "IT", "Software", "Digital"),
    "Manufacturing": ("Mekaniske", "Industri", "Verft", "Trelast", "Sjømat"),
    "Public sector": ("Havnevesen", "Kulturhus", "Brannvesen"),
    "Retail": ("Handel", "Sport", "Interiør", "Blomster"),
    "Transport": ("Transport", "Logistikk", "Frakt", "Rederi"),
}
_SUFFIXES = ("AS",) * 12 + ("ASA", "& Søn AS", "& Co AS", "SA", "ANS", "")
_PUBLIC_SUFFIXES = ("KF", "IKS")

#: (postal code, city, landline prefix, department key); leading zeros as in Posten's register.
_PLACES = (
    ("0150", "Oslo", "22", "east"), ("0151", "Oslo", "22", "east"),
    ("0152", "Oslo", "22", "east"), ("0154", "Oslo", "23", "east"),
    ("0158", "Oslo", "22", "east"), ("0160", "Oslo", "23", "east"),
    ("0164", "Oslo", "22", "east"), ("0250", "Oslo", "22", "east"),
    ("0255", "Oslo", "23", "east"), ("0450", "Oslo", "22", "east"),
    ("0560", "Oslo", "23", "east"), ("0661", "Oslo", "22", "east"),
    ("1530", "Moss", "69", "east"), ("1606", "Fredrikstad", "69", "east"),
    ("2317", "Hamar", "62", "east"), ("2609", "Lillehammer", "61", "east"),
    ("3015", "Drammen", "32", "east"), ("3110", "Tønsberg", "33", "east"),
    ("4005", "Stavanger", "51", "west"), ("4006", "Stavanger", "51", "west"),
    ("4610", "Kristiansand", "38", "west"), ("5003", "Bergen", "55", "west"),
    ("5004", "Bergen", "55", "west"), ("5006", "Bergen", "55", "west"),
    ("5013", "Bergen", "55", "west"), ("5015", "Bergen", "55", "west"),
    ("6002", "Ålesund", "70", "west"), ("6004", "Ålesund", "70", "west"),
    ("7010", "Trondheim", "73", "north"), ("7011", "Trondheim", "73", "north"),
    ("7013", "Trondheim", "73", "north"), ("8006", "Bodø", "75", "north"),
    ("8300", "Svolvær", "76", "north"), ("9007", "Tromsø", "77", "north"),
    ("9008", "Tromsø", "77", "north"), ("9600", "Hammerfest", "78", "north"),
)  # fmt: skip
#: (country en, country nb, postal code, city, phone) of the few customers abroad.
_ABROAD = (
    ("Sweden", "Sverige", "411 19", "Göteborg", "+46 31 123 45 67"),
    ("Denmark", "Danmark", "1050", "København K", "+45 33 12 34 56"),
)
_STREETS = _words(
    """Storgata|Kongens gate|Strandkaien|Bryggen|Dronningens gate|Munkegata|Sjøgata|
    Karl Johans gate|Øvre Slottsgate|Torggata|Kirkegata|Nedre Vollgate|Løkkeveien|Fjordveien|
    Industriveien|Havnegata|Skolegata|Bjørnstjerne Bjørnsons gate|Sandviksbodene|Ørnes vei""",
    "|",
)
_FIRST = _words("""
Kari Ola Åse Bjørn Sigrid Ørjan Mette Håkon Ingrid Lars Solveig Jørgen Eirik Ragnhild
Tor Siv Nils Aud Knut Marit Øystein Hege Stian Trine Per Linn Ståle Gro Espen Tone""")
_LAST = _words("""
Hansen Johansen Olsen Larsen Andersen Pedersen Nilsen Kristiansen Jensen Karlsen
Johnsen Pettersen Eriksen Berg Haugen Hagen Dahl Jørgensen Halvorsen Lund Sørensen Strand
Solberg Bakken Moen Lie Ødegård Sæther Aasen Bråten""")
_TITLES = {
    "en": ("Managing director", "CFO", "Marketing manager", "Purchasing manager",
           "HR manager", "Office manager"),
    "nb": ("Daglig leder", "Økonomisjef", "Markedssjef", "Innkjøpsleder", "HR-leder",
           "Kontorleder"),
}  # fmt: skip
_DEPARTMENTS = {
    "east": ("Sales East", "Salg Øst", ("Kari Nordmann", "Per Holm")),
    "west": ("Sales West", "Salg Vest", ("Ingrid Solheim", "Eirik Vik")),
    "north": ("Sales North", "Salg Nord", ("Marit Eide", "Tor Aune")),
}
_GROUPS = _words(
    """Nordlys Gruppen AS|Fjordkonsernet AS|Vestland Holding AS|Polar Invest AS|
    Kystgruppen AS|Ærø Eiendom Holding AS|Trøndelag Partner AS|Sørlandsgruppen AS""",
    "|",
)
_NOTES = {
    "en": ("Wants an offer for the Christmas party", "Conference every autumn",
           "Call before visiting", "Prefers invoices by e-mail", "Asked about group rates"),
    "nb": ("Ønsker tilbud på julebord", "Fast konferanse hver høst", "Ring før besøk",
           "Vil ha faktura på e-post", "Spurte om grupperabatt"),
}  # fmt: skip
#: Product -> (weight, lowest, highest amount in NOK).
_PRODUCTS = {
    "Conference": (3, 25_000, 400_000),
    "Accommodation": (3, 5_000, 150_000),
    "Meeting room": (4, 3_000, 40_000),
    "Banquet": (2, 20_000, 250_000),
    "Restaurant": (4, 1_000, 30_000),
}


@dataclass(frozen=True)
class Mistake:
    """A deliberate error in the demo: where it is and what the validator should say about it."""

    sheet: str  # English sheet key
    row: int  # Excel row number
    field: str  # English field name
    value: object
    problem: str


@dataclass(frozen=True)
class Demo:
    """A demo register's records, in sheet order from Excel row 2."""

    customers: tuple[Record, ...]
    purchases: tuple[Record, ...]
    mailings: tuple[Record, ...]
    mistakes: tuple[Mistake, ...]

    def rows(self) -> dict[str, list[Record]]:
        """Records per English sheet key, as the builder takes them."""
        return {
            s.CUSTOMERS: list(self.customers),
            s.PURCHASES: list(self.purchases),
            s.MAILINGS: list(self.mailings),
        }


def generate(n: int, seed: int = 1, lang: str = "nb") -> Demo:
    """``n`` fictional customers with purchases, one past campaign and the planted mistakes."""
    rng = random.Random(f"crmbook-demo-{seed}")
    names = _company_names(rng, n)
    org_numbers = _org_numbers(rng, n)
    customers = [_customer(rng, i + 1, names[i], org_numbers[i], lang) for i in range(n)]
    purchases = _purchases(rng, customers)
    mailings = _mailings(rng, customers, lang)
    mistakes = _plant_mistakes(rng, customers, purchases, lang)
    return Demo(tuple(customers), tuple(purchases), tuple(mailings), tuple(mistakes))


def _company_names(rng: random.Random, n: int) -> list[tuple[str, str, str]]:
    """``n`` (company, industry, web domain), unique without the legal form so that no two
    companies share a domain (shared e-mail addresses would be validation warnings)."""
    seen: set[str] = set()
    names: list[tuple[str, str, str]] = []
    industries = list(_TRADES)
    misses, family = 0, False
    while len(names) < n:
        industry = rng.choice(industries)
        family = family or misses > _MAX_MISSES  # place names used up (~38,000): owners' names
        if family:
            core = _family_core(rng, industry)
        else:
            parts = [rng.choice(_PREFIXES), rng.choice(_TRADES[industry])]
            if len(seen) > 1000 and rng.random() < 0.8:  # plain names run out: add a town
                parts.append(rng.choice(_PLACES)[1])
            core = " ".join(parts)
        if core in seen:
            misses += 1
            continue
        misses = 0
        seen.add(core)
        suffix = rng.choice(_PUBLIC_SUFFIXES if industry == "Public sector" else _SUFFIXES)
        names.append((f"{core} {suffix}".strip(), industry, _slug(core) + ".no"))
    return names


def _family_core(rng: random.Random, industry: str) -> str:
    """A name in the other common Norwegian shape, after the owners: "Berg & Lie Bygg Hamar"."""
    owners = rng.choice(_LAST)
    if rng.random() < 0.6:
        owners = f"{owners} & {rng.choice(_LAST)}"
    return f"{owners} {rng.choice(_TRADES[industry])} {rng.choice(_PLACES)[1]}"


def _org_numbers(rng: random.Random, n: int) -> list[str]:
    """``n`` unique valid organisation numbers (9 digits, MOD11 check digit by python-stdnum)."""
    found: list[str] = []
    seen: set[str] = set()
    while len(found) < n:
        base = f"{rng.choice('89')}{rng.randrange(10**7):07d}"
        check = -orgnr.checksum(base + "0") % 11  # the digit that makes the weighted sum 0
        number = f"{base}{check}"
        if check < 10 and number not in seen:  # no check digit exists for some bases
            seen.add(number)
            found.append(number)
    return found


def _slug(text: str) -> str:
    table = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "ö": "o", "&": "-", " ": "-"})
    kept = "".join(c for c in text.lower().translate(table) if c.isalnum() or c == "-")
    return "-".join(p for p in kept.split("-") if p)


def _phone(rng: random.Random, landline: str) -> str:
    """A valid Norwegian number: a landline of the region or a mobile, in common spellings."""
    if rng.random() < 0.6:
        digits = f"{landline}{rng.randint(1, 9)}{rng.randrange(10**5):05d}"
        text = " ".join(digits[i : i + 2] for i in range(0, 8, 2))
    else:
        digits = f"{rng.choice(('41', '46', '47', '48', '9'))}{rng.randrange(10**7):07d}"[:8]
        text = f"{digits[:3]} {digits[3:5]} {digits[5:]}"
    return f"+47 {text}" if rng.random() < 0.3 else text


def _size(rng: random.Random) -> tuple[int, int]:
    """Turnover in NOK and head count that belong together (about 1.2–3 M NOK per person)."""
    turnover = round(10 ** rng.uniform(6.3, 9.5), -3)
    employees = max(1, round(turnover / rng.uniform(1.2e6, 3e6)))
    return int(turnover), employees


def _customer(
    rng: random.Random, cid: int, name: tuple[str, str, str], org: str, lang: str
) -> Record:
    company, industry, domain = name
    status = "Customer" if rng.random() < 0.72 else "Prospect"
    first, last = rng.choice(_FIRST), rng.choice(_LAST)
    mailbox = f"{_slug(first)}.{_slug(last)}" if rng.random() < 0.7 else "post"
    if rng.random() < 0.015:
        country_en, country_nb, postal, city, phone = rng.choice(_ABROAD)
        country, org_text, region = (country_nb if lang == "nb" else country_en), None, "east"
    else:
        postal, city, landline, region = rng.choice(_PLACES)
        country, phone = None, _phone(rng, landline)
        org_text = f"{org[:3]} {org[3:6]} {org[6:]}" if rng.random() < 0.3 else org
    turnover, employees = _size(rng)
    dept_en, dept_nb, managers = _DEPARTMENTS[region]
    remark = _pick(rng, (("Bad payer", 0.04), ("Disputed invoice", 0.02), ("Credit stop", 0.01)))
    return {
        "Customer ID": cid,
        "Company": company,
        "Org number": org_text,
        "Status": status,
        "Group": rng.choice(_GROUPS) if rng.random() < 0.12 else None,
        "Contact person": f"{first} {last}",
        "Title": rng.choice(_TITLES[lang]),
        "Address": f"{rng.choice(_STREETS)} {rng.randint(1, 120)}",
        "Postal code": postal,
        "City": city,
        "Country": country,
        "Email": f"{mailbox}@{domain}",
        "Phone": phone,
        "Industry": industry,
        "Turnover (NOK)": turnover if rng.random() < 0.95 else None,
        "Turnover band": s.turnover_band(turnover),
        "Profitability (%)": round(rng.gauss(6, 7), 1) if rng.random() < 0.9 else None,
        "Employees": employees,
        "Employee band": s.employee_band(employees),
        "Remark": remark if status == "Customer" else None,
        "No marketing": _pick(rng, (("Yes", 0.03), ("No", 0.85))),
        "Department": dept_nb if lang == "nb" else dept_en,
        "Account manager": rng.choice(managers),
        "Notes": rng.choice(_NOTES[lang]) if rng.random() < 0.1 else None,
        **registry_facts(company, industry, REFERENCE_DATE.year - 1),
    }


def _pick(rng: random.Random, choices: tuple[tuple[str, float], ...]) -> str | None:
    """One of the values with its probability, or None for the rest."""
    x = rng.random()
    for value, p in choices:
        if x < p:
            return value
        x -= p
    return None


def _purchases(rng: random.Random, customers: list[Record]) -> list[Record]:
    """1–8 purchases per customer (none for prospects) since 2022, in date order like a log."""
    products = list(_PRODUCTS)
    weights = [w for w, _, _ in _PRODUCTS.values()]
    span = (REFERENCE_DATE - FIRST_PURCHASE).days
    rows = []
    for c in customers:
        if c["Status"] != "Customer":
            continue
        for _ in range(rng.randint(1, 8)):
            product = rng.choices(products, weights)[0]
            _, low, high = _PRODUCTS[product]
            rows.append(
                {
                    "Customer ID": c["Customer ID"],
                    "Date": FIRST_PURCHASE + dt.timedelta(days=rng.randrange(span)),
                    "Product": product,
                    "Amount (NOK)": round(rng.uniform(low, high), -2),
                    "Note": None,
                }
            )
    rows.sort(key=lambda r: (r["Date"], r["Customer ID"]))
    return rows


def _mailings(rng: random.Random, customers: list[Record], lang: str) -> list[Record]:
    """The past campaign: a quarter of the markable customers, with a mix of responses."""
    campaign = CAMPAIGN[lang]
    rows = []
    for c in customers:
        if c["No marketing"] == "Yes" or rng.random() >= 0.25:
            continue
        response = _pick(rng, (("No response", 0.55), ("Negative", 0.15), ("Positive", 0.2)))
        answered = response in ("Negative", "Positive")
        rows.append(
            {
                "Mailing ID": len(rows) + 1,
                "Campaign": campaign,
                "Customer ID": c["Customer ID"],
                "Company": c["Company"],
                "Template": CAMPAIGN_TEMPLATE[lang],
                "Date sent": CAMPAIGN_SENT,
                "Letter file": f"letters/{campaign}/{c['Customer ID']:05d}.docx",
                "Response": response,
                "Response date": (
                    CAMPAIGN_SENT + dt.timedelta(days=rng.randint(3, 40)) if answered else None
                ),
                "Note": None,
            }
        )
    return rows


def _plant_mistakes(
    rng: random.Random, customers: list[Record], purchases: list[Record], lang: str
) -> list[Mistake]:
    """Put the classic typing mistakes into a few customers (and one purchase) and list them."""
    if len(customers) < MIN_CUSTOMERS_FOR_MISTAKES:
        return []
    home = [i for i, c in enumerate(customers) if c["Country"] is None]
    bad_org, postal, email, text, band, *pair = rng.sample(home, 7)
    original, dup = sorted(pair)  # the later row is the duplicate
    c = customers
    org = str(c[bad_org]["Org number"]).replace(" ", "")
    c[bad_org]["Org number"] = org[:8] + str((int(org[8]) + 1) % 10)
    c[postal].update({"Postal code": 150, "City": "Oslo"})
    c[email]["Email"] = "ola@"
    c[text].update({"Employees": "ca. 50" if lang == "nb" else "about 50", "Employee band": None})
    c[band].update({"Employees": 250, "Employee band": "10–49"})
    first = str(c[original]["Org number"]).replace(" ", "")
    c[dup]["Org number"] = f"{first[:3]} {first[3:6]} {first[6:]}"
    ghost = len(customers) + 1000
    purchases.append(
        {"Customer ID": ghost, "Date": dt.date(2026, 3, 2), "Product": "Banquet",
         "Amount (NOK)": 48_500.0, "Note": None}
    )  # fmt: skip

    def at(i: int, name: str, problem: str) -> Mistake:
        return Mistake(s.CUSTOMERS, i + 2, name, c[i][name], problem)

    return [
        at(bad_org, "Org number", "org number fails the MOD11 check"),
        at(postal, "Postal code", "postal code typed as the number 150 (leading zero lost)"),
        at(email, "Email", "e-mail address without a domain"),
        at(text, "Employees", "text in a number column"),
        at(band, "Employee band", "employee band disagrees with Employees (250)"),
        at(dup, "Org number", f"same org number as row {original + 2}"),
        Mistake(s.PURCHASES, len(purchases) + 1, "Customer ID", ghost,
                "purchase for a customer ID that does not exist"),
    ]  # fmt: skip
