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
from jinja2.utils import generate_lorem_ipsum
from lxml import etree

from crmbook.core import textchars
from crmbook.letters.filters import filters
from crmbook.letters.limits import Budget, Limits, format_checked, guard, joined_size, render
from crmbook.letters.limits import filters as guarded_filters

XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n'
#: Parts that may carry tags besides the main document.
_TAGGABLE = re.compile(r"^word/(header\d*|footer\d*|footnotes|endnotes)\.xml$")
_TAG = re.compile(r"\{[{%#]")
_PARA_ID = re.compile(r' w14:(?:paraId|textId)="[0-9A-Fa-f]+"')
#: A drawing's id: unique within a document.
DOCPR = re.compile(r'(<wp:docPr\b[^>]*?\bid=")\d+(")')
#: A bookmark: its name may appear once in a document.
BOOKMARK = re.compile(r"<w:bookmark(?:Start|End)\b[^>]*/>")
#: Names a letterhead may use and still be the same for every letter of a batch.
BATCH_ONLY = frozenset({"sender", "campaign", "today", "avsender", "kampanje", "dato"})
#: Context name of the drawing-id counter that keeps ``wp:docPr`` ids unique in a document.
DOCPR_COUNTER = "crmbook_drawing_id"
_MAX_BITS = 4096
#: ``str`` methods that take a width or make a longer text, and how long it would be.
_SIZED: dict[str, Callable[..., int]] = {
    "center": lambda s, width, *_: width,
    "ljust": lambda s, width, *_: width,
    "rjust": lambda s, width, *_: width,
    "zfill": lambda s, width: width,
    "expandtabs": lambda s, tabsize=8: len(s) + s.count("\t") * tabsize,
    "replace": lambda s, old, new, *_: len(s) + s.count(old) * max(len(new) - len(old), 0),
    "join": lambda s, items: joined_size(items, s),
}
#: Keywords Jinja adds to a call inside a loop or block (``Context.call`` drops them).
_JINJA_KWARGS = frozenset({"_loop_vars", "_block_vars"})
#: Methods that grow a list, set or dict in place, and by how many items.
_GROWING: dict[str, Callable[..., int]] = {
    "append": lambda *_: 1,
    "add": lambda *_: 1,
    "insert": lambda *_: 1,
    "setdefault": lambda *_: 1,
    "extend": lambda items: len(items) if hasattr(items, "__len__") else 0,
    "update": lambda items=(), **more: (len(items) if hasattr(items, "__len__") else 0) + len(more),
}


class LetterEnvironment(SandboxedEnvironment):
    """Jinja's sandbox under a letter's budget (``crmbook.letters.limits``): ``range``,
    ``**``, ``*``, ``+``, ``%``, ``str.format`` and the ``str`` methods that make long texts are
    checked before they run, every call looks at the clock, so a template cannot stop the batch
    by computing a huge number or a huge text, or by running for ever."""

    intercepted_binops = frozenset({"**", "*", "+", "%"})

    def __init__(self, *args: object, limits: Limits | None = None, lang: str = "nb", **kw: object):
        self.budget = Budget(lang, limits)
        super().__init__(*args, finalize=self.budget.finalize, **kw)
        self.globals["range"] = self._range
        self.globals["lipsum"] = self._lipsum
        self.filters.update(guarded_filters(self.budget, self.filters))

    def _range(self, *args: int) -> range:
        rng = range(*args)
        self.budget.items(len(rng))
        return rng

    def _lipsum(self, n: int = 5, html: bool = True, min: int = 20, max: int = 100) -> str:
        self.budget.items(n if isinstance(n, int) else 0)
        self.budget.text(max * 12 if isinstance(max, int) else 0)  # words of up to 12 letters
        return generate_lorem_ipsum(n, html, min, max)

    def call_binop(self, context: object, operator: str, left: object, right: object) -> object:
        if operator == "**" and _too_big_power(left, right):
            en, nb = "{l} ** {r} is too big for a letter", "{l} ** {r} er for stort for et brev"
            self.budget.refuse(en, nb, l=left, r=right)
        if operator == "*":
            self.budget.text(_repeated(left, right))
        elif operator == "+" and _sized(left) and _sized(right):
            self.budget.text(len(left) + len(right))  # type: ignore[arg-type]
        elif operator == "%" and isinstance(left, str):
            format_checked(self.budget, left, right)
        return super().call_binop(context, operator, left, right)

    def call(__self, __context: object, __obj: object, *args: object, **kwargs: object) -> object:
        __self.budget.clock()
        owner, name = getattr(__obj, "__self__", None), getattr(__obj, "__name__", "")
        given = {k: v for k, v in kwargs.items() if k not in _JINJA_KWARGS}
        size: object = 0
        try:
            if isinstance(owner, str) and name in _SIZED:
                size = _SIZED[name](owner, *args, **given)
            elif isinstance(owner, list | set | dict) and name in _GROWING:
                size = len(owner) + _GROWING[name](*args[-1:], **given)
        except (TypeError, ValueError):
            size = 0  # the call itself will say what is wrong with its arguments
        __self.budget.text(size if isinstance(size, int) else 0)
        return super().call(__context, __obj, *args, **kwargs)

    def wrap_str_format(self, value: object) -> Callable[..., str] | None:
        wrapped = super().wrap_str_format(value)
        if wrapped is None:
            return None
        text = value.__self__  # type: ignore[attr-defined]

        def checked(*args: object, **kwargs: object) -> str:
            format_checked(self.budget, text, (*args, *kwargs.values()))
            return wrapped(*args, **kwargs)

        return checked


