"""The EDIFACT layer: service characters, the release character, envelopes and counts."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydifact.control.characters import Characters
from pydifact.parser import Parser
from pydifact.tokenizer import Tokenizer

from borderless.errors import FormatError
from borderless.formats.edifact import (
    Conformance,
    _element,
    _raw_segments,
    dmy,
    read_interchange,
    report_for,
    ymd,
)

GOOD = (
    "UNB+UNOA:4+SENDER+RECEIVER+200130:0300+REF1++PAXLST'"
    "UNG+PAXLST+SENDER+RECEIVER+200130:0300+GRP1+UN+D:02B'"
    "UNH+M1+PAXLST:D:02B:UN:IATA'"
    "BGM+745'"
    "NAD+FL+++O?'BRIEN:SEAN?+PAT'"
    "UNT+4+M1'"
    "UNE+1+GRP1'"
    "UNZ+1+REF1'"
)


def _read(text: str, conformance: Conformance = Conformance.STRICT):  # type: ignore[no-untyped-def]
    return read_interchange(text, report_for("test.edi", conformance))


def test_a_well_formed_interchange_passes_strict_checks() -> None:
    interchange = _read(GOOD)
    assert interchange.reference == "REF1"
    assert interchange.sender == "SENDER"
    [message] = interchange.messages
    assert (message.type, message.version, message.reference) == ("PAXLST", "D:02B", "M1")
    assert [s.tag for s in message.body] == ["BGM", "NAD"]
    assert interchange.warnings == ()


def test_release_character_keeps_separators_as_data() -> None:
    nad = _read(GOOD).messages[0].body[1]
    assert nad.value(3, 0) == "O'BRIEN"
    assert nad.value(3, 1) == "SEAN+PAT"


def test_custom_una_separators() -> None:
    custom = (
        "UNA:*.? $UNB*UNOA:4*SENDER*RECEIVER*200130:0300*REF1**PAXLST$"
        "UNH*M1*PAXLST:D:02B:UN:IATA$BGM*745$NAD*FL***O'BRIEN:SEAN?*PAT?$$UNT*4*M1$UNZ*1*REF1$"
    )
    interchange = _read(custom)
    nad = interchange.messages[0].body[1]
    assert (nad.tag, nad.value(0)) == ("NAD", "FL")
    assert nad.value(3, 0) == "O'BRIEN"  # the default terminator is plain data here
    assert nad.value(3, 1) == "SEAN*PAT$"  # released separator and terminator are data


def test_line_breaks_are_layout_not_data() -> None:
    wrapped = GOOD.replace("SENDER+RECEIVER+200130", "SEN\nDER+RECEIVER+200130", 1)
    assert _read(wrapped).sender == "SENDER"


@pytest.mark.parametrize(
    ("text", "location", "problem"),
    [
        (GOOD.replace("UNB+", "UNX+", 1), "segment 1 (UNX)", "expected UNB"),
        (GOOD.replace("UNZ+1+REF1'", ""), "segment 7 (UNE)", "no UNZ"),
        (GOOD.replace("UNT+4+M1'", ""), "segment 6 (UNE)", "not closed by UNT"),
        (GOOD.replace("UNH+M1+PAXLST:D:02B:UN:IATA'", ""), "segment 3 (BGM)", "outside a message"),
        (GOOD.replace("UNE+1+GRP1'", ""), "segment 7 (UNZ)", "not closed"),
        (GOOD + "BGM+745'", "segment 8 (UNZ)", "segments follow"),
        (GOOD[:-1] + "\n\ntrailing words", "segment 8", "not terminated"),
    ],
)
def test_broken_envelopes_name_the_segment(text: str, location: str, problem: str) -> None:
    for conformance in Conformance:
        with pytest.raises(FormatError) as caught:
            _read(text, conformance)
        assert caught.value.location == location
        assert problem in caught.value.problem


@pytest.mark.parametrize(
    ("text", "location", "problem"),
    [
        (GOOD.replace("UNT+4+M1", "UNT+9+M1"), "segment 6 (UNT)", "declares 9 segments"),
        (GOOD.replace("UNT+4+M1", "UNT+4+M2"), "segment 6 (UNT)", "reference 'M2'"),
        (GOOD.replace("UNE+1+GRP1", "UNE+2+GRP1"), "segment 7 (UNE)", "declares 2 messages"),
        (GOOD.replace("UNZ+1+REF1", "UNZ+3+REF1"), "segment 8 (UNZ)", "declares 3 groups"),
        (GOOD.replace("UNZ+1+REF1", "UNZ+1+REF9"), "segment 8 (UNZ)", "reference 'REF9'"),
        (GOOD[:-1], "segment 8 (UNZ)", "no terminator"),
    ],
)
def test_wrong_counts_are_errors_when_strict_and_warnings_when_tolerant(
    text: str, location: str, problem: str
) -> None:
    with pytest.raises(FormatError) as caught:
        _read(text, Conformance.STRICT)
    assert caught.value.location == location
    assert problem in caught.value.problem
    tolerated = _read(text, Conformance.TOLERANT)
    assert any(w.startswith(location) and problem in w for w in tolerated.warnings)


def test_a_una_missing_its_reserved_character_is_tolerated_with_a_warning() -> None:
    text = "UNA:+.?'\n" + GOOD
    assert _read(text, Conformance.TOLERANT).warnings == (
        "segment 1 (UNA): UNA gives 5 service characters, expected 6",
    )
    with pytest.raises(FormatError, match="5 service characters"):
        _read(text, Conformance.STRICT)


def test_not_edifact_at_all() -> None:
    with pytest.raises(FormatError, match="not terminated"):
        _read("this is a letter, not a message")


@pytest.mark.parametrize(
    ("value", "pivot", "expected"),
    [("541016", 14, "1954-10-16"), ("120305", 14, "2012-03-05"), ("20200131", 0, "2020-01-31")],
)
def test_ymd(value: str, pivot: int, expected: str) -> None:
    assert ymd(value, pivot) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [("121210", "2010-12-12"), ("12JUL64", "1964-07-12"), ("31FEB20", None), ("XX", None)],
)
def test_dmy(value: str, expected: str | None) -> None:
    assert dmy(value, 20) == expected


_TEXT = st.text(alphabet="ABCXYZ019 ./-:+'?*", min_size=0, max_size=12)


@settings(max_examples=300, deadline=None, derandomize=True)
@given(st.lists(st.lists(_TEXT, min_size=1, max_size=3), min_size=1, max_size=5))
def test_fast_split_agrees_with_pydifact(elements: list[list[str]]) -> None:
    """Segments without a release character are split on the separators; with one, pydifact
    tokenises them: either way the elements are exactly pydifact's."""
    characters = Characters.from_str("UNA:+.? '")
    escaped = [
        ":".join(re.sub(r"([:+'?])", r"?\1", part) for part in element) for element in elements
    ]
    raw = "TAG+" + "+".join(escaped)
    expected = next(
        iter(Parser().convert_tokens_to_raw_segments(Tokenizer().get_tokens(raw + "'", characters)))
    )
    [ours] = list(_raw_segments(raw + "'", characters))
    assert [_element(e) for e in ours[1:]] == [_element(e) for e in expected[1:]]
