"""Storage of passenger messages: one message, its flight, bookings, travellers and documents.

Functions take the caller's connection, so a message and its audit entry commit together.
Only the services in `services/travel_*.py` and `services/screening*.py` call them, after
checking that the caller's agency owns the data.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update

from borderless.domain.codes import RecordKind
from borderless.domain.travel import (
    Booking,
    Leg,
    PassengerMessage,
    TravelDocument,
    Traveller,
    TravellerRole,
)
from borderless.store.records import of_kinds
from borderless.store.schema import search_keys
from borderless.store.search import COMMON_KEY
from borderless.store.travel_schema import (
    screening_decisions,
    screening_hits,
    screening_runs,
    screening_suppressions,
    travel_bookings,
    travel_contacts,
    travel_documents,
    travel_flights,
    travel_legs,
    travel_messages,
    travel_travellers,
)

MASK = "*"


@dataclass(frozen=True)
class StoredMessage:
    id: int
    digest: str
    flight_id: int


def _utc(value: datetime | None) -> datetime | None:
    """Airline times are local and carry no offset: stored as given, labelled UTC."""
    return value.replace(tzinfo=UTC) if value is not None and value.tzinfo is None else value


def flight_id(conn: Connection, owner: str, leg: Leg) -> int:
    """The id of the owner's flight `leg.key`, created on first sight."""
    found = conn.execute(
        select(travel_flights.c.id).where(
            travel_flights.c.owner == owner, travel_flights.c.key == leg.key
        )
    ).scalar_one_or_none()
    if found is not None:
        return int(found)
    created = conn.execute(
        insert(travel_flights)
        .values(
            owner=owner,
            key=leg.key,
            carrier=leg.carrier[:3],
            number=leg.number[:8],
            origin=leg.origin[:5],
            destination=leg.destination[:5],
            departure=_utc(leg.departure),
            arrival=_utc(leg.arrival),
        )
        .returning(travel_flights.c.id)
    )
    return int(created.scalar_one())


def stored_message(conn: Connection, owner: str, reference: str) -> StoredMessage | None:
    row = conn.execute(
        select(travel_messages.c.id, travel_messages.c.digest, travel_messages.c.flight_id).where(
            travel_messages.c.owner == owner, travel_messages.c.reference == reference
        )
    ).first()
    return StoredMessage(int(row.id), row.digest, int(row.flight_id)) if row else None


def delete_messages(conn: Connection, ids: Sequence[int]) -> int:
    """Remove messages and everything they brought (cascades to bookings, travellers, ...)."""
    removed = 0
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        traveller_ids = select(travel_travellers.c.id).where(
            travel_travellers.c.message_id.in_(chunk)
        )
        conn.execute(
            update(screening_hits)
            .where(screening_hits.c.traveller_id.in_(traveller_ids))
            .values(traveller_id=None)
        )
        conn.execute(delete(travel_legs).where(travel_legs.c.message_id.in_(chunk)))
        bookings = select(travel_bookings.c.id).where(travel_bookings.c.message_id.in_(chunk))
        conn.execute(delete(travel_contacts).where(travel_contacts.c.booking_id.in_(bookings)))
        conn.execute(
            delete(travel_documents).where(travel_documents.c.traveller_id.in_(traveller_ids))
        )
        conn.execute(delete(travel_travellers).where(travel_travellers.c.message_id.in_(chunk)))
        conn.execute(delete(travel_bookings).where(travel_bookings.c.message_id.in_(chunk)))
        removed += conn.execute(
            delete(travel_messages).where(travel_messages.c.id.in_(chunk))
        ).rowcount
    return removed


def _leg_row(message_id: int, booking_id: int | None, position: int, leg: Leg) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "booking_id": booking_id,
        "position": position,
        "carrier": leg.carrier[:3],
        "number": leg.number[:8],
        "origin": leg.origin[:5],
        "destination": leg.destination[:5],
        "departure": _utc(leg.departure),
        "arrival": _utc(leg.arrival),
        "operating_carrier": leg.operating_carrier,
    }


