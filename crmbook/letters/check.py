"""Check a letter template before any letter is written.

Every problem is a value naming what is wrong and where a person would look for it in Word: the
unknown field with the nearest known one, the paragraph holding a syntax error, the tag that
tries to reach outside the sandbox (Python internals, files, other templates).
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateSyntaxError, nodes

from crmbook.core.i18n import say
from crmbook.core.letters import known_fields
from crmbook.errors import CrmbookError
from crmbook.letters.engine import LetterTemplate

_XML_TAG = re.compile(r"<[^>]+>")
_PART_NAMES = {
    "document": ("the letter", "brevet"),
    "header": ("the page header", "topptekst"),
    "footer": ("the page footer", "bunntekst"),
}
_SENDER = frozenset({"sender", "avsender"})
_PURCHASES = frozenset({"purchases", "kjop"})


class TemplateCheckError(CrmbookError, ValueError):
    """The template cannot be used as it is; ``problems`` says why, each with its place."""

    def __init__(self, template: Path, problems: list[Problem], lang: str) -> None:
        self.problems = problems
        head = say(
            lang, "The template {t} cannot be used:", "Malen {t} kan ikke brukes:", t=template.name
        )
        super().__init__("\n".join([head, *(f"  - {p.message}" for p in problems)]))


@dataclass(frozen=True)
class Problem:
    """One thing wrong with a template."""

    kind: str  # "unknown field", "syntax", "not allowed"
    part: str  # zip member, e.g. word/document.xml
    name: str  # the field or tag at fault ("" for syntax errors)
    paragraph: str  # the paragraph's text, as the user sees it in Word
    suggestion: str | None
    message: str


def load(path: Path, lang: str, logo: Path | None = None) -> LetterTemplate:
    """The compiled template, or TemplateCheckError listing every problem found."""
    try:
        template = LetterTemplate(path, lang=lang, logo=logo)
    except TemplateSyntaxError as exc:
        raise TemplateCheckError(Path(path), [syntax_problem(exc, lang)], lang) from None
    problems = check(template, lang)
    if problems:
        raise TemplateCheckError(Path(path), problems, lang)
    return template


def paragraph_at(source: str, lineno: int | None) -> str:
    """The visible text of the paragraph on a line of the patched XML (one paragraph a line)."""
    lines = source.splitlines()
    if not lineno or not 0 < lineno <= len(lines):
        return ""
    return " ".join(_XML_TAG.sub("", lines[lineno - 1]).split())


def _where(part: str, lang: str) -> str:
    kind = next((k for k in _PART_NAMES if k in part), "document")
    en, nb = _PART_NAMES[kind]
    return say(lang, en, nb)


def syntax_problem(exc: TemplateSyntaxError, lang: str) -> Problem:
    """A Jinja syntax error, placed at the paragraph holding it."""
    part = exc.name or "word/document.xml"
    text = paragraph_at(exc.source or "", exc.lineno)
    message = say(
        lang,
        "syntax error in {w}, paragraph “{p}”: {e}",
        "syntaksfeil i {w}, avsnittet «{p}»: {e}",
        w=_where(part, lang),
        p=text,
        e=exc.message,
    )
    return Problem("syntax", part, "", text, None, message)


def check(template: LetterTemplate, lang: str) -> list[Problem]:
    """Unknown fields and tags the sandbox would refuse, in every tagged part."""
    known = known_fields()
    allowed_top = known[""] | set(template.env.globals)
    problems: list[Problem] = []
    compiled = [template.body, *template.parts.values()]
    for part in compiled:
        tree = template.env.parse(part.source)
        for name in sorted(part.names - allowed_top - {"crmbook_drawing_id"}):
            problems.append(_unknown(part.name, part.source, name, allowed_top, lang))
        for name, choices in _attributes(tree, known):
            problems.append(_unknown(part.name, part.source, name, choices, lang))
        problems += [_refused(part.name, part.source, n, w, lang) for n, w in _unsafe(tree)]
    return problems


def _unknown(part: str, source: str, name: str, choices: Iterable[str], lang: str) -> Problem:
    near = difflib.get_close_matches(name.split(".")[-1], sorted(choices), n=1, cutoff=0.6)
    prefix = name.rsplit(".", 1)[0] + "." if "." in name else ""
    suggestion = prefix + near[0] if near else None
    text = _paragraph_with(source, name.split(".")[-1])
    hint = say(lang, " (did you mean {s}?)", " (mente du {s}?)", s=suggestion) if near else ""
    message = say(
        lang,
        "unknown field {n} in {w}, paragraph “{p}”{h}",
        "ukjent felt {n} i {w}, avsnittet «{p}»{h}",
        n=name,
        w=_where(part, lang),
        p=text,
        h=hint,
    )
    return Problem("unknown field", part, name, text, suggestion, message)


def _refused(part: str, source: str, name: str, word: str, lang: str) -> Problem:
    text = _paragraph_with(source, word)
    message = say(
        lang,
        "not allowed in a letter template: {n} in {w}, paragraph “{p}”",
        "ikke tillatt i en brevmal: {n} i {w}, avsnittet «{p}»",
        n=name,
        w=_where(part, lang),
        p=text,
    )
    return Problem("not allowed", part, name, text, None, message)


def _paragraph_with(source: str, word: str) -> str:
    pattern = re.compile(r"\b" + re.escape(word) + r"\b")
    for i, line in enumerate(source.splitlines(), 1):
        if pattern.search(line) and ("{{" in line or "{%" in line):
            return paragraph_at(source, i)
    return ""


def _attributes(tree: nodes.Template, known: dict) -> Iterator[tuple[str, frozenset[str]]]:
    """``sender.x`` and ``p.x`` (for p in purchases) whose key does not exist."""
    loops = {
        f.target.name
        for f in tree.find_all(nodes.For)
        if isinstance(f.target, nodes.Name)
        and isinstance(f.iter, nodes.Name)
        and f.iter.name in _PURCHASES
    }
    for node in tree.find_all(nodes.Getattr):
        if not isinstance(node.node, nodes.Name) or node.attr.startswith("_"):
            continue
        base = node.node.name
        choices = known["sender"] if base in _SENDER else known["purchases"]
        if (base in _SENDER or base in loops) and node.attr not in choices:
            yield f"{base}.{node.attr}", choices


def _unsafe(tree: nodes.Template) -> Iterator[tuple[str, str]]:
    """Attribute access to Python internals, and tags that would load other files: what to
    show, and the word to find the paragraph by."""
    for node in tree.find_all(nodes.Getattr):
        if node.attr.startswith("_"):
            yield f".{node.attr}", node.attr
    for node in tree.find_all(nodes.Getitem):
        if isinstance(node.arg, nodes.Const) and str(node.arg.value).startswith("_"):
            yield f"[{node.arg.value!r}]", str(node.arg.value)
    for kind, tag in (
        (nodes.Include, "include"),
        (nodes.Import, "import"),
        (nodes.FromImport, "import"),
        (nodes.Extends, "extends"),
    ):
        for _ in tree.find_all(kind):
            yield f"{{% {tag} %}}", tag
