"""Helpers the list readers (UN, OFAC) share: XML parsing with located errors, remarks,
countries, ids and organisation kinds, so both lists treat odd values the same way."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from functools import lru_cache
from pathlib import Path
from typing import ParamSpec, TypeVar

import pycountry
from lxml import etree
from pydantic import ValidationError

from borderless.domain.codes import (
    Accuracy,
    Dissemination,
    OrganisationKind,
    Reliability,
)
from borderless.domain.records import (
    Governance,
)
from borderless.errors import FormatError
from borderless.formats.validation import describe_validation_error
from borderless.normalize.countries import NAME_EXTRA, try_alpha3

PUBLIC_LIST = Governance(
    reliability=Reliability.A,
    accuracy=Accuracy.KNOWN,
    dissemination=Dissemination.ALL_MEMBERS,
)

# Values that mean "no value"; "na" would otherwise become Namibia.
_PLACEHOLDERS = frozenset({"na", "n/a", "n.a.", "unknown", "none", "-"})

T = TypeVar("T")
P = ParamSpec("P")

# --- helpers shared with the OFAC reader ------------------------------------------------------


def clean(value: str | None) -> str | None:
    """Collapse whitespace (the lists wrap long values over lines); ``None`` when empty."""
    if value is None:
        return None
    text = " ".join(value.split())
    return text or None


def join(parts: Iterable[str | None], sep: str = ", ") -> str | None:
    """The non-empty parts joined, or ``None``."""
    kept = [p for p in (clean(part) for part in parts) if p]
    return sep.join(kept) or None


@lru_cache(maxsize=8192)
def lookup_country(value: str | None) -> str | None:
    """Alpha-3 for a country name or code; ``None`` for placeholders and unknown names.

    A code that only the fuzzy search found through a region or city ("Cali" -> USA,
    "Shati" -> LBY) is refused: a wrong country on a sanctions entry is worse than none.
    """
    text = clean(value)
    if text is None or text.lower() in _PLACEHOLDERS:
        return None
    code = try_alpha3(text)
    return code if code is not None and _names_country(text, code) else None


def _names_country(text: str, code: str) -> bool:
    upper = text.upper().removeprefix("THE ")
    country = pycountry.countries.get(alpha_3=code)
    if len(upper) <= 3 or upper in NAME_EXTRA or country is None:
        return True
    names = (getattr(country, attr, "") for attr in ("name", "official_name", "common_name"))
    return any(upper in str(name).upper() for name in names)


class Notes:
    """The remarks of one entry: free text plus every value that no typed field could hold."""

    def __init__(self) -> None:
        self._lines: list[str] = []

    def add(self, label: str | None, value: str | None) -> None:
        text = clean(value)
        if text:
            self._lines.append(f"{label}: {text}" if label else text)

    def country(self, value: str | None, label: str) -> str | None:
        """The alpha-3 code of `value`; a value that names no country is kept as a remark."""
        code = lookup_country(value)
        if code is None:
            self.add(label, value)
        return code

    def text(self) -> str | None:
        return "\n".join(self._lines) or None


def unique(values: Iterable[T]) -> list[T]:
    """The values in first-seen order without repeats (lists repeat countries per address)."""
    return list(dict.fromkeys(values))


_LXML_POSITION = re.compile(r",? line \d+, column \d+$")


def parse_xml(path: Path) -> etree._Element:
    """Parse a whole XML file safely (no entities, no network) or raise with line and column."""
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise FormatError(path, None, f"cannot read the file: {exc.strerror or exc}") from None
    parser = etree.XMLParser(resolve_entities=False, no_network=True, remove_comments=True)
    try:
        return etree.fromstring(raw, parser, base_url=str(path))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position
        problem = _LXML_POSITION.sub("", exc.msg)  # lxml repeats the position in its message
        raise FormatError(
            path, f"line {line}, column {column}", f"not well-formed XML: {problem}"
        ) from None


def tag_of(element: etree._Element) -> str:
    """The element's name without its namespace."""
    return etree.QName(element).localname


def at_line(element: etree._Element) -> str:
    return f"line {element.sourceline}"


def validated(
    path: Path, location: str, what: str, build: Callable[P, T], /, *args: P.args, **kw: P.kwargs
) -> T:
    """Run `build`; a model validation failure becomes a `FormatError` at `location`."""
    try:
        return build(*args, **kw)
    except ValidationError as exc:
        raise FormatError(path, location, f"{what}: {describe_validation_error(exc)}") from None


def claim_id(path: Path, seen: dict[str, int], record_id: str, element: etree._Element) -> None:
    """Register a source id; a second entry with the same id is an error."""
    if record_id in seen:
        raise FormatError(
            path,
            at_line(element),
            f"duplicate id {record_id!r} (first at line {seen[record_id]})",
        )
    seen[record_id] = element.sourceline or 0


_COMPANY_WORDS = re.compile(
    r"\b(COMPANY|CO\.?|CORP(ORATION)?|LTD\.?|LTDA\.?|LIMITED|LLC|INC\.?|BANK|BANCO|BANQUE|"
    r"TRADING|INDUSTR\w*|ENTERPRISES?|S\.A\.?|S\.A\. DE C\.V\.|S\.R\.L\.?|GMBH|SHIPPING|"
    r"AIRLINES?|AIRWAYS|HOLDINGS?|JSC|OJSC|PJSC|COMPANIA|SOCIEDAD|CIA\.?)(?!\w)",
    re.IGNORECASE,
)
_CHARITY_WORDS = re.compile(
    r"\b(FOUNDATION|CHARIT\w*|RELIEF|WELFARE|HUMANITARIAN|BENEVOLEN\w*|ASSOCIATION|SOCIETY)\b",
    re.IGNORECASE,
)


def guess_organisation_kind(name: str, default: OrganisationKind) -> OrganisationKind:
    """Companies and charities by the words in their names; `default` for everything else."""
    if _COMPANY_WORDS.search(name):
        return OrganisationKind.COMPANY
    if _CHARITY_WORDS.search(name):
        return OrganisationKind.CHARITY
    return default


# --- the UN list ---------------------------------------------------------------------------