def _contact_rows(booking_id: int, booking: Booking) -> list[dict[str, Any]]:
    rows = [{"kind": c.kind.value, "value": c.value[:300]} for c in booking.contacts]
    rows += [{"kind": "address", "value": a[:300]} for a in booking.addresses]
    rows += [{"kind": "card", "value": p.card[:300]} for p in booking.payments if p.card]
    rows += [{"kind": "payment", "value": p.method[:300]} for p in booking.payments]
    return [{"booking_id": booking_id, **row} for row in rows]


def _traveller_row(
    message_id: int, flight: int, booking_id: int | None, traveller: Traveller
) -> dict[str, Any]:
    return {
        "message_id": message_id,
        "flight_id": flight,
        "booking_id": booking_id,
        "reference": traveller.reference[:60],
        "surname": traveller.surname[:200],
        "given_names": traveller.given_names[:200],
        "role": traveller.role.value,
        "infant": traveller.infant,
        "gender": traveller.gender,
        "birth_date": traveller.birth_date,
        "nationality": traveller.nationality,
        "residence": traveller.residence,
        "embarkation": (traveller.embarkation or "")[:5] or None,
        "debarkation": (traveller.debarkation or "")[:5] or None,
        "seat": (traveller.seat or "")[:5] or None,
        "bag_tags": list(traveller.bag_tags),
        "addresses": list(traveller.addresses),
    }


@dataclass(frozen=True)
class NewMessage:
    owner: str
    message: PassengerMessage
    flight_id: int
    digest: str
    source: str
    received_at: datetime


def insert_message(conn: Connection, new: NewMessage) -> int:
    """Store one parsed message with everything in it; returns the message id."""
    message = new.message
    message_id = int(
        conn.execute(
            insert(travel_messages)
            .values(
                owner=new.owner,
                reference=message.reference[:200],
                kind=message.kind.value,
                sender=message.sender[:100],
                flight_id=new.flight_id,
                digest=new.digest,
                source=new.source[:300],
                warnings=list(message.warnings),
                travellers=len(message.travellers),
                received_at=new.received_at,
            )
            .returning(travel_messages.c.id)
        ).scalar_one()
    )
    booking_ids: dict[str, int] = {}
    legs = [_leg_row(message_id, None, i, leg) for i, leg in enumerate(message.legs)]
    contacts: list[dict[str, Any]] = []
    for booking in message.bookings:
        booking_id = int(
            conn.execute(
                insert(travel_bookings)
                .values(
                    message_id=message_id,
                    locator=booking.locator[:20],
                    carrier=booking.carrier[:3],
                    booked_at=_utc(booking.booked_at),
                    bags=booking.bags,
                    other_locators=list(booking.other_locators),
                )
                .returning(travel_bookings.c.id)
            ).scalar_one()
        )
        booking_ids.setdefault(booking.locator, booking_id)
        legs += [_leg_row(message_id, booking_id, i, leg) for i, leg in enumerate(booking.legs)]
        contacts += _contact_rows(booking_id, booking)
    for table, rows in ((travel_legs, legs), (travel_contacts, contacts)):
        if rows:
            conn.execute(insert(table), rows)
    _insert_travellers(conn, message_id, new.flight_id, message.travellers, booking_ids)
    return message_id


def _insert_travellers(
    conn: Connection,
    message_id: int,
    flight: int,
    travellers: Sequence[Traveller],
    booking_ids: dict[str, int],
) -> None:
    if not travellers:
        return
    rows = [
        _traveller_row(message_id, flight, booking_ids.get(t.booking or ""), t) for t in travellers
    ]
    ids = conn.execute(
        insert(travel_travellers).returning(travel_travellers.c.id, sort_by_parameter_order=True),
        rows,
    ).scalars()
    documents = [
        {
            "traveller_id": traveller_id,
            "document_type": d.document_type[:2],
            "number": d.number[:40],
            "issuing_country": d.issuing_country,
            "expires": date.fromisoformat(d.expires) if d.expires else None,
            "source": d.source[:10],
        }
        for traveller_id, traveller in zip(ids, travellers, strict=True)
        for d in traveller.documents
    ]
    if documents:
        conn.execute(insert(travel_documents), documents)


