"""UN/EDIFACT interchanges: service characters, segments, envelopes and their counts.

pydifact (MIT) tokenises the syntax — separators, the release character, custom ``UNA``
service strings. This module adds what a passenger-data intake needs on top and pydifact does
not check: the ``UNB``/``UNZ`` interchange, optional ``UNG``/``UNE`` groups and ``UNH``/``UNT``
messages must nest and close, and their counts and references must agree. Every problem is
reported as a `FormatError` naming the segment number (counted from 1 at the first segment,
``UNA`` included) and what was expected.

Real airline feeds deviate in a few known, harmless ways: a segment count in ``UNT`` that does
not match, a ``UNT`` reference with a stray space, a ``UNA`` missing its reserved character,
the final ``UNZ`` without a terminator, text after ``UNZ``. `Conformance.TOLERANT` records these
as warnings on the `Interchange` (and the intake stores them with the message);
`Conformance.STRICT` rejects them. Structural faults — no ``UNB`` or ``UNZ``, a message not
closed, a segment outside any message, an unterminated segment that is not the last ``UNZ`` —
are errors under both.

Line breaks are not data in EDIFACT: transmissions wrap long segments at a fixed width, so
they are removed before tokenising (unless a line break is itself a service character).
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path

from pydifact.control.characters import Characters
from pydifact.exceptions import EDISyntaxError
from pydifact.parser import Parser
from pydifact.tokenizer import Tokenizer

from borderless.errors import FormatError

__all__ = [
    "Conformance",
    "Element",
    "Interchange",
    "Message",
    "Report",
    "Segment",
    "read_interchange",
]

Element = tuple[str, ...]  # the components of one data element
_TAG = re.compile(r"^[A-Z][A-Z0-9]{2}$")
_SEEN_TAGS: set[str] = set()  # tags already checked against _TAG
_LINE_BREAKS = str.maketrans("", "", "\r\n")
DEFAULT_TERMINATOR = "'"


class Conformance(StrEnum):
    """How strictly the envelope is checked (see the module docstring)."""

    STRICT = "strict"
    TOLERANT = "tolerant"


@dataclass(frozen=True, slots=True)
class Segment:
    number: int  # position in the interchange, from 1 (UNA included)
    tag: str
    elements: tuple[Element, ...]

    def value(self, element: int, component: int = 0) -> str:
        """The component at 0-based (element, component) after the tag; '' when absent."""
        if element >= len(self.elements):
            return ""
        parts = self.elements[element]
        return parts[component] if component < len(parts) else ""

    def components(self, element: int) -> Element:
        return self.elements[element] if element < len(self.elements) else ()

    @property
    def where(self) -> str:
        return f"segment {self.number} ({self.tag})"


@dataclass(frozen=True, slots=True)
class Message:
    """One ``UNH`` … ``UNT`` message: its header and the segments between."""

    reference: str
    type: str  # PAXLST, PNRGOV, ...
    version: str  # e.g. "D:02B" or "11:1"
    header: Segment
    body: tuple[Segment, ...]


@dataclass(frozen=True, slots=True)
class Interchange:
    sender: str
    recipient: str
    reference: str
    prepared: str  # YYMMDD:HHMM as sent
    messages: tuple[Message, ...]
    warnings: tuple[str, ...]
    segment_count: int


@dataclass
class Report:
    """Collects tolerated deviations, or raises them under `Conformance.STRICT`."""

    source: str
    conformance: Conformance
    warnings: list[str] = field(default_factory=list)

    def error(self, location: str | None, problem: str) -> FormatError:
        return FormatError(self.source, location, problem)

    def deviation(self, location: str, problem: str) -> None:
        if self.conformance == Conformance.STRICT:
            raise self.error(location, problem)
        self.warnings.append(f"{location}: {problem}")


# --- syntax ---------------------------------------------------------------------------------


def _service_characters(text: str, report: Report) -> tuple[Characters, str]:
    """The service characters (UNA or the defaults) and the text after the UNA."""
    if not text.startswith("UNA"):
        return Characters.from_str("UNA:+.? '"), text
    service = text[3:9]
    if len(service) < 5:
        raise report.error("segment 1 (UNA)", "UNA needs 6 service characters")
    consumed = 9
    if service[5:6] in ("\r", "\n", ""):
        # The reserved (space) character is missing: component, element, decimal, release,
        # terminator were given, and the line break after them is layout.
        report.deviation("segment 1 (UNA)", "UNA gives 5 service characters, expected 6")
        service = service[:4] + " " + service[4]
        consumed = 8
    characters = Characters.from_str("UNA" + service)
    rest = text[consumed:]
    if characters.segment_terminator not in rest and DEFAULT_TERMINATOR in rest:
        report.deviation(
            "segment 1 (UNA)",
            f"declared segment terminator {characters.segment_terminator!r} never occurs; "
            f"using {DEFAULT_TERMINATOR!r}",
        )
        characters = characters.with_control_character("segment_terminator", DEFAULT_TERMINATOR)
    roles = (
        characters.component_separator,
        characters.data_separator,
        characters.escape_character,
        characters.segment_terminator,
    )
    if len(set(roles)) != len(roles):
        raise report.error("segment 1 (UNA)", f"service characters repeat: {''.join(roles)!r}")
    return characters, rest


def _split_tail(body: str, characters: Characters) -> tuple[str, str]:
    """(text up to and including the last unreleased terminator, what follows it)."""
    terminator, release = characters.segment_terminator, characters.escape_character
    position = len(body)
    while True:
        position = body.rfind(terminator, 0, position)
        if position < 0:
            return "", body
        releases = 0
        while position - releases - 1 >= 0 and body[position - releases - 1] == release:
            releases += 1
        if releases % 2 == 0:
            return body[: position + 1], body[position + 1 :]


def _element(value: str | list[str]) -> Element:
    if isinstance(value, str):
        return (value.strip(),)
    parts = list(value)
    while len(parts) > 1 and not parts[-1]:
        parts.pop()  # "A:B:" and "A:B" are the same element
    return tuple(part.strip() for part in parts)


def _to_segment(number: int, raw: Sequence[str | list[str]], report: Report) -> Segment:
    tag_value = raw[0]
    tag = (tag_value if isinstance(tag_value, str) else ":".join(tag_value)).strip()
    if tag not in _SEEN_TAGS:
        if not _TAG.match(tag):
            raise report.error(f"segment {number}", f"{tag[:20]!r} is not a segment tag")
        _SEEN_TAGS.add(tag)
    return Segment(number, tag, tuple(map(_element, raw[1:])))


def _pydifact_segment(raw: str, characters: Characters) -> list[str | list[str]]:
    """One segment with release characters, tokenised by pydifact."""
    tokens = Tokenizer().get_tokens(raw + characters.segment_terminator, characters)
    return next(iter(Parser().convert_tokens_to_raw_segments(tokens)))


def _raw_segments(text: str, characters: Characters) -> Iterator[list[str | list[str]]]:
    """Each terminated segment as pydifact's raw form: [tag, element or [components], ...].

    pydifact's character-by-character tokeniser runs at ~300 kB/s; most segments hold no
    release character, and for those splitting on the separators gives exactly its result
    (`tests/travel/test_edifact.py` checks the two agree on generated segments). Segments
    with a release character are tokenised by pydifact.
    """
    release = characters.escape_character
    terminator = re.escape(characters.segment_terminator)
    pattern = re.compile(
        rf"((?:[^{re.escape(release)}{terminator}]|{re.escape(release)}.)*){terminator}", re.S
    )
    element, component = characters.data_separator, characters.component_separator
    for found in pattern.finditer(text):
        raw = found.group(1)
        if release in raw:
            yield _pydifact_segment(raw, characters)
            continue
        yield [part.split(component) if component in part else part for part in raw.split(element)]


def _tokenise(text: str, characters: Characters, first: int, report: Report) -> list[Segment]:
    segments: list[Segment] = []
    try:
        for raw in _raw_segments(text, characters):
            segments.append(_to_segment(first + len(segments), raw, report))
    except EDISyntaxError as exc:
        raise report.error(f"segment {first + len(segments)}", f"syntax: {exc}") from None
    return segments


def _segments(text: str, report: Report) -> list[Segment]:
    text = text.lstrip("\ufeff \t\r\n")
    characters, rest = _service_characters(text, report)
    first = 2 if text.startswith("UNA") else 1
    one_line_tail = not any(c in _split_tail(rest, characters)[1].strip() for c in "\r\n")
    if "\n" not in str(characters) and "\r" not in str(characters):
        rest = rest.translate(_LINE_BREAKS)
    body, tail = _split_tail(rest, characters)
    segments = _tokenise(body, characters, first, report) if body.strip() else []
    tail = tail.strip()
    if not tail:
        return segments
    number = first + len(segments)
    seen_end = bool(segments) and segments[-1].tag == "UNZ"
    if not seen_end and tail.startswith("UNZ") and one_line_tail:
        report.deviation(f"segment {number} (UNZ)", "the last segment has no terminator")
        return segments + _tokenise(
            tail + characters.segment_terminator, characters, number, report
        )
    if seen_end:
        report.deviation(f"after segment {number - 1} (UNZ)", f"text ignored: {tail[:40]!r}")
        return segments
    raise report.error(
        f"segment {number}",
        f"not terminated (expected {characters.segment_terminator!r}): {tail[:40]!r}",
    )


# --- envelopes ------------------------------------------------------------------------------


@dataclass
class _Open:
    header: Segment
    body: list[Segment] = field(default_factory=list)


def _check_reference(report: Report, trailer: Segment, element: int, expected: str) -> None:
    found = trailer.value(element)
    if found != expected:
        report.deviation(trailer.where, f"reference {found!r} does not match {expected!r}")


def _check_count(report: Report, trailer: Segment, counted: int, what: str) -> None:
    declared = trailer.value(0)
    if declared.isdigit() and int(declared) == counted:
        return
    report.deviation(trailer.where, f"declares {declared or 'no'} {what}, counted {counted}")


def _close_message(report: Report, trailer: Segment, current: _Open) -> Message:
    _check_count(report, trailer, len(current.body) + 2, "segments (UNH to UNT)")
    header = current.header
    _check_reference(report, trailer, 1, header.value(0))
    identifier = header.components(1)
    return Message(
        reference=header.value(0),
        type=identifier[0] if identifier else "",
        version=":".join(identifier[1:3]),
        header=header,
        body=tuple(current.body),
    )


def _envelope(segments: list[Segment], report: Report) -> Interchange:
    if not segments:
        raise report.error(None, "no segments: not an EDIFACT interchange")
    unb = segments[0]
    if unb.tag != "UNB":
        raise report.error(unb.where, "expected UNB (interchange header)")
    messages: list[Message] = []
    group: _Open | None = None
    group_messages = groups = 0
    current: _Open | None = None
    for segment in segments[1:]:
        tag = segment.tag
        if tag in ("UNZ", "UNG", "UNE", "UNH") and current is not None:
            raise report.error(
                segment.where, f"message opened at {current.header.where} not closed by UNT"
            )
        if tag == "UNZ":
            if segment is not segments[-1]:
                raise report.error(segment.where, "segments follow the interchange trailer UNZ")
            if group is not None:
                raise report.error(
                    segment.where, f"group opened at {group.header.where} not closed"
                )
            counted = groups or len(messages)
            _check_count(report, segment, counted, "groups" if groups else "messages")
            _check_reference(report, segment, 1, unb.value(4))
            return Interchange(
                sender=unb.value(1),
                recipient=unb.value(2),
                reference=unb.value(4),
                prepared=":".join(unb.components(3)),
                messages=tuple(messages),
                warnings=tuple(report.warnings),
                segment_count=segments[-1].number,
            )
        if tag == "UNG":
            if group is not None:
                raise report.error(
                    segment.where, f"group opened at {group.header.where} not closed"
                )
            group, group_messages, groups = _Open(segment), 0, groups + 1
        elif tag == "UNE":
            if group is None:
                raise report.error(segment.where, "UNE without UNG")
            _check_count(report, segment, group_messages, "messages")
            _check_reference(report, segment, 1, group.header.value(4))
            group = None
        elif tag == "UNH":
            current = _Open(segment)
        elif tag == "UNT":
            if current is None:
                raise report.error(segment.where, "UNT without UNH")
            messages.append(_close_message(report, segment, current))
            current, group_messages = None, group_messages + 1
        elif current is None:
            raise report.error(segment.where, "segment outside a message (UNH … UNT)")
        else:
            current.body.append(segment)
    last = segments[-1]
    raise report.error(last.where, "interchange not closed: no UNZ")


def read_interchange(text: str, report: Report) -> Interchange:
    """Tokenise and check one interchange; `report.source` names it in errors (a file name)."""
    return _envelope(_segments(text, report), report)


def report_for(source: str | Path, conformance: Conformance = Conformance.TOLERANT) -> Report:
    return Report(str(source), conformance)


# --- values ---------------------------------------------------------------------------------

_MONTH_NAMES = ("JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC")
_MONTHS = {name: number for number, name in enumerate(_MONTH_NAMES, 1)}


def century(two_digits: int, pivot: int) -> int:
    """A four-digit year: years after `pivot` (two digits) are last century's."""
    return 1900 + two_digits if two_digits > pivot else 2000 + two_digits


