"""Whatever arrives, intake answers with passenger messages or a located `FormatError`."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from borderless.domain.travel import PassengerMessage
from borderless.errors import FormatError
from borderless.services.travel_intake import read_passenger_data

SEGMENTS = [
    "UNB+UNOA:4+S+R+200101:0000+1'",
    "UNG+PAXLST+S+R+200101:0000+1+UN+D:02B'",
    "UNH+1+PAXLST:D:02B:UN:IATA'",
    "UNH+1+PNRGOV:11:1:IA'",
    "BGM+745'",
    "TDT+20+XX1+++XX'",
    "LOC+125+FRA'",
    "LOC+87+AMS'",
    "DTM+189:2001011200:201'",
    "NAD+FL+++DOE:JANE'",
    "NAD+FL+++'",
    "DOC+P+X1'",
    "DOC+P'",
    "DTM+329:800101'",
    "CNT+42:1'",
    "CNT+42:x'",
    "TVL+010120:1200+FRA+AMS+XX+1'",
    "EQN+1'",
    "SRC'",
    "RCI+XX:ABC'",
    "TIF+DOE+JANE:A:1'",
    "TIF+DOE+JANE:IN:2'",
    "SSR+DOCS:HK::XX:::::/P/DEU/X1/DEU/01JAN80/M/01JAN30/DOE/JANE+::1'",
    "SSR+INFT:HK:1:XX:::::DOE/BABY/01JAN20+::1'",
    "SSR+DOCO:HK:1:XX:::::X/V/123/Y/01JAN20/Z+::9'",
    "FOP+CC:::VI:XXXX1:0120'",
    "IFT+4:28::XX+CTCE A//B.COM'",
    "ADD++700:1 STREET:CITY:::DE:1:0049123456'",
    "UNT+9+1'",
    "UNE+1+1'",
    "UNZ+1+1'",
    "garbage",
]


def _read(data: bytes, name: str) -> tuple[list[PassengerMessage], FormatError | None]:
    """The messages read, or the FormatError raised (any other exception fails the test)."""
    try:
        return read_passenger_data(data, name), None
    except FormatError as exc:
        return [], exc


@settings(max_examples=400, deadline=None, derandomize=True)
@given(st.lists(st.sampled_from(SEGMENTS), max_size=25), st.booleans())
def test_random_segment_sequences_parse_or_fail_with_a_location(
    segments: list[str], with_una: bool
) -> None:
    text = ("UNA:+.? '" if with_una else "") + "".join(segments)
    messages, problem = _read(text.encode(), "fuzz.edi")
    if problem is not None:
        assert problem.path == "fuzz.edi"
        assert problem.problem
    for message in messages:
        assert all(t.surname for t in message.travellers)


@settings(max_examples=200, deadline=None, derandomize=True)
@given(st.binary(max_size=300))
def test_arbitrary_bytes_never_crash(data: bytes) -> None:
    _, problem = _read(data, "bytes.bin")
    assert problem is None or problem.path == "bytes.bin"