# --- reading a flight for screening, affiliates and the API -------------------------------------


@dataclass(frozen=True)
class StoredTraveller:
    id: int
    flight_id: int
    booking_id: int | None
    traveller: Traveller


def travellers_of(
    conn: Connection, owner: str, *, flight: int | None = None, message: int | None = None
) -> list[StoredTraveller]:
    """The unmasked travellers of one of the owner's flights or messages, with documents."""
    query = (
        select(travel_travellers, travel_bookings.c.locator)
        .join(travel_messages, travel_messages.c.id == travel_travellers.c.message_id)
        .outerjoin(travel_bookings, travel_bookings.c.id == travel_travellers.c.booking_id)
        .where(travel_messages.c.owner == owner, travel_messages.c.masked_at.is_(None))
        .order_by(travel_travellers.c.id)
    )
    if flight is not None:
        query = query.where(travel_travellers.c.flight_id == flight)
    if message is not None:
        query = query.where(travel_travellers.c.message_id == message)
    return _with_documents(conn, conn.execute(query).all())


def _with_documents(conn: Connection, rows: Sequence[Any]) -> list[StoredTraveller]:
    documents: dict[int, list[Any]] = {}
    ids = [row.id for row in rows]
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        for doc in conn.execute(
            select(travel_documents).where(travel_documents.c.traveller_id.in_(chunk))
        ):
            documents.setdefault(doc.traveller_id, []).append(doc)
    return [_stored(row, documents.get(row.id, [])) for row in rows]


def departures(
    conn: Connection, owner: str, start: datetime, end: datetime
) -> list[tuple[Leg, StoredTraveller]]:
    """The owner's unmasked travellers on flights departing in [start, end], with the flight."""
    flights = {
        int(row.id): Leg(
            row.carrier,
            row.number,
            row.origin,
            row.destination,
            row.departure.replace(tzinfo=None),
            row.arrival.replace(tzinfo=None) if row.arrival else None,
        )
        for row in conn.execute(
            select(travel_flights).where(
                travel_flights.c.owner == owner,
                travel_flights.c.departure >= start,
                travel_flights.c.departure <= end,
            )
        )
    }
    found: list[tuple[Leg, StoredTraveller]] = []
    ids = sorted(flights)
    for first in range(0, len(ids), 500):
        chunk = ids[first : first + 500]
        query = (
            select(travel_travellers, travel_bookings.c.locator)
            .join(travel_messages, travel_messages.c.id == travel_travellers.c.message_id)
            .outerjoin(travel_bookings, travel_bookings.c.id == travel_travellers.c.booking_id)
            .where(
                travel_messages.c.owner == owner,
                travel_messages.c.masked_at.is_(None),
                travel_travellers.c.flight_id.in_(chunk),
            )
            .order_by(travel_travellers.c.id)
        )
        found += [
            (flights[t.flight_id], t) for t in _with_documents(conn, conn.execute(query).all())
        ]
    return found


def _stored(row: Any, documents: list[Any]) -> StoredTraveller:
    traveller = Traveller(
        reference=row.reference,
        surname=row.surname,
        given_names=row.given_names,
        role=TravellerRole(row.role),
        infant=row.infant,
        gender=row.gender,
        birth_date=row.birth_date,
        nationality=row.nationality,
        residence=row.residence,
        embarkation=row.embarkation,
        debarkation=row.debarkation,
        booking=row.locator,
        seat=row.seat,
        documents=tuple(
            TravelDocument(
                d.document_type,
                d.number,
                d.issuing_country,
                d.expires.isoformat() if d.expires else None,
                d.source,
            )
            for d in documents
        ),
        addresses=tuple(row.addresses or ()),
        bag_tags=tuple(row.bag_tags or ()),
    )
    return StoredTraveller(int(row.id), int(row.flight_id), row.booking_id, traveller)


