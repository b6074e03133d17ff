"""Reader for UN/EDIFACT PAXLST (Advance Passenger Information), D02B and later.

Segment groups as the WCO/IATA/ICAO API guidelines lay them out:

* header: ``BGM`` (745 passenger list, 250 crew list), ``RFF+TN`` transaction reference,
  ``NAD+MS`` reporting party and its ``COM``;
* SG2/SG3 flight legs: ``TDT+20`` carrier and flight, ``LOC+125`` departure (or the first
  ``LOC+92`` routing) and ``LOC+87`` arrival (or the second ``LOC+92``), ``DTM+189`` departure and
  ``DTM+232`` arrival times;
* SG4 travellers: ``NAD+FL`` passenger, ``NAD+FM`` crew, ``NAD+DDT``/``DDU`` in transit;
  ``ATT+2`` gender, ``DTM+329`` birth date, ``LOC+178/179`` embarkation/debarkation,
  ``LOC+174`` residence, ``NAT+2`` nationality, ``RFF+AVF`` booking locator, ``RFF+SEA`` seat,
  ``FTX+BAG`` bag tags;
* SG5 documents: ``DOC`` type and number, then ``DTM+36`` expiry and ``LOC+91`` issuing country;
* ``CNT+42`` (passengers) or ``CNT+41`` (crew): the declared total, checked against the count.

The flight a message reports is its leg with ``LOC+125``/``LOC+87`` (the leg crossing the
border), else its last leg.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import datetime

from borderless.domain.travel import (
    Leg,
    MessageKind,
    PassengerMessage,
    TravelDocument,
    Traveller,
    TravellerRole,
    country_code,
    gender_code,
)
from borderless.formats.edifact import Interchange, Message, Report, Segment, stamp, ymd

__all__ = ["read_paxlst"]

_ROLES = {
    "FL": TravellerRole.PASSENGER,
    "FM": TravellerRole.CREW,
    "DDT": TravellerRole.IN_TRANSIT,
    "DDU": TravellerRole.IN_TRANSIT,
}
_DEPARTURE_LOC = {"125"}
_ARRIVAL_LOC = {"87"}
_TRAVELLER_TAGS = {"ATT", "MEA", "FTX", "NAT", "RFF", "DOC", "EMP", "GEI", "QTY"}


@dataclass
class _LegDraft:
    segment: Segment
    carrier: str
    number: str
    border: bool = False
    places: list[str] = field(default_factory=list)
    departure: str | None = None
    arrival: str | None = None

    def leg(self, report: Report) -> Leg:
        if len(self.places) < 2:
            raise report.error(
                self.segment.where, "flight leg needs a departure and an arrival LOC"
            )
        return Leg(
            carrier=self.carrier,
            number=self.number,
            origin=self.places[0],
            destination=self.places[1],
            departure=_when(self.departure),
            arrival=_when(self.arrival),
        )


def _when(value: str | None) -> datetime | None:
    """DTM+189/232 values: YYMMDDHHMM (or CCYYMMDDHHMM)."""
    if not value or len(value) < 6:
        return None
    day = value[:8] if len(value) in (8, 12) else value[:6]
    return stamp(ymd(day), value[len(day) : len(day) + 4])


@dataclass
class _TravellerDraft:
    segment: Segment
    values: dict[str, object] = field(default_factory=dict)
    documents: list[TravelDocument] = field(default_factory=list)
    bags: list[str] = field(default_factory=list)
    in_document: bool = False

    def traveller(self, reference: str) -> Traveller:
        return Traveller(
            reference=reference,
            documents=tuple(self.documents),
            bag_tags=tuple(self.bags),
            **self.values,  # type: ignore[arg-type]
        )


def _flight_number(segment: Segment) -> tuple[str, str]:
    flight = segment.value(1).replace(" ", "").upper()
    carrier = segment.value(4).upper() or flight[:2]
    number = flight[len(carrier) :] if flight.startswith(carrier) else flight
    return carrier, number


def _traveller_start(segment: Segment, report: Report) -> _TravellerDraft:
    surname, given, middle = (segment.value(3, i) for i in range(3))
    if not surname:
        raise report.error(segment.where, "traveller without a surname (NAD element 4)")
    return _TravellerDraft(
        segment,
        {
            "surname": surname,
            "given_names": " ".join(p for p in (given, middle) if p),
            "role": _ROLES[segment.value(0)],
        },
    )


def _document(segment: Segment, report: Report) -> TravelDocument:
    number = segment.value(1).replace(" ", "")
    if not number:
        raise report.error(segment.where, "document without a number (DOC element 2)")
    return TravelDocument(document_type=segment.value(0).upper(), number=number)


def _traveller_detail(draft: _TravellerDraft, segment: Segment, report: Report, pivot: int) -> None:
    tag, qualifier = segment.tag, segment.value(0)
    values = draft.values
    if tag == "DOC":
        draft.documents.append(_document(segment, report))
        draft.in_document = True
    elif tag == "DTM" and qualifier == "329":
        values["birth_date"] = ymd(segment.value(0, 1), pivot)
    elif tag == "DTM" and qualifier == "36" and draft.in_document:
        draft.documents[-1] = replace(draft.documents[-1], expires=ymd(segment.value(0, 1)))
    elif tag == "LOC" and qualifier == "91" and draft.in_document:
        issuing = country_code(segment.value(1))
        draft.documents[-1] = replace(draft.documents[-1], issuing_country=issuing)
    elif tag == "LOC" and qualifier in ("178", "179", "174"):
        key = {"178": "embarkation", "179": "debarkation", "174": "residence"}[qualifier]
        place = segment.value(1).upper()
        values[key] = country_code(place) if qualifier == "174" else place or None
    elif tag == "ATT" and qualifier == "2":
        values["gender"] = gender_code(segment.value(2))
    elif tag == "NAT":
        values["nationality"] = country_code(segment.value(1))
    elif tag == "RFF" and qualifier == "AVF":
        values["booking"] = segment.value(0, 1) or None
    elif tag == "RFF" and qualifier == "SEA":
        values["seat"] = segment.value(0, 1) or None
    elif tag == "FTX" and qualifier == "BAG":
        draft.bags.extend(tag_number for tag_number in (segment.value(3),) if tag_number)


def _read_message(
    interchange: Interchange, message: Message, report: Report, pivot: int
) -> PassengerMessage:
    if message.type != "PAXLST":
        raise report.error(message.header.where, f"expected a PAXLST message, not {message.type}")
    legs: list[_LegDraft] = []
    travellers: list[_TravellerDraft] = []
    declared: tuple[Segment, int] | None = None
    list_role = TravellerRole.PASSENGER
    for segment in message.body:
        tag, qualifier = segment.tag, segment.value(0)
        if tag == "BGM" and qualifier == "250":
            list_role = TravellerRole.CREW
        elif tag == "TDT":
            carrier, number = _flight_number(segment)
            legs.append(_LegDraft(segment, carrier, number))
        elif tag == "NAD" and qualifier in _ROLES:
            travellers.append(_traveller_start(segment, report))
        elif tag == "CNT":
            count = segment.value(0, 1) or segment.value(1)  # CNT+42:n (and CNT+42+n, seen)
            if not count.isdigit():
                raise report.error(segment.where, f"count {count!r} is not a number")
            declared = (segment, int(count))
        elif travellers:
            _traveller_detail(travellers[-1], segment, report, pivot)
        elif tag in ("LOC", "DTM") and legs:
            _leg_detail(legs[-1], segment)
        elif tag in _TRAVELLER_TAGS - {"RFF", "FTX"}:
            raise report.error(segment.where, "traveller detail before any traveller (NAD+FL/FM)")
    if not legs:
        raise report.error(message.header.where, "no flight (TDT) in the message")
    built_legs = [draft.leg(report) for draft in legs]
    border = [leg for leg, draft in zip(built_legs, legs, strict=True) if draft.border]
    people = [draft.traveller(str(i)) for i, draft in enumerate(travellers, 1)]
    if list_role == TravellerRole.CREW:
        people = [
            replace(p, role=TravellerRole.CREW) if p.role == TravellerRole.PASSENGER else p
            for p in people
        ]
    if declared is not None and declared[1] != len(people):
        report.deviation(
            declared[0].where, f"declares {declared[1]} travellers, counted {len(people)}"
        )
    return PassengerMessage(
        kind=MessageKind.PAXLST,
        reference=f"{interchange.sender}/{interchange.reference}/{message.reference}",
        sender=interchange.sender,
        flight=(border or built_legs)[-1],
        legs=tuple(built_legs),
        travellers=tuple(people),
        declared_travellers=declared[1] if declared else None,
        warnings=tuple(report.warnings),
    )


def _leg_detail(draft: _LegDraft, segment: Segment) -> None:
    qualifier = segment.value(0)
    if segment.tag == "LOC":
        place = segment.value(1).upper()
        if qualifier in _DEPARTURE_LOC:
            draft.places[:0] = [place]
            draft.border = True
        elif qualifier in _ARRIVAL_LOC:
            draft.places.append(place)
            draft.border = True
        elif qualifier == "92":
            draft.places.append(place)
    elif segment.tag == "DTM" and qualifier == "189":
        draft.departure = segment.value(0, 1)
    elif segment.tag == "DTM" and qualifier == "232":
        draft.arrival = segment.value(0, 1)


def read_paxlst(interchange: Interchange, report: Report) -> list[PassengerMessage]:
    """Every PAXLST message of a checked interchange, as passenger messages."""
    prepared = interchange.prepared[:2]
    pivot = int(prepared) if prepared.isdigit() else 69
    return [_read_message(interchange, m, report, pivot) for m in interchange.messages]
