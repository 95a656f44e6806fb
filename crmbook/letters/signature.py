"""Put the sender's signature (Settings: Signature file) into a template's signature space.

The signature space is the picture whose alt text (description) is ``crmbook:signature``; the
shipped templates have a transparent one under "Med vennlig hilsen". Its image is swapped for
the signature file before the template is compiled, so every letter copies it as bytes; the box
keeps its height and takes the signature's proportions.
"""

from __future__ import annotations

import re
from pathlib import Path

from crmbook.core.i18n import say
from crmbook.errors import UsageError
from crmbook.letters.engine import LetterTemplate
from crmbook.letters.logo import check_image, fit_height, image_size, swap_image
from crmbook.zipraw import Member

MARK = "crmbook:signature"
_MAIN = "word/document.xml"
_DRAWING = re.compile(rb"<w:drawing>.*?</w:drawing>", re.S)
_BLIP = re.compile(rb'<a:blip\b[^>]*\br:embed="([^"]+)"')


def place_signature(members: list[Member], image: Path, lang: str = "en") -> list[Member]:
    """The template's members with the signature space's picture replaced by ``image``."""
    ext = check_image(image, ("Signature file", "Signaturfil"), lang)
    data = image.read_bytes()
    xml = {m.name: m for m in members}[_MAIN].content()
    for drawing in _DRAWING.finditer(xml):
        found = _BLIP.search(drawing.group(0))
        if f'descr="{MARK}"'.encode() in drawing.group(0) and found:
            fitted = fit_height(drawing.group(0), image_size(data))
            new = xml[: drawing.start()] + fitted + xml[drawing.end() :]
            return swap_image(members, _MAIN, new, found.group(1).decode(), data, ext)
    raise UsageError(
        say(
            lang,
            "the template has no signature space for the Signature file setting: add a picture "
            "where the signature goes and give it the alt text {mark} in Word, or clear the "
            "setting.",
            "malen har ingen plass for Signaturfil-innstillingen: sett inn et bilde der "
            "signaturen skal stå og gi det alternativ tekst {mark} i Word, eller tøm "
            "innstillingen.",
            mark=MARK,
        )
    )


class SignedTemplate(LetterTemplate):
    """A letter template whose signature space holds the sender's signature."""

    def __init__(
        self, path: Path, *, lang: str = "nb", logo: Path | None = None, signature: Path
    ) -> None:
        self._signature = Path(signature)
        super().__init__(path, lang=lang, logo=logo)

    def _patched_sources(self) -> dict[str, str]:
        """The signature goes in before the parts are patched and compiled."""
        self._members = place_signature(self._members, self._signature, self.lang)
        return super()._patched_sources()
