"""Our XML escaping is the standard library's, byte for byte, on any text."""

from __future__ import annotations

from xml.sax import saxutils

from hypothesis import given
from hypothesis import strategies as st

from crmbook.book.xlsx.xmltext import escape, quoteattr

TEXT = st.text(st.sampled_from("ab&<>\"'\n\r\tæøå;#x") | st.characters(), max_size=30)


@given(TEXT, st.dictionaries(st.sampled_from(["\n", "\r", "_x", "\t"]), st.text(max_size=4)))
def test_escape_is_saxutils_escape(text: str, entities: dict[str, str]) -> None:
    assert escape(text) == saxutils.escape(text)
    assert escape(text, entities) == saxutils.escape(text, entities)


@given(TEXT)
def test_quoteattr_is_saxutils_quoteattr(text: str) -> None:
    assert quoteattr(text) == saxutils.quoteattr(text)
