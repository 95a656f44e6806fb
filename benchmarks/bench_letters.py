"""Letters: 2,000 letters on the logo letterhead with a purchases table, and the combined file.

    python benchmarks/bench_letters.py [--letters 2000] [--sample 100]

Compares the engine with the naive docxtpl loop (a sample of ``--sample`` letters, extrapolated),
and, when installed, docx-mailmerge (same sample) and docxcompose (the combined file of a sample;
it grows quadratically, DESIGN.md). SPEC §5: ≥ 20× the naive loop and ≤ 0.8 ms/letter; the
combined file of 2,000 letters in ≤ 2 s.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import tempfile
import time
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))

from crmbook.core.letters import batch_context
from crmbook.letters.engine import LetterTemplate
from crmbook.resources import shipped

TEMPLATE = shipped("letter_templates") / "konferansetilbud.docx"
SETTINGS = {"Sender company": "Fjordhotellet AS", "Sender address": "Strandkaien 1",
            "Sender postal code": "5003", "Sender city": "Bergen", "Sender phone": "55 12 34 56",
            "Sender email": "salg@fjordhotellet.no", "Sender org number": "923 609 016",
            "Signature name": "Kari Nordmann", "Signature title": "Salgssjef"}  # fmt: skip


def recipients(n: int) -> list[dict]:
    rng = random.Random(5)
    products = ("Konferanse", "Overnatting", "Bankett")
    out = []
    for i in range(1, n + 1):
        bought = [{"date": dt.date(2025, rng.randint(1, 12), rng.randint(1, 28)),
                   "product": rng.choice(products), "amount_nok": rng.randint(1, 900) * 1000}
                  for _ in range(rng.randint(0, 4))]  # fmt: skip
        out.append({"customer_id": i, "company": f"Hansen & Sønn {i} AS", "address": "Gata 1",
                    "postal_code": f"{i % 9999:04d}", "city": "Oslo", "contact_person": "Åse Ørn",
                    "employees": rng.randint(1, 300), "purchases": bought})  # fmt: skip
    return out


def timed(func) -> float:
    start = time.perf_counter()
    func()
    return time.perf_counter() - start


def engine(people: list[dict], shared: dict, out: Path) -> tuple[float, float, float]:
    """Seconds to prepare, to write every letter, to write the combined file."""
    prepared: list = []
    prep = timed(lambda: prepared.append(LetterTemplate(TEMPLATE).batch(shared)))
    batch = prepared[0]

    def letters() -> None:
        for r in people:
            batch.write(out / f"{r['customer_id']}.docx", r)

    return prep, timed(letters), timed(lambda: batch.write_combined(out / "all.docx", people))


def naive_docxtpl(people: list[dict], shared: dict, out: Path) -> float:
    from docxtpl import DocxTemplate
    from jinja2 import Environment

    from crmbook.letters.filters import filters

    env = Environment(autoescape=True)
    env.filters.update(filters("nb"))

    def loop() -> None:
        for r in people:
            tpl = DocxTemplate(str(TEMPLATE))
            tpl.render({**shared, **r}, jinja_env=env)
            tpl.save(str(out / f"naive-{r['customer_id']}.docx"))

    return timed(loop)


def mailmerge(people: list[dict], out: Path) -> float | None:
    try:
        from mailmerge import MailMerge
    except ImportError:
        return None
    template = out / "mergefields.docx"
    _mergefield_template(template)

    def loop() -> None:
        for r in people:
            doc = MailMerge(str(template))
            doc.merge(company=r["company"], address=r["address"], postal_code=r["postal_code"],
                      city=r["city"], contact_person=r["contact_person"])  # fmt: skip
            rows = [{"date": str(p["date"]), "product": p["product"],
                     "amount": str(p["amount_nok"])} for p in r["purchases"]]  # fmt: skip
            doc.merge_rows("date", rows)
            doc.write(str(out / f"mm-{r['customer_id']}.docx"))

    return timed(loop)


def _mergefield_template(path: Path) -> None:
    """The same letter with Word MERGEFIELDs (docx-mailmerge's template language)."""
    import docx
    from docx.oxml import parse_xml

    def field(paragraph, name: str) -> None:
        xml = (
            '<w:fldSimple xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/'
            f'main" w:instr=" MERGEFIELD {name} "><w:r><w:t>«{name}»</w:t></w:r></w:fldSimple>'
        )
        paragraph._p.append(parse_xml(xml))

    doc = docx.Document()
    doc.sections[0].header.paragraphs[0].add_run().add_picture(
        str(TEMPLATE.parent / "logo.png"), height=docx.shared.Cm(1.4)
    )
    for name in ("company", "contact_person", "address", "postal_code", "city"):
        field(doc.add_paragraph(), name)
    doc.add_paragraph("Vi har konferansesaler for 10 til 400 deltakere. " * 4)
    table = doc.add_table(rows=1, cols=3)
    for cell, name in zip(table.rows[0].cells, ("date", "product", "amount"), strict=True):
        field(cell.paragraphs[0], name)
    doc.save(str(path))


def docxcompose(files: list[Path], out: Path) -> float | None:
    try:
        from docxcompose.composer import Composer
    except ImportError:
        return None
    import docx

    def compose() -> None:
        master = Composer(docx.Document(str(files[0])))
        for f in files[1:]:
            master.append(docx.Document(str(f)))
        master.save(str(out / "composed.docx"))

    return timed(compose)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--letters", type=int, default=2000)
    parser.add_argument("--sample", type=int, default=100)
    args = parser.parse_args()
    people = recipients(args.letters)
    shared = batch_context(SETTINGS, "Vinter 2026", dt.date(2026, 11, 22))
    sample = people[: args.sample]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        prep, letters, combined = engine(people, shared, out)
        naive = naive_docxtpl(sample, shared, out) / len(sample)
        merge = mailmerge(sample, out)
        compose = docxcompose([out / f"{r['customer_id']}.docx" for r in sample], out)
    ms = letters / len(people) * 1000
    print(f"{args.letters} letters, template {TEMPLATE.name} (logo letterhead, purchases table)")
    print(f"  engine: prepare {prep * 1000:.0f} ms, {ms:.3f} ms/letter, {letters:.2f} s in all")
    print(f"  naive docxtpl loop: {naive * 1000:.1f} ms/letter (sample of {len(sample)}),"
          f" ratio {naive * 1000 / ms:.1f}×")  # fmt: skip
    if merge is not None:
        print(f"  docx-mailmerge: {merge / len(sample) * 1000:.1f} ms/letter,"
              f" ratio {merge / len(sample) * 1000 / ms:.1f}×")  # fmt: skip
    print(f"  combined print file of {args.letters} letters: {combined:.2f} s")
    if compose is not None:
        print(f"  docxcompose, {len(sample)} letters: {compose:.2f} s")
    ok = naive * 1000 / ms >= 20 and ms <= 0.8 and (combined <= 2 or args.letters > 2000)
    print("  targets (≥ 20×, ≤ 0.8 ms/letter, combined ≤ 2 s):", "met" if ok else "MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
