"""Characters XML 1.0 forbids: what they are called, and the text without them.

A paste from Word brings its own control characters into a cell: a vertical tab (U+000B) where
Word had a manual line break, U+001E for a non-breaking hyphen, U+001F for an optional hyphen,
U+0001 for a picture's anchor. Excel stores them (escaped as ``_x000B_``), but a letter, a
combined print file or another program's XML reader refuses the whole file that holds one.
Pure: the checks, the letters' contexts and the Issues sheet share this one definition.
"""

from __future__ import annotations

import re

#: Free-text columns, where Word's line break stays a line break.
MULTILINE = frozenset({"Notes", "Note"})
#: Everything XML 1.0 forbids: C0 controls but tab, line feed and carriage return; lone
#: surrogates; the non-characters U+FFFE and U+FFFF.
FORBIDDEN = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Every byte but the C0 controls (what ``bytes.translate`` deletes to find them).
_NOT_CONTROL = bytes(range(32, 256))
_LONG = 256  # characters from which the byte search is the faster one
#: Line breaks from Word (vertical tab, form feed), with the spaces around them.
_BREAK = re.compile("[ \t]*[\x0b\x0c][ \t]*")
#: What the characters stand for in a paste from Word, (en, nb).
_NAMES = {
    "\x00": ("a null character", "et nulltegn"),
    "\x01": ("a picture anchor from Word", "et bildeanker fra Word"),
    "\x07": ("a table-cell end from Word", "et cellemerke fra Word"),
    "\x08": ("a backspace", "en tilbaketast"),
    "\x0b": ("a line break from Word", "et linjeskift fra Word"),
    "\x0c": ("a page break from Word", "et sideskift fra Word"),
    "\x1e": ("a non-breaking hyphen from Word", "en hard bindestrek fra Word"),
    "\x1f": ("an optional hyphen from Word", "en myk bindestrek fra Word"),
    "\ufffe": ("a non-character", "et ikke-tegn"),
    "\uffff": ("a non-character", "et ikke-tegn"),
}
#: Replacements that keep what Word showed; every other forbidden character is dropped.
_KEPT = {"\x1e": "\u2011"}  # the non-breaking hyphen Unicode has


def has_forbidden(text: str) -> bool:
    """Whether the text holds a character XML cannot carry. A long text (a whole column joined)
    is looked at as UTF-8 bytes, three times faster than the pattern: the control bytes are
    picked out in C (``bytes.translate``), a lone surrogate cannot be encoded."""
    if len(text) < _LONG:
        return FORBIDDEN.search(text) is not None
    try:
        return forbidden_bytes(text.encode("utf-8"))
    except UnicodeEncodeError:
        return True


def forbidden_bytes(data: bytes) -> bool:
    """Whether UTF-8 text holds a character XML cannot carry (lone surrogates aside: UTF-8
    cannot hold them)."""
    if data.translate(None, _NOT_CONTROL).translate(None, b"\t\n\r"):
        return True
    # U+FFFE, U+FFFF: a one-byte search (memchr) first, the rare hit looked at closely
    return b"\xef" in data and (b"\xef\xbf\xbe" in data or b"\xef\xbf\xbf" in data)


def found(text: str) -> list[str]:
    """The distinct forbidden characters of a text, in order of appearance."""
    return list(dict.fromkeys(FORBIDDEN.findall(text)))


def code(char: str) -> str:
    """'U+000B'."""
    return f"U+{ord(char):04X}"


def described(char: str, lang: str) -> str:
    """'U+000B (a line break from Word)', in the workbook's language."""
    if "\ud800" <= char <= "\udfff":
        en, nb = "half of a character", "et halvt tegn"
    else:
        en, nb = _NAMES.get(char, ("a control character", "et kontrolltegn"))
    return f"{code(char)} ({nb if lang == 'nb' else en})"


def cleaned(text: str, *, newlines: bool = False) -> str:
    """The text without forbidden characters: Word's line and page breaks become a line break
    (``newlines``) or one space, its non-breaking hyphen U+2011, anything else is removed."""
    if not has_forbidden(text):
        return text
    text = _BREAK.sub("\n" if newlines else " ", text)
    for char, repl in _KEPT.items():
        text = text.replace(char, repl)
    return FORBIDDEN.sub("", text)


def marked(text: str) -> str:
    """The text with each forbidden character shown as U+FFFD, for a cell that quotes it."""
    return FORBIDDEN.sub("\ufffd", text)