def flight_by_key(conn: Connection, owner: str, key: str) -> int | None:
    found = conn.execute(
        select(travel_flights.c.id).where(
            travel_flights.c.owner == owner, travel_flights.c.key == key
        )
    ).scalar_one_or_none()
    return int(found) if found is not None else None


def flights(conn: Connection, owner: str, window: tuple[int, int]) -> list[dict[str, Any]]:
    offset, limit = window
    rows = conn.execute(
        select(travel_flights)
        .where(travel_flights.c.owner == owner)
        .order_by(travel_flights.c.departure.desc(), travel_flights.c.id.desc())
        .offset(offset)
        .limit(limit)
    )
    return [dict(r._mapping) for r in rows]


# --- retention: masking and deletion ------------------------------------------------------------


def messages_received_before(
    conn: Connection, before: datetime, *, unmasked_only: bool
) -> list[tuple[int, str]]:
    """(id, owner) of messages received before `before` (optionally only those not masked)."""
    query = select(travel_messages.c.id, travel_messages.c.owner).where(
        travel_messages.c.received_at < before
    )
    if unmasked_only:
        query = query.where(travel_messages.c.masked_at.is_(None))
    return [(int(r.id), r.owner) for r in conn.execute(query.order_by(travel_messages.c.id))]


def mask_messages(conn: Connection, ids: Sequence[int], at: datetime) -> int:
    """Depersonalise messages: names, birth dates, documents, contacts, seats, bags, addresses."""
    masked = 0
    for start in range(0, len(ids), 500):
        chunk = list(ids[start : start + 500])
        travellers = select(travel_travellers.c.id).where(travel_travellers.c.message_id.in_(chunk))
        bookings = select(travel_bookings.c.id).where(travel_bookings.c.message_id.in_(chunk))
        conn.execute(
            delete(travel_documents).where(travel_documents.c.traveller_id.in_(travellers))
        )
        conn.execute(delete(travel_contacts).where(travel_contacts.c.booking_id.in_(bookings)))
        conn.execute(
            update(travel_travellers)
            .where(travel_travellers.c.message_id.in_(chunk))
            .values(
                surname=MASK,
                given_names="",
                birth_date=None,
                seat=None,
                bag_tags=[],
                addresses=[],
            )
        )
        conn.execute(
            update(screening_hits)
            .where(screening_hits.c.traveller_id.in_(travellers))
            .values(traveller=MASK)
        )
        masked += conn.execute(
            update(travel_messages).where(travel_messages.c.id.in_(chunk)).values(masked_at=at)
        ).rowcount
    return masked


