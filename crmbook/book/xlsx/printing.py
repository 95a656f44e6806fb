"""Print setup of a worksheet part: A4, fit to the page's width, a footer with the sheet's name
and the page number (the same setup ``crmbook.book.print_setup`` gives a new workbook)."""

from __future__ import annotations

from crmbook.book.xlsx.sheet import Worksheet

#: Footer: sheet name left, "page / pages" right (Excel's codes, the same in every language).
FOOTER = "&L&A&R&P / &N"
A4 = "9"
MARGINS = {"left": "0.5", "right": "0.5", "top": "0.6", "bottom": "0.7", "header": "0.3",
           "footer": "0.3"}  # fmt: skip


def ensure_print_setup(sheet: Worksheet, *, landscape: bool = False) -> bool:
    """Give the sheet the print setup when it has none (a user's own setup stays); whether
    it was added."""
    if sheet.root.find(sheet.tag("pageSetup")) is not None:
        return False
    props = sheet.child("sheetPr")
    fit = props.find(sheet.tag("pageSetUpPr"))
    if fit is None:
        fit = props.makeelement(sheet.tag("pageSetUpPr"))
        later = [c for c in props if c.tag in (sheet.tag("tabColor"), sheet.tag("outlinePr"))]
        if later:
            later[-1].addnext(fit)
        else:
            props.insert(0, fit)
    fit.set("fitToPage", "1")
    sheet.child("printOptions").set("horizontalCentered", "1")
    margins = sheet.child("pageMargins")
    for name, value in MARGINS.items():
        margins.set(name, value)
    setup = sheet.child("pageSetup")
    setup.set("paperSize", A4)
    setup.set("orientation", "landscape" if landscape else "portrait")
    setup.set("fitToWidth", "1")
    setup.set("fitToHeight", "0")
    footer = sheet.child("headerFooter")
    odd = footer.find(sheet.tag("oddFooter"))
    if odd is None:
        odd = footer.makeelement(sheet.tag("oddFooter"))
        footer.append(odd)
    odd.text = FOOTER
    return True
