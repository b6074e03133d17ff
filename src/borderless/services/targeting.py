"""Targeting rules: versioned, tested against history before activation, applied at screening.

An analyst writes a rule in the safe rule language (`borderless.rules`); the validator refuses
unknown fields and rules that would target nationality, ethnicity or religion on their own.
Each save of a rule name makes a new version (a draft). A draft is first run against every
stored traveller of the agency ("history": how many would it flag, on which flights); only a
tested version can be activated, which retires the name's previous active version. Screening
applies the active versions; a rule hit names the rule and version that fired.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.domain.records import PersonBody, Record
from borderless.domain.travel import Traveller
from borderless.errors import Conflict, InputError, NotFound
from borderless.governance.gate import Scored
from borderless.governance.roles import Permission
from borderless.index.keys import IDENTIFIER_PART, contact_key, person_contact_keys
from borderless.rules.checks import check_rule
from borderless.rules.evaluate import Facts, Value, matches
from borderless.rules.language import Node
from borderless.services.admission import admit, record
from borderless.services.node import Node as BorderlessNode
from borderless.store import search as search_store
from borderless.store import travel as travel_store
from borderless.store.db import reading
from borderless.store.travel_schema import targeting_rules, travel_flights, travel_messages

SAMPLE = 20


@dataclass(frozen=True)
class Rule:
    id: int
    name: str
    version: int
    expression: str
    status: str  # draft, active, retired
    tested: dict[str, Any] | None


@dataclass(frozen=True)
class ActiveRule:
    rule: Rule
    node: Node


def _rule(row: Any) -> Rule:
    return Rule(row.id, row.name, row.version, row.expression, row.status, row.tested)


def _admit(node: BorderlessNode, principal: Principal, purpose: Purpose | None) -> Purpose:
    return admit(node, principal, purpose, Permission.SCREEN_TRAVELLERS, AuditAction.SCREEN)


def create_rule(
    node: BorderlessNode, principal: Principal, purpose: Purpose | None, name: str, expression: str
) -> Rule:
    """Validate and save a new version of the rule `name` as a draft."""
    checked = _admit(node, principal, purpose)
    if not name.strip() or len(name) > 200:
        raise InputError("a rule needs a name of 1-200 characters")
    check_rule(expression)
    with node.engine.begin() as conn:
        latest = conn.execute(
            select(func.max(targeting_rules.c.version)).where(
                targeting_rules.c.owner == principal.agency, targeting_rules.c.name == name
            )
        ).scalar_one()
        version = int(latest or 0) + 1
        rule_id = conn.execute(
            insert(targeting_rules)
            .values(
                owner=principal.agency,
                name=name,
                version=version,
                expression=expression,
                status="draft",
                created_by=principal.username,
                created_at=node.now(),
            )
            .returning(targeting_rules.c.id)
        ).scalar_one()
        record(conn, node, principal, AuditAction.CREATE, checked, rule=name, v=version)
        return _load(conn, principal.agency, int(rule_id))


def _load(conn: Connection, owner: str, rule_id: int) -> Rule:
    row = conn.execute(
        select(targeting_rules).where(
            targeting_rules.c.id == rule_id, targeting_rules.c.owner == owner
        )
    ).first()
    if row is None:
        raise NotFound(f"agency {owner} has no targeting rule {rule_id}")
    return _rule(row)


def list_rules(node: BorderlessNode, principal: Principal, purpose: Purpose | None) -> list[Rule]:
    _admit(node, principal, purpose)
    with node.engine.connect() as conn:
        rows = conn.execute(
            select(targeting_rules)
            .where(targeting_rules.c.owner == principal.agency)
            .order_by(targeting_rules.c.name, targeting_rules.c.version)
        )
        return [_rule(r) for r in rows]


# --- facts -----------------------------------------------------------------------------------


def _age(birth_date: str | None, at: datetime | None) -> float | None:
    if not birth_date or at is None:
        return None
    year, month, day = (int(p) for p in birth_date.split("-"))
    return float(at.year - year - ((at.month, at.day) < (month, day)))


CONTACTS = 200  # person records sharing a flight's booking contacts that are looked at


@dataclass(frozen=True)
class FlightContext:
    """What the facts of every traveller of one flight are computed from."""

    flight: dict[str, Any]
    bookings: dict[int, travel_store.BookingFacts]
    flagged_bookings: set[int]
    flagged_contacts: set[tuple[str, str]]
    watchlisted_contacts: frozenset[tuple[str, str]]


Contacts = frozenset[tuple[str, str]]
WatchlistLookup = Callable[[Contacts], Contacts]


def flight_context(
    conn: Connection, owner: str, flight: int, bookings: set[int], watchlist: WatchlistLookup
) -> FlightContext:
    """`watchlist` says which of the flight's booking contacts a listed person has."""
    flagged = travel_store.flagged_bookings(conn, owner)
    facts = travel_store.booking_facts(conn, sorted(bookings))
    contacts = frozenset(c for booking in facts.values() for c in booking.contacts)
    return FlightContext(
        flight=travel_store.flight_row(conn, flight),
        bookings=facts,
        flagged_bookings=flagged,
        flagged_contacts=travel_store.contact_values(conn, sorted(flagged)),
        watchlisted_contacts=watchlist(contacts),
    )


