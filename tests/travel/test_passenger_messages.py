"""Every GTAS test message in ../shared/data/passenger_messages, parsed and counted.

The expected numbers were counted independently of the parsers, by reading the files:
PAXLST travellers are the NAD+FL/FM segments and documents the DOC segments; PNRGOV travellers
are the distinct TIF references per SRC group (a group name, ``TIF+NAME:G``, is no person; an
infant named by TIF ``IN``, SSR INFT and an SSR DOCS with gender MI/FI is one infant), and
documents the distinct numbers in SSR DOCS/DOCO per SRC group.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from borderless.domain.travel import MessageKind, TravellerRole
from borderless.errors import FormatError
from borderless.formats.edifact import Conformance
from borderless.services.travel_intake import read_passenger_data
from tests.conftest import shared_data

# file: (kind, travellers, documents, bookings)
EXPECTED: dict[str, tuple[MessageKind, int, int, int]] = {
    "loader_apis/Test1.txt": (MessageKind.PAXLST, 8, 8, 0),
    "loader_apis/Test3.txt": (MessageKind.PAXLST, 260, 260, 0),
    "loader_apis/airline2.edi": (MessageKind.PAXLST, 10, 10, 0),
    "loader_apis/multiple_flight_leg_apis.txt": (MessageKind.PAXLST, 2, 2, 0),
    "parsers_apis/apisMessage.txt": (MessageKind.PAXLST, 2, 0, 0),
    "tamr_integration/flight1.txt": (MessageKind.PAXLST, 10, 15, 0),
    "tamr_integration/flight2.txt": (MessageKind.PAXLST, 10, 16, 0),
    "tamr_integration/flight3.txt": (MessageKind.PAXLST, 10, 18, 0),
    "loader_pnr/2_pnrs_basic.edi": (MessageKind.PNRGOV, 4, 3, 2),
    "loader_pnr/3_pnrs.edi": (MessageKind.PNRGOV, 13, 4, 3),
    "loader_pnr/adult_and_infant.edi": (MessageKind.PNRGOV, 2, 2, 1),
    "loader_pnr/codeshare.edi": (MessageKind.PNRGOV, 2, 2, 2),
    "loader_pnr/infant.edi": (MessageKind.PNRGOV, 2, 2, 1),
    "loader_pnr/multiple_flight_leg_pnr.txt": (MessageKind.PNRGOV, 2, 2, 1),
    "loader_pnr/no_pnr_history.edi": (MessageKind.PNRGOV, 4, 1, 3),
    "loader_pnr/pnr1.txt": (MessageKind.PNRGOV, 2, 1, 1),
    "loader_pnr/pnr2.txt": (MessageKind.PNRGOV, 2, 2, 1),
    "loader_pnr/pnr3.txt": (MessageKind.PNRGOV, 4, 4, 1),
    "loader_pnr/pnr4.txt": (MessageKind.PNRGOV, 1, 1, 1),
    "loader_pnr/pnrMessageExample.txt": (MessageKind.PNRGOV, 5, 5, 1),
    "loader_pnr/pnr_split.edi": (MessageKind.PNRGOV, 3, 1, 2),
    "parsers_pnr/bigMessagePnr.txt": (MessageKind.PNRGOV, 7, 7, 1),
    "parsers_pnr/bigbigPnr.txt": (MessageKind.PNRGOV, 86, 86, 47),
    "parsers_pnr/danglingMetaCharacter.txt": (MessageKind.PNRGOV, 1, 1, 1),
    "parsers_pnr/modifyPnr77ForCodeShare.txt": (MessageKind.PNRGOV, 1, 1, 1),
    "parsers_pnr/pnrAddressPhoneCTCM.txt": (MessageKind.PNRGOV, 1, 0, 1),
    "parsers_pnr/pnrEdge.txt": (MessageKind.PNRGOV, 1, 0, 1),
    "parsers_pnr/pnrMessage.txt": (MessageKind.PNRGOV, 2, 1, 1),
    "parsers_pnr/pnrMessageExample.txt": (MessageKind.PNRGOV, 5, 5, 1),
    "parsers_pnr/pnrMessagePg75.txt": (MessageKind.PNRGOV, 2, 2, 2),
    "parsers_pnr/pnrMessagePg76.txt": (MessageKind.PNRGOV, 2, 0, 1),
    "parsers_pnr/pnrMessagePg77.txt": (MessageKind.PNRGOV, 1, 1, 1),
    "parsers_pnr/pnrNoOrgMsg.txt": (MessageKind.PNRGOV, 1, 0, 1),
    "parsers_pnr/pnrPhoneCTCM.txt": (MessageKind.PNRGOV, 1, 0, 1),
    "parsers_pnr/pnrPhoneCTC_M.txt": (MessageKind.PNRGOV, 1, 0, 1),
    "parsers_pnr/pnrSeatFormats.txt": (MessageKind.PNRGOV, 1, 1, 1),
    "parsers_pnr/pnrWithBags.txt": (MessageKind.PNRGOV, 268, 268, 127),
    "parsers_pnr/pnrWithDoco.txt": (MessageKind.PNRGOV, 1, 2, 1),
    "parsers_pnr/pnrWithPrefixesAndBookingDetailBags.txt": (MessageKind.PNRGOV, 2, 2, 1),
}
# A message the GTAS project keeps as a bad example: text after an unterminated UNZ.
REJECTED = {"parsers_pnr/pnrBadFormat.txt": "segment 28"}


def _folder() -> Path:
    return shared_data() / "passenger_messages"


def test_every_message_file_is_accounted_for() -> None:
    folder = _folder()
    found = {
        p.relative_to(folder).as_posix()
        for p in folder.rglob("*")
        if p.suffix in (".txt", ".edi") and p.parent != folder
    }
    assert found == set(EXPECTED) | set(REJECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_counts_per_file(name: str) -> None:
    kind, travellers, documents, bookings = EXPECTED[name]
    path = _folder() / name
    [message] = read_passenger_data(path.read_bytes(), name)
    assert message.kind == kind
    assert len(message.travellers) == travellers
    assert message.documents == documents
    assert len(message.bookings) == bookings
    assert len({t.reference for t in message.travellers}) == travellers


@pytest.mark.parametrize("name", sorted(REJECTED))
def test_bad_message_is_rejected_with_its_segment(name: str) -> None:
    with pytest.raises(FormatError) as caught:
        read_passenger_data((_folder() / name).read_bytes(), name)
    assert caught.value.location == REJECTED[name]


def test_strict_conformance_rejects_the_wrong_unt_count_of_a_real_feed() -> None:
    name = "loader_apis/airline2.edi"
    data = (_folder() / name).read_bytes()
    with pytest.raises(FormatError) as caught:
        read_passenger_data(data, name, Conformance.STRICT)
    assert caught.value.location == "segment 114 (UNT)"
    [message] = read_passenger_data(data, name)
    assert "segment 114 (UNT): declares 121 segments (UNH to UNT), counted 111" in message.warnings
    assert "segment 113 (CNT): declares 136 travellers, counted 10" in message.warnings


def test_non_default_separators_airline2() -> None:
    [message] = read_passenger_data((_folder() / "loader_apis/airline2.edi").read_bytes(), "a2")
    first = message.travellers[0]
    assert (first.surname, first.given_names, first.birth_date) == ("BETTON", "DAVID", "1954-10-16")
    assert first.documents[0].number == "178556534"
    assert first.documents[0].issuing_country == "USA"
    assert message.flight.key == "TN506/2014-05-11/BRE"


def test_paxlst_crew_list_and_multi_leg_flight() -> None:
    [crew] = read_passenger_data((_folder() / "loader_apis/Test1.txt").read_bytes(), "t1")
    assert {t.role for t in crew.travellers} == {TravellerRole.CREW}
    [legs] = read_passenger_data(
        (_folder() / "loader_apis/multiple_flight_leg_apis.txt").read_bytes(), "m"
    )
    assert [leg.flight for leg in legs.legs] == ["QQ877", "QQ827", "QQ827"]
    assert (legs.flight.origin, legs.flight.destination) == ("JFK", "CDG")  # LOC+125 / LOC+87


def test_pnr_details_infant_codeshare_contacts_payment_bags() -> None:
    folder = _folder()
    [infant] = read_passenger_data((folder / "loader_pnr/adult_and_infant.edi").read_bytes(), "i")
    assert [t.infant for t in infant.travellers] == [False, True]
    [codeshare] = read_passenger_data((folder / "loader_pnr/codeshare.edi").read_bytes(), "c")
    codeshares = {
        (leg.carrier, leg.operating_carrier) for b in codeshare.bookings for leg in b.legs
    }
    assert codeshares == {("KE", "SQ"), ("OZ", "SQ")}  # sold by KE and OZ, flown by SQ
    assert codeshare.bookings[0].other_locators == ("KE:EDP2RW",)
    [doco] = read_passenger_data((folder / "parsers_pnr/pnrWithDoco.txt").read_bytes(), "d")
    booking = doco.bookings[0]
    assert {c.value for c in booking.contacts} == {"64885200435", "charles.ackary@yahoo.com"}
    assert booking.payments[0].method == "CA"
    assert [d.source for d in doco.travellers[0].documents] == ["DOCS", "DOCO"]
    assert doco.travellers[0].birth_date == "1948-12-26"
    [bags] = read_passenger_data((folder / "parsers_pnr/pnrWithBags.txt").read_bytes(), "b")
    assert sum(b.bags for b in bags.bookings) > 0
    assert any(t.bag_tags for t in bags.travellers)
