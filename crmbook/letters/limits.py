"""Limits on what one letter may cost, so a template cannot exhaust the machine.

A template is code: ``{{ company|center(200000000) }}`` asks for 200 MB of spaces, nested
``{% for %}`` loops over ``range(100000)`` run for hours. Each letter renders under a budget:

- no single text may grow beyond ``MAX_TEXT`` characters (checked *before* ``center``,
  ``ljust``, ``%``/``format`` widths, ``replace``, ``indent``, ``wordwrap``, ``~`` and ``+`` make
  it), no ``range`` or ``slice`` beyond ``MAX_RANGE`` items;
- every ``{% for %}`` loop counts its turns against ``MAX_STEPS`` per letter;
- the text a letter produces is counted as it is made — every ``{{ … }}`` value (Jinja's
  ``finalize``, so also what a macro or a ``{% set %}`` block collects before output) and the
  template's own text on every loop turn — and stopped at ``MAX_OUTPUT`` characters;
- the wall clock is looked at on loop turns and calls: ``MAX_SECONDS`` per letter.

Going over raises ``LetterTooBig`` (an ``OverflowError``) naming the limit and the paragraph of
the template that was running; the letters action adds the template's file and the customer.
"""

from __future__ import annotations

import functools
import re
import sys
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from types import FrameType

from jinja2 import Environment, Template, nodes
from jinja2.nodes import EvalContext
from jinja2.runtime import markup_join
from jinja2.visitor import NodeTransformer

from crmbook.core.i18n import say

#: Characters in one text value (a width, a repeat, a replacement, a join).
MAX_TEXT = 1_000_000
#: Items of one ``range`` or ``slice``: a letter never needs more.
MAX_RANGE = 10_000
#: Turns of all ``{% for %}`` loops of one letter together.
MAX_STEPS = 200_000
#: Characters one letter produces: its values and the Word XML its loops repeat (a letter is
#: about 30,000; a purchases table of 10,000 rows about 15 million).
MAX_OUTPUT = 20_000_000
#: Seconds to render one letter (a letter takes about a millisecond).
MAX_SECONDS = 10.0

LOOP_FILTER = "crmbook_loop"
CONCAT_FILTER = "crmbook_concat"
_TEMPLATE_FILE = "<template>"  # the file name Jinja gives the code of a template from a string
_XML_TAG = re.compile(r"<[^>]+>")
#: A ``%`` conversion's width and precision (or ``*``: taken from the arguments).
_PERCENT = re.compile(r"%(?:\([^)]*\))?[-#0 +]*(\*|\d*)(?:\.(\*|\d*))?")
#: A ``{}`` field's format spec, and a field nested in one (a width taken from the arguments).
_BRACE_SPEC = re.compile(r"\{[^{}:]*:([^{}]*)\}")
_NESTED = re.compile(r"\{[^{}]*\{")
_DIGITS = re.compile(r"\d+")


class LetterTooBig(OverflowError):
    """A letter would go over one of the limits; the message says which and where."""


@dataclass
class Limits:
    """The figures one letter is held to (tests lower them to prove each one)."""

    text: int = MAX_TEXT
    range: int = MAX_RANGE
    steps: int = MAX_STEPS
    output: int = MAX_OUTPUT
    seconds: float = MAX_SECONDS


