"""MRZ parsing: ICAO 9303 specimens, corrupted copies, malformed input and generated zones."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from borderless.domain.codes import DocumentType
from borderless.errors import InputError
from borderless.normalize.mrz import MrzResult, mrz_check_digit, parse_mrz

TODAY = date(2025, 6, 1)

TD3 = (
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
)
TD2 = (
    "I<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<",
    "D231458907UTO7408122F1204159<<<<<<<6",
)
TD1 = (
    "I<UTOD231458907<<<<<<<<<<<<<<<",
    "7408122F1204159UTO<<<<<<<<<<<6",
    "ERIKSSON<<ANNA<MARIA<<<<<<<<<<",
)
TD1_LONG = (  # Doc 9303 part 5: document number D23145890734, check digit 9
    "I<UTOD23145890<7349<<<<<<<<<<<",
    "3407127M9507122UTO<<<<<<<<<<<2",
    "STEVENSON<<PETER<JOHN<<<<<<<<<",
)


def parse(lines: tuple[str, ...] | str) -> MrzResult:
    return parse_mrz(lines, today=TODAY)


def td3_lines(
    number: str = "L898902C3",
    birth: str = "740812",
    expiry: str = "120415",
    personal: str = "ZE184226B",
    sex: str = "F",
    nationality: str = "UTO",
    issuer: str = "UTO",
    name: str = "ERIKSSON<<ANNA<MARIA",
) -> tuple[str, str]:
    """A TD3 zone with correct check digits for the given fields."""
    number = number.ljust(9, "<")
    personal = personal.ljust(14, "<")
    personal_check = mrz_check_digit(personal)
    head = number + mrz_check_digit(number)
    body = f"{birth}{mrz_check_digit(birth)}{sex}{expiry}{mrz_check_digit(expiry)}"
    tail = personal + personal_check
    composite = mrz_check_digit(head + body[:7] + body[8:] + tail)
    line1 = f"P<{issuer}{name}".ljust(44, "<")
    return line1, f"{head}{nationality}{body}{tail}{composite}"


# --- specimens -------------------------------------------------------------------------------

SPECIMENS = [
    pytest.param(
        TD3,
        {
            "format": "TD3",
            "document_type": "P",
            "document_number": "L898902C3",
            "optional_data": "ZE184226B",
            "optional_data_2": None,
            "surname": "ERIKSSON",
            "given_names": "ANNA MARIA",
            "sex": "F",
            "birth_date": "1974-08-12",
            "expiry_date": "2012-04-15",
        },
        id="TD3",
    ),
    pytest.param(
        TD2,
        {
            "format": "TD2",
            "document_type": "I",
            "document_number": "D23145890",
            "optional_data": "",
            "birth_date": "1974-08-12",
            "expiry_date": "2012-04-15",
        },
        id="TD2",
    ),
    pytest.param(
        TD1,
        {
            "format": "TD1",
            "document_type": "I",
            "document_number": "D23145890",
            "optional_data": "",
            "optional_data_2": "",
            "surname": "ERIKSSON",
            "given_names": "ANNA MARIA",
        },
        id="TD1",
    ),
    pytest.param(
        TD1_LONG,
        {
            "format": "TD1",
            "document_number": "D23145890734",
            "optional_data": "",
            "surname": "STEVENSON",
            "given_names": "PETER JOHN",
            "sex": "M",
            "birth_date": "1934-07-12",
            "expiry_date": "1995-07-12",
        },
        id="TD1-long-number",
    ),
]


@pytest.mark.parametrize(("lines", "expected"), SPECIMENS)
def test_specimens_parse_and_pass_every_check(
    lines: tuple[str, ...], expected: dict[str, object]
) -> None:
    result = parse(lines)
    assert result.valid, result.problems
    assert result.problems == ()
    assert result.issuing_country == "UTO"  # Utopia: no ISO code, kept as written
    assert result.nationality == "UTO"
    for field, value in expected.items():
        assert getattr(result, field) == value, field


@pytest.mark.parametrize(
    ("lines", "checks"),
    [
        (TD3, {"document_number", "birth_date", "expiry_date", "optional", "composite"}),
        (TD2, {"document_number", "birth_date", "expiry_date", "composite"}),
        (TD1, {"document_number", "birth_date", "expiry_date", "composite"}),
    ],
)
def test_each_format_reports_its_checks(lines: tuple[str, ...], checks: set[str]) -> None:
    assert set(parse(lines).checks) == checks


def test_long_number_extension_continues_into_optional_data() -> None:
    line1 = "I<UTOD23145890<7349<AB12<<<<<<"  # number, its digit, "<", then data
    line2 = TD1_LONG[1][:29]
    line2 += mrz_check_digit(line1[5:30] + line2[0:7] + line2[8:15] + line2[18:29])
    result = parse((line1, line2, TD1_LONG[2]))
    assert result.document_number == "D23145890734"
    assert result.optional_data == "AB12"
    assert result.valid


def test_long_number_in_td2() -> None:
    line2 = "D23145890<UTO7408122F1204159" + "7349<<<"
    line2 += mrz_check_digit(line2[0:10] + line2[13:20] + line2[21:35])
    result = parse((TD2[0], line2))
    assert result.document_number == "D23145890734"
    assert result.valid


def test_visas_have_no_composite_check() -> None:
    head = "L8988901C" + mrz_check_digit("L8988901C")
    body = "400907" + mrz_check_digit("400907") + "F" + "961210" + mrz_check_digit("961210")
    line1 = "V<UTOERIKSSON<<ANNA<MARIA".ljust(44, "<")
    result = parse((line1, f"{head}XXX{body}".ljust(44, "<")))
    assert result.format == "MRV-A"
    assert set(result.checks) == {"document_number", "birth_date", "expiry_date"}
    assert result.nationality == "XXX"  # ICAO: unspecified nationality
    assert result.document_kind == DocumentType.VISA
    short = parse((line1[:36], f"{head}XXX{body}".ljust(36, "<")))
    assert short.format == "MRV-B"
    assert short.valid


# --- input forms -----------------------------------------------------------------------------


def test_one_string_with_newlines_and_whitespace() -> None:
    text = "\n  " + TD3[0] + "  \r\n\t" + TD3[1].lower() + "\n\n"
    assert parse(text) == parse(TD3)


def test_surrounding_whitespace_on_lines() -> None:
    assert parse(tuple(f"  {line}\t" for line in TD1)) == parse(TD1)


# --- corrupted copies: the matching check fails, the data is still there -------------------


def _corrupt(lines: tuple[str, ...], line: int, position: int) -> tuple[str, ...]:
    """Change the digit at 1-based `position` of 1-based `line` to another digit."""
    rows = list(lines)
    old = rows[line - 1][position - 1]
    assert old.isdigit()
    new = str((int(old) + 1) % 10)
    rows[line - 1] = rows[line - 1][: position - 1] + new + rows[line - 1][position:]
    return tuple(rows)


@pytest.mark.parametrize(
    ("lines", "line", "position", "failing"),
    [
        (TD3, 2, 2, {"document_number", "composite"}),
        (TD3, 2, 10, {"document_number", "composite"}),  # the check digit itself
        (TD3, 2, 15, {"birth_date", "composite"}),
        (TD3, 2, 20, {"birth_date", "composite"}),
        (TD3, 2, 23, {"expiry_date", "composite"}),
        (TD3, 2, 31, {"optional", "composite"}),
        (TD3, 2, 44, {"composite"}),
        (TD2, 2, 3, {"document_number", "composite"}),
        (TD2, 2, 15, {"birth_date", "composite"}),
        (TD2, 2, 23, {"expiry_date", "composite"}),
        (TD2, 2, 36, {"composite"}),
        (TD1, 1, 8, {"document_number", "composite"}),
        (TD1, 2, 2, {"birth_date", "composite"}),
        (TD1, 2, 10, {"expiry_date", "composite"}),
        (TD1, 2, 30, {"composite"}),
        (TD1_LONG, 1, 17, {"document_number", "composite"}),  # in the number's extension
        (TD1_LONG, 1, 19, {"document_number", "composite"}),  # the moved check digit
    ],
)
def test_one_changed_digit_fails_the_matching_checks(
    lines: tuple[str, ...], line: int, position: int, failing: set[str]
) -> None:
    result = parse(_corrupt(lines, line, position))
    assert not result.valid
    assert {name for name, ok in result.checks.items() if not ok} == failing
    assert len(result.problems) == len(failing)
    assert result.surname  # the officer still sees the data


def test_a_failed_check_names_position_and_digits() -> None:
    result = parse(_corrupt(TD3, 2, 20))
    assert "birth_date check digit (line 2, position 20) is 3, computed 2" in result.problems


def test_fields_outside_every_check_are_not_detected() -> None:
    """Nationality and names are not covered by any check digit in TD3 (by the standard)."""
    changed = (TD3[0], TD3[1][:10] + "XXA" + TD3[1][13:])
    result = parse(changed)
    assert result.valid
    assert result.nationality == "XXA"


# --- malformed input raises ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        ((TD3[0], TD3[1][:-1]), "line 2 has 43 characters; TD3 lines have 44"),
        ((TD3[0] + "<", TD3[1]), "line 1 has 45 characters; TD3 lines have 44"),
        ((TD2[0], TD2[1] + "<"), "line 2 has 37 characters; TD2 lines have 36"),
        ((TD1[0], TD1[1], TD1[2][:-2]), "line 3 has 28 characters; TD1 lines have 30"),
        ((TD3[0][:40], TD3[1][:40]), "line 1 has 40 characters; two-line MRZs have 36"),
        ((TD3[0],), "an MRZ has 2 lines (TD2, TD3, visas) or 3 (TD1); got 1"),
        ((*TD1, TD1[0]), "got 4"),
        ((), "empty MRZ"),
        ("  \n \n", "empty MRZ"),
        ((TD3[0], TD3[1][:5] + " " + TD3[1][6:]), "line 2, position 6: ' ' is not an MRZ"),
        ((TD3[0].replace("ANNA", "ANNÄ"), TD3[1]), "line 1, position 19: 'Ä'"),
        ((TD3[0], TD3[1][:19] + "A" + TD3[1][20:]), "line 2, position 20: expected the birth"),
        ((TD3[0], TD3[1][:9] + "<" + TD3[1][10:]), "line 2, position 10: expected the document"),
        ((TD3[0], TD3[1][:43] + "<"), "line 2, position 44: expected the composite"),
        (("I<UTOD23145890<<<<<<<<<<<<<<<<", *TD1_LONG[1:]), "line 1, position 15 holds '<'"),
    ],
)
def test_malformed_input_raises_with_a_precise_message(
    lines: tuple[str, ...] | str, message: str
) -> None:
    with pytest.raises(InputError) as caught:
        parse(lines)
    assert message in caught.value.message


# --- dates, sex, countries -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("birth", "expected"),
    [
        ("740812", "1974-08-12"),
        ("250101", "2025-01-01"),  # born this year, before today
        ("251231", "1925-12-31"),  # 2025-12-31 is after today: last century
        ("050229", None),  # 2005 was no leap year
        ("74<<<<", "1974"),
        ("7408<<", "1974-08"),
        ("740800", "1974-08"),  # some states write 00 for an unknown day
        ("<<<<<<", None),
    ],
)
def test_birth_dates_and_centuries(birth: str, expected: str | None) -> None:
    result = parse(td3_lines(birth=birth))
    assert result.birth_date == expected
    assert result.checks["birth_date"]


@pytest.mark.parametrize(
    ("expiry", "expected"),
    [
        ("120415", "2012-04-15"),
        ("350101", "2035-01-01"),
        ("451231", "2045-12-31"),  # 20 years ahead is still this century
        ("460101", "1946-01-01"),
        ("991231", "1999-12-31"),
    ],
)
def test_expiry_centuries(expiry: str, expected: str) -> None:
    assert parse(td3_lines(expiry=expiry)).expiry_date == expected


@pytest.mark.parametrize(
    ("birth", "problem"),
    [
        ("741312", "birth date '741312' is not a real date"),
        ("74O812", "birth date '74O812' is not a date"),
        ("<<0812", "unknown year but a known month or day"),
        ("74<<12", "is not a date"),
    ],
)
def test_unreadable_dates_are_problems_not_errors(birth: str, problem: str) -> None:
    result = parse(td3_lines(birth=birth))
    assert result.birth_date is None
    assert not result.valid
    assert any(problem in p for p in result.problems)
    assert result.checks["birth_date"]  # the check digit itself still matches


@pytest.mark.parametrize(("marker", "sex"), [("M", "M"), ("F", "F"), ("X", "X"), ("<", "X")])
def test_sex(marker: str, sex: str) -> None:
    result = parse(td3_lines(sex=marker))
    assert result.sex == sex
    assert result.valid


def test_unknown_sex_marker_is_a_problem() -> None:
    result = parse(td3_lines(sex="Q"))
    assert result.sex == "X"
    assert result.problems == ("sex marker 'Q' is not M, F, X or <",)


@pytest.mark.parametrize(
    ("code", "alpha3"),
    [("D<<", "DEU"), ("NLD", "NLD"), ("XXA", "XXA"), ("RKS", "RKS"), ("GBD", "GBD")],
)
def test_icao_country_codes(code: str, alpha3: str) -> None:
    result = parse(td3_lines(issuer=code, nationality=code))
    assert result.issuing_country == alpha3
    assert result.nationality == alpha3


def test_names_without_given_names() -> None:
    result = parse(td3_lines(name="SMITH"))
    assert (result.surname, result.given_names) == ("SMITH", "")


def test_empty_personal_number_may_have_filler_check_digit() -> None:
    line1, line2 = td3_lines(personal="")
    assert line2[42] == "0"
    filler = line2[:42] + "<" + line2[43:]
    result = parse((line1, filler))
    assert result.checks["optional"]
    assert result.optional_data == ""


def test_personal_number_with_filler_check_digit_fails() -> None:
    line1, line2 = TD3
    result = parse((line1, line2[:42] + "<" + line2[43:]))
    assert not result.checks["optional"]
    assert "optional check digit (line 2, position 43) is missing" in result.problems


@pytest.mark.parametrize(
    ("lines", "kind"),
    [(TD3, DocumentType.PASSPORT), (TD1, DocumentType.ID_CARD), (TD2, DocumentType.ID_CARD)],
)
def test_document_kind(lines: tuple[str, ...], kind: DocumentType) -> None:
    assert parse(lines).document_kind == kind


# --- check digits ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("data", "digit"),
    [
        ("L898902C3", "6"),
        ("740812", "2"),
        ("120415", "9"),
        ("ZE184226B<<<<<", "1"),
        ("D23145890734", "9"),
        ("<<<<<<", "0"),
        ("", "0"),
    ],
)
def test_check_digits(data: str, digit: str) -> None:
    assert mrz_check_digit(data) == digit


MRZ_TEXT = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789<", max_size=20)


@given(MRZ_TEXT)
def test_check_digit_is_a_digit(data: str) -> None:
    assert mrz_check_digit(data) in "0123456789"


@given(MRZ_TEXT.filter(lambda s: any(c.isdigit() for c in s)), st.integers(1, 9), st.data())
def test_any_changed_digit_changes_the_check_digit(
    data: str, delta: int, draw: st.DataObject
) -> None:
    """Weights 7, 3 and 1 are prime to 10, so one wrong digit is always caught."""
    positions = [i for i, c in enumerate(data) if c.isdigit()]
    i = draw.draw(st.sampled_from(positions))
    changed = data[:i] + str((int(data[i]) + delta) % 10) + data[i + 1 :]
    assert mrz_check_digit(changed) != mrz_check_digit(data)


@given(
    number=st.text(alphabet="ABCDEFGHJKLMNPRSTUVWXYZ0123456789", min_size=1, max_size=9),
    birth=st.dates(date(1900, 1, 1), TODAY),
    expiry=st.dates(date(1990, 1, 1), date(2044, 12, 31)),
    personal=st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789", max_size=14),
    sex=st.sampled_from("MF"),
)
def test_generated_td3_round_trips(
    number: str, birth: date, expiry: date, personal: str, sex: str
) -> None:
    result = parse(
        td3_lines(
            number=number,
            birth=birth.strftime("%y%m%d"),
            expiry=expiry.strftime("%y%m%d"),
            personal=personal,
            sex=sex,
        )
    )
    assert result.valid, result.problems
    assert result.document_number == number
    assert result.optional_data == personal
    assert result.sex == sex
    assert result.expiry_date == expiry.isoformat()
    if birth.year >= TODAY.year - 99:  # older holders are read as a century younger
        assert result.birth_date == birth.isoformat()
