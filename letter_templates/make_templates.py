"""Build the shipped letter templates (nb and en) with python-docx, reproducibly.

    python letter_templates/make_templates.py

Each template is a letter on the sender's letterhead: the logo and sender block in the page
header, org number and contact line in the footer, the recipient's address, the offer, a table of
previous purchases and a paragraph only large customers get. Word users edit the .docx files
directly; this script is how the shipped ones are made, so a change here shows up in review.
"""

from __future__ import annotations

import datetime as dt
import struct
import zipfile
import zlib
from pathlib import Path

from docx import Document
from docx.enum.table import WD_ROW_HEIGHT_RULE, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt, RGBColor

HERE = Path(__file__).resolve().parent
LOGO = HERE / "logo.png"
ACCENT = RGBColor(0x1F, 0x4E, 0x79)

WORDS = {
    "nb": {
        "hello": "{% if contact_person %}Hei, {{ contact_person }}!{% else %}Hei!{% endif %}",
        "att": "Att.: {{ contact_person }}",
        "refs": ("Deres ref.", "Vår ref.", "Dato"),
        "bought": "Takk for at dere har valgt oss tidligere. Dette er det siste dere har kjøpt "
        "hos oss:",
        "columns": ("Dato", "Produkt", "Beløp"),
        "regards": "Med vennlig hilsen",
        "footer": "{{ sender.company }} · Org.nr. {{ sender.org_number }} · "
        "Tlf. {{ sender.phone }} · {{ sender.email }}",
    },
    "en": {
        "hello": "{% if contact_person %}Dear {{ contact_person }},{% else %}Dear Sir or Madam,"
        "{% endif %}",
        "att": "Attn: {{ contact_person }}",
        "refs": ("Your ref.", "Our ref.", "Date"),
        "bought": "Thank you for choosing us in the past. This is what you bought from us most "
        "recently:",
        "columns": ("Date", "Product", "Amount"),
        "regards": "Kind regards",
        "footer": "{{ sender.company }} · Org. no. {{ sender.org_number }} · "
        "Phone {{ sender.phone }} · {{ sender.email }}",
    },
}

LETTERS = {
    ("nb", "konferansetilbud"): (
        "Konferansetilbud til {{ company }}",
        [
            "Planlegger {{ company }} fagdag, kick-off eller årsmøte i år? Vi har konferansesaler "
            "for 10 til 400 deltakere, moderne teknisk utstyr og et kjøkken som lager alt fra "
            "lunsjbuffet til festmiddag.",
            "Fordi vi har vært i kontakt før, får dere 15 % rabatt på dagpakken når dere "
            "bestiller innen 30 dager fra datoen på dette brevet.",
        ],
        "Med {{ employees|tall }} ansatte er dere blant de største bedriftene vi samarbeider "
        "med. Dere får en fast kontaktperson for hele arrangementet, og grupperommene er "
        "gratis.",
    ),
    ("nb", "vintertilbud-overnatting"): (
        "Vintertilbud på overnatting for {{ company }}",
        [
            "Vinteren er her, og fra desember til mars har vi gode priser på overnatting på "
            "hverdager: enkeltrom med frokost fra kr 1 095 per natt.",
            "Tilbudet gjelder alle ansatte i {{ company }}. Bestill på telefon "
            "{{ sender.phone }} eller e-post {{ sender.email }}, og oppgi kampanjekoden "
            "«{{ campaign }}».",
        ],
        "For en bedrift med {{ employees|tall }} ansatte tilbyr vi i tillegg en firmaavtale "
        "med faste priser hele året.",
    ),
    ("nb", "brev"): (
        "Til {{ company }}",
        ["Skriv brevet her."],
        "Som en av de største bedriftene vi samarbeider med, har dere en egen kontaktperson "
        "hos oss.",
    ),
    ("en", "conference-offer"): (
        "A conference offer for {{ company }}",
        [
            "Is {{ company }} planning a seminar, kick-off or annual meeting this year? We have "
            "conference rooms for 10 to 400 people, modern equipment and a kitchen that serves "
            "anything from a lunch buffet to a gala dinner.",
            "As we have been in touch before, you get 15% off the day package when you book "
            "within 30 days of the date of this letter.",
        ],
        "With {{ employees|number }} employees you are among the largest companies we work "
        "with. A dedicated contact person will follow your event from start to finish, and "
        "group rooms are free.",
    ),
    ("en", "winter-accommodation-offer"): (
        "A winter accommodation offer for {{ company }}",
        [
            "Winter is here, and from December to March we have good weekday rates: a single "
            "room with breakfast from NOK 1,095 a night.",
            "The offer is open to everyone at {{ company }}. Book by phone {{ sender.phone }} or "
            "email {{ sender.email }} and quote the campaign code “{{ campaign }}”.",
        ],
        "For a company with {{ employees|number }} employees we also offer a corporate "
        "agreement with fixed rates all year.",
    ),
    ("en", "letter"): (
        "To {{ company }}",
        ["Write your letter here."],
        "As one of the largest companies we work with, you have your own contact person with us.",
    ),
}