WATCHLISTED = "booking.shares_contact_with_watchlisted"


def no_lookup(_contacts: Contacts) -> Contacts:
    return frozenset()


def watchlist_for(
    rules: list[ActiveRule], node: BorderlessNode, principal: Principal, purpose: Purpose
) -> WatchlistLookup:
    """The watchlist lookup, when one of `rules` asks about it (else nothing is read)."""
    if any(WATCHLISTED in active.rule.expression for active in rules):
        return watchlist_lookup(node, principal, purpose)
    return no_lookup


def watchlist_lookup(
    node: BorderlessNode, principal: Principal, purpose: Purpose
) -> WatchlistLookup:
    """Booking contacts (phone, e-mail) that a person record the agency may see also has.

    Read through the gate like a search (admitted, audited, every record's rules applied): a
    record the agency may not see never makes a rule fire, and one it sees only as a hit-only
    reference does, as a search hit on it would.
    """

    def lookup(contacts: Contacts) -> Contacts:
        wanted = {k: c for c in contacts if (k := contact_key(*c)) is not None}
        if not wanted:
            return frozenset()
        with reading(node.engine) as conn:
            ids = search_store.candidates(conn, dict.fromkeys(wanted, IDENTIFIER_PART), CONTACTS)
        shared: set[tuple[str, str]] = set()

        def scorer(record: Record) -> Scored | None:
            if not isinstance(record.body, PersonBody):
                return None
            found = sorted(person_contact_keys(record.body) & wanted.keys())
            shared.update(wanted[key] for key in found)
            return (
                Scored(1.0, tuple(f"{key} also in a booking" for key in found)) if found else None
            )

        node.gate.match(principal, purpose, ids, scorer, {"booking_contacts": len(wanted)})
        return frozenset(shared)

    return lookup


def traveller_facts(
    traveller: Traveller, booking_id: int | None, context: FlightContext
) -> dict[str, Value]:
    flight = context.flight
    departure = flight.get("departure")
    booking = context.bookings.get(booking_id) if booking_id is not None else None
    facts: dict[str, Value] = {
        "traveller.surname": traveller.surname,
        "traveller.given_names": traveller.given_names,
        "traveller.gender": traveller.gender,
        "traveller.age": _age(traveller.birth_date, departure),
        "traveller.infant": traveller.infant,
        "traveller.role": traveller.role.value,
        "traveller.nationality": traveller.nationality,
        "traveller.residence": traveller.residence,
        "traveller.document_countries": tuple(
            d.issuing_country for d in traveller.documents if d.issuing_country
        ),
        "traveller.document_types": tuple(d.document_type for d in traveller.documents),
        "traveller.embarkation": traveller.embarkation,
        "traveller.debarkation": traveller.debarkation,
        "traveller.travels_with_flagged": booking_id in context.flagged_bookings,
        "flight.carrier": flight["carrier"],
        "flight.number": flight["number"],
        "flight.origin": flight["origin"],
        "flight.destination": flight["destination"],
    }
    if booking is not None:
        hours = None
        if booking.booked_at is not None and departure is not None:
            hours = (departure - booking.booked_at).total_seconds() / 3600
        facts |= {
            "booking.hours_before_departure": hours,
            "booking.paid_cash": "CA" in booking.payments,
            "booking.payment_methods": booking.payments,
            "booking.one_way": booking.one_way,
            "booking.route": booking.route,
            "booking.travellers": float(booking.travellers),
            "booking.bags": float(booking.bags),
            "booking.shares_contact_with_flagged": booking_id not in context.flagged_bookings
            and bool(set(booking.contacts) & context.flagged_contacts),
            WATCHLISTED: bool(context.watchlisted_contacts.intersection(booking.contacts)),
        }
    return facts


