"""Possible affiliates: same booking, shared contacts, the same person's other flights."""

from __future__ import annotations

import orjson
import pytest
from sqlalchemy import select

from borderless.domain.codes import Purpose, Role
from borderless.errors import NotFound
from borderless.services.affiliates import affiliates
from borderless.services.node import Node
from borderless.services.screening import screen_upload
from borderless.services.travel_intake import Upload
from borderless.store.travel_schema import travel_flights, travel_travellers
from tests.conftest import People

CT = Purpose.COUNTER_TERRORISM


def _flight(
    number: str, day: str, travellers: list[dict[str, str]], bookings: list[dict[str, object]]
) -> bytes:
    flight = {
        "carrier": "XX",
        "number": number,
        "origin": "FRA",
        "destination": "AMS",
        "departure": f"{day}T12:00",
    }
    body = {
        "reference": number + day,
        "flight": flight,
        "travellers": travellers,
        "bookings": bookings,
    }
    return orjson.dumps(body)


def test_links_of_a_traveller(node: Node, people: People) -> None:
    analyst = people["NLD-POL", Role.ANALYST]
    first = _flight(
        "1",
        "2026-06-01",
        [
            {
                "surname": "KARIMI",
                "given_names": "AHMAD",
                "birth_date": "1980-01-01",
                "booking": "A1",
            },
            {"surname": "HELPER", "given_names": "HANS", "booking": "A1"},
            {"surname": "STRANGER", "given_names": "SARA", "booking": "B1"},
            {"surname": "OTHER", "given_names": "OTTO", "booking": "C1"},
        ],
        [
            {"locator": "A1", "phones": ["+49 170 1234567"]},
            {"locator": "B1", "phones": ["0049-170-1234567"], "emails": ["sara@example.org"]},
            {"locator": "C1", "phones": ["+31 6 0000000"]},
        ],
    )
    second = _flight(
        "2",
        "2026-07-01",
        [
            {
                "surname": "KARIMI",
                "given_names": "AHMAD",
                "birth_date": "1980-01-01",
                "booking": "D1",
            },
            {"surname": "HELPER", "given_names": "HANS", "booking": "E1"},
        ],
        [{"locator": "D1"}, {"locator": "E1"}],
    )
    screen_upload(node, analyst, CT, Upload(first, "1.json"))
    screen_upload(node, analyst, CT, Upload(second, "2.json"))

    from borderless.services.travel_intake import flight_travellers  # noqa: F401 - sanity

    with node.engine.connect() as conn:
        karimi = conn.execute(
            select(travel_travellers.c.id)
            .join(travel_flights, travel_flights.c.id == travel_travellers.c.flight_id)
            .where(travel_travellers.c.surname == "KARIMI", travel_flights.c.number == "1")
        ).scalar_one()
    links = {(a.name, a.link) for a in affiliates(node, analyst, CT, karimi)}
    assert links == {
        ("HANS HELPER", "same booking"),
        ("SARA STRANGER", "shared contact"),
        ("AHMAD KARIMI", "same person"),
        ("HANS HELPER", "repeated co-travel"),
    }
    with pytest.raises(NotFound):
        affiliates(node, people["DEU-BKA", Role.ANALYST], CT, karimi)
