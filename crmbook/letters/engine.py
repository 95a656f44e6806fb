"""Render letters from a docxtpl template fast: prepare once, render only what differs.

``LetterTemplate`` reads the template once, pre-processes and compiles its tagged parts;
``Batch`` (one per campaign) renders the parts that are the same for every letter (a letterhead
that only reads ``sender``, ``campaign`` and ``today``) once, then writes each letter as the
template's unchanged members copied as compressed bytes plus its own rendered parts. The combined
print file takes each letter's body as rendered for its own file (nothing is rendered twice),
each letter in its own section so it starts on a new page under the same letterhead, page
numbers restarting.

Contexts holding docxtpl objects that add parts or relationships to the document (InlineImage,
Subdoc, RichText) are rendered by plain docxtpl instead (slow, but exactly docxtpl's result).
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import BinaryIO

from docxtpl import DocxTemplate, InlineImage, RichText, RichTextParagraph

from crmbook.letters import parts as p
from crmbook.letters.limits import Limits
from crmbook.letters.logo import replace_logo
from crmbook.zipraw import Block, Deflating, Member, ZipWriter, read_members

_MAIN = "word/document.xml"
#: Deflate levels of the combined print file and of each letter's rendered parts: the fastest.
#: Level 6 costs three times as much for a letter of a few kilobytes and saves 250 bytes.
_COMBINED_LEVEL = _LETTER_LEVEL = 1
_PER_DOCUMENT = (InlineImage, RichText, RichTextParagraph)
_NOT_COMBINED = "letters with images or rich text per letter cannot be combined"
_PLAIN = frozenset({str, int, float, bool, type(None), dt.date, dt.datetime})
_SECT_DROP = re.compile(r"<w:(?:type|pgNumType)\b[^>]*/>")
_SECT_BEFORE = re.compile(
    r"<w:(?:cols|formProt|vAlign|noEndnote|titlePg|textDirection|bidi|rtlGutter|docGrid|"
    r"printerSettings|sectPrChange)\b|</w:sectPr>"
)
#: A 1-pt paragraph that ends a letter's section in the combined file.
_BREAK = (
    '<w:p><w:pPr><w:spacing w:before="0" w:after="0" w:line="20" w:lineRule="exact"/>'
    '<w:rPr><w:sz w:val="2"/></w:rPr>{}</w:pPr></w:p>'
)


class LetterTemplate:
    """A .docx template read, pre-processed and compiled once, for any number of letters."""

    def __init__(
        self,
        path: Path,
        *,
        lang: str = "nb",
        logo: Path | None = None,
        limits: Limits | None = None,
    ) -> None:
        self.path = Path(path)
        self.lang = lang
        self.env = p.environment(lang, limits)
        self._tpl = DocxTemplate(str(self.path))
        members = read_members(self.path)
        if logo is not None:
            members = replace_logo(members, Path(logo), lang)
        self._members = members
        self.sources = self._patched_sources()
        main = p.Body.split(self.sources[_MAIN])
        self.main = main
        self.body = p.compile_part(self.env, _MAIN, p.body_source(main.body))
        self.parts = {
            name: p.compile_part(self.env, name, xml)
            for name, xml in self.sources.items()
            if name != _MAIN
        }

    def _patched_sources(self) -> dict[str, str]:
        """Patched XML of the main document and of every other part that has tags."""
        out = {}
        for m in self._members:
            if m.name == _MAIN or p.taggable(m.name):
                xml = p.patch(self._tpl, p.canonical_xml(m.content()))
                if m.name == _MAIN or p.has_tags(xml):
                    out[m.name] = xml
        return out

    def names(self) -> frozenset[str]:
        """Every top-level name the template reads."""
        found = set(self.body.names)
        for part in self.parts.values():
            found |= part.names
        return frozenset(found - {p.DOCPR_COUNTER})

    def batch(self, shared: Mapping[str, object]) -> Batch:
        """Start a batch whose letters all share ``shared`` (sender, campaign, today)."""
        return Batch(self, dict(shared))

    def members(self) -> list[Member]:
        return self._members

    @property
    def docxtpl(self) -> DocxTemplate:
        """The docxtpl object to build InlineImage/RichText values with (they render through
        it, by plain docxtpl)."""
        return self._tpl

    def full_render(self, out: Path | BinaryIO, context: Mapping[str, object]) -> None:
        """Plain docxtpl, for contexts with images, sub-documents or rich text."""
        self.env.budget.start()
        self._tpl.render(dict(context), jinja_env=self.env, autoescape=True)
        self._tpl.save(out)


def needs_full_render(values: Iterable[object]) -> bool:
    """True when a value is a docxtpl object that adds parts or relationships per document
    (looked for in the values and one level down, e.g. in the purchases' rows)."""
    for value in values:
        kind = type(value)
        if kind in _PLAIN:
            continue
        if kind is list or kind is tuple:
            if needs_full_render(v for item in value for v in _inner(item)):
                return True
        elif kind is dict:
            if needs_full_render(v for v in value.values() if type(v) not in (list, tuple)):
                return True
        elif _per_document(value):
            return True
    return False


def _inner(item: object) -> Iterable[object]:
    return item.values() if type(item) is dict else (item,)


def _per_document(value: object) -> bool:
    # Subdoc is matched by name: importing it needs docxcompose, which letters do not.
    return isinstance(value, _PER_DOCUMENT) or (
        type(value).__name__ == "Subdoc" and type(value).__module__.startswith("docxtpl")
    )


class Batch:
    """The letters of one campaign: batch-wide parts rendered once, then one letter at a time."""

    def __init__(self, template: LetterTemplate, shared: dict[str, object]) -> None:
        self.template = template
        self.shared = shared
        self._shared_full = needs_full_render(shared.values())
        self._rendered: dict[str, Member] = {}
        self._per_letter = []
        for name, part in template.parts.items():
            if part.batch_only:
                self._rendered[name] = self._render_part(part, shared)
            else:
                self._per_letter.append(part)
        skip = {_MAIN, *(part.name for part in self._per_letter)}
        self._plan = Block.of(self._fixed(skip, self._rendered))

    def _fixed(self, skip: set[str], rendered: Mapping[str, Member]) -> list[Member]:
        return [rendered.get(m.name, m) for m in self.template.members() if m.name not in skip]

    def _context(self, recipient: Mapping[str, object]) -> dict[str, object]:
        return {**self.shared, **recipient, p.DOCPR_COUNTER: p.id_counter()}

    def _render_part(self, part: p.Compiled, context: Mapping[str, object]) -> Member:
        ctx = {p.DOCPR_COUNTER: p.id_counter(), **context}
        xml = p.XML_DECLARATION + p.finish(self.template.docxtpl, part.render(ctx))
        return Member.deflated(part.name, p.encoded(xml), _LETTER_LEVEL)

    def _full(self, recipient: Mapping[str, object]) -> bool:
        return self._shared_full or needs_full_render(recipient.values())

    def _body(self, context: Mapping[str, object]) -> str:
        """The rendered body of one letter (between ``<w:body>`` and its last section)."""
        return p.finish(self.template.docxtpl, self.template.body.render(context))

    def _wrap(self, body: str) -> str:
        main = self.template.main
        return f"{p.XML_DECLARATION}{main.prefix}{body}{main.sect_pr}{main.suffix}"

    def document(self, recipient: Mapping[str, object]) -> str:
        """The main document XML of one letter."""
        return self._wrap(self._body(self._context(recipient)))

    def body(self, recipient: Mapping[str, object]) -> str:
        """The body of one letter, for a combined file (which cannot hold per-letter images
        or rich text)."""
        if self._full(recipient):
            raise ValueError(_NOT_COMBINED)
        return self._body(self._context(recipient))

    def combined_head(self, first: Mapping[str, object]) -> Block:
        """Every member of a combined file but its main document; headers and footers that
        read recipient fields show the ``first`` recipient's values."""
        rendered = dict(self._rendered)
        context = {**self.shared, **first}
        rendered.update({part.name: self._render_part(part, context) for part in self._per_letter})
        return Block.of(self._fixed({_MAIN}, rendered))

    def write(
        self,
        out: Path | BinaryIO,
        recipient: Mapping[str, object],
        combined: Combined | None = None,
    ) -> None:
        """Write one letter to a path or a binary file, and into ``combined`` (rendered once
        for both)."""
        context = self._context(recipient)
        if self._full(recipient):
            if combined is not None:
                raise ValueError(_NOT_COMBINED)
            self.template.full_render(out, context)
            return
        body = self._body(context)
        members = [Member.deflated(_MAIN, p.encoded(self._wrap(body)), _LETTER_LEVEL)]
        members += [self._render_part(part, context) for part in self._per_letter]
        if isinstance(out, Path | str):
            with open(out, "wb") as fh:
                self._plan.write(fh, members)
        else:
            self._plan.write(out, members)
        if combined is not None:
            combined.add(recipient, body)

    def combined(self, out: Path) -> Combined:
        """The combined print file at ``out``, to add letters to (a context manager)."""
        return Combined(self, out)

    def write_combined(self, out: Path, recipients: Iterable[Mapping[str, object]]) -> int:
        """Write every letter into one document, streamed; returns the number of letters.

        Headers and footers that read recipient fields show the first recipient's values.
        """
        with self.combined(out) as into:
            for recipient in recipients:
                into.add(recipient)
        return into.count


class Combined:
    """Every letter in one document, written as the letters come, each in its own section so
    it starts on a new page under the same letterhead, page numbers restarting.

    A letter's body is the one its own file got: its bookmarks are dropped (a bookmark name may
    appear once in a document) and its drawings numbered on through the file (ids must be
    unique), so nothing is rendered twice. Headers and footers that read recipient fields show
    the first recipient's values.
    """

    def __init__(self, batch: Batch, out: Path) -> None:
        self._batch, self._out = batch, Path(out)
        self._sect = _restarting(batch.template.main.sect_pr)
        self._break = _BREAK.format(self._sect)
        self._ids = p.id_counter()
        self._file: BinaryIO | None = None
        self._zip: ZipWriter | None = None
        self._main: Deflating | None = None
        self.count = 0

    def __enter__(self) -> Combined:
        return self

    def __exit__(self, kind: type[BaseException] | None, *rest: object) -> None:
        if kind is None:
            self.close()
        elif self._file is not None:
            self._file.close()

    def add(self, recipient: Mapping[str, object], body: str | None = None) -> None:
        """Add a letter: ``body`` as its own file got it, or rendered here."""
        if body is None:
            body = self._batch.body(recipient)
        if self._main is None:
            self._main = self._open(recipient)
        body = p.BOOKMARK.sub("", body)
        if "<wp:docPr" in body:
            body = p.DOCPR.sub(lambda m: f"{m.group(1)}{self._ids()}{m.group(2)}", body)
        self._main.write(p.encoded(self._break + body if self.count else body))
        self.count += 1

    def _open(self, first: Mapping[str, object]) -> Deflating:
        head = self._batch.combined_head(first)
        self._file = open(self._out, "wb")  # noqa: SIM115 -- closed by close() or __exit__
        self._zip = ZipWriter(self._file, head)
        main = self._zip.stream(_MAIN, _COMBINED_LEVEL)
        main.write(p.encoded(p.XML_DECLARATION + self._batch.template.main.prefix))
        return main

    def close(self) -> None:
        """Finish the document; a combined file needs at least one letter."""
        if self._main is None or self._zip is None or self._file is None:
            raise ValueError("a combined file needs at least one letter")
        try:
            self._main.write(p.encoded(self._sect + self._batch.template.main.suffix))
            self._main.close()
            self._zip.close()
        finally:
            self._file.close()


def _restarting(sect_pr: str) -> str:
    """A letter's section properties: new page (the default type), page numbers from 1."""
    if not sect_pr:
        return '<w:sectPr><w:pgNumType w:start="1"/></w:sectPr>'
    sect = re.sub(r"^<w:sectPr([^>]*)/>$", r"<w:sectPr\1></w:sectPr>", sect_pr.strip())
    sect = _SECT_DROP.sub("", sect)
    at = _SECT_BEFORE.search(sect)
    assert at is not None  # every sectPr has its closing tag now
    return f'{sect[: at.start()]}<w:pgNumType w:start="1"/>{sect[at.start() :]}'