class Budget:
    """What the letter being rendered has used so far; ``start`` before each letter."""

    def __init__(self, lang: str, limits: Limits | None = None) -> None:
        self.lang = lang
        self.limits = limits or Limits()
        self.deadline = float("inf")
        self.steps = 0
        self.written = 0  # characters the letter has produced so far (also into a variable)
        self.cap = self.limits.output
        self.template: Template | None = None
        self.source = ""

    def start(self, template: Template | None = None, source: str = "") -> None:
        self.deadline = time.monotonic() + self.limits.seconds
        self.steps = self.written = 0
        self.template, self.source = template, source

    def clock(self) -> None:
        """Refuse when the letter has taken longer than its seconds."""
        if time.monotonic() > self.deadline:
            self.refuse(
                "the letter takes longer than {n} seconds to make",
                "brevet tar mer enn {n} sekunder å lage",
                n=f"{self.limits.seconds:g}",
            )

    def step(self, size: int = 0, turns: int = 1) -> None:
        """Loop turns, whose body writes ``size`` characters of the template's own text each."""
        self.steps += turns
        if self.steps > self.limits.steps:
            self.refuse(
                "the template's loops turn more than {n} times for one letter",
                "malens løkker går mer enn {n} ganger for ett brev",
                n=_number(self.limits.steps, self.lang),
            )
        if size:
            self.wrote(size * turns)
        if turns > 1 or not self.steps & 255:
            self.clock()

    def wrote(self, size: int) -> None:
        """Count characters the letter produces; refuse past its limit."""
        self.written += size
        if self.written > self.limits.output:
            self.refuse(
                "the letter grows beyond {m} characters",
                "brevet blir lenger enn {m} tegn",
                m=_number(self.limits.output, self.lang),
            )

    def finalize(self, value: object) -> object:
        """Jinja's ``finalize``: every ``{{ … }}`` value, counted (also inside a macro, a
        ``{% set %}`` or ``{% filter %}`` block, which Jinja collects before output); blanks
        print as nothing. Runs for every value of every letter: kept to the bare minimum."""
        if value is None:
            return ""
        if isinstance(value, str):
            self.written += len(value)
            if self.written > self.cap:
                self.wrote(0)
        return value

    def text(self, size: int) -> None:
        """Refuse a text of ``size`` characters before it is made."""
        if size > self.limits.text:
            self.refuse(
                "a text of {n} characters is too long for a letter (at most {m})",
                "en tekst på {n} tegn er for lang for et brev (høyst {m})",
                n=_number(size, self.lang),
                m=_number(self.limits.text, self.lang),
            )

    def items(self, count: int) -> None:
        """Refuse a range or slice of ``count`` items before it is made."""
        if count > self.limits.range:
            self.refuse(
                "a range of {n} items is too long for a letter (at most {m})",
                "en rekke på {n} elementer er for lang for et brev (høyst {m})",
                n=_number(count, self.lang),
                m=_number(self.limits.range, self.lang),
            )

    def refuse(self, en: str, nb: str, **values: object) -> None:
        """Raise LetterTooBig, naming the paragraph of the template that is running."""
        message = say(self.lang, en, nb, **values)
        paragraph = self._paragraph()
        if paragraph:
            message += say(
                self.lang, ", in the paragraph “{p}”", ", i avsnittet «{p}»", p=paragraph
            )
        raise LetterTooBig(message)

    def _paragraph(self) -> str:
        """The visible text of the template line that is running (one paragraph a line)."""
        template = self.template
        frame = _running(sys._getframe(1))
        if template is None or frame is None:
            return ""
        lines = self.source.splitlines()
        lineno = template.get_corresponding_lineno(frame.f_lineno)
        if not 0 < lineno <= len(lines):
            return ""
        text = " ".join(_XML_TAG.sub("", lines[lineno - 1]).split())
        return text if len(text) <= 120 else text[:117] + "…"


def _running(frame: FrameType | None) -> FrameType | None:
    """The innermost template frame in the call stack."""
    while frame is not None and frame.f_globals.get("__file__") != _TEMPLATE_FILE:
        frame = frame.f_back
    return frame


def _number(n: int, lang: str) -> str:
    return f"{n:,}".replace(",", "\u00a0" if lang == "nb" else ",")


def render(budget: Budget, template: Template, source: str, context: Mapping) -> str:
    """The template rendered for one letter under a fresh budget."""
    budget.start(template, source)
    return template.render(context)


class Guarded(NodeTransformer):
    """Every ``{% for %}`` loop's iterable passed through the loop filter, every ``~`` through
    the concat filter, so the budget sees each turn and each joined text."""

    def visit_For(self, node: nodes.For) -> nodes.Node:
        size = nodes.Const(_literal_size(node.body), lineno=node.lineno)
        self.generic_visit(node)
        node.iter = nodes.Filter(node.iter, LOOP_FILTER, [size], [], None, None, lineno=node.lineno)
        return node

    def visit_Concat(self, node: nodes.Concat) -> nodes.Node:
        self.generic_visit(node)
        items = nodes.List(node.nodes, lineno=node.lineno)
        return nodes.Filter(items, CONCAT_FILTER, [], [], None, None, lineno=node.lineno)


def _literal_size(body: list[nodes.Node]) -> int:
    """Characters of the template's own text a loop body writes per turn (nested loops count
    their own turns)."""
    size = 0
    for node in body:
        if isinstance(node, nodes.TemplateData):
            size += len(node.data)
        elif not isinstance(node, nodes.For | nodes.Macro | nodes.CallBlock):
            size += _literal_size(list(node.iter_child_nodes()))
    return size


