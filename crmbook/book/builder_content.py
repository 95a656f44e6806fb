"""What a new register says before anyone types in it: the Start sheet's welcome, the Report
placeholder, the sample sender in Settings and SPEC §1's example selection.

Kept apart from the builder so the words can be edited without reading table code. A new user
reads Start once, top to bottom: what each sheet is for, what each button on the CRM tab does,
and which command does the same from a terminal.
"""

from __future__ import annotations

import math

from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core.i18n import say
from crmbook.core.selection import names

#: (style, name, explanation, command line); style is title, heading, item, text or blank.
Line = tuple[str, str, str, str]

_NB: tuple[Line, ...] = (
    ("title", "Kunderegisteret — crmbook", "", ""),
    ("text", "Dette er kunderegisteret ditt: kundene i Kunder, kjøpene i Kjøp. crmbook "
     "kontrollerer registeret, finner utvalg og skriver brev.", "", ""),
    ("blank", "", "", ""),
    ("heading", "Arket", "Hva det er til", ""),
    ("item", "Kunder", "Én rad per kunde eller prospekt. Kundenr fylles inn av crmbook når det "
     "står tomt. Postnr og Org.nr er tekst, så ledende nuller (0150) blir stående.", ""),
    ("item", "Kjøp", "Hva hver kunde har kjøpt: Kundenr, dato, produkt og beløp.", ""),
    ("item", "Utsendelser", "Loggen over brev som er sendt, skrevet av Lag brev. Fyll selv "
     "inn Svar og Svardato når kunden svarer.", ""),
    ("item", "Utvalg", "Filtrene dine. Rader med samme navn er ett utvalg; kriterier med samme "
     "Gruppe må alle stemme (og), ulike grupper er alternativer (eller). Se "
     "«Konferansetilbud».", ""),
    ("item", "Mottakere", "Kundene i det siste utvalget du beregnet, og hvor mange som var igjen "
     "etter hvert kriterium. Skrives av crmbook.", ""),
    ("item", "Kontroll", "Feil og advarsler fra siste kontroll, med lenke til cellen. Skrives "
     "av crmbook.", ""),
    ("item", "Rapport", "Nøkkeltall om kunder, kjøp og svar. Skrives av crmbook.", ""),
    ("item", "Import", "Planen for å hente inn et annet register: nye kunder, endrede felt side "
     "om side og avviste rader. Velg behold/ta i Valg, og kjør importen med --apply.", ""),
    ("item", "Logg", "Én rad per import og per sletting av en kunde (uten persondata).", ""),
    ("item", "Innstillinger", "Avsender, signatur, logo- og signaturfil, malmappe, utdatamappe "
     "og språk. Filer og mapper er relative til mappen arbeidsboka ligger i.", ""),
    ("item", "Lister", "Verdiene bak nedtrekkslistene. Bransje og Produkt kan du endre: sett "
     "inn en celle inne i lista (Sett inn > Flytt celler ned), ikke under den, så tar "
     "nedtrekkslista den med.", ""),
    ("blank", "", "", ""),
    ("heading", "Knapp i CRM-fanen", "Hva den gjør", "Det samme fra kommandolinjen"),
    ("item", "Kontroller", "Kontrollerer hele registeret og viser problemene i Kontroll.",
     "crmbook validate BOK.xlsx"),
    ("item", "Beregn utvalg", "Beregner utvalget i den valgte raden i Utvalg og skriver "
     "mottakerne i Mottakere.", 'crmbook select BOK.xlsx --selection "Konferansetilbud"'),
    ("item", "Forhåndsvis brev", "Viser brevet til første mottaker før du lager alle.",
     "crmbook letters BOK.xlsx --selection NAVN --template MAL.docx --preview"),
    ("item", "Lag brev", "Lager ett brev per mottaker og én samlefil for utskrift, og "
     "logger dem i Utsendelser.", "crmbook letters BOK.xlsx --selection NAVN --template MAL.docx"),
    ("item", "Rapport", "Fyller Rapport med nøkkeltall, tabeller og diagrammer, klar til "
     "utskrift på A4.", "crmbook report BOK.xlsx --pdf"),
    ("item", "Importer register", "Henter kunder fra et annet register og viser hva som blir "
     "endret før noe skrives.", "crmbook import BOK.xlsx ANNEN.xlsx --apply"),
    ("item", "Hjelp", "Åpner hjelpen.", "crmbook --help"),
    ("blank", "", "", ""),
    ("heading", "Godt å vite", "", ""),
    ("text", "Kunder med «Reservert mot markedsføring» = Ja får aldri brev, uansett utvalg.",
     "", ""),
    ("text", "Utvalg spør slik du spør: «Svar på tilbud = Vinter 2025: Positiv» (svarte ja på "
     "vintertilbudet), «Svar på tilbud = Vinter 2025: Ikke svart» (fikk det, svarte ikke),",
     "", ""),
    ("text", "«Sum kjøp (NOK) > 50 000; Konferanse; fra 2024» og «Antall kjøp >= 2; i 2025». "
     "Klassene kan skrives som i kilden: >500 M, <10 M, 10-49.", "", ""),
    ("text", "Legg gjerne til egne kolonner til høyre i arkene; crmbook lar dem være i fred.",
     "", ""),
    ("text", "Prøv først «crmbook demo»: den lager et eksempelregister og kjører alle stegene.",
     "", ""),
)  # fmt: skip

