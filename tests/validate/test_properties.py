"""Properties: the fast paths agree with the libraries, and no cell value can crash validation."""

from __future__ import annotations

import datetime as dt

import email_validator
import pandas as pd
import phonenumbers
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from stdnum.no import orgnr

from crmbook.book import layout
from crmbook.core import schema as s
from crmbook.core import typed
from crmbook.core.checks.base import duplicates, translated
from crmbook.core.checks.contact import email_problem, fast_phones, plain_email, plain_emails
from crmbook.core.checks.identity import mod11_valid, without_spaces
from crmbook.core.checks.lists import match
from crmbook.core.register import Register, SheetData
from crmbook.core.validate import validate
from tests.registers import register

nine_digits = st.text("0123456789", min_size=9, max_size=9)


label = st.text("abcxyzæø019-", min_size=1, max_size=12)
domains = st.builds(
    ".".join,
    st.lists(
        st.one_of(label, st.sampled_from(["xn--b-ln", "test", "local"])), min_size=1, max_size=4
    ),
)


@given(st.lists(domains, min_size=1, max_size=20))
def test_fast_email_domains_agree_with_email_validator(names: list[str]) -> None:
    for domain in names:
        address = f"post@{domain}"
        assert plain_email(address) == (email_problem(address) is None), address


@given(st.lists(nine_digits, min_size=1, max_size=50))
def test_fast_mod11_agrees_with_stdnum(numbers: list[str]) -> None:
    fast = mod11_valid(pd.Series(numbers, dtype=object))
    assert list(fast) == [orgnr.is_valid(n) for n in numbers]


spaced = st.text("97 4\t\u00a0\u2009\u3000\x1c\x85\u200b-\n", min_size=1, max_size=12)


@given(st.lists(st.one_of(st.none(), spaced), max_size=20))
@example(["974 760 673", "974\u00a0760\u3000673", None])
def test_org_numbers_lose_exactly_the_characters_split_splits_on(values) -> None:
    column = pd.Series(values, dtype=object)
    expected = [None if v is None else "".join(v.split()) for v in values]
    assert list(without_spaces(column)) == expected


@given(st.text("0123456789", min_size=8, max_size=8), st.data())
def test_valid_org_numbers_pass_and_any_single_digit_change_fails(base: str, data) -> None:
    weights = (3, 2, 7, 6, 5, 4, 3, 2)
    check = (11 - sum(w * int(d) for w, d in zip(weights, base, strict=True)) % 11) % 11
    if check == 10:  # a base whose check digit would be 10 has no valid number
        return
    number = base + str(check)
    book = register(customers=f"| Org number |\n| '{number}' |")
    assert validate(book).issues == ()
    i = data.draw(st.integers(0, 8))
    other = data.draw(st.sampled_from([d for d in "0123456789" if d != number[i]]))
    changed = number[:i] + other + number[i + 1 :]
    assert [
        x.field for x in validate(register(customers=f"| Org number |\n| '{changed}' |")).issues
    ] == ["Org number"]


odd = "\u017f\u212a\u0130\u00f8"  # ſ, Kelvin K and İ fold to ASCII letters; ø does not
email_label = st.one_of(
    st.text("abzAZ09-" + odd, min_size=1, max_size=12),
    st.sampled_from(["xn--bcher-kva", "XN--ABC", "aXn--b", "b"]),
)
top_name = st.builds(
    lambda name, upper: name.upper() if upper else name,
    st.sampled_from(["test", "local", "localhost", "onion", "arpa", "invalid", "no", "t\u0130st"]),
    st.booleans(),
)
local_part = st.one_of(
    st.from_regex(r"[a-z]{1,70}", fullmatch=True),  # around the 64-character limit
    st.text("aZ.+_@" + odd, min_size=0, max_size=10),
)
structured = st.builds(
    lambda local, labels, top: f"{local}@{'.'.join([*labels, top])}",
    local_part,
    st.lists(email_label, min_size=0, max_size=3),
    top_name,
)
address = st.one_of(
    structured,
    st.emails(),
    st.builds("a@{}.no".format, st.from_regex(r"([a-z]{60}\.){3,4}[a-z]{1,20}", fullmatch=True)),
    st.text("ab.@-+_" + odd, max_size=20),
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(st.none(), structured, address), min_size=1, max_size=20))
@example(["a@XN--ABC.no", "a@xn--bcher-kva.no", "a@b.TEST", "a@b.t\u0130st", "a@\u212a.no"])
@example(
    ["b" * 64 + "@b.no", "b" * 65 + "@b.no", "a@" + "b" * 248 + ".no", "a@" + "b" * 249 + ".no"]
)
def test_the_email_pattern_says_what_plain_email_says(values: list[str | None]) -> None:
    column = pd.Series(values, dtype=object)
    assert list(plain_emails(column)) == [v is not None and plain_email(v) for v in values]


