"""Text escaped for XML exactly as ``xml.sax.saxutils`` does it, without that module's imports
(it loads urllib.request, http.client, email and ssl: ~45 ms of every command's start)."""

from __future__ import annotations

from collections.abc import Mapping

_ATTRIBUTE = {"\n": "&#10;", "\r": "&#13;", "\t": "&#9;"}


def escape(data: str, entities: Mapping[str, str] | None = None) -> str:
    """``&``, ``<`` and ``>`` escaped (``&`` first), then each of ``entities`` replaced."""
    data = data.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
    for key, value in (entities or {}).items():
        data = data.replace(key, value)
    return data


def quoteattr(data: str) -> str:
    """An attribute value, escaped and quoted (single quotes when it holds only double ones)."""
    data = escape(data, _ATTRIBUTE)
    if '"' not in data:
        return f'"{data}"'
    if "'" not in data:
        return f"'{data}'"
    return '"{}"'.format(data.replace('"', "&quot;"))
