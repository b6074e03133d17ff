"""Possible affiliates of a flagged traveller: who is linked to them in the agency's data.

Links, each a lead for an analyst (never a finding):

* ``same booking`` — travellers on the same PNR;
* ``shared contact`` — travellers of other bookings with the same phone, e-mail, address or
  payment card;
* ``same person`` — the traveller's other appearances (same name and birth date, or a shared
  document number), which give their other flights;
* ``repeated co-travel`` — people on at least `MIN_SHARED_FLIGHTS` of those flights too.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.errors import NotFound
from borderless.governance.roles import Permission
from borderless.services.admission import admit, record
from borderless.services.node import Node
from borderless.store import travel as travel_store

MIN_SHARED_FLIGHTS = 2


@dataclass(frozen=True)
class Affiliate:
    traveller_id: int
    name: str
    flight: str
    link: str  # same booking, shared contact, same person, repeated co-travel
    detail: str


def _name(row: dict[str, Any]) -> str:
    return f"{row['given_names']} {row['surname']}".strip()


def _identity(row: dict[str, Any]) -> tuple[str, str, str]:
    return (row["surname"], row["given_names"], row["birth_date"] or "")


def affiliates(
    node: Node, principal: Principal, purpose: Purpose | None, traveller_id: int
) -> list[Affiliate]:
    """Every link from one of the agency's travellers to others in the agency's data."""
    purpose = admit(node, principal, purpose, Permission.SCREEN_TRAVELLERS, AuditAction.VIEW)
    owner = principal.agency
    found: list[Affiliate] = []
    with node.engine.begin() as conn:
        person = travel_store.owned_traveller(conn, owner, traveller_id)
        if person is None:
            raise NotFound(f"agency {owner} holds no traveller {traveller_id}")
        if person["booking_id"] is not None:
            for row in travel_store.same_booking(conn, owner, person["booking_id"], traveller_id):
                found.append(Affiliate(row["id"], _name(row), row["flight"], "same booking", ""))
            for row in travel_store.sharing_contacts(conn, owner, person["booking_id"]):
                detail = f"{row['via_kind']} {row['via']}"
                found.append(
                    Affiliate(row["id"], _name(row), row["flight"], "shared contact", detail)
                )
        appearances = travel_store.same_person(conn, owner, person)
        for row in appearances:
            found.append(
                Affiliate(row["id"], _name(row), row["flight"], "same person", "other flight")
            )
        found += _co_travel(conn, owner, person, appearances)
        record(
            conn,
            node,
            principal,
            AuditAction.VIEW,
            purpose,
            outcome=f"{len(found)} link(s)",
            affiliates_of_traveller=traveller_id,
            flight=person["flight"],
        )
    return found


def _co_travel(
    conn: Connection, owner: str, person: dict[str, Any], appearances: list[dict[str, Any]]
) -> list[Affiliate]:
    flights = {person["flight_id"], *(row["flight_id"] for row in appearances)}
    if len(flights) < MIN_SHARED_FLIGHTS:
        return []
    together: dict[tuple[str, str, str], list[dict[str, Any]]] = defaultdict(list)
    own = _identity(person)
    for row in travel_store.on_flights(conn, owner, sorted(flights)):
        if _identity(row) != own:
            together[_identity(row)].append(row)
    found = []
    for rows in together.values():
        shared = sorted({row["flight"] for row in rows})
        if len(shared) >= MIN_SHARED_FLIGHTS:
            latest = rows[-1]
            detail = f"{len(shared)} flights together: {', '.join(shared)}"
            found.append(
                Affiliate(
                    latest["id"], _name(latest), latest["flight"], "repeated co-travel", detail
                )
            )
    return found