def identity_key(traveller: Traveller) -> str:
    """Who a traveller is, for suppressions: name, birth date and document numbers, hashed."""
    documents = sorted(f"{d.number}/{d.issuing_country or ''}" for d in traveller.documents)
    text = "|".join(
        [
            traveller.surname.strip().upper(),
            traveller.given_names.strip().upper(),
            traveller.birth_date or "",
            *documents,
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()


# --- screening ---------------------------------------------------------------------------------


def record_key_rows(
    conn: Connection, keys: Sequence[str], kinds: Sequence[RecordKind]
) -> list[tuple[str, str]]:
    """(key, record id) for records of `kinds` holding one of `keys` (ids only, no content).

    Keys held by `COMMON_KEY` records or more are left out before their rows are fetched
    (counted on the key index alone).
    """
    unique = sorted(set(keys))
    rare: list[str] = []
    for start in range(0, len(unique), 500):
        counts = conn.execute(
            select(search_keys.c.key, func.count())
            .where(search_keys.c.key.in_(unique[start : start + 500]))
            .group_by(search_keys.c.key)
        )
        rare += [key for key, n in counts if n < COMMON_KEY]
    found: list[tuple[str, str]] = []
    for start in range(0, len(rare), 500):
        query = select(search_keys.c.key, search_keys.c.record_id).where(
            search_keys.c.key.in_(rare[start : start + 500])
        )
        found += [(row.key, row.record_id) for row in conn.execute(query)]
    # Kinds in a second step: joining first makes SQLite walk every record of a kind.
    wanted = of_kinds(conn, sorted({record_id for _, record_id in found}), kinds)
    return [(key, record_id) for key, record_id in found if record_id in wanted]


def insert_run(conn: Connection, row: dict[str, Any]) -> int:
    return int(
        conn.execute(
            insert(screening_runs).values(**row).returning(screening_runs.c.id)
        ).scalar_one()
    )


def insert_hits(conn: Connection, rows: Sequence[dict[str, Any]]) -> None:
    if rows:
        conn.execute(insert(screening_hits), list(rows))


def suppressions(
    conn: Connection, owner: str, pairs: Sequence[tuple[str, str]]
) -> dict[tuple[str, str], int | None]:
    """Confirmed false positives among (identity, record id) pairs: the record version then."""
    found: dict[tuple[str, str], int | None] = {}
    record_ids = sorted({record_id for _, record_id in pairs})
    wanted = set(pairs)
    for start in range(0, len(record_ids), 500):
        query = select(screening_suppressions).where(
            screening_suppressions.c.owner == owner,
            screening_suppressions.c.record_id.in_(record_ids[start : start + 500]),
        )
        for row in conn.execute(query):
            if (row.identity, row.record_id) in wanted:
                found[row.identity, row.record_id] = row.record_version
    return found


# --- the hit queue and decisions ----------------------------------------------------------------


def hit_page(
    conn: Connection, owner: str, status: str | None, flight: int | None, window: tuple[int, int]
) -> tuple[list[dict[str, Any]], int]:
    where = [screening_hits.c.owner == owner]
    if status is not None:
        where.append(screening_hits.c.status == status)
    if flight is not None:
        where.append(screening_hits.c.flight_id == flight)
    total = conn.execute(select(func.count()).select_from(screening_hits).where(*where))
    offset, limit = window
    rows = conn.execute(
        select(screening_hits, travel_flights.c.key.label("flight"))
        .outerjoin(travel_flights, travel_flights.c.id == screening_hits.c.flight_id)
        .where(*where)
        .order_by(screening_hits.c.score.desc(), screening_hits.c.id)
        .offset(offset)
        .limit(limit)
    )
    return [dict(r._mapping) for r in rows], int(total.scalar_one())


def hit(conn: Connection, owner: str, hit_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        select(screening_hits, travel_flights.c.key.label("flight"))
        .outerjoin(travel_flights, travel_flights.c.id == screening_hits.c.flight_id)
        .where(screening_hits.c.id == hit_id, screening_hits.c.owner == owner)
    ).first()
    return dict(row._mapping) if row else None


@dataclass(frozen=True)
class Decision:
    hit_id: int
    status: str
    reason: str
    username: str
    agency: str
    at: datetime
    audit_seq: int


def record_decision(conn: Connection, decision: Decision) -> None:
    conn.execute(
        insert(screening_decisions).values(
            hit_id=decision.hit_id,
            at=decision.at,
            username=decision.username,
            agency=decision.agency,
            status=decision.status,
            reason=decision.reason,
            audit_seq=decision.audit_seq,
        )
    )
    conn.execute(
        update(screening_hits)
        .where(screening_hits.c.id == decision.hit_id)
        .values(
            status=decision.status,
            decided_by=decision.username,
            decided_at=decision.at,
            decision_reason=decision.reason,
        )
    )


def set_suppression(conn: Connection, hit_row: dict[str, Any], at: datetime | None) -> None:
    """Suppress (at a time) or un-suppress (None) this hit's identity and record."""
    key = (
        screening_suppressions.c.owner == hit_row["owner"],
        screening_suppressions.c.identity == hit_row["identity"],
        screening_suppressions.c.record_id == hit_row["record_id"],
    )
    conn.execute(delete(screening_suppressions).where(*key))
    if at is not None:
        conn.execute(
            insert(screening_suppressions).values(
                owner=hit_row["owner"],
                identity=hit_row["identity"],
                record_id=hit_row["record_id"],
                record_version=hit_row["record_version"],
                hit_id=hit_row["id"],
                created_at=at,
            )
        )


def decisions_of(conn: Connection, hit_id: int) -> list[dict[str, Any]]:
    rows = conn.execute(
        select(screening_decisions)
        .where(screening_decisions.c.hit_id == hit_id)
        .order_by(screening_decisions.c.id)
    )
    return [dict(r._mapping) for r in rows]


# --- facts for targeting rules and affiliates ---------------------------------------------------


@dataclass(frozen=True)
class BookingFacts:
    booked_at: datetime | None
    route: tuple[str, ...]  # airports in itinerary order
    one_way: bool
    payments: tuple[str, ...]
    contacts: tuple[tuple[str, str], ...]  # (kind, value)
    travellers: int
    bags: int


def booking_facts(conn: Connection, booking_ids: Sequence[int]) -> dict[int, BookingFacts]:
    ids = sorted(set(booking_ids))
    found: dict[int, BookingFacts] = {}
    for start in range(0, len(ids), 500):
        chunk = ids[start : start + 500]
        legs: dict[int, list[Any]] = {}
        for leg in conn.execute(
            select(travel_legs)
            .where(travel_legs.c.booking_id.in_(chunk))
            .order_by(travel_legs.c.booking_id, travel_legs.c.position)
        ):
            legs.setdefault(leg.booking_id, []).append(leg)
        contacts: dict[int, list[tuple[str, str]]] = {}
        for row in conn.execute(
            select(travel_contacts).where(travel_contacts.c.booking_id.in_(chunk))
        ):
            contacts.setdefault(row.booking_id, []).append((row.kind, row.value))
        counts: dict[int, int] = dict(
            conn.execute(
                select(travel_travellers.c.booking_id, func.count())
                .where(travel_travellers.c.booking_id.in_(chunk))
                .group_by(travel_travellers.c.booking_id)
            ).all()
        )
        for booking in conn.execute(select(travel_bookings).where(travel_bookings.c.id.in_(chunk))):
            itinerary = legs.get(booking.id, [])
            route = tuple(
                [itinerary[0].origin, *(leg.destination for leg in itinerary)] if itinerary else ()
            )
            pairs = contacts.get(booking.id, [])
            found[booking.id] = BookingFacts(
                booked_at=booking.booked_at,
                route=route,
                one_way=bool(route) and route[0] not in route[1:],
                payments=tuple(v for k, v in pairs if k == "payment"),
                contacts=tuple((k, v) for k, v in pairs if k != "payment"),
                travellers=int(counts.get(booking.id, 0)),
                bags=booking.bags,
            )
    return found


FLAGGING = ("open", "confirmed", "needs_follow_up")


def flagged_bookings(conn: Connection, owner: str) -> set[int]:
    """Bookings with a traveller whose hit is open, confirmed or needs follow-up."""
    query = (
        select(travel_travellers.c.booking_id)
        .join(screening_hits, screening_hits.c.traveller_id == travel_travellers.c.id)
        .where(
            screening_hits.c.owner == owner,
            screening_hits.c.status.in_(FLAGGING),
            travel_travellers.c.booking_id.is_not(None),
        )
        .distinct()
    )
    return {int(b) for b in conn.execute(query).scalars()}


def contact_values(conn: Connection, booking_ids: Sequence[int]) -> set[tuple[str, str]]:
    found: set[tuple[str, str]] = set()
    ids = sorted(set(booking_ids))
    for start in range(0, len(ids), 500):
        query = select(travel_contacts.c.kind, travel_contacts.c.value).where(
            travel_contacts.c.booking_id.in_(ids[start : start + 500]),
            travel_contacts.c.kind != "payment",
        )
        found |= {(row.kind, row.value) for row in conn.execute(query)}
    return found


def flight_row(conn: Connection, flight: int) -> dict[str, Any]:
    row = conn.execute(select(travel_flights).where(travel_flights.c.id == flight)).one()
    return dict(row._mapping)


# --- affiliates ---------------------------------------------------------------------------------


def _owned_travellers() -> Any:
    """Travellers joined to their (unmasked) message and flight, for the owner's queries."""
    return (
        select(
            travel_travellers.c.id,
            travel_travellers.c.surname,
            travel_travellers.c.given_names,
            travel_travellers.c.birth_date,
            travel_travellers.c.booking_id,
            travel_travellers.c.flight_id,
            travel_flights.c.key.label("flight"),
        )
        .join(travel_messages, travel_messages.c.id == travel_travellers.c.message_id)
        .join(travel_flights, travel_flights.c.id == travel_travellers.c.flight_id)
        .where(travel_messages.c.masked_at.is_(None))
    )


def owned_traveller(conn: Connection, owner: str, traveller_id: int) -> dict[str, Any] | None:
    row = conn.execute(
        _owned_travellers().where(
            travel_travellers.c.id == traveller_id, travel_messages.c.owner == owner
        )
    ).first()
    return dict(row._mapping) if row else None


def same_booking(
    conn: Connection, owner: str, booking_id: int, not_id: int
) -> list[dict[str, Any]]:
    query = _owned_travellers().where(
        travel_messages.c.owner == owner,
        travel_travellers.c.booking_id == booking_id,
        travel_travellers.c.id != not_id,
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def sharing_contacts(conn: Connection, owner: str, booking_id: int) -> list[dict[str, Any]]:
    """Travellers of other bookings that share a phone, e-mail, address or card with this one."""
    mine = select(travel_contacts.c.kind, travel_contacts.c.value).where(
        travel_contacts.c.booking_id == booking_id, travel_contacts.c.kind != "payment"
    )
    pairs = {(r.kind, r.value) for r in conn.execute(mine)}
    found: list[dict[str, Any]] = []
    for kind, value in sorted(pairs):
        query = (
            _owned_travellers()
            .add_columns(
                travel_contacts.c.kind.label("via_kind"), travel_contacts.c.value.label("via")
            )
            .join(travel_contacts, travel_contacts.c.booking_id == travel_travellers.c.booking_id)
            .where(
                travel_messages.c.owner == owner,
                travel_contacts.c.kind == kind,
                travel_contacts.c.value == value,
                travel_travellers.c.booking_id != booking_id,
            )
        )
        found += [dict(r._mapping) for r in conn.execute(query)]
    return found


def same_person(conn: Connection, owner: str, person: dict[str, Any]) -> list[dict[str, Any]]:
    """The same name and birth date (or one of the same document numbers) on other rows."""
    numbers = select(travel_documents.c.number).where(
        travel_documents.c.traveller_id == person["id"]
    )
    by_document = select(travel_documents.c.traveller_id).where(
        travel_documents.c.number.in_(numbers)
    )
    same_name = (travel_travellers.c.surname == person["surname"]) & (
        travel_travellers.c.given_names == person["given_names"]
    )
    if person["birth_date"]:
        same_name &= travel_travellers.c.birth_date == person["birth_date"]
    query = _owned_travellers().where(
        travel_messages.c.owner == owner,
        travel_travellers.c.id != person["id"],
        same_name | travel_travellers.c.id.in_(by_document),
    )
    return [dict(r._mapping) for r in conn.execute(query)]


def on_flights(conn: Connection, owner: str, flights: Sequence[int]) -> list[dict[str, Any]]:
    query = _owned_travellers().where(
        travel_messages.c.owner == owner, travel_travellers.c.flight_id.in_(list(flights))
    )
    return [dict(r._mapping) for r in conn.execute(query)]