def guard(tree: nodes.Template) -> nodes.Template:
    """The parsed template with its loops and joins under the budget."""
    return Guarded().visit(tree)


def filters(budget: Budget, builtin: Mapping[str, Callable]) -> dict[str, Callable]:
    """The loop and concat filters, and Jinja's filters that can make a huge text or list
    wrapped with a check of the size they are asked for."""

    def loop(iterable: Iterable, size: int = 0) -> Iterable:
        if isinstance(iterable, list | tuple | range | dict | str):  # the turns known at once
            budget.step(size, len(iterable))
            return iterable
        return _turns(iterable, size)

    def _turns(iterable: Iterable, size: int) -> Iterator:
        for item in iterable:
            budget.step(size)
            yield item

    def concat(parts: list) -> str:
        budget.text(sum(len(p) if isinstance(p, str) else 20 for p in parts))
        return markup_join(parts)

    def checks(name: str, size: Callable[..., None]) -> Callable:
        inner = builtin[name]

        @functools.wraps(inner)
        def checked(*args: object, **kwargs: object) -> object:
            size(*_plain(args), **kwargs)
            return inner(*args, **kwargs)

        return checked

    text, items = budget.text, budget.items
    return {
        LOOP_FILTER: loop,
        CONCAT_FILTER: concat,
        "center": checks("center", lambda v, width=80, **_: text(_int(width))),
        "indent": checks("indent", lambda s, width=4, *a, **_: text(_indented(s, width))),
        "wordwrap": checks("wordwrap", lambda s, w=79, *a, **k: text(_wrapped(s, w, *a, **k))),
        "replace": checks("replace", lambda s, old, new, *a, **_: text(_replaced(s, old, new))),
        "format": checks("format", lambda v, *a, **k: _format(budget, v, (*a, *k.values()))),
        "slice": checks("slice", lambda v, slices, *a, **_: items(_int(slices))),
        "batch": checks("batch", lambda v, n, *a, **_: items(_int(n))),
        "join": checks("join", lambda v, d="", *a, **_: text(joined_size(v, d))),
        "tojson": checks("tojson", lambda v, indent=None, **_: text(_int(indent) * 100)),
    }


def _plain(args: tuple) -> tuple:
    """A filter's arguments without the environment or eval context Jinja passes first."""
    while args and isinstance(args[0], Environment | EvalContext):
        args = args[1:]
    return args


def _int(value: object) -> int:
    return value if isinstance(value, int) else 0


def _text(value: object) -> str:
    return value if isinstance(value, str) else str(value)


def _indented(s: object, width: object) -> int:
    text = _text(s)
    per_line = _int(width) if isinstance(width, int) else len(_text(width))
    return len(text) + (text.count("\n") + 1) * per_line


def _wrapped(
    s: object, width: object, *args: object, wrapstring: object = None, **_: object
) -> int:
    text = _text(s)
    wrap = args[1] if len(args) > 1 else wrapstring
    lines = len(text) // max(_int(width), 1) + text.count(" ") + 1
    return len(text) + lines * len(_text(wrap or "\n"))


def _replaced(s: object, old: object, new: object) -> int:
    text, old, new = _text(s), _text(old), _text(new)
    return len(text) + text.count(old) * max(len(new) - len(old), 0)


def joined_size(items: object, sep: object) -> int:
    """The length of ``sep.join(items)``: the separators, and the texts of a list or tuple."""
    count = len(items) if hasattr(items, "__len__") else 0  # type: ignore[arg-type]
    texts = (
        sum(len(i) for i in items if isinstance(i, str)) if isinstance(items, list | tuple) else 0
    )
    return texts + count * len(_text(sep))


def _format(budget: Budget, text: object, args: tuple) -> None:
    """Widths and precisions in a ``%`` or ``{}`` format, and any taken from the arguments."""
    text = _text(text)
    percent = [n for spec in _PERCENT.findall(text) for n in spec]
    sizes = [int(n) for n in percent if n.isdigit()]
    sizes += [int(n) for spec in _BRACE_SPEC.findall(text) for n in _DIGITS.findall(spec)]
    budget.text(max(sizes, default=0))
    if "*" in percent or _NESTED.search(text):
        budget.text(max((a for a in args if isinstance(a, int)), default=0))


def format_checked(budget: Budget, text: str, args: object) -> None:
    """The check of ``text % args`` (the ``%`` operator)."""
    values = args if isinstance(args, tuple) else (args,)
    _format(budget, text, values)
