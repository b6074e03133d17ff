"""Identifier normalisation and checks: document numbers, plates, serials, VINs, IBANs, BICs."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from borderless.errors import InputError
from borderless.normalize.identifiers import (
    compact_identifier,
    compare_document_numbers,
    document_number_keys,
    fold_confusables,
    normalize_document_number,
    normalize_plate,
    normalize_serial,
    normalize_vin,
    plate_keys,
    serial_keys,
    validate_bic,
    validate_iban,
    validate_vin,
    vin_check_digit,
)

# --- normalisation ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("AB 12O456", "AB12O456"),
        ("ab-120.456/7", "AB1204567"),
        ("  L898902C3\n", "L898902C3"),
        ("№ 123456", "123456"),  # the numero sign must not become "NO"
        ("ＡＢ１２３", "AB123"),  # full-width
        ("СН 123456", "CH123456"),  # Cyrillic series letters read as the Latin look-alikes
        ("ΑΒ-1234", "AB1234"),  # Greek
        ("", ""),
        (" - / . ", ""),
    ],
)
def test_normalize_document_number(raw: str, normal: str) -> None:
    assert normalize_document_number(raw) == normal


@pytest.mark.parametrize(
    ("raw", "normal"),
    [
        ("В 123 ОР-77", "B123OP77"),  # Russian plate, all Cyrillic
        ("ВІ 1234 АК", "BI1234AK"),  # Ukrainian, with І
        ("ΙΚΡ-1234", "IKP1234"),  # Greek
        ("M-ÜB 100", "MUB100"),  # German umlaut district code
        ("ab·12·cd", "AB12CD"),
        ("Ж 123", "ZH123"),  # a letter with no Latin look-alike is transliterated
    ],
)
def test_normalize_plate(raw: str, normal: str) -> None:
    assert normalize_plate(raw) == normal


def test_serial_and_document_numbers_share_the_pipeline() -> None:
    for raw in ("sn 12-O4 i", "ΑΒ/ 77", "№ 5"):
        assert normalize_serial(raw) == normalize_document_number(raw) == compact_identifier(raw)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("AB 12O456", "AB120456"),
        ("X1OI", "X101"),
        ("sn-0I23", "SNO123"),
    ],
)
def test_confusable_numbers_share_a_key(a: str, b: str) -> None:
    assert document_number_keys(a) & document_number_keys(b)
    assert serial_keys(a) & serial_keys(b)
    assert plate_keys(a) & plate_keys(b)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("AB12L456", "AB121456"),  # L is not folded
        ("AB12S456", "AB125456"),  # nor S, B, Z, G, Q
        ("AB12B456", "AB128456"),
        ("AB12Z456", "AB122456"),
        ("AB12Q456", "AB120456"),
    ],
)
def test_other_lookalikes_do_not_share_a_key(a: str, b: str) -> None:
    assert not document_number_keys(a) & document_number_keys(b)


def test_keys() -> None:
    assert document_number_keys("AB 12O456") == {"AB12O456", "AB120456"}
    assert document_number_keys("AB120456") == {"AB120456"}
    assert document_number_keys(" - ") == frozenset()


# --- comparing document numbers --------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b", "score", "method"),
    [
        ("AB120456", "AB120456", 1.0, "exact"),
        ("ab-12 0456", "AB120456", 1.0, "exact"),
        ("AB 12O456", "AB120456", 0.9, "confusable"),
        ("I0O1", "1001", 0.9, "confusable"),
        ("L898902C3", "L898902C8", 0.6, "fuzzy"),  # one substitution
        ("L898902C3", "L898920C3", 0.6, "fuzzy"),  # adjacent transposition
        ("L8989O2C3", "L898920C3", 0.6, "fuzzy"),  # folding and a transposition
        ("AB12S456", "AB125456", 0.6, "fuzzy"),  # S/5: not folded, but one substitution
        ("AB1234", "AB1235", 0.0, "none"),  # too short for fuzzy
        ("L898902C3", "L898902", 0.0, "none"),  # a dropped character is not fuzzy
        ("L898902C3", "L898093C3", 0.0, "none"),  # two substitutions
        ("L898902C3", "L8989C203", 0.0, "none"),  # non-adjacent swap
        ("", "", 0.0, "none"),
        ("AB1", "", 0.0, "none"),
    ],
)
def test_compare_document_numbers(a: str, b: str, score: float, method: str) -> None:
    match = compare_document_numbers(a, b)
    assert (match.score, match.method) == (score, method)
    assert compare_document_numbers(b, a) == match or match.method == "fuzzy"
    assert match.detail


def test_match_details_say_what_differs() -> None:
    assert "position 9" in compare_document_numbers("L898902C3", "L898902C8").detail
    assert "swapped" in compare_document_numbers("L898902C3", "L898920C3").detail


# --- VINs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "valid", "applies", "digit_ok", "message"),
    [
        ("1M8GDM9AXKP042788", True, True, True, None),  # check digit X
        ("11111111111111111", True, True, True, None),
        ("1HGCM82633A004352", True, True, True, None),
        ("1hgcm8-2633-a004352", True, True, True, None),  # case and separators
        ("JH4KA7561PC008269", True, False, True, None),  # Japan, uses the digit anyway
        ("1M8GDM9A1KP042788", False, True, False, "position 9 is '1'; the check digit"),
        ("11111111211111111", False, True, False, "the check digit would be"),
        ("WVWZZZ1JZXW000001", True, False, False, "usual outside North America"),  # warning
        ("1M8GDM9AXKP04278", False, False, None, "a VIN has 17 characters; this one has 16"),
        ("1M8GDM9AXKP0427888", False, False, None, "this one has 18"),
        ("1M8GDM9AXKP0427O8", False, False, None, "position 16: the letter O"),
        ("1M8GDM9AXKPI42788", False, False, None, "position 12: the letter I"),
        ("QM8GDM9AXKP042788", False, False, None, "position 1: the letter Q"),
        ("", False, False, None, "this one has 0"),
    ],
)
def test_validate_vin(
    raw: str, valid: bool, applies: bool, digit_ok: bool | None, message: str | None
) -> None:
    check = validate_vin(raw)
    assert check.valid is valid
    assert check.check_digit_applies is applies
    assert check.check_digit_ok is digit_ok
    assert check.normalized == normalize_vin(raw)
    said = check.problem or check.warning
    if message is None:
        assert said is None
    else:
        assert said is not None
        assert message in said
    assert (check.problem is None) is valid


def test_vin_check_digit() -> None:
    assert vin_check_digit("1M8GDM9AXKP042788") == "X"
    assert vin_check_digit("1M8GDM9A0KP042788") == "X"  # position 9 does not count
    with pytest.raises(InputError, match="17 characters"):
        vin_check_digit("1M8GDM9AX")
    with pytest.raises(InputError, match="letter O"):
        vin_check_digit("1M8GDM9AXKP0427O8")


VIN_CHARS = "ABCDEFGHJKLMNPRSTUVWXYZ0123456789"


@given(st.text(alphabet=VIN_CHARS, min_size=17, max_size=17))
def test_a_vin_with_its_check_digit_is_valid(raw: str) -> None:
    vin = raw[:8] + vin_check_digit(raw) + raw[9:]
    check = validate_vin(vin)
    assert check.valid
    assert check.check_digit_ok
    assert check.warning is None


# --- IBAN and BIC ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("raw", "valid", "country", "problem"),
    [
        ("DE89370400440532013000", True, "DEU", None),
        ("GB82WEST12345698765432", True, "GBR", None),
        ("de89 3704 0044 0532 0130 00", True, "DEU", None),
        ("IBAN BE71 0961 2345 6769", True, "BEL", None),
        ("XK051212012345678906", True, "RKS", None),
        ("DE89370400440532013001", False, "DEU", "check digits (positions 3-4) do not match"),
        ("GB82WEST12345698765433", False, "GBR", "do not match"),
        ("DE8937040044053201300", False, "DEU", "IBANs from DE have 22 characters; this one"),
        ("GB82WEST123456987654321", False, "GBR", "have 22 characters; this one has 23"),
        ("XX89370400440532013000", False, None, "'XX' is not a country that issues IBANs"),
        ("DEAB370400440532013000", False, "DEU", "positions 3-4 must be the check digits"),
        ("GB39123412345698765432", False, "GBR", "does not follow the GB format"),
        ("", False, None, "this one has 0"),
    ],
)
def test_validate_iban(raw: str, valid: bool, country: str | None, problem: str | None) -> None:
    check = validate_iban(raw)
    assert check.valid is valid
    assert check.country == country
    if problem is None:
        assert check.problem is None
    else:
        assert check.problem is not None
        assert problem in check.problem


@pytest.mark.parametrize(
    ("raw", "valid", "country", "problem"),
    [
        ("DEUTDEFF", True, "DEU", None),
        ("deut de ff 500", True, "DEU", None),
        ("NEDSZAJJXXX", True, "ZAF", None),
        ("DEUTXKFF", True, "RKS", None),
        ("DEUTDEF", False, None, "a BIC has 8 or 11 characters; this one has 7"),
        ("DEUT1EFF", False, None, "positions 5-6 (country code) must be letters"),
        ("DEU1DEFF", False, None, "positions 1-4 (bank code) must be letters"),
        ("DEUTXXFF", False, None, "'XX' is not a country code"),
    ],
)
def test_validate_bic(raw: str, valid: bool, country: str | None, problem: str | None) -> None:
    check = validate_bic(raw)
    assert (check.valid, check.country, check.problem is None) == (valid, country, problem is None)
    if problem is not None:
        assert check.problem is not None
        assert problem in check.problem


# --- properties ------------------------------------------------------------------------------


@given(st.text())
def test_normalisation_is_idempotent(raw: str) -> None:
    once = compact_identifier(raw)
    assert compact_identifier(once) == once
    assert normalize_plate(once) == once
    assert fold_confusables(fold_confusables(once)) == fold_confusables(once)
    assert once == "" or (once.isascii() and once.isalnum() and (once.isupper() or once.isdigit()))


@given(st.text())
def test_a_number_matches_itself_exactly(raw: str) -> None:
    match = compare_document_numbers(raw, raw)
    if normalize_document_number(raw):
        assert (match.score, match.method) == (1.0, "exact")
    else:
        assert match.method == "none"


@given(st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -", min_size=1))
def test_keys_contain_the_normal_form(raw: str) -> None:
    normal = normalize_document_number(raw)
    keys = document_number_keys(raw)
    assert (normal in keys) if normal else keys == frozenset()
    assert all(fold_confusables(normal) in document_number_keys(k) for k in keys)
