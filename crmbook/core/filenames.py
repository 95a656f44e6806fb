"""File names that fit every file system: at most 255 bytes of UTF-8 per path component.

Cutting by characters is not enough: one emoji is four bytes, so 80 of them are 320.
"""

from __future__ import annotations

#: The longest name (one path component) ext4, NTFS (in UTF-16, more lenient) and APFS accept.
MAX_NAME_BYTES = 255


def fit_bytes(text: str, limit: int) -> str:
    """``text`` cut at a character boundary so its UTF-8 encoding takes at most ``limit`` bytes."""
    if limit <= 0:
        return ""
    raw = text.encode("utf-8")
    if len(raw) <= limit:
        return text
    return raw[:limit].decode("utf-8", "ignore")


def fit_name(prefix: str, stem: str, suffix: str, limit: int = MAX_NAME_BYTES) -> str:
    """``prefix + stem + suffix`` with ``stem`` shortened so the whole name fits ``limit`` bytes;
    the prefix and the suffix (the extension) are kept whole."""
    room = limit - len(prefix.encode("utf-8")) - len(suffix.encode("utf-8"))
    return prefix + fit_bytes(stem, room) + suffix
