"""Messages in the workbook's language, written next to the code that raises them."""

from __future__ import annotations


def say(lang: str, en: str, nb: str, **values: object) -> str:
    """Pick the English or bokmål text and fill in its ``{placeholders}``."""
    return (nb if lang == "nb" else en).format(**values)
