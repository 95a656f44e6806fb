"""Where letters go: safe Windows file names, a campaign folder that stays inside the output
folder, no overwriting without being asked, and a manifest of what was made."""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable, Mapping
from pathlib import Path

from crmbook.core.i18n import say
from crmbook.errors import RefusedError, UsageError

#: Device names Windows refuses as a file name, with or without an extension.
RESERVED = frozenset(
    {"CON", "PRN", "AUX", "NUL", "CONIN$", "CONOUT$"}
    | {f"{d}{i}" for d in ("COM", "LPT") for i in [*"123456789", "¹", "²", "³"]}
)
_FORBIDDEN = re.compile(r'[\\/:*?"<>|\x00-\x1f\x7f]')
#: Letter file names stay short enough for deep folders under Windows' 260-character limit.
MAX_STEM = 80
MANIFEST = "manifest.json"


def safe_name(text: str, max_len: int = MAX_STEM) -> str:
    """One path component Windows, macOS and Linux all accept, as close to ``text`` as can be."""
    name = unicodedata.normalize("NFC", text)
    name = _FORBIDDEN.sub("_", name)
    name = " ".join(name.split())[:max_len].rstrip(". ")
    if not name or set(name) <= {"."}:
        name = "_"
    if name.split(".")[0].upper().rstrip() in RESERVED:
        name = "_" + name
    return name


def letter_file_name(customer_id: int, company: str) -> str:
    """'<customer id> <company>.docx', made safe; unique because customer ids are."""
    return safe_name(f"{customer_id} {company}".strip()) + ".docx"


def campaign_folder(output: Path, campaign: str, lang: str) -> Path:
    """The campaign's folder, one level inside ``output`` whatever the name holds
    ('../x', 'C:\\x', '/etc' become folder names, never paths)."""
    if not campaign.strip():
        raise UsageError(say(lang, "the campaign needs a name", "kampanjen må ha et navn"))
    folder = output / (safe_name(campaign).lstrip(".") or "_")  # no hidden folder either
    if folder.resolve().parent != output.resolve():
        raise UsageError(
            say(
                lang,
                "campaign {c!r} cannot be used as a folder name",
                "kampanjen {c!r} kan ikke brukes som mappenavn",
                c=campaign,
            )
        )
    return folder


def refuse_overwrite(paths: Iterable[Path], overwrite: bool, lang: str) -> None:
    """Refuse before anything is written when letters from an earlier run would be replaced."""
    existing = [p for p in paths if p.exists()]
    if existing and not overwrite:
        shown = ", ".join(p.name for p in existing[:3]) + (" …" if len(existing) > 3 else "")
        raise RefusedError(
            say(
                lang,
                "{n} letter file(s) already exist in {d} ({f}); use --overwrite to replace them",
                "{n} brevfil(er) finnes allerede i {d} ({f}); bruk --overwrite for å erstatte dem",
                n=len(existing),
                d=existing[0].parent,
                f=shown,
            )
        )


def write_manifest(folder: Path, manifest: Mapping[str, object]) -> Path:
    """``manifest.json`` in the campaign folder: what was made from what, for whom."""
    path = folder / MANIFEST
    text = json.dumps(manifest, ensure_ascii=False, indent=2, default=str)
    path.write_text(text + "\n", encoding="utf-8")
    return path