_EN: tuple[Line, ...] = (
    ("title", "Customer register — crmbook", "", ""),
    ("text", "This is your customer register: customers on Customers, their purchases on "
     "Purchases. crmbook checks the register, finds selections and writes letters.", "", ""),
    ("blank", "", "", ""),
    ("heading", "Sheet", "What it is for", ""),
    ("item", "Customers", "One row per customer or prospect. crmbook fills in Customer ID when "
     "it is blank. Postal code and Org number are text, so leading zeros (0150) stay.", ""),
    ("item", "Purchases", "What each customer bought: Customer ID, date, product and amount.",
     ""),
    ("item", "Mailings", "The log of letters sent, written by Make letters. Enter Response and "
     "Response date yourself when a customer answers.", ""),
    ("item", "Selections", "Your filters. Rows with the same Selection name form one selection; "
     "criteria with the same Group must all hold (and), different groups are alternatives "
     '(or). See "Conference offer".', ""),
    ("item", "Recipients", "The customers of the last selection you computed, and how many "
     "remained after each criterion. Written by crmbook.", ""),
    ("item", "Issues", "Errors and warnings from the last validation, with a link to the cell. "
     "Written by crmbook.", ""),
    ("item", "Report", "Key figures on customers, purchases and responses. Written by crmbook.",
     ""),
    ("item", "Import", "The plan for bringing in another register: new customers, changed "
     "fields side by side and rejected rows. Choose keep/take under Choice, then import with "
     "--apply.", ""),
    ("item", "Log", "One row per import and per erased customer (no personal data).", ""),
    ("item", "Settings", "Sender, signature, logo and signature files, template folder, output "
     "folder and language. "
     "Folders are relative to the workbook's folder.", ""),
    ("item", "Lists", "The values behind the dropdowns. Industry and Product are yours to edit: "
     "insert a cell inside a list (Insert > Shift cells down), not below it, so its dropdown "
     "includes it.", ""),
    ("blank", "", "", ""),
    ("heading", "CRM tab button", "What it does", "The same from the command line"),
    ("item", "Validate", "Checks the whole register and lists the problems on Issues.",
     "crmbook validate BOOK.xlsx"),
    ("item", "Compute selection", "Computes the selection of the selected row on Selections "
     "and writes its recipients to Recipients.",
     'crmbook select BOOK.xlsx --selection "Conference offer"'),
    ("item", "Preview letter", "Shows the first recipient's letter before you make them all.",
     "crmbook letters BOOK.xlsx --selection NAME --template TEMPLATE.docx --preview"),
    ("item", "Make letters", "Makes one letter per recipient and one combined file for "
     "printing, and logs them on Mailings.",
     "crmbook letters BOOK.xlsx --selection NAME --template TEMPLATE.docx"),
    ("item", "Report", "Fills Report with key figures, tables and charts, ready to print on A4.",
     "crmbook report BOOK.xlsx --pdf"),
    ("item", "Import register", "Brings in customers from another register and shows what "
     "will change before anything is written.", "crmbook import BOOK.xlsx OTHER.xlsx --apply"),
    ("item", "Help", "Opens the help.", "crmbook --help"),
    ("blank", "", "", ""),
    ("heading", "Good to know", "", ""),
    ("text", "Customers with No marketing = Yes never get a letter, whatever the selection.",
     "", ""),
    ("text", 'Selections ask what you ask: "Response to offer = Winter 2025: Positive" (said yes '
     'to the winter offer), "Response to offer = Winter 2025: No response" (got it, no answer),',
     "", ""),
    ("text", '"Purchases total (NOK) > 50 000; Conference; since 2024" and "Number of purchases '
     '>= 2; in 2025". Bands may be written as the source does: >500 M, <10 M, 10-49.', "", ""),
    ("text", "Add your own columns to the right of any sheet; crmbook leaves them alone.", "",
     ""),
    ("text", 'Try "crmbook demo" first: it makes a sample register and runs every step.', "",
     ""),
)  # fmt: skip


def start_lines(lang: str) -> tuple[Line, ...]:
    """The Start sheet's lines in a language."""
    return _NB if lang == "nb" else _EN


def fill_start(ws: Worksheet, lang: str) -> None:
    """The welcome text. Explanations wrap in their column; the title and lines of plain text
    run on to the right unwrapped, so no row depends on a program sizing merged cells. Rows get
    heights for their wrapped text: openpyxl writes none, Excel does not reliably fit rows it did
    not write itself, and LibreOffice never does, so wrapped lines would print over the next row.
    """
    fonts = {"title": Font(bold=True, size=18), "heading": Font(bold=True, size=12)}
    wrap = Alignment(wrap_text=True, vertical="top")
    for row, (style, name, explanation, command) in enumerate(start_lines(lang), start=1):
        first = ws.cell(row, 1, name or None)
        first.font = fonts.get(style, Font(bold=style == "item"))
        if style == "title":
            ws.row_dimensions[row].height = START_TITLE_HEIGHT
        if style in ("title", "text", "blank"):
            continue
        first.alignment = wrap
        for col, text in ((2, explanation), (3, command)):
            cell = ws.cell(row, col, text or None)
            cell.alignment = wrap
            cell.font = fonts["heading"] if style == "heading" else Font(name=COMMAND_FONT)
        if style == "item":
            ws.cell(row, 2).font = Font()
        ws.row_dimensions[row].height = start_row_height(name, explanation, command)
    for letter, width in zip("ABC", START_WIDTHS, strict=True):
        ws.column_dimensions[letter].width = width


