"""A template's XML parts, pre-processed once with docxtpl's own rules and compiled to Jinja.

docxtpl cleans Word's XML before Jinja sees it (``patch_xml``: tags split across runs, ``{%tr %}``,
``{%p %}``, ``{%tc %}``, ``{%r %}``) and cleans Jinja's output after (``resolve_listing``: line
breaks and tabs in values). We call the same functions, once per template instead of once per
letter, so a template behaves exactly as with docxtpl.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from docxtpl import DocxTemplate
from jinja2 import Template, TemplateSyntaxError, meta
from jinja2.sandbox import SandboxedEnvironment
from lxml import etree

from crmbook.letters.filters import filters

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: Parts that may carry tags besides the main document.
_TAGGABLE = re.compile(r"^word/(header\d*|footer\d*|footnotes|endnotes)\.xml$")
_TAG = re.compile(r"\{[{%#]")
_PARA_ID = re.compile(r' w14:(?:paraId|textId)="[0-9A-Fa-f]+"')
_DOCPR = re.compile(r'(<wp:docPr\b[^>]*?\bid=")\d+(")')
_BOOKMARK = re.compile(r"<w:bookmark(?:Start|End)\b[^>]*/>")
#: Names a letterhead may use and still be the same for every letter of a batch.
BATCH_ONLY = frozenset({"sender", "campaign", "today", "avsender", "kampanje", "dato"})
#: Context name of the drawing-id counter that keeps ``wp:docPr`` ids unique in a document.
DOCPR_COUNTER = "crmbook_drawing_id"
_MAX_BITS = 4096
_MAX_ITEMS = 1_000_000


class LetterEnvironment(SandboxedEnvironment):
    """Jinja's sandbox (``range`` capped at MAX_RANGE items), with ``**`` and ``*`` capped too,
    so a template cannot stop the batch by computing a huge number or a huge text."""

    intercepted_binops = frozenset({"**", "*"})

    def call_binop(self, context: object, operator: str, left: object, right: object) -> object:
        if operator == "**" and _too_big_power(left, right):
            raise OverflowError(f"{left!r} ** {right!r} is too big for a letter")
        if operator == "*" and _too_long(left, right):
            raise OverflowError("a text or list of more than 1,000,000 items is too long")
        return super().call_binop(context, operator, left, right)


def _too_big_power(left: object, right: object) -> bool:
    if not isinstance(left, int | float) or not isinstance(right, int | float):
        return False
    return abs(left) > 1 and right * math.log2(abs(left)) > _MAX_BITS


def _too_long(left: object, right: object) -> bool:
    for seq, times in ((left, right), (right, left)):
        if isinstance(seq, str | list | tuple) and isinstance(times, int):
            return len(seq) * times > _MAX_ITEMS
    return False


def environment(lang: str) -> SandboxedEnvironment:
    """Jinja for letters: sandboxed (no files, imports or Python internals), XML-escaping every
    value (so 'Hansen & Sønn AS' and '<Fjord>' print as typed), blanks printed as nothing."""
    env = LetterEnvironment(autoescape=True, finalize=_blank_as_empty)
    env.filters.update(filters(lang))
    return env


def _blank_as_empty(value: object) -> object:
    return "" if value is None else value


def patch(tpl: DocxTemplate, xml: str) -> str:
    """docxtpl's cleaning of Word XML, with a line per paragraph so errors can name it."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))


def finish(tpl: DocxTemplate, xml: str) -> str:
    """docxtpl's clean-up of rendered XML; the costly part only when a value needs it."""
    xml = xml.replace("\n<w:p ", "<w:p ").replace("\n<w:p>", "<w:p>")
    if "{_" in xml or "_}" in xml:
        xml = xml.replace("{_{", "{{").replace("}_}", "}}").replace("{_%", "{%")
        xml = xml.replace("%_}", "%}")
    if any(c in xml for c in "\t\a\n\f"):
        xml = tpl.resolve_listing(xml)
    return xml


def canonical_xml(blob: bytes) -> str:
    """A part's XML as docxtpl sees it: serialised by lxml, without the declaration."""
    return etree.tostring(etree.fromstring(blob), encoding="unicode")


def has_tags(xml: str) -> bool:
    """Whether a part's (patched) XML holds any Jinja tag."""
    return _TAG.search(xml) is not None


def taggable(name: str) -> bool:
    """Whether a zip member is a header, footer, footnotes or endnotes part."""
    return _TAGGABLE.match(name) is not None


@dataclass(frozen=True)
class Compiled:
    """One part's Jinja template and the top-level names it reads."""

    name: str
    source: str
    template: Template
    names: frozenset[str]

    @property
    def batch_only(self) -> bool:
        """True when the part reads only batch-wide names, so it can be rendered once."""
        return self.names <= BATCH_ONLY | {DOCPR_COUNTER}

    def render(self, context: Mapping[str, object]) -> str:
        return self.template.render(context)


def compile_part(env: SandboxedEnvironment, name: str, source: str) -> Compiled:
    """Parse and compile once; TemplateSyntaxError propagates with the part, its source and the
    line (= paragraph), also for an unknown filter or test (found while compiling)."""
    tree = env.parse(source, name=name)
    try:
        names = frozenset(meta.find_undeclared_variables(tree))
        template = env.from_string(tree)
    except TemplateSyntaxError as exc:  # compiling names no part and keeps no source
        exc.name, exc.source = name, source
        raise
    return Compiled(name, source, template, names)


@dataclass(frozen=True)
class Body:
    """The main document split where letters repeat: before the body, the body, the final
    section properties (and everything after)."""

    prefix: str
    body: str
    sect_pr: str
    suffix: str

    @classmethod
    def split(cls, xml: str) -> Body:
        start = xml.index("<w:body>") + len("<w:body>")
        end = xml.rindex("</w:body>")
        sect = xml.rfind("<w:sectPr", start, end)
        if sect < 0 or has_tags(xml[sect:end]):
            sect = end
        return cls(xml[:start], xml[start:sect], xml[sect:end], xml[end:])


def body_source(body: str, *, combined: bool) -> str:
    """The repeating body made safe to repeat: unique drawing ids, no duplicate paragraph ids,
    and (in the combined file) no duplicate bookmarks."""
    body = _PARA_ID.sub("", body)
    body = _DOCPR.sub(r"\g<1>{{ " + DOCPR_COUNTER + r"() }}\g<2>", body)
    return _BOOKMARK.sub("", body) if combined else body


def id_counter(start: int = 1000) -> Callable[[], int]:
    """A fresh drawing-id counter for one document."""
    state = [start]

    def next_id() -> int:
        state[0] += 1
        return state[0]

    return next_id
