"""The words of the Selections sheet: derived field names and operators, in bokmål and English.

Kept apart from the engine so the workbook builder, the README and the error messages use the
very same names. Every name is matched with ``vocabulary.norm`` (case- and space-insensitive).
"""

from __future__ import annotations

from enum import StrEnum

from crmbook.core.i18n import say
from crmbook.core.vocabulary import norm

PURCHASED_PRODUCT = "Purchased product"
PURCHASES_TOTAL = "Purchases total (NOK)"
LAST_PURCHASE_DATE = "Last purchase date"
OFFER_RECEIVED = "Offer received"
LAST_RESPONSE = "Last response"
#: The latest response to one campaign: Value ``Vinter 2025: Positive`` (campaign: response).
RESPONSE_TO_OFFER = "Response to offer"
#: How many purchases, optionally of some products in a period (like Purchases total).
NUMBER_OF_PURCHASES = "Number of purchases"
#: Not a customer field: "in (or not in) another saved selection".
SELECTION = "Selection"

#: Derived fields (computed from Purchases and Mailings) and their bokmål names.
DERIVED_NB: dict[str, str] = {
    PURCHASED_PRODUCT: "Kjøpt produkt",
    PURCHASES_TOTAL: "Sum kjøp (NOK)",
    LAST_PURCHASE_DATE: "Siste kjøpsdato",
    OFFER_RECEIVED: "Mottatt tilbud",
    LAST_RESPONSE: "Siste svar",
    RESPONSE_TO_OFFER: "Svar på tilbud",
    NUMBER_OF_PURCHASES: "Antall kjøp",
}
SELECTION_NB = "Utvalg"


class Op(StrEnum):
    """The operators of SPEC §1, valued by their English spelling."""

    EQ = "="
    NE = "<>"
    GT = ">"
    GE = ">="
    LT = "<"
    LE = "<="
    BETWEEN = "between"
    ONE_OF = "one of"
    CONTAINS = "contains"
    STARTS_WITH = "starts with"
    IS_BLANK = "is blank"
    NOT_BLANK = "not blank"


#: Bokmål spelling of each operator, as shown in messages and the funnel of a Norwegian book.
OPERATORS_NB: dict[Op, str] = {
    Op.BETWEEN: "mellom",
    Op.ONE_OF: "en av",
    Op.CONTAINS: "inneholder",
    Op.STARTS_WITH: "starter med",
    Op.IS_BLANK: "er tom",
    Op.NOT_BLANK: "ikke tom",
}

#: Further spellings people type; each operator's own English and bokmål names are added below.
_ALIASES: dict[Op, tuple[str, ...]] = {
    Op.EQ: ("==", "is", "equals", "er", "lik", "er lik"),
    Op.NE: ("!=", "≠", "is not", "not", "ikke", "er ikke", "ulik"),
    Op.GT: ("greater than", "over", "større enn"),
    Op.GE: ("≥", "=>", "at least", "minst"),
    Op.LT: ("less than", "under", "mindre enn"),
    Op.LE: ("≤", "=<", "at most", "høyst"),
    Op.ONE_OF: ("in", "én av", "blant"),
    Op.STARTS_WITH: ("begins with", "begynner med"),
    Op.IS_BLANK: ("blank", "empty", "is empty", "tom", "er blank"),
    Op.NOT_BLANK: ("is not blank", "not empty", "er ikke tom", "ikke blank"),
}

OPERATOR_BY_NORM: dict[str, Op] = {}
for _op in Op:
    for _spelling in (_op.value, OPERATORS_NB.get(_op, _op.value), *_ALIASES.get(_op, ())):
        OPERATOR_BY_NORM[norm(_spelling)] = _op


def operator_name(op: Op, lang: str) -> str:
    """How an operator is written in a workbook of a language."""
    return OPERATORS_NB.get(op, op.value) if lang == "nb" else op.value


def derived_name(name: str, lang: str) -> str:
    """The visible name of a derived field (or of ``Selection``) in a language."""
    if lang != "nb":
        return name
    return SELECTION_NB if name == SELECTION else DERIVED_NB[name]


def derived_field(text: object) -> str | None:
    """The English name of a derived field (or ``Selection``) typed in either language."""
    key = norm(text)
    for en, nb in (*DERIVED_NB.items(), (SELECTION, SELECTION_NB)):
        if key in (norm(en), norm(nb)):
            return en
    return None


def circle_message(lang: str, sheet: str, chain: list[str]) -> str:
    """Selections referring to each other in a circle — said alike by validate and select."""
    if len(chain) == 2:  # a selection naming itself
        return say(
            lang,
            "The selection {name} refers to itself. Remove this Selection criterion.",
            "Utvalget {name} viser til seg selv. Fjern dette Utvalg-kriteriet.",
            name=chain[0],
        )
    return say(
        lang,
        "The selections on the sheet {sheet} refer to each other in a circle: {chain}. "
        "Remove one of these Selection criteria.",
        "Utvalgene på arket {sheet} viser til hverandre i ring: {chain}. "
        "Fjern ett av disse Utvalg-kriteriene.",
        sheet=sheet,
        chain=" → ".join(chain),
    )


class Period(StrEnum):
    """How a period part of a purchase criterion's value bounds the purchase dates."""

    FROM = "from"  # on or after the start of the date or year
    TO = "to"  # on or before the end of the date or year
    IN = "in"  # within the year (or on the date)


#: Words that start a period part ('since 2024', 'fra 01.03.2025'), in both languages.
PERIOD_WORDS: dict[str, Period] = {
    "from": Period.FROM,
    "since": Period.FROM,
    "fra": Period.FROM,
    "siden": Period.FROM,
    "to": Period.TO,
    "until": Period.TO,
    "til": Period.TO,
    "in": Period.IN,
    "i": Period.IN,
}
