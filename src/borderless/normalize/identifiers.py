"""Identifiers read off documents, vehicles, firearms and bank statements, made comparable.

An officer types a number from a worn document, a plate from a photo, a serial from a rusty
receiver; the shared record was typed by someone else, from another copy. The same number then
arrives with spaces, dashes, lower case, Cyrillic letters that look Latin, and the classic
O/0 and I/1 confusions. Everything here is pure and deterministic, so that a stored value and a
query value go through the same steps and meet.

One pipeline serves every identifier:

1. `compact_identifier` keeps letters and digits only (separators and symbols such as ``№`` go),
   folds compatibility forms (full-width ``ＡＢ１``), upper-cases, maps Cyrillic and Greek
   letters that *look* Latin to the Latin letter (``Р`` -> ``P``, not ``R``: plates and
   Ukrainian passport series use those letters for their shape) and transliterates any other
   letter to ASCII (``Ü`` -> ``U``, ``Ж`` -> ``ZH``).
2. `fold_confusables` maps the characters that people and OCR confuse *in both directions and
   often* to one representative: ``O`` -> ``0`` and ``I`` -> ``1``. Nothing else:

   - ``L``/``1``: a typed lower-case ``l`` for ``1`` happens, but after upper-casing ``L`` is
     unambiguous, and many document series start with ``L`` (the ICAO specimen ``L898902C3``).
   - ``S``/``5``, ``B``/``8``, ``Z``/``2``, ``G``/``6``, ``Q``/``0``: real OCR confusions, but
     rarer, and each folding merges more distinct numbers. The fuzzy tier of
     `compare_document_numbers` (one substitution, 0.6) still finds them for long numbers.

   Precision risk: two genuinely different documents whose numbers differ only in ``O``/``0``
   or ``I``/``1`` (the same issuing country and series) share a key. That is why a confusable
   match scores 0.9, not 1.0, and says so in its detail: the officer sees that it is not exact.

Keys (`document_number_keys`, `serial_keys`, `plate_keys`) are what an index stores and a
lookup intersects; `compare_document_numbers` then scores a candidate pair.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from typing import Literal

from anyascii import anyascii
from stdnum import iban as stdnum_iban
from stdnum import numdb
from stdnum.exceptions import ValidationError

from borderless.errors import InputError
from borderless.normalize.countries import try_alpha3

# --- one pipeline for every identifier -----------------------------------------------------

# Upper-case Cyrillic and Greek letters whose glyphs are (near) identical to Latin ones. Plates
# in Russia, Ukraine, Belarus, Kazakhstan, Bulgaria, Serbia and Greece use only such letters.
_LOOKALIKES: dict[str, str] = {
    # Cyrillic
    "А": "A",
    "В": "B",
    "Е": "E",
    "Ё": "E",
    "К": "K",
    "М": "M",
    "Н": "H",
    "О": "O",
    "Р": "P",
    "С": "C",
    "Т": "T",
    "У": "Y",
    "Х": "X",
    "І": "I",  # Ukrainian and Belarusian I
    "Ј": "J",  # Serbian and Macedonian Je
    "Ѕ": "S",  # Macedonian Dze
    # Greek
    "Α": "A",
    "Β": "B",
    "Ε": "E",
    "Ζ": "Z",
    "Η": "H",
    "Ι": "I",
    "Κ": "K",
    "Μ": "M",
    "Ν": "N",
    "Ο": "O",
    "Ρ": "P",
    "Τ": "T",
    "Υ": "Y",
    "Χ": "X",
}
_LOOKALIKE_TABLE = str.maketrans(_LOOKALIKES)

# Characters people and OCR confuse in both directions, folded to one representative.
CONFUSABLES: dict[str, str] = {"O": "0", "I": "1"}
_CONFUSABLE_TABLE = str.maketrans(CONFUSABLES)

_NOT_ASCII_ALNUM = re.compile(r"[^A-Z0-9]")


def _is_letter_or_digit(char: str) -> bool:
    return unicodedata.category(char)[0] in "LN"


def compact_identifier(value: str) -> str:
    """Letters and digits only, upper-case ASCII, look-alike letters read as Latin.

    Symbols are dropped *before* compatibility folding so that ``№`` (which NFKC spells
    ``No``) cannot add letters to a number.
    """
    kept = "".join(char for char in value if _is_letter_or_digit(char))
    text = unicodedata.normalize("NFKC", kept).upper().translate(_LOOKALIKE_TABLE)
    if not text.isascii():
        text = anyascii(text).upper()
    return _NOT_ASCII_ALNUM.sub("", text)


def fold_confusables(normalised: str) -> str:
    """Map O -> 0 and I -> 1 in an already compacted identifier (see the module docstring)."""
    return normalised.translate(_CONFUSABLE_TABLE)


def _keys(normalised: str) -> frozenset[str]:
    if not normalised:
        return frozenset()
    return frozenset({normalised, fold_confusables(normalised)})


def normalize_document_number(value: str) -> str:
    """A travel-document number as compared: ``"ab 12-o45.6"`` -> ``"AB12O456"``."""
    return compact_identifier(value)


def document_number_keys(value: str) -> frozenset[str]:
    """Index keys of a document number: the normalised form and its confusable folding.

    Two numbers that are equal after folding share at least the folded key. Empty when the
    value has no letters or digits.
    """
    return _keys(normalize_document_number(value))


def normalize_serial(value: str) -> str:
    """A firearm serial number as compared (same rules as document numbers)."""
    return compact_identifier(value)


def serial_keys(value: str) -> frozenset[str]:
    """Index keys of a firearm serial number (see `document_number_keys`)."""
    return _keys(normalize_serial(value))


def normalize_plate(value: str) -> str:
    """A number plate as compared: ``"В 123 ОР-77"`` (Cyrillic) -> ``"B123OP77"``.

    The plate's country is not part of the value; match it separately.
    """
    return compact_identifier(value)


def plate_keys(value: str) -> frozenset[str]:
    """Index keys of a plate. UK and other plates print O and 0 alike, so fold them too."""
    return _keys(normalize_plate(value))


# --- comparing document numbers --------------------------------------------------------------

MatchMethod = Literal["exact", "confusable", "fuzzy", "none"]

SCORE_EXACT = 1.0
SCORE_CONFUSABLE = 0.9
SCORE_FUZZY = 0.6
FUZZY_MIN_LENGTH = 7  # below this one changed character too often makes another real number


@dataclass(frozen=True)
class DocumentNumberMatch:
    """How well two document numbers agree, and why."""

    score: float
    method: MatchMethod
    detail: str


def _one_edit(a: str, b: str) -> str | None:
    """Describe a single substitution or adjacent transposition turning `a` into `b`."""
    if len(a) != len(b):
        return None
    diffs = [i for i, (x, y) in enumerate(zip(a, b, strict=True)) if x != y]
    if len(diffs) == 1:
        i = diffs[0]
        return f"one character differs at position {i + 1} ({a[i]!r} / {b[i]!r})"
    if len(diffs) == 2 and diffs[1] == diffs[0] + 1:
        i, j = diffs
        if a[i] == b[j] and a[j] == b[i]:
            return f"characters at positions {i + 1} and {j + 1} are swapped"
    return None


def compare_document_numbers(a: str, b: str) -> DocumentNumberMatch:
    """Score two document (or serial) numbers; the issuing country is compared elsewhere.

    1.0 equal after normalisation; 0.9 equal after O/0, I/1 folding; 0.6 one substituted or
    two swapped adjacent characters in numbers of at least 7 characters; else 0.
    """
    na, nb = normalize_document_number(a), normalize_document_number(b)
    if not na or not nb:
        return DocumentNumberMatch(0.0, "none", "a number has no letters or digits")
    if na == nb:
        return DocumentNumberMatch(SCORE_EXACT, "exact", "equal after normalisation")
    fa, fb = fold_confusables(na), fold_confusables(nb)
    if fa == fb:
        return DocumentNumberMatch(
            SCORE_CONFUSABLE, "confusable", f"equal when O/0 and I/1 are not told apart ({fa})"
        )
    if len(fa) >= FUZZY_MIN_LENGTH:
        edit = _one_edit(fa, fb)
        if edit is not None:
            return DocumentNumberMatch(SCORE_FUZZY, "fuzzy", edit)
    return DocumentNumberMatch(0.0, "none", "different numbers")


# --- VIN (ISO 3779, check digit per 49 CFR 565) ---------------------------------------------

VIN_LENGTH = 17
_VIN_VALUES: dict[str, int] = {
    **{str(d): d for d in range(10)},
    **dict(zip("ABCDEFGH", range(1, 9), strict=True)),
    **dict(zip("JKLMN", range(1, 6), strict=True)),
    "P": 7,
    "R": 9,
    **dict(zip("STUVWXYZ", range(2, 10), strict=True)),
}
_VIN_WEIGHTS = (8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2)
_VIN_FORBIDDEN = {"I": "1", "O": "0", "Q": "0"}  # never used: too easily read as digits
# First WMI character of vehicles built for North America (1, 4, 5 USA; 2 Canada; 3 Mexico),
# where the check digit is mandatory. Elsewhere position 9 is often just another character.
_CHECK_DIGIT_REGIONS = frozenset("12345")


@dataclass(frozen=True)
class VinCheck:
    """The result of checking a VIN.

    `valid` is False only for a VIN that cannot be one (length, characters), or for a
    North-American VIN whose check digit fails. A failing position 9 elsewhere is a `warning`:
    European and Asian makers need not use the check digit, and refusing their VINs would hide
    genuine vehicles.
    """

    valid: bool
    normalized: str
    problem: str | None = None
    check_digit_applies: bool = False
    check_digit_ok: bool | None = None  # None when the VIN is too malformed to tell
    warning: str | None = None


def normalize_vin(value: str) -> str:
    """A VIN as compared: upper-case letters and digits, separators removed."""
    return compact_identifier(value)


def _vin_problem(vin: str) -> str | None:
    if len(vin) != VIN_LENGTH:
        return (
            f"a VIN has {VIN_LENGTH} characters; this one has {len(vin)}"
            " (vehicles built before 1981 may carry shorter serials)"
        )
    for position, char in enumerate(vin, start=1):
        if char in _VIN_FORBIDDEN:
            return (
                f"position {position}: the letter {char} is never used in VINs"
                f" (a misread {_VIN_FORBIDDEN[char]}?)"
            )
    return None


def vin_check_digit(vin: str) -> str:
    """The check digit (``0``-``9`` or ``X``) that belongs in position 9 of `vin`."""
    normal = normalize_vin(vin)
    problem = _vin_problem(normal)
    if problem is not None:
        raise InputError(f"invalid VIN {vin!r}: {problem}")
    total = sum(
        _VIN_VALUES[char] * weight for char, weight in zip(normal, _VIN_WEIGHTS, strict=True)
    )
    remainder = total % 11
    return "X" if remainder == 10 else str(remainder)


def validate_vin(value: str) -> VinCheck:
    """Check a VIN's length, characters and (where it applies) check digit; never raises."""
    normal = normalize_vin(value)
    problem = _vin_problem(normal)
    if problem is not None:
        return VinCheck(valid=False, normalized=normal, problem=problem)
    expected = vin_check_digit(normal)
    applies = normal[0] in _CHECK_DIGIT_REGIONS
    if normal[8] == expected:
        return VinCheck(True, normal, check_digit_applies=applies, check_digit_ok=True)
    message = f"position 9 is {normal[8]!r}; the check digit would be {expected!r}"
    if applies:
        return VinCheck(False, normal, message, check_digit_applies=True, check_digit_ok=False)
    return VinCheck(
        True,
        normal,
        check_digit_applies=False,
        check_digit_ok=False,
        warning=f"{message} (usual outside North America, where the check digit is optional)",
    )


