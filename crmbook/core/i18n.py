"""Messages in the workbook's language, written next to the code that raises them."""

from __future__ import annotations


def say(lang: str, en: str, nb: str, **values: object) -> str:
    """Pick the English or bokmål text and fill in its ``{placeholders}``."""
    return (nb if lang == "nb" else en).format(**values)


def plural(lang: str, n: int, en: tuple[str, str], nb: tuple[str, str]) -> str:
    """A count with its noun in the right number: '1 rad', '2 rader', '1 row', '2 rows'.

    ``en`` and ``nb`` are (singular, plural); Norwegian, like English, uses the singular for
    exactly one (and the plural for 0: '0 rader')."""
    one, many = nb if lang == "nb" else en
    return f"{n} {one if n == 1 else many}"