def _too_big_power(left: object, right: object) -> bool:
    if not isinstance(left, int | float) or not isinstance(right, int | float):
        return False
    return abs(left) > 1 and right * math.log2(abs(left)) > _MAX_BITS


def _sized(value: object) -> bool:
    return isinstance(value, str | list | tuple)


def _repeated(left: object, right: object) -> int:
    """How many items ``left * right`` makes of a text or list (0 for numbers)."""
    for seq, times in ((left, right), (right, left)):
        if _sized(seq) and isinstance(times, int):
            return len(seq) * times  # type: ignore[arg-type]
    return 0


def environment(lang: str, limits: Limits | None = None) -> LetterEnvironment:
    """Jinja for letters: sandboxed (no files, imports or Python internals), XML-escaping every
    value (so 'Hansen & Sønn AS' and '<Fjord>' print as typed), blanks printed as nothing,
    every letter under the budget of ``limits``."""
    env = LetterEnvironment(autoescape=True, limits=limits, lang=lang)
    env.filters.update(filters(lang))
    return env


def patch(tpl: DocxTemplate, xml: str) -> str:
    """docxtpl's cleaning of Word XML, with a line per paragraph so errors can name it."""
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", tpl.patch_xml(xml))


def encoded(xml: str) -> bytes:
    """A rendered part as UTF-8, without a character XML forbids: values are cleaned before
    they reach a template (``crmbook.core.letters``), this catches what a template makes itself
    (``"\\x0b"``, ``"%c"|format(1)``). The bytes are searched in C, the rare hit cleaned."""
    try:
        data = xml.encode("utf-8")
    except UnicodeEncodeError:  # a lone surrogate
        return textchars.cleaned(xml).encode("utf-8")
    return textchars.cleaned(xml).encode("utf-8") if textchars.forbidden_bytes(data) else data


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
        """The part's XML for one letter, under the letter's budget."""
        env = self.template.environment
        return render(env.budget, self.template, self.source, context)  # type: ignore[attr-defined]


def compile_part(env: SandboxedEnvironment, name: str, source: str) -> Compiled:
    """Parse and compile once; TemplateSyntaxError propagates with the part, its source and the
    line (= paragraph), also for an unknown filter or test (found while compiling)."""
    tree = env.parse(source, name=name)
    try:
        names = frozenset(meta.find_undeclared_variables(tree))
        template = env.from_string(guard(tree))
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


def body_source(body: str) -> str:
    """The body made safe to repeat in one document: drawing ids from a counter, no paragraph
    ids (the combined file drops bookmarks and numbers the drawings on)."""
    body = _PARA_ID.sub("", body)
    return DOCPR.sub(r"\g<1>{{ " + DOCPR_COUNTER + r"() }}\g<2>", body)


def id_counter(start: int = 1000) -> Callable[[], int]:
    """A fresh drawing-id counter for one document."""
    state = [start]

    def next_id() -> int:
        state[0] += 1
        return state[0]

    return next_id