def firing(rules: list[ActiveRule], facts: Facts) -> list[ActiveRule]:
    return [r for r in rules if matches(r.node, facts)]


def active_rules(conn: Connection, owner: str) -> list[ActiveRule]:
    rows = conn.execute(
        select(targeting_rules).where(
            targeting_rules.c.owner == owner, targeting_rules.c.status == "active"
        )
    )
    return [ActiveRule(_rule(r), check_rule(r.expression)) for r in rows]


# --- testing against history and activation ---------------------------------------------------


def check_against_history(
    node: BorderlessNode, principal: Principal, purpose: Purpose | None, rule_id: int
) -> Rule:
    """Run a rule over every stored (unmasked) traveller of the agency; keep the outcome."""
    checked = _admit(node, principal, purpose)
    # Read under a snapshot (the watchlist lookup writes its own audit entry), then store the
    # outcome in one short transaction.
    with reading(node.engine) as conn:
        rule = _load(conn, principal.agency, rule_id)
        parsed = ActiveRule(rule, check_rule(rule.expression))
        watchlist = watchlist_for([parsed], node, principal, checked)
        flights = conn.execute(
            select(travel_flights.c.id, travel_flights.c.key)
            .where(
                travel_flights.c.owner == principal.agency,
                travel_flights.c.id.in_(
                    select(travel_messages.c.flight_id).where(travel_messages.c.masked_at.is_(None))
                ),
            )
            .order_by(travel_flights.c.id)
        ).all()
        travellers = fired = 0
        sample: list[str] = []
        fired_flights: set[str] = set()
        for flight_id, key in flights:
            stored = travel_store.travellers_of(conn, principal.agency, flight=flight_id)
            bookings = {s.booking_id for s in stored if s.booking_id is not None}
            context = flight_context(conn, principal.agency, flight_id, bookings, watchlist)
            for item in stored:
                travellers += 1
                if firing([parsed], traveller_facts(item.traveller, item.booking_id, context)):
                    fired += 1
                    fired_flights.add(key)
                    if len(sample) < SAMPLE:
                        sample.append(f"{key}: {item.traveller.full_name}")
    outcome = {
        "at": node.now().isoformat(),
        "travellers": travellers,
        "matches": fired,
        "flights": len(fired_flights),
        "sample": sample,
    }
    with node.engine.begin() as conn:
        conn.execute(
            update(targeting_rules).where(targeting_rules.c.id == rule_id).values(tested=outcome)
        )
        record(
            conn,
            node,
            principal,
            AuditAction.SCREEN,
            checked,
            rule_test=rule.name,
            v=rule.version,
            matches=fired,
        )
        return _load(conn, principal.agency, rule_id)


def activate_rule(
    node: BorderlessNode, principal: Principal, purpose: Purpose | None, rule_id: int
) -> Rule:
    """Make a tested version the active one of its name (the previous one is retired)."""
    checked = _admit(node, principal, purpose)
    with node.engine.begin() as conn:
        rule = _load(conn, principal.agency, rule_id)
        if rule.tested is None:
            raise Conflict(f"test rule {rule.name} v{rule.version} against history first")
        conn.execute(
            update(targeting_rules)
            .where(
                targeting_rules.c.owner == principal.agency,
                targeting_rules.c.name == rule.name,
                targeting_rules.c.status == "active",
            )
            .values(status="retired")
        )
        conn.execute(
            update(targeting_rules)
            .where(targeting_rules.c.id == rule_id)
            .values(status="active", activated_at=node.now())
        )
        record(
            conn,
            node,
            principal,
            AuditAction.UPDATE,
            checked,
            rule=rule.name,
            v=rule.version,
            activated=True,
        )
        return _load(conn, principal.agency, rule_id)
