"""Letters: 2,000 letters on the logo letterhead with a purchases table, and the combined file.

    python benchmarks/bench_letters.py [--letters 2000] [--sample 100] [--quick]

What the user waits for is `crmbook letters BOOK --selection … --template konferansetilbud.docx`
as a process (interpreter start, read of the register, letters, combined file, Mailings log and
Recipients written) on a demo register whose selection picks ``--letters`` customers. SPEC §5:
≥ 20× the naive docxtpl loop (load + render + save per letter, on the same shipped template; a
sample of ``--sample`` letters, scaled). Beside it: docx-mailmerge on the same template with its
tags turned into MERGEFIELDs (if installed), the engine in memory (labelled), and the combined
file of 2,000 letters (≤ 2 s) against docxcompose on a sample (it grows quadratically).
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import re
import shutil
import sys
import tempfile
import time
import zipfile
from pathlib import Path

sys.path.append(str(Path(__file__).resolve().parent.parent))

from common import CRMBOOK, Runs, demo_register, machine, run_process, verdict

from crmbook.core.letters import batch_context
from crmbook.letters.engine import LetterTemplate
from crmbook.resources import shipped

TEMPLATE = shipped("letter_templates") / "konferansetilbud.docx"
SETTINGS = {"Sender company": "Fjordhotellet AS", "Sender address": "Strandkaien 1",
            "Sender postal code": "5003", "Sender city": "Bergen", "Sender phone": "55 12 34 56",
            "Sender email": "salg@fjordhotellet.no", "Sender org number": "923 609 016",
            "Signature name": "Kari Nordmann", "Signature title": "Salgssjef"}  # fmt: skip


#: The sender fields of the template, as merge fields.
SENDER = {f"sender_{k}": v for k, v in (
    ("company", "Fjordhotellet AS"), ("address", "Strandkaien 1"), ("postal_code", "5003"),
    ("city", "Bergen"), ("phone", "55 12 34 56"), ("email", "salg@fjordhotellet.no"),
    ("org_number", "923 609 016"), ("signature_name", "Kari Nordmann"),
    ("signature_title", "Salgssjef"))}  # fmt: skip


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
            doc.merge(**SENDER, company=r["company"], address=r["address"],
                      postal_code=r["postal_code"], city=r["city"],
                      contact_person=r["contact_person"], employees=str(r["employees"]),
                      today="22.11.2026")  # fmt: skip
            rows = [{"date": str(p["date"]), "product": p["product"],
                     "amount": str(p["amount_nok"])} for p in r["purchases"]]  # fmt: skip
            doc.merge_rows("date", rows)
            doc.write(str(out / f"mm-{r['customer_id']}.docx"))

    return timed(loop)


def _mergefield_template(path: Path) -> None:
    """The shipped template with its tags as Word MERGEFIELDs (docx-mailmerge's language):
    ``{{ x.y|f }}`` becomes field x_y, the purchases row a merge row keyed on ``date``; the
    conditions go (mail merge has none), so every letter has every paragraph."""
    with zipfile.ZipFile(TEMPLATE) as source, zipfile.ZipFile(path, "w") as out:
        for info in source.infolist():
            data = source.read(info)
            if info.filename.startswith("word/") and info.filename.endswith(".xml"):
                data = _as_mergefields(data.decode("utf-8")).encode("utf-8")
            out.writestr(info, data, zipfile.ZIP_DEFLATED)


def _as_mergefields(xml: str) -> str:
    xml = re.sub(r"<w:tr\b(?:(?!</w:tr>).)*?\{%tr.*?</w:tr>", "", xml, flags=re.S)
    xml = re.sub(r"<w:p\b(?:(?!<w:p\b).)*?\{%p.*?</w:p>", "", xml, flags=re.S)
    xml = re.sub(r"\{%.*?%\}", "", xml)

    def field(match: re.Match) -> str:
        name = match.group(1).split("|")[0].strip().removeprefix("p.").replace(".", "_")
        name = {"amount_nok": "amount"}.get(name, name)
        return (f'</w:t></w:r><w:fldSimple w:instr=" MERGEFIELD {name} "><w:r><w:t>«{name}»'
                '</w:t></w:r></w:fldSimple><w:r><w:t xml:space="preserve">')  # fmt: skip

    return re.sub(r"\{\{(.*?)\}\}", field, xml)


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


def whole_process(letters: int) -> Runs:
    """`crmbook letters` on a demo register whose selection picks ``letters`` customers."""
    from bench_flow import NAME, add_selection

    from crmbook.resources import shipped

    with tempfile.TemporaryDirectory() as tmp:
        book, prepared = Path(tmp) / "register.xlsx", Path(tmp) / "prepared.xlsx"
        shutil.copy(demo_register(max(10_000, letters * 2)), prepared)
        add_selection(prepared, letters)
        shutil.copytree(shipped("letter_templates"), Path(tmp) / "letter_templates")
        runs = []
        for run in range(2):
            shutil.copy(prepared, book)
            cmd = [CRMBOOK, "letters", str(book), "--selection", NAME, "--template",
                   TEMPLATE.name, "--out", str(Path(tmp) / f"out-{run}")]  # fmt: skip
            runs.append(run_process(cmd, 1))
            made = len(list((Path(tmp) / f"out-{run}").rglob("*.docx")))
    print(f"  crmbook letters made {made} .docx files (letters + combined file)")
    return Runs([r.seconds[0] for r in runs], max(r.peak_mb for r in runs))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--letters", type=int, default=2000)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--quick", action="store_true", help="smoke run: print, do not judge")
    args = parser.parse_args()
    print(machine())
    people = recipients(args.letters)
    shared = batch_context(SETTINGS, "Vinter 2026", dt.date(2026, 11, 22))
    sample = people[: args.sample]
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp)
        prep, letters, combined = engine(people, shared, out)
        naive = naive_docxtpl(sample, shared, out) / len(sample)
        merge = mailmerge(sample, out)
        compose = docxcompose([out / f"{r['customer_id']}.docx" for r in sample], out)
    process = whole_process(args.letters)
    naive_all = naive * args.letters
    ratio = naive_all / process.low
    print(f"{args.letters} letters, template {TEMPLATE.name} (logo letterhead, purchases table)")
    print(
        f"  crmbook letters, whole process (start, read, letters, combined, log): "
        f"{process.span} (peak {process.peak_mb:.0f} MB)"
    )
    print(f"  naive docxtpl loop (load + render + save per letter): {naive * 1000:.1f} ms/letter "
          f"(sample of {len(sample)}) = {naive_all:.1f} s for {args.letters}; "
          f"ratio {ratio:.1f}× (target ≥ 20×) {verdict(ratio >= 20)}")  # fmt: skip
    if merge is not None:
        merge_all = merge / len(sample) * args.letters
        print(f"  docx-mailmerge, same template as MERGEFIELDs: "
              f"{merge / len(sample) * 1000:.1f} ms/letter = {merge_all:.1f} s; "
              f"ratio {merge_all / process.low:.1f}×")  # fmt: skip
    ms = letters / len(people) * 1000
    print(f"  in memory only (labelled): engine prepare {prep * 1000:.0f} ms, {ms:.3f} ms/letter")
    print(
        f"  combined print file of {args.letters} letters: {combined:.2f} s (target ≤ 2 s) "
        f"{verdict(combined <= 2)}"
    )
    if compose is not None:
        print(f"  docxcompose, {len(sample)} letters: {compose:.2f} s")
    ok = ratio >= 20 and combined <= 2
    return 0 if ok or args.quick else 1


if __name__ == "__main__":
    sys.exit(main())