#: Widths of the Start sheet's columns A (sheet or button), B (explanation) and C (command).
START_WIDTHS = (22, 70, 62)
START_TITLE_HEIGHT = 24
COMMAND_FONT = "Consolas"
#: Points per wrapped line (11 pt text) and added below the last one.
LINE_HEIGHT, ROW_PADDING = 15, 3
#: Characters per unit of column width: proportional text fits a little more than the width
#: (measured in '0's); monospaced Consolas fits less.
TEXT_DENSITY, COMMAND_DENSITY = 1.1, 0.85


def wrapped_lines(text: str, width: float, density: float = TEXT_DENSITY) -> int:
    """Lines a wrapped cell of ``width`` needs for ``text`` (an estimate; at least 1)."""
    return max(1, math.ceil(len(text) / (width * density)))


def start_row_height(name: str, explanation: str, command: str) -> float:
    """Height in points of a Start row whose three cells wrap."""
    lines = max(
        wrapped_lines(name, START_WIDTHS[0]),
        wrapped_lines(explanation, START_WIDTHS[1]),
        wrapped_lines(command, START_WIDTHS[2], COMMAND_DENSITY),
    )
    return LINE_HEIGHT * lines + ROW_PADDING


def fill_report(ws: Worksheet, lang: str) -> None:
    """A title and a hint, until `crmbook report` fills the sheet; columns sized and formatted
    for the report's tables (new cells take their column's format)."""
    ws["A1"] = layout.sheet_name(s.REPORT, lang)
    ws["A1"].font = Font(bold=True, size=16)
    ws["A2"] = say(
        lang,
        "Click Report on the CRM tab (or run `crmbook report BOOK`) to fill this sheet.",
        "Klikk Rapport i CRM-fanen (eller kjør `crmbook report BOK`) for å fylle dette arket.",
    )
    ws.column_dimensions["A"].width = 34
    for col in range(2, 2 + REPORT_COLUMNS):
        dimension = ws.column_dimensions[get_column_letter(col)]
        dimension.width = 18
        dimension.number_format = REPORT_NUMBERS
        dimension.alignment = Alignment(horizontal="right")


#: Columns right of A that `crmbook report` fills. Their column style is what every cell the
#: report writes there takes (the writer gives a new cell its column's style), so headers and
#: numbers are both right-aligned and line up. Numbers show thousands separated from 1,000 (NOK
#: sums), as typed below it: counts whole, rates with their one decimal ("28.6"; a whole rate
#: shows "25", since one format cannot tell a rate from a count). Negatives need their own
#: section with the sign written out: LibreOffice drops the sign in the section after a
#: condition ("-5" showed "5" under "[>=1000]#,##0;General").
REPORT_COLUMNS = 9
REPORT_NUMBERS = "[>=1000]#,##0;[<0]-General;General"


def sample_settings(lang: str) -> dict[str, object]:
    """Settings of a fictional sender (a Bergen conference hotel), so letters work at once.

    Folders are relative to the workbook's folder, so a register can be moved or shared.
    """
    return {
        "Sender company": "Fjordgløtt Hotell & Konferansesenter AS",
        "Sender address": "Strandkaien 31",
        "Sender postal code": "5013",
        "Sender city": "Bergen",
        "Sender phone": "+47 55 30 12 00",
        "Sender email": "post@fjordglott-hotell.no",
        "Sender org number": "916 342 810",
        "Signature name": "Ingrid Solheim",
        "Signature title": say(lang, "Head of sales and conferences", "Salgs- og konferansesjef"),
        "Logo file": None,
        "Signature file": None,
        "Template folder": "letter_templates",
        "Output folder": "letters",
        "Language": lang,
        "Expected customer years": 5,
        "Default margin (%)": 10,
    }


def example_selection(lang: str) -> list[dict[str, object]]:
    """SPEC §1's example selection, with Customers fields named as the workbook's headers."""
    name = say(lang, "Conference offer", "Konferansetilbud")
    criteria = (
        (layout.header(s.CUSTOMERS, "Employees", lang), ">", 100),
        (names.derived_name(names.PURCHASED_PRODUCT, lang), "=", layout.value("Conference", lang)),
        (layout.header(s.CUSTOMERS, "Remark", lang), "<>", layout.value("Bad payer", lang)),
    )
    return [
        {"Selection": name, "Group": 1, "Field": f, "Operator": op, "Value": v}
        for f, op, v in criteria
    ]