def ymd(value: str, pivot: int = 69) -> str | None:
    """YYMMDD (PAXLST) or CCYYMMDD to ISO; None if it is no date."""
    digits = value.strip()
    if len(digits) == 8 and digits.isdigit():
        year, rest = int(digits[:4]), digits[4:]
    elif len(digits) == 6 and digits.isdigit():
        year, rest = century(int(digits[:2]), pivot), digits[2:]
    else:
        return None
    return _iso(year, int(rest[:2]), int(rest[2:4]))


def dmy(value: str, pivot: int = 69) -> str | None:
    """DDMMYY (PNRGOV) or DDMMMYY (SSR DOCS, e.g. 12JUL64) to ISO; None if it is no date."""
    text = value.strip().upper()
    if len(text) == 6 and text.isdigit():
        return _iso(century(int(text[4:]), pivot), int(text[2:4]), int(text[:2]))
    if len(text) == 7 and text[:2].isdigit() and text[5:].isdigit() and text[2:5] in _MONTHS:
        return _iso(century(int(text[5:]), pivot), _MONTHS[text[2:5]], int(text[:2]))
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return datetime(year, month, day).date().isoformat()
    except ValueError:
        return None


def stamp(day: str | None, time: str = "") -> datetime | None:
    """An ISO day and an HHMM time as a naive local datetime."""
    if day is None:
        return None
    hhmm = time.strip()
    hour, minute = (int(hhmm[:2]), int(hhmm[2:4])) if len(hhmm) == 4 and hhmm.isdigit() else (0, 0)
    if hour > 23 or minute > 59:
        hour = minute = 0
    return datetime.fromisoformat(day).replace(hour=hour, minute=minute)


def decode(data: bytes) -> str:
    """EDIFACT level A/B text is ASCII; UNOC/UNOY feeds send Latin-1 or UTF-8."""
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("latin-1")
