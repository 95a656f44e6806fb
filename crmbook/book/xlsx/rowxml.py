"""A new worksheet row written as XML text, not built element by element.

Building a ``<c>`` with its ``<is><t>`` or ``<v>`` through lxml costs about 40 µs a cell: 6 s for
the 150,000 cells of a large Recipients sheet. The same row as text, parsed once, gives the very
element the cell-by-cell path builds (same attributes in the same order) in a fraction of that.
"""

from __future__ import annotations

from collections.abc import Sequence

from crmbook.book.xlsx.cells import CellValue, Kind
from crmbook.book.xlsx.sheet import cell_ref
from crmbook.book.xlsx.xmltext import escape

#: Characters XML would not keep as they are in text (a carriage return becomes a line feed).
_TEXT_ENTITIES = {"\r": "&#13;"}


def row_xml(prefix: str, number: int, cells: Sequence[tuple[int, int, CellValue]]) -> bytes:
    """``<row r=…>`` holding (column, format, value) cells in column order, as
    ``Worksheet.put`` would make them in a row that did not exist."""
    parts = [f'<{prefix}row r="{number}">']
    for col, style, value in cells:
        head = f'<{prefix}c r="{cell_ref(number, col)}"' + (f' s="{style}"' if style else "")
        if value.kind is Kind.BLANK:
            parts.append(head + "/>")
        elif value.kind is Kind.TEXT:
            text = value.text
            space = (
                ' xml:space="preserve"'
                if text != text.strip() or "\n" in text or "\t" in text
                else ""
            )
            parts.append(
                f'{head} t="inlineStr"><{prefix}is><{prefix}t{space}>'
                f"{escape(text, _TEXT_ENTITIES)}</{prefix}t></{prefix}is></{prefix}c>"
            )
        else:
            kind = ' t="b"' if value.kind is Kind.BOOL else ""
            parts.append(f"{head}{kind}><{prefix}v>{escape(value.text)}</{prefix}v></{prefix}c>")
    parts.append(f"</{prefix}row>")
    return "".join(parts).encode("ascii", "xmlcharrefreplace")  # as lxml writes a row
