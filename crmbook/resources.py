"""Where the shipped workbooks and letter templates are, installed or in a source checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def shipped(folder: str) -> Path:
    """The folder of shipped files ('workbook' or 'letter_templates').

    A wheel carries them in ``crmbook/data/``; an editable install or a checkout has them at
    the repository's top level.
    """
    for candidate in (_PACKAGE / "data" / folder, _PACKAGE.parent / folder):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError(f"crmbook's shipped folder {folder!r} is missing; reinstall crmbook.")