# --- IBAN and BIC -----------------------------------------------------------------------------

# python-stdnum's IBAN registry (offline): country code -> BBAN structure such as "8!n10!n".
_IBAN_DB = numdb.get("iban")
_BBAN_PART = re.compile(r"(\d+)!([nac])")
_BBAN_CLASSES = {"n": "[0-9]", "a": "[A-Z]", "c": "[A-Z0-9]"}


@dataclass(frozen=True)
class IbanCheck:
    """The result of checking an IBAN; `country` is alpha-3 (``XK`` -> ``RKS``)."""

    valid: bool
    normalized: str
    country: str | None = None
    problem: str | None = None


@dataclass(frozen=True)
class BicCheck:
    """The result of checking a BIC (SWIFT code); `country` is alpha-3."""

    valid: bool
    normalized: str
    country: str | None = None
    problem: str | None = None


def normalize_iban(value: str) -> str:
    """An IBAN as compared: upper-case, no spaces or separators, no leading ``IBAN`` label."""
    return compact_identifier(value).removeprefix("IBAN")


def _bban_structure(country_code: str) -> str | None:
    props = _IBAN_DB.info(country_code)[0][1]
    structure = props.get("bban")
    return str(structure) if structure else None


def _mod97(text: str) -> int:
    return int("".join(str(int(char, 36)) for char in text)) % 97


