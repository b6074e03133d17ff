"""Machine-readable zones (ICAO Doc 9303) of passports, identity cards and visas.

Layouts (positions 1-based as in the standard):

- TD3 (passports), 2 x 44: line 1 type, issuing state, name; line 2 number (1-9) + check (10),
  nationality, birth date + check, sex, expiry + check, personal number (29-42) + check (43),
  composite check (44) over 1-10, 14-20, 22-43.
- TD2 (cards), 2 x 36: as TD3 with a 31-character name field and optional data 29-35 without a
  check digit; composite (36) over 1-10, 14-20, 22-35.
- TD1 (cards), 3 x 30: line 1 type, state, number (6-14) + check (15), optional data (16-30);
  line 2 birth + check, sex, expiry + check, nationality, optional data (19-29), composite (30)
  over line 1 6-30 and line 2 1-7, 9-15, 19-29; line 3 the name.
- MRV-A / MRV-B (visas, first character ``V``), 2 x 44 / 2 x 36: as TD3 / TD2 but without
  a personal-number check and without a composite check.

Check digits: characters valued ``0``-``9``, ``A``=10 ... ``Z``=35, ``<``=0, weighted 7, 3, 1
repeating, sum modulo 10.

Long document numbers (TD1 and TD2 only): a number longer than 9 characters puts its first 9
in the number field, ``<`` in the check-digit position, and the rest of the number followed by
its check digit at the start of the optional data, ended by ``<``. The ICAO example
``D23145890734`` (check digit 9) is read as one number, not as ``D23145890`` plus optional data.

Malformed input (line count, line length, characters outside ``A-Z0-9<``, a non-digit where a
check digit belongs) raises `InputError` naming the line and position. A check digit that does
not match does *not* raise: the officer must still see what the zone says, and that it failed.
Dates and a sex marker that cannot be read become ``None``/a problem the same way.

Centuries of two-digit years:

- birth date: ``20YY`` unless that is after today, then ``19YY`` (a person cannot be born in
  the future, and no living holder was born before 19YY's century);
- expiry date: ``20YY`` up to 20 years ahead of today, else ``19YY`` (documents run 10 years,
  some a little longer; expired documents from the 1990s still turn up in stolen-document
  lists).

Unknown parts of a date are ``<`` (some states write ``00``): ``74<<<<`` is the partial date
``1974``, ``7405<<`` is ``1974-05``; an unknown year gives ``None``.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from typing import Literal

from borderless.domain.codes import DocumentType
from borderless.errors import InputError
from borderless.normalize.countries import try_alpha3

MrzFormat = Literal["TD1", "TD2", "TD3", "MRV-A", "MRV-B"]

FILLER = "<"
_MRZ_CHARS = re.compile(r"[A-Z0-9<]")
_CHECK_WEIGHTS = (7, 3, 1)
EXPIRY_YEARS_AHEAD = 20


@dataclass(frozen=True)
class _Span:
    """A field: 0-based line index and a [start, end) character range on that line."""

    line: int
    start: int
    end: int

    def read(self, lines: Sequence[str]) -> str:
        return lines[self.line][self.start : self.end]

    def where(self) -> str:
        if self.end - self.start == 1:
            return f"line {self.line + 1}, position {self.start + 1}"
        return f"line {self.line + 1}, positions {self.start + 1}-{self.end}"


@dataclass(frozen=True)
class _Layout:
    format: MrzFormat
    line_count: int
    width: int
    document_type: _Span
    issuing_country: _Span
    name: _Span
    document_number: _Span
    document_number_check: _Span
    nationality: _Span
    birth_date: _Span
    birth_date_check: _Span
    sex: _Span
    expiry_date: _Span
    expiry_date_check: _Span
    optional: _Span
    optional_check: _Span | None = None  # TD3 personal number
    optional_2: _Span | None = None  # TD1 line 2
    composite: tuple[_Span, ...] = ()
    composite_check: _Span | None = None
    long_number: bool = False  # TD1/TD2 long document number rule


def _two_line(fmt: MrzFormat, width: int, *, visa: bool) -> _Layout:
    """TD3, TD2 and the visas share line 2 up to the optional data."""
    last = width - 1
    has_personal_number = fmt == "TD3"
    optional_end = last - 1 if has_personal_number else (width if visa else last)
    return _Layout(
        format=fmt,
        line_count=2,
        width=width,
        document_type=_Span(0, 0, 2),
        issuing_country=_Span(0, 2, 5),
        name=_Span(0, 5, width),
        document_number=_Span(1, 0, 9),
        document_number_check=_Span(1, 9, 10),
        nationality=_Span(1, 10, 13),
        birth_date=_Span(1, 13, 19),
        birth_date_check=_Span(1, 19, 20),
        sex=_Span(1, 20, 21),
        expiry_date=_Span(1, 21, 27),
        expiry_date_check=_Span(1, 27, 28),
        optional=_Span(1, 28, optional_end),
        optional_check=_Span(1, last - 1, last) if has_personal_number else None,
        composite=() if visa else (_Span(1, 0, 10), _Span(1, 13, 20), _Span(1, 21, last)),
        composite_check=None if visa else _Span(1, last, width),
        long_number=fmt == "TD2",
    )


_TD1 = _Layout(
    format="TD1",
    line_count=3,
    width=30,
    document_type=_Span(0, 0, 2),
    issuing_country=_Span(0, 2, 5),
    document_number=_Span(0, 5, 14),
    document_number_check=_Span(0, 14, 15),
    optional=_Span(0, 15, 30),
    birth_date=_Span(1, 0, 6),
    birth_date_check=_Span(1, 6, 7),
    sex=_Span(1, 7, 8),
    expiry_date=_Span(1, 8, 14),
    expiry_date_check=_Span(1, 14, 15),
    nationality=_Span(1, 15, 18),
    optional_2=_Span(1, 18, 29),
    composite=(_Span(0, 5, 30), _Span(1, 0, 7), _Span(1, 8, 15), _Span(1, 18, 29)),
    composite_check=_Span(1, 29, 30),
    name=_Span(2, 0, 30),
    long_number=True,
)
_TD2 = _two_line("TD2", 36, visa=False)
_TD3 = _two_line("TD3", 44, visa=False)
_MRV_A = _two_line("MRV-A", 44, visa=True)
_MRV_B = _two_line("MRV-B", 36, visa=True)

# (line count, width, is a visa) -> layout
_LAYOUTS: dict[tuple[int, int, bool], _Layout] = {
    (3, 30, False): _TD1,
    (3, 30, True): _TD1,  # no TD1 visas: read a stray V as a card's type code
    (2, 36, False): _TD2,
    (2, 44, False): _TD3,
    (2, 36, True): _MRV_B,
    (2, 44, True): _MRV_A,
}
_TWO_LINE_WIDTHS = {36: "TD2", 44: "TD3"}

# First letter of the document code -> kind (Doc 9303 part 4-7: P passports, V visas, and
# A, C, I for official travel documents in card format).
_DOCUMENT_KINDS: dict[str, DocumentType] = {
    "P": DocumentType.PASSPORT,
    "V": DocumentType.VISA,
    "I": DocumentType.ID_CARD,
    "A": DocumentType.ID_CARD,
    "C": DocumentType.ID_CARD,
}


@dataclass(frozen=True)
class MrzResult:
    """What an MRZ says, with every check digit's verdict.

    Countries are alpha-3 where `borderless.normalize.countries` knows the code (``D`` ->
    ``DEU``; ICAO-only codes such as ``XXA`` or ``RKS`` stay as they are), else the raw code
    (``UTO``, the specimen's Utopia). `problems` explains every failed check and every field
    that could not be read; `valid` is True when there are none.
    """

    format: MrzFormat
    document_type: str
    issuing_country: str
    document_number: str
    surname: str
    given_names: str
    nationality: str
    birth_date: str | None
    sex: str  # "M", "F" or "X" (unspecified; ICAO writes "<" or "X")
    expiry_date: str | None
    optional_data: str
    optional_data_2: str | None
    checks: dict[str, bool]
    problems: tuple[str, ...]

    @property
    def valid(self) -> bool:
        return not self.problems and all(self.checks.values())

    @property
    def document_kind(self) -> DocumentType:
        """The document's kind for a `DocumentBody`, from the first letter of its code."""
        return _DOCUMENT_KINDS.get(self.document_type[:1], DocumentType.OTHER)


def mrz_value(char: str) -> int:
    """The value of one MRZ character in a check-digit sum."""
    if char == FILLER:
        return 0
    if char.isdigit():
        return int(char)
    return ord(char) - ord("A") + 10


def mrz_check_digit(data: str) -> str:
    """The ICAO 9303 check digit of `data` (weights 7, 3, 1; ``<`` counts 0)."""
    total = sum(mrz_value(c) * _CHECK_WEIGHTS[i % 3] for i, c in enumerate(data))
    return str(total % 10)


# --- reading the input -----------------------------------------------------------------------


def _split_lines(lines: Sequence[str] | str) -> list[str]:
    raw = lines.splitlines() if isinstance(lines, str) else list(lines)
    return [line.strip().upper() for line in raw if line.strip()]


def _layout_for(lines: list[str]) -> _Layout:
    if not lines:
        raise InputError("empty MRZ: expected 2 lines (TD2, TD3, visas) or 3 (TD1)")
    count = len(lines)
    if count == 3:
        width = 30
    elif count == 2:
        known = [len(line) for line in lines if len(line) in _TWO_LINE_WIDTHS]
        if not known:
            raise InputError(
                f"line 1 has {len(lines[0])} characters; two-line MRZs have 36 (TD2)"
                " or 44 (TD3) characters per line"
            )
        width = known[0]
    else:
        raise InputError(f"an MRZ has 2 lines (TD2, TD3, visas) or 3 (TD1); got {count}")
    layout = _LAYOUTS[(count, width, lines[0].startswith("V"))]
    for number, line in enumerate(lines, start=1):
        if len(line) != width:
            raise InputError(
                f"line {number} has {len(line)} characters; {layout.format} lines have {width}"
            )
        for position, char in enumerate(line, start=1):
            if _MRZ_CHARS.fullmatch(char) is None:
                raise InputError(
                    f"line {number}, position {position}: {char!r} is not an MRZ character"
                    " (A-Z, 0-9, <)"
                )
    return layout


def _check_char(lines: Sequence[str], span: _Span, what: str) -> str:
    char = span.read(lines)
    if not char.isdigit():
        raise InputError(f"{span.where()}: expected the {what} check digit, found {char!r}")
    return char


# --- fields ----------------------------------------------------------------------------------


def _text(value: str) -> str:
    """Filler as space, collapsed and trimmed."""
    return " ".join(value.replace(FILLER, " ").split())


def _country(code: str) -> str:
    raw = code.replace(FILLER, "")
    return (try_alpha3(raw) or raw) if raw else ""


def _names(field: str) -> tuple[str, str]:
    surname, _, given = field.partition(FILLER * 2)
    return _text(surname), _text(given)


def _birth_year(yy: int, month: int | None, day: int | None, today: date) -> int:
    year = 2000 + yy
    if (year, month or 1, day or 1) > (today.year, today.month, today.day):
        year -= 100
    return year


def _expiry_year(yy: int, month: int | None, day: int | None, today: date) -> int:
    year = 2000 + yy
    return year if year <= today.year + EXPIRY_YEARS_AHEAD else year - 100


CenturyRule = Callable[[int, int | None, int | None, date], int]
_UNKNOWN_PARTS = {FILLER * 2, "00"}


def _date(raw: str, rule: CenturyRule, today: date, what: str, problems: list[str]) -> str | None:
    """An ISO (partial) date from YYMMDD, or None with a problem noted."""
    yy, mm, dd = raw[0:2], raw[2:4], raw[4:6]
    if FILLER in yy:
        if raw != FILLER * 6:
            problems.append(f"{what} {raw!r} has an unknown year but a known month or day")
        return None
    month = None if mm in _UNKNOWN_PARTS else mm
    day = None if month is None or dd in _UNKNOWN_PARTS else dd
    parts = [p for p in (yy, month, day) if p is not None]
    if not all(p.isdigit() for p in parts) or (month is None and dd not in _UNKNOWN_PARTS):
        problems.append(f"{what} {raw!r} is not a date (YYMMDD, '<' for unknown parts)")
        return None
    m = int(month) if month is not None else None
    d = int(day) if day is not None else None
    year = rule(int(yy), m, d, today)
    try:
        date(year, m or 1, d or 1)
    except ValueError:
        problems.append(f"{what} {raw!r} is not a real date")
        return None
    return "-".join([f"{year:04d}", *([f"{m:02d}"] if m else []), *([f"{d:02d}"] if d else [])])


def _sex(raw: str, problems: list[str]) -> str:
    if raw in ("M", "F"):
        return raw
    if raw not in (FILLER, "X"):
        problems.append(f"sex marker {raw!r} is not M, F, X or <")
    return "X"


def _document_number(lines: Sequence[str], layout: _Layout) -> tuple[str, str, str, _Span | None]:
    """(number, its check digit, the optional data after it, where the digit sits if long)."""
    number = layout.document_number.read(lines)
    check = layout.document_number_check
    optional = layout.optional.read(lines)
    if not (layout.long_number and check.read(lines) == FILLER):
        return number, _check_char(lines, check, "document number"), optional, None
    # Long number: the rest and its check digit open the optional data, ended by '<'.
    rest, _, after = optional.partition(FILLER)
    if len(rest) < 2:
        raise InputError(
            f"{check.where()} holds '<' (a long document number), but the optional data"
            f" ({layout.optional.where()}) does not continue it with a check digit"
        )
    at = layout.optional.start + len(rest) - 1
    digit_at = _Span(layout.optional.line, at, at + 1)
    return number + rest[:-1], _check_char(lines, digit_at, "document number"), after, digit_at


def parse_mrz(lines: Sequence[str] | str, *, today: date | None = None) -> MrzResult:
    """Read an MRZ given as its lines or as one string with newlines.

    Raises `InputError` for input that is not an MRZ; reports check-digit failures in
    `MrzResult.checks` and `MrzResult.problems`. `today` fixes the century rules (tests).
    """
    rows = _split_lines(lines)
    layout = _layout_for(rows)
    today = today or date.today()
    problems: list[str] = []
    checks: dict[str, bool] = {}

    def verify(name: str, data: str, digit: str, where: str) -> None:
        expected = mrz_check_digit(data)
        checks[name] = digit == expected
        if not checks[name]:
            problems.append(f"{name} check digit ({where}) is {digit}, computed {expected}")

    number_field, number_digit, optional_raw, long_digit_at = _document_number(rows, layout)
    verify(
        "document_number",
        number_field,
        number_digit,
        (long_digit_at or layout.document_number_check).where(),
    )
    for name, field, check_span in (
        ("birth_date", layout.birth_date, layout.birth_date_check),
        ("expiry_date", layout.expiry_date, layout.expiry_date_check),
    ):
        digit = _check_char(rows, check_span, name.replace("_", " "))
        verify(name, field.read(rows), digit, check_span.where())
    if layout.optional_check is not None:
        personal = layout.optional.read(rows)
        digit = layout.optional_check.read(rows)
        if digit == FILLER and personal.strip(FILLER) == "":
            checks["optional"] = True  # no personal number: '<' is allowed as its check digit
        elif digit == FILLER:
            checks["optional"] = False
            problems.append(f"optional check digit ({layout.optional_check.where()}) is missing")
        else:
            digit = _check_char(rows, layout.optional_check, "optional data")
            verify("optional", personal, digit, layout.optional_check.where())
    if layout.composite_check is not None:
        digit = _check_char(rows, layout.composite_check, "composite")
        data = "".join(span.read(rows) for span in layout.composite)
        verify("composite", data, digit, layout.composite_check.where())

    surname, given_names = _names(layout.name.read(rows))
    return MrzResult(
        format=layout.format,
        document_type=layout.document_type.read(rows).replace(FILLER, ""),
        issuing_country=_country(layout.issuing_country.read(rows)),
        document_number=number_field.replace(FILLER, ""),
        surname=surname,
        given_names=given_names,
        nationality=_country(layout.nationality.read(rows)),
        birth_date=_date(layout.birth_date.read(rows), _birth_year, today, "birth date", problems),
        sex=_sex(layout.sex.read(rows), problems),
        expiry_date=_date(
            layout.expiry_date.read(rows), _expiry_year, today, "expiry date", problems
        ),
        optional_data=_text(optional_raw),
        optional_data_2=_text(layout.optional_2.read(rows)) if layout.optional_2 else None,
        checks=checks,
        problems=tuple(problems),
    )
