"""Every word the add-in shows from VBA, in English and bokmål, and their VBA form.

The ribbon's labels, screentips and supertips come from ``getLabel``/``getScreentip``/
``getSupertip`` callbacks, so the CRM tab speaks the language Office runs in (bokmål for
Norwegian, English otherwise); the questions and messages VBA asks itself speak the open
workbook's language, as Python's messages do. Both are kept here, once, and written into the
callbacks module as one VBA function at build time: VBA source is stored in the project's code
page, so every letter outside ASCII is written as ``ChrW(n)``, which reads the same on Windows
and on a Mac.
"""

from __future__ import annotations

from crmbook.book import layout
from crmbook.core.vocabulary import norm

#: key -> (English, bokmål). Control keys are ``<control id>.<label|screentip|supertip>``.
TEXTS: dict[str, tuple[str, str]] = {
    "crmbookTab.label": ("CRM", "CRM"),
    "crmRegisterGroup.label": ("Register", "Register"),
    "crmLettersGroup.label": ("Letters", "Brev"),
    "crmCustomerGroup.label": ("Customer", "Kunde"),
    "crmDatabaseGroup.label": ("Database", "Database"),
    "crmFollowUpGroup.label": ("Follow-up", "Oppfølging"),
    "crmValidate.label": ("Validate", "Kontroller"),
    "crmValidate.screentip": ("Validate the register", "Kontroller registeret"),
    "crmValidate.supertip": (
        "Checks every customer, purchase and mailing row, lists the problems on the Issues "
        "sheet with links, and marks the cells.",
        "Sjekker hver kunde-, kjøps- og utsendelsesrad, lister feilene på arket Kontroll med "
        "lenker, og merker cellene.",
    ),
    "crmValidateFix.label": ("Validate and fix", "Kontroller og rett"),
    "crmValidateFix.screentip": (
        "Validate and make the safe fixes",
        "Kontroller og gjør de trygge rettingene",
    ),
    "crmValidateFix.supertip": (
        "As Validate, and also corrects what has exactly one reading (spaces, list spellings, "
        "bands, leading zeros, org number format); each change is listed on the Issues sheet.",
        "Som Kontroller, og retter i tillegg det som bare kan leses på én måte (mellomrom, "
        "skrivemåter i lister, klasser, ledende nuller, org.nr-format); hver endring står på "
        "arket Kontroll.",
    ),
    "crmImport.label": ("Import register", "Importer register"),
    "crmImport.screentip": ("Import another register", "Importer et annet register"),
    "crmImport.supertip": (
        "Reads another crmbook workbook (for example a department's copy): the first press "
        "writes a plan to the Import sheet, the next press with the same workbook carries it out.",
        "Leser en annen crmbook-arbeidsbok (for eksempel en avdelings kopi): første trykk skriver "
        "en plan i arket Import, neste trykk med samme arbeidsbok utfører den.",
    ),
    "crmSettings.label": ("Settings", "Innstillinger"),
    "crmSettings.screentip": ("Open the Settings sheet", "Åpne arket Innstillinger"),
    "crmSettings.supertip": (
        "Sender, signature, logo, the Template folder and the Output folder for letters.",
        "Avsender, signatur, logo, malmappen og utdatamappen for brev.",
    ),
    "crmSelect.label": ("Compute selection", "Beregn utvalg"),
    "crmSelect.screentip": ("Compute a selection", "Beregn et utvalg"),
    "crmSelect.supertip": (
        "Pick one of the selections on the Selections sheet; its customers are written to the "
        "Recipients sheet, with the funnel beside them.",
        "Velg et av utvalgene på arket Utvalg; kundene skrives til arket Mottakere, med trakten "
        "ved siden av.",
    ),
    "crmPreview.label": ("Preview letter", "Forhåndsvis brev"),
    "crmPreview.screentip": ("Preview a letter", "Forhåndsvis et brev"),
    "crmPreview.supertip": (
        "Pick a selection, then a letter template: the first recipient's letter opens in Word. "
        "Nothing is logged.",
        "Velg et utvalg og så en brevmal: brevet til første mottaker åpnes i Word. Ingenting "
        "logges.",
    ),
    "crmLetters.label": ("Make letters", "Lag brev"),
    "crmLetters.screentip": ("Make the letters", "Lag brevene"),
    "crmLetters.supertip": (
        "Pick a selection, then a letter template and a campaign name: one letter per "
        "recipient, a combined print file, and one row per letter on the Mailings sheet.",
        "Velg et utvalg, så en brevmal og et kampanjenavn: ett brev per mottaker, en samlet "
        "utskriftsfil, og én rad per brev på arket Utsendelser.",
    ),
    "crmLettersPdf.label": ("Letters and PDF", "Brev og PDF"),
    "crmLettersPdf.screentip": ("Make the letters, with PDF files", "Lag brevene, med PDF-filer"),
    "crmLettersPdf.supertip": (
        "As Make letters, and each letter and the print file also as PDF (needs LibreOffice).",
        "Som Lag brev, og hvert brev og utskriftsfilen også som PDF (krever LibreOffice).",
    ),
    "crmExplain.label": ("Why not selected?", "Hvorfor ikke med?"),
    "crmExplain.screentip": (
        "Why is this customer not in the selection?",
        "Hvorfor er ikke denne kunden med i utvalget?",
    ),
    "crmExplain.supertip": (
        "Select a cell in a customer's row, then pick a selection: the answer names the "
        "criteria that keep the customer out.",
        "Merk en celle i kundens rad, og velg et utvalg: svaret nevner kriteriene som holder "
        "kunden utenfor.",
    ),
    "crmExport.label": ("Export customer", "Eksporter kunde"),
    "crmExport.screentip": (
        "Export the selected customer's data (GDPR)",
        "Eksporter dataene om den merkede kunden (GDPR)",
    ),
    "crmExport.supertip": (
        "Writes everything the register holds on the customer in the selected row to a JSON "
        "file beside the workbook (right of access).",
        "Skriver alt registeret har om kunden i den merkede raden til en JSON-fil ved siden av "
        "arbeidsboka (innsynsrett).",
    ),
    "crmErase.label": ("Erase customer", "Slett kunde"),
    "crmErase.screentip": ("Erase the selected customer (GDPR)", "Slett den merkede kunden (GDPR)"),
    "crmErase.supertip": (
        "Asks first, naming the customer; then removes the customer in the selected row from "
        "every sheet and lists the files that still hold their data.",
        "Spør først, med kundens navn; fjerner så kunden i den merkede raden fra alle ark og "
        "lister filene som fortsatt har data om kunden.",
    ),
    "crmPull.label": ("Pull", "Hent"),
    "crmPull.screentip": (
        "Pull the register from the database",
        "Hent registeret fra databasen",
    ),
    "crmPull.supertip": (
        "Fills the Customers, Purchases, Mailings and Selections sheets again from the shared "
        "database named on the Settings sheet (your department's customers, or all). Refused "
        "while this workbook has edits not yet sent: press Sync first.",
        "Fyller arkene Kunder, Kjøp, Utsendelser og Utvalg på nytt fra den felles databasen "
        "som står i arket Innstillinger (avdelingens kunder, eller alle). Avvises mens "
        "arbeidsboka har endringer som ikke er sendt: trykk Synk først.",
    ),
    "crmSync.label": ("Sync", "Synk"),
    "crmSync.screentip": (
        "Send your edits to the database, then pull",
        "Send endringene til databasen, og hent",
    ),
    "crmSync.supertip": (
        "Sends this workbook's edits, new customers, purchases, mailings and erasures to the "
        "shared database in one go, then pulls what others changed. A field changed on both "
        "sides waits on the Import sheet for keep or take.",
        "Sender arbeidsbokas endringer, nye kunder, kjøp, utsendelser og slettinger til den "
        "felles databasen i én operasjon, og henter så det andre har endret. Et felt som er "
        "endret begge steder, venter i arket Import på behold eller ta.",
    ),
    "crmReport.label": ("Report", "Rapport"),
    "crmReport.screentip": ("Campaign report", "Kampanjerapport"),
    "crmReport.supertip": (
        "Key figures, purchases and responses, with six charts, on the Report sheet, ready to "
        "print on A4.",
        "Nøkkeltall, kjøp og svar, med seks diagrammer, på arket Rapport, klart til utskrift "
        "på A4.",
    ),
    "crmReportPdf.label": ("Report as PDF", "Rapport som PDF"),
    "crmReportPdf.screentip": ("Print the report to PDF", "Skriv rapporten ut som PDF"),
    "crmReportPdf.supertip": (
        "Makes the Report again and saves it as a PDF beside the workbook, through Excel's own "
        "PDF export.",
        "Lager rapporten på nytt og lagrer den som PDF ved siden av arbeidsboka, med Excels "
        "egen PDF-eksport.",
    ),
    "crmHelp.label": ("Help", "Hjelp"),
    "crmHelp.screentip": ("Help", "Hjelp"),
    "crmHelp.supertip": (
        "What each button does, and where to read more.",
        "Hva hver knapp gjør, og hvor du kan lese mer.",
    ),
    # What VBA asks and says itself, in the workbook's language.
    "ask.campaign": ("Campaign name:", "Kampanjenavn:"),
    "ask.template": ("Letter template", "Brevmal"),
    "ask.register": ("Register to import", "Register som skal importeres"),
    "filter.template": ("Word templates", "Word-maler"),
    "filter.register": ("Excel workbooks", "Excel-arbeidsbøker"),
    "menu.none": ("No selections found (Selections sheet)", "Fant ingen utvalg (arket Utvalg)"),
    "no.workbook": (
        "Open a crmbook register first: the CRM tab works on the active workbook.",
        "Åpne et crmbook-register først: CRM-fanen arbeider på den aktive arbeidsboka.",
    ),
    "python.gone": (
        "crmbook cannot start: the Python this add-in was made for is not there:\n{python}\n\n"
        "Run `crmbook addin install` again with the Python that has crmbook, or ask whoever "
        "set up crmbook on this computer.",
        "crmbook kan ikke starte: Python-en dette tillegget ble laget for, finnes ikke:\n"
        "{python}\n\nKjør `crmbook addin install` på nytt med den Python-en som har crmbook, "
        "eller spør den som satte opp crmbook på denne maskinen.",
    ),
    "python.lacks": (
        "crmbook cannot start: crmbook (or xlwings) is not installed in the Python this "
        'add-in runs:\n{python}\n\nInstall it there: "{python}" -m pip install crmbook — or '
        "ask whoever set up crmbook on this computer.",
        "crmbook kan ikke starte: crmbook (eller xlwings) er ikke installert i Python-en dette "
        'tillegget kjører:\n{python}\n\nInstaller det der: "{python}" -m pip install crmbook '
        "— eller spør den som satte opp crmbook på denne maskinen.",
    ),
    "python.versions": (
        "This add-in was made for crmbook {crmbook} with xlwings {xlwings}, but the Python it "
        "runs has other versions:\n{python}\n\nRun `crmbook addin install` again (IT: `crmbook "
        "addin build`), then restart Excel.",
        "Dette tillegget ble laget for crmbook {crmbook} med xlwings {xlwings}, men Python-en "
        "det kjører har andre versjoner:\n{python}\n\nKjør `crmbook addin install` på nytt (IT: "
        "`crmbook addin build`), og start Excel på nytt.",
    ),
    "python.failed": (
        "crmbook cannot start: the Python this add-in runs did not start (exit code "
        "{code}):\n{python}",
        "crmbook kan ikke starte: Python-en dette tillegget kjører, startet ikke (avslutningskode "
        "{code}):\n{python}",
    ),
    "mac.helper": (
        "On a Mac, Excel starts Python through helper scripts that `crmbook addin install` puts "
        "in place. Open Terminal, run `crmbook addin install`, then press the button again.",
        "På en Mac starter Excel Python gjennom hjelpeskript som `crmbook addin install` legger "
        "på plass. Åpne Terminal, kjør `crmbook addin install`, og trykk knappen igjen.",
    ),
}