def _iban_problem(iban: str) -> str | None:
    if len(iban) < 5:
        return f"an IBAN has at least 15 characters; this one has {len(iban)}"
    code = iban[:2]
    structure = _bban_structure(code) if code.isalpha() else None
    if structure is None:
        return f"{code!r} is not a country that issues IBANs"
    if not iban[2:4].isdigit():
        return f"positions 3-4 must be the check digits; found {iban[2:4]!r}"
    parts = [(int(count), kind) for count, kind in _BBAN_PART.findall(structure)]
    expected = 4 + sum(count for count, _ in parts)
    if len(iban) != expected:
        return f"IBANs from {code} have {expected} characters; this one has {len(iban)}"
    pattern = "".join(f"{_BBAN_CLASSES[kind]}{{{count}}}" for count, kind in parts)
    if re.fullmatch(pattern, iban[4:]) is None:  # before mod 97: says where a typo is
        return f"the account part does not follow the {code} format {structure}"
    if _mod97(iban[4:] + iban[:4]) != 1:
        return "the check digits (positions 3-4) do not match the account number (mod 97)"
    try:
        stdnum_iban.validate(iban)  # the national check digits some countries add
    except ValidationError:
        return f"the national check digits of the {code} account number do not match"
    return None


def validate_iban(value: str) -> IbanCheck:
    """Check an IBAN: country, length, mod-97 check digits, national format; never raises."""
    normal = normalize_iban(value)
    country = try_alpha3(normal[:2]) if len(normal) >= 2 and normal[:2].isalpha() else None
    problem = _iban_problem(normal)
    return IbanCheck(valid=problem is None, normalized=normal, country=country, problem=problem)


_BIC_PARTS: tuple[tuple[str, int, int, str, str], ...] = (
    # name, start, end, character class, what it must be
    ("bank code", 0, 4, "[A-Z]", "letters"),
    ("country code", 4, 6, "[A-Z]", "letters"),
    ("location code", 6, 8, "[A-Z0-9]", "letters or digits"),
    ("branch code", 8, 11, "[A-Z0-9]", "letters or digits"),
)


def validate_bic(value: str) -> BicCheck:
    """Check a BIC: 8 or 11 characters, the parts' alphabets and an ISO country; never raises."""
    normal = compact_identifier(value)
    if len(normal) not in (8, 11):
        problem = f"a BIC has 8 or 11 characters; this one has {len(normal)}"
        return BicCheck(False, normal, problem=problem)
    for name, start, end, chars, what in _BIC_PARTS:
        part = normal[start:end]
        if part and re.fullmatch(f"{chars}+", part) is None:
            problem = f"positions {start + 1}-{end} ({name}) must be {what}; found {part!r}"
            return BicCheck(False, normal, problem=problem)
    country = try_alpha3(normal[4:6])
    if country is None:
        return BicCheck(False, normal, problem=f"{normal[4:6]!r} is not a country code")
    return BicCheck(True, normal, country=country)
