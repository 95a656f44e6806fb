"""Check a letter template before any letter is written.

Every problem is a value naming what is wrong and where a person would look for it in Word: the
unknown field with the nearest known one, the paragraph holding a syntax error, the tag that
tries to reach outside the sandbox (Python internals, files, other templates).
"""

from __future__ import annotations

import difflib
import re
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from jinja2 import TemplateSyntaxError, nodes

from crmbook.core.i18n import say
from crmbook.core.letters import known_fields
from crmbook.errors import CrmbookError
from crmbook.letters.engine import LetterTemplate
from crmbook.letters.parts import LetterEnvironment, canonical_xml, environment
from crmbook.letters.signature import SignedTemplate

_XML_TAG = re.compile(r"<[^>]+>")
_PART_NAMES = {
    "document": ("the letter", "brevet"),
    "header": ("the page header", "topptekst"),
    "footer": ("the page footer", "bunntekst"),
}
_SENDER = frozenset({"sender", "avsender"})
_PURCHASES = frozenset({"purchases", "kjop"})
_NO_FILTER = re.compile(r"No filter named '([^']+)'")
_NOT_CLOSED = re.compile(r"innermost block that needs to be closed is '(\w+)'")
#: Jinja's syntax errors most people meet, said in Norwegian before Jinja's own words.
_SYNTAX_NB = (
    ("Unexpected end of template", "en {% … %}-blokk som åpnes her, lukkes aldri"),
    ("Encountered unknown tag", "ukjent kode i {% … %}"),
    ("unexpected", "uventet tegn i en kode"),
    ("expected token", "en kode er ikke skrevet ferdig"),
    ("unexpected end of template", "en kode er ikke skrevet ferdig"),
)


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


def load(
    path: Path, lang: str, logo: Path | None = None, signature: Path | None = None
) -> LetterTemplate:
    """The compiled template (with the sender's logo and signature in place), or
    TemplateCheckError listing every problem found."""
    try:
        if signature is None:
            template = LetterTemplate(path, lang=lang, logo=logo)
        else:
            template = SignedTemplate(path, lang=lang, logo=logo, signature=signature)
    except TemplateSyntaxError as exc:
        problem = syntax_problem(exc, lang, _original(Path(path), exc.name))
        raise TemplateCheckError(Path(path), [problem], lang) from None
    problems = check(template, lang)
    if problems:
        raise TemplateCheckError(Path(path), problems, lang)
    return template


def paragraph_at(source: str, lineno: int | None, original: str = "") -> str:
    """The visible text of the paragraph on a line of the patched XML (one paragraph a line).

    docxtpl joins paragraphs when a tag opened in one is never closed there (``{{ company }``);
    given the part's ``original`` XML, such a line is quoted as the first paragraph it joined."""
    lines = source.splitlines()
    if not lineno or not 0 < lineno <= len(lines):
        return ""
    text = _visible(lines[lineno - 1])
    return _first_joined(text, [_visible(line) for line in _paragraph_lines(original)]) or text


def _visible(line: str) -> str:
    return " ".join(_XML_TAG.sub("", line).split())


def _paragraph_lines(xml: str) -> list[str]:
    return re.sub(r"<w:p([ >])", r"\n<w:p\1", xml).splitlines()


def _first_joined(text: str, paragraphs: list[str]) -> str | None:
    """The first of two or more consecutive paragraphs whose texts, joined, are ``text``."""
    squeezed = "".join(text.split())
    if not squeezed or text in paragraphs:
        return None
    for i, first in enumerate(paragraphs):
        joined = "".join(first.split())
        if not joined or not squeezed.startswith(joined):
            continue
        for later in paragraphs[i + 1 :]:
            joined += "".join(later.split())
            if joined == squeezed:
                return first
            if not squeezed.startswith(joined):
                break
    return None


def _original(path: Path, part: str | None) -> str:
    """A part's XML before docxtpl's pre-processing ("" when it cannot be read)."""
    try:
        with zipfile.ZipFile(path) as z:
            return canonical_xml(z.read(part or "word/document.xml"))
    except (OSError, KeyError, ValueError, zipfile.BadZipFile):
        return ""


def _where(part: str, lang: str) -> str:
    kind = next((k for k in _PART_NAMES if k in part), "document")
    en, nb = _PART_NAMES[kind]
    return say(lang, en, nb)


def syntax_problem(exc: TemplateSyntaxError, lang: str, original: str = "") -> Problem:
    """A Jinja syntax error (or unknown filter), placed at the paragraph holding it; Jinja's own
    words are kept, inside a sentence in the workbook's language."""
    part = exc.name or "word/document.xml"
    source = exc.source or ""
    unknown = _NO_FILTER.match(exc.message or "")
    if unknown:
        return _unknown_filter(part, source, unknown.group(1), lang)
    text = paragraph_at(source, _opening_line(source, exc) or exc.lineno, original)
    nb = next((nb for start, nb in _SYNTAX_NB if (exc.message or "").startswith(start)), "")
    message = say(
        lang,
        "syntax error in {w}, paragraph “{p}”: {e}",
        "syntaksfeil i {w}, avsnittet «{p}»: {n}(Jinja: {e})",
        w=_where(part, lang),
        p=text,
        n=nb + " " if nb else "",
        e=exc.message,
    )
    return Problem("syntax", part, "", text, None, message)


def _opening_line(source: str, exc: TemplateSyntaxError) -> int | None:
    """For a block never closed, the line of its opening tag (Jinja points at the end)."""
    block = _NOT_CLOSED.search(exc.message or "")
    if not block or not source:
        return None
    name, opened, after_begin = block.group(1), [], False
    try:
        for lineno, kind, value in LetterEnvironment().lex(source):
            if kind == "whitespace":
                continue
            if kind == "block_begin":
                after_begin = True
                continue
            if after_begin and kind == "name":
                if value == name:
                    opened.append(lineno)
                elif value == "end" + name and opened:
                    opened.pop()
            after_begin = False
    except TemplateSyntaxError:
        return None
    return opened[-1] if opened else None


def _unknown_filter(part: str, source: str, name: str, lang: str) -> Problem:
    known = sorted(f for f in environment(lang).filters if not f.startswith("crmbook_"))
    near = difflib.get_close_matches(name, known, n=1, cutoff=0.6)
    text = _paragraph_with(source, name)
    hint = say(lang, " (did you mean {s}?)", " (mente du {s}?)", s=near[0]) if near else ""
    message = say(
        lang,
        "unknown filter {n} in {w}, paragraph “{p}”{h}",
        "ukjent filter {n} i {w}, avsnittet «{p}»{h}",
        n=name,
        w=_where(part, lang),
        p=text,
        h=hint,
    )
    return Problem("unknown filter", part, name, text, near[0] if near else None, message)


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
    for node in tree.find_all(nodes.Name):
        if node.name == "self":  # the template object itself: {{ self }}, self.blocks
            yield "self", "self"
    for node in tree.find_all(nodes.Filter):
        first = node.args[0] if node.args else None
        if node.name == "attr" and isinstance(first, nodes.Const) and str(first.value)[:1] == "_":
            yield f"attr({first.value!r})", "attr"
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