#: Longest piece of text on one VBA line (VBA's limit is 1023 characters a line).
_CHUNK = 80


def vba_string(text: str) -> str:
    """A VBA expression for ``text``: ASCII runs in quotes, every other character ChrW(n)."""
    parts: list[str] = []
    run = ""
    for ch in text:
        if " " <= ch <= "~":
            run += '""' if ch == '"' else ch
            continue
        if run:
            parts.append(f'"{run}"')
            run = ""
        parts.append("vbLf" if ch == "\n" else f"ChrW({ord(ch)})")
    if run or not parts:
        parts.append(f'"{run}"')
    return " & ".join(parts)


def _assign(name: str, text: str) -> list[str]:
    """VBA lines setting ``name`` to ``text``, a short piece per line."""
    pieces = [text[i : i + _CHUNK] for i in range(0, len(text), _CHUNK)] or [""]
    lines = [f"        {name} = {vba_string(pieces[0])}"]
    lines += [f"        {name} = {name} & {vba_string(p)}" for p in pieces[1:]]
    return lines


def sheet_words(lang: str) -> str:
    """The register's sheet names only one language uses, normalised, between bars."""
    names = [
        (norm(en), norm(nb)) for en, nb in layout.SHEET_NAMES_NB.items() if norm(en) != norm(nb)
    ]
    return "|" + "|".join(nb if lang == "nb" else en for en, nb in names) + "|"


def vba_function() -> str:
    """``Words(key, nb)``: the text of a key in bokmål or English (CRLF lines, ASCII only)."""
    lines = [
        "Private Function Words(key As String, nb As Boolean) As String",
        "    ' Written by crmbook's build from crmbook/addin/texts.py: edit the texts there.",
        "    Dim en As String, bm As String",
        "    Select Case key",
    ]
    entries = {**TEXTS, "sheets": (sheet_words("en"), sheet_words("nb"))}
    for key, (en, nb) in entries.items():
        lines.append(f'    Case "{key}"')
        lines += _assign("en", en)
        lines += _assign("bm", nb)
    lines += [
        "    End Select",
        "    If nb Then Words = bm Else Words = en",
        "End Function",
    ]
    return "\r\n".join(lines) + "\r\n"