phone_text = st.one_of(
    st.text("0123456789", min_size=8, max_size=8),
    st.builds(lambda d: "+47 " + d, st.text("0123456789", min_size=8, max_size=8)),
    st.text("0123456789 +-()", max_size=14),
)


@given(st.lists(phone_text, min_size=1, max_size=30))
def test_fast_phone_path_accepts_only_what_phonenumbers_accepts(texts: list[str]) -> None:
    fast = fast_phones(pd.Series(texts, dtype="str"))
    for text, ok in zip(texts, fast, strict=True):
        if ok:
            assert phonenumbers.is_valid_number(phonenumbers.parse(text, "NO")), text


email_text = st.one_of(
    st.emails(),
    st.text("ab.@-+_ø", max_size=20),
    st.builds(lambda a, b: f"{a}@{b}", st.text("ab.-", max_size=8), st.text("ab.-", max_size=8)),
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(email_text, min_size=1, max_size=20))
def test_email_check_agrees_with_email_validator(emails: list[str]) -> None:
    rows = "\n".join(f"| '{e}' |" for e in emails if "|" not in e and "'" not in e)
    if not rows:
        return
    book = register(customers=f"| Email |\n{rows}")
    flagged = {i.row for i in validate(book).issues if i.severity == "Error"}
    frame = book.frame(s.CUSTOMERS)
    for row, value in frame["Email"].items():
        text = typed.text(value)
        if text is None:
            continue
        try:
            email_validator.validate_email(text, check_deliverability=False)
            valid = True
        except email_validator.EmailNotValidError:
            valid = False
        assert (row not in flagged) is valid, text


cell_values = st.one_of(
    st.none(),
    st.text(max_size=30),
    st.sampled_from(["", "   ", "=1+1", "0150", "974760673", "Kunde", "10-49", "x" * 32767]),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**20), 10**20),
    st.booleans(),
    st.dates(),
    st.datetimes(),
)


def _random_register(draw, lang: str) -> Register:
    sheets = {}
    for key in s.DATA_SHEETS:
        fields = [f.name for f in s.SHEET_FIELDS[key]]
        n = draw(st.integers(0, 4))
        rows = [[draw(cell_values) for _ in fields] for _ in range(n)]
        index = pd.Index(range(2, n + 2), name="row")
        frame = pd.DataFrame(rows, columns=fields, index=index, dtype=object)
        columns = {f: layout.column_letter(i) for i, f in enumerate(fields)}
        sheets[key] = SheetData(key, layout.sheet_name(key, lang), frame, columns)
    lists = {k: layout.list_values(k, lang) for k in s.LISTS_EN}
    return Register(lang, sheets, lists, {})


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.data(), st.sampled_from(["nb", "en"]), st.booleans())
def test_validation_never_raises_and_every_unusable_cell_is_an_issue(data, lang, fix) -> None:
    book = _random_register(data.draw, lang)
    result = validate(book, fix=fix)
    cells = {(i.key, i.row, i.field) for i in result.issues}
    for key, sheet in book.sheets.items():
        for f in s.SHEET_FIELDS[key]:
            for row, value in sheet.frame[f.name].items():
                if _unusable(book, key, f, value):
                    assert (key, row, f.name) in cells, (key, row, f.name, value)
    assert result.summary()


def _unusable(book: Register, key: str, f: s.Field, value: object) -> bool:
    """A non-blank cell the field cannot use (by the libraries' and typed's own verdicts)."""
    if typed.text(value) is None:
        return False
    if f.kind in (s.Kind.NUMBER, s.Kind.INTEGER, s.Kind.ID):
        n = typed.number(value)
        return n is None or (f.kind is not s.Kind.NUMBER and not float(n).is_integer())
    if f.kind is s.Kind.DATE:
        return not isinstance(value, dt.date)
    if f.kind is s.Kind.ORGNR:
        return not orgnr.is_valid(typed.text(value).replace(" ", ""))
    if f.kind is s.Kind.LIST:
        return match(value, list(book.lists[f.list_name or ""]), book.lang) != (True, value)
    return False


@given(st.lists(st.one_of(st.none(), st.sampled_from(["a", "b", "A"]), st.floats(0, 3))))
def test_duplicates_names_each_copy_and_the_rows_before_it(keys: list[object]) -> None:
    series = pd.Series(keys, index=range(2, len(keys) + 2), dtype=object)
    expected: dict[int, list[int]] = {}
    for i, key in enumerate(keys):
        earlier = [j + 2 for j in range(i) if not pd.isna(key) and keys[j] == key]
        if earlier:
            expected[i + 2] = earlier
    assert duplicates(series) == expected


@given(st.lists(st.text("12 -\n\u00a0x", max_size=6), max_size=8))
def test_translated_equals_translate_per_value(values: list[str]) -> None:
    table = str.maketrans("", "", " -\u00a0")
    assert translated(values, table) == [v.translate(table) for v in values]