#: A4 in twips is 11906 x 16838; python-docx takes EMU through Cm/Mm.
PAGE_WIDTH, PAGE_HEIGHT = Mm(210), Mm(297)
#: NS 4129: the address field starts 5 cm from the top and 2.5 cm from the left edge, 8.5 cm
#: wide and 4 cm high, so it shows in the window of a C5 or C4 envelope (window 9 x 4.5 cm).
ADDRESS_TOP, LEFT_MARGIN, ADDRESS_WIDTH, ADDRESS_HEIGHT = Cm(5.0), Cm(2.5), Cm(8.5), Cm(4.0)
TEXT_WIDTH = Cm(16.0)
SIGNATURE = HERE / "signature.png"
#: The purchases table lists the most recent ones, so the letter stays on one page.
RECENT_PURCHASES = 8
#: The signature picture's description: crmbook.letters.signature finds it by this.
SIGNATURE_MARK = "crmbook:signature"


def write_logo(path: Path) -> None:
    """A small two-colour PNG (a dark blue square with a lighter band), written without PIL."""
    width, height = 96, 48

    def pixel(x: int, y: int) -> bytes:
        band = 18 <= y < 30 and x >= 8
        return bytes((0x9D, 0xC3, 0xE6)) if band else bytes((0x1F, 0x4E, 0x79))

    rows = b"".join(b"\x00" + b"".join(pixel(x, y) for x in range(width)) for y in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    png += chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    path.write_bytes(png)


def write_signature_space(path: Path) -> None:
    """A fully transparent PNG: the signature's place, filled by the Signature file setting."""
    width, height = 300, 100
    rows = b"".join(b"\x00" + bytes(4 * width) for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    png = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header)
    png += chunk(b"IDAT", zlib.compress(rows, 9)) + chunk(b"IEND", b"")
    path.write_bytes(png)


def page_setup(doc: Document) -> None:
    """A4 portrait; the top margin puts the first body line, the address, at 5 cm."""
    section = doc.sections[0]
    section.page_width, section.page_height = PAGE_WIDTH, PAGE_HEIGHT
    section.top_margin, section.bottom_margin = ADDRESS_TOP, Cm(2.5)
    section.left_margin = LEFT_MARGIN
    section.right_margin = PAGE_WIDTH - LEFT_MARGIN - TEXT_WIDTH
    section.header_distance, section.footer_distance = Cm(1.2), Cm(1.0)


def letterhead(doc: Document, lang: str) -> None:
    """Logo left and sender block right in the header; org number and contacts in the footer."""
    section = doc.sections[0]
    table = section.header.add_table(1, 2, TEXT_WIDTH)
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    logo_cell, sender_cell = table.rows[0].cells
    logo_cell.paragraphs[0].add_run().add_picture(str(LOGO), height=Cm(1.4))
    section.header.paragraphs[0].text = ""
    lines = ["{{ sender.company }}", "{{ sender.address }}",
             "{{ sender.postal_code }} {{ sender.city }}"]  # fmt: skip
    for i, line in enumerate(lines):
        para = sender_cell.paragraphs[0] if i == 0 else sender_cell.add_paragraph()
        para.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        run = para.add_run(line)
        run.font.size, run.bold = Pt(9), i == 0
        para.paragraph_format.space_after = Pt(0)
    footer = section.footer.paragraphs[0]
    footer.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = footer.add_run(WORDS[lang]["footer"])
    run.font.size, run.font.color.rgb = Pt(8), ACCENT


def address_block(doc: Document, lang: str) -> None:
    """The recipient's address in a fixed 8.5 x 4 cm box at the envelope window; a country
    line in capitals for addresses abroad."""
    table = doc.add_table(rows=1, cols=2)
    row = table.rows[0]
    row.height, row.height_rule = ADDRESS_HEIGHT, WD_ROW_HEIGHT_RULE.EXACTLY
    cell = row.cells[0]
    cell.width, row.cells[1].width = ADDRESS_WIDTH, TEXT_WIDTH - ADDRESS_WIDTH
    lines = ("{{ company }}", "{%p if contact_person %}", WORDS[lang]["att"], "{%p endif %}",
             "{{ address }}", "{{ postal_code }} {{ city }}", "{%p if country_line %}",
             "{{ country_line }}", "{%p endif %}")  # fmt: skip
    for i, line in enumerate(lines):
        para = cell.paragraphs[0] if i == 0 else cell.add_paragraph()
        para.add_run(line)
        para.paragraph_format.space_after = Pt(0)


def reference_line(doc: Document, lang: str) -> None:
    """Deres ref. / Vår ref. / Dato: small labels over the values, under the address field."""
    table = doc.add_table(rows=2, cols=3)
    values = ("{{ contact_person }}", "{{ campaign }}", "{{ today|date }}")
    for col, (label, value) in enumerate(zip(WORDS[lang]["refs"], values, strict=True)):
        top, bottom = table.rows[0].cells[col], table.rows[1].cells[col]
        run = top.paragraphs[0].add_run(label)
        run.font.size, run.font.color.rgb = Pt(8), ACCENT
        top.paragraphs[0].paragraph_format.space_after = Pt(0)
        bottom.paragraphs[0].add_run(value)
    doc.add_paragraph("")


def signature(doc: Document, lang: str) -> None:
    """Closing, then room for a handwritten or scanned signature, then name and title."""
    doc.add_paragraph(WORDS[lang]["regards"]).paragraph_format.space_after = Pt(0)
    doc.add_paragraph("{{ sender.company }}").paragraph_format.space_after = Pt(0)
    run = doc.add_paragraph().add_run()
    run.add_picture(str(SIGNATURE), width=Cm(4.5), height=Cm(1.5))
    run._r.xpath(".//wp:docPr")[0].set("descr", SIGNATURE_MARK)
    for line in ("{{ sender.signature_name }}", "{{ sender.signature_title }}"):
        doc.add_paragraph(line).paragraph_format.space_after = Pt(0)


def purchases_table(doc: Document, lang: str) -> None:
    """The most recent purchases, one row each, shown only when there are any."""
    words = WORDS[lang]
    doc.add_paragraph("{%p if purchases %}")
    doc.add_paragraph(words["bought"])
    table = doc.add_table(rows=4, cols=3)
    table.style = "Light Grid Accent 1"
    look = table._tbl.tblPr.find(qn("w:tblLook"))  # header row styled, first column plain
    if look is not None:  # the old hex form too: 0x0020 header row, 0x0400 no column bands
        look.set(qn("w:firstColumn"), "0")
        look.set(qn("w:val"), "0420")
    for cell, title in zip(table.rows[0].cells, words["columns"], strict=True):
        cell.text = title
    table.rows[1].cells[0].text = "{%tr for p in purchases[-RECENT:] %}".replace(
        "RECENT", str(RECENT_PURCHASES)
    )
    row = table.rows[2].cells
    row[0].text, row[1].text, row[2].text = "{{ p.date|date }}", "{{ p.product }}", ""
    row[2].paragraphs[0].add_run("{{ p.amount_nok|nok }}")
    row[2].paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
    table.rows[3].cells[0].text = "{%tr endfor %}"
    doc.add_paragraph("")  # air between the table and the closing words
    doc.add_paragraph("{%p endif %}")


def build(lang: str, name: str) -> Path:
    """One template file, e.g. letter_templates/konferansetilbud.docx."""
    title, paragraphs, large = LETTERS[(lang, name)]
    doc = Document()
    doc.styles["Normal"].font.name = "Calibri"
    doc.styles["Normal"].font.size = Pt(11)
    doc.styles["Normal"].paragraph_format.space_after = Pt(6)
    doc.styles["Normal"].paragraph_format.line_spacing = 1.0
    page_setup(doc)
    letterhead(doc, lang)
    address_block(doc, lang)
    reference_line(doc, lang)
    heading = doc.add_paragraph().add_run(title)
    heading.bold, heading.font.size, heading.font.color.rgb = True, Pt(14), ACCENT
    doc.add_paragraph(WORDS[lang]["hello"])
    for text in paragraphs:
        doc.add_paragraph(text)
    doc.add_paragraph("{%p if employees and employees > 100 %}")
    doc.add_paragraph(large)
    doc.add_paragraph("{%p endif %}")
    purchases_table(doc, lang)
    signature(doc, lang)
    doc.core_properties.author = "crmbook"
    doc.core_properties.created = doc.core_properties.modified = dt.datetime(2026, 1, 1)
    doc.core_properties.last_modified_by = "crmbook"
    doc.core_properties.revision = 1
    doc.core_properties.title = title.split(" {{")[0]
    drop_leftovers(doc)
    keep_used_styles(doc)
    path = HERE / f"{name}.docx"
    doc.save(str(path))
    freeze_zip_times(path)
    return path


def drop_leftovers(doc: Document) -> None:
    """python-docx's default document carries a thumbnail of another document and a Word 2010
    styles copy; neither belongs in a letter (and every letter would copy them)."""
    unwanted = ("/thumbnail", "/stylesWithEffects")
    for owner in (doc.part.package, doc.part):
        for rid, rel in list(owner.rels.items()):
            if rel.reltype.endswith(unwanted):
                del owner.rels[rid]


#: Styles every Word document needs, used or not.
BASE_STYLES = {"Normal", "DefaultParagraphFont", "TableNormal", "NoList"}


def keep_used_styles(doc: Document) -> None:
    """Drop the ~160 unused styles of python-docx's default template (350 KB of XML that every
    letter would carry); Word adds a built-in style back when someone applies it."""
    w = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
    parts = [doc.element, *(s.header._element for s in doc.sections),
             *(s.footer._element for s in doc.sections)]  # fmt: skip
    used = set(BASE_STYLES)
    for part in parts:
        for tag in ("pStyle", "rStyle", "tblStyle"):
            used |= {e.get(f"{w}val") for e in part.iter(f"{w}{tag}")}
    styles = {e.get(f"{w}styleId"): e for e in doc.styles.element.iter(f"{w}style")}
    todo = list(used)
    while todo:  # a kept style keeps the styles it is based on or linked to
        style = styles.get(todo.pop())
        for tag in ("basedOn", "link", "next"):
            ref = style.find(f"{w}{tag}") if style is not None else None
            if ref is not None and ref.get(f"{w}val") not in used:
                used.add(ref.get(f"{w}val"))
                todo.append(ref.get(f"{w}val"))
    for style_id, element in styles.items():
        if style_id not in used:
            element.getparent().remove(element)


def freeze_zip_times(path: Path) -> None:
    """Rewrite the zip with fixed member times, so building twice gives identical files."""
    with zipfile.ZipFile(path) as source:
        members = [(info.filename, source.read(info)) for info in source.infolist()]
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target:
        for name, data in members:
            target.writestr(
                zipfile.ZipInfo(name, (1980, 1, 1, 0, 0, 0)), data, zipfile.ZIP_DEFLATED
            )


def main() -> None:
    write_logo(LOGO)
    write_signature_space(SIGNATURE)
    for lang, name in LETTERS:
        print(build(lang, name).relative_to(HERE.parent))


if __name__ == "__main__":
    main()
