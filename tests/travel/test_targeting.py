"""Targeting rules: versioned, tested against history before activation, fired at screening."""

from __future__ import annotations

import orjson
import pytest

from borderless.domain.codes import Purpose, Role
from borderless.domain.records import Record, RecordDraft
from borderless.errors import Conflict, InputError
from borderless.index.keys import contact_key
from borderless.services import records
from borderless.services.node import Node
from borderless.services.screening import screen_flight, screen_upload
from borderless.services.targeting import (
    activate_rule,
    check_against_history,
    create_rule,
    list_rules,
)
from borderless.services.travel_intake import Upload
from tests.conftest import People
from tests.travel.conftest import FLIGHT, TRAVELLERS

CT = Purpose.COUNTER_TERRORISM


def _manifest() -> bytes:
    travellers = [
        {**TRAVELLERS[0], "booking": "AAA111"},
        {"surname": "HELPER", "given_names": "HANS", "booking": "AAA111"},
        {"surname": "LATE", "given_names": "LARA", "booking": "BBB222"},
        {"surname": "EARLY", "given_names": "EMIL", "booking": "CCC333"},
    ]
    bookings = [
        {"locator": "AAA111", "booked_at": "2026-05-01T10:00", "payments": [{"method": "CC"}]},
        {"locator": "BBB222", "booked_at": "2026-06-01T09:00", "payments": [{"method": "CA"}]},
        {"locator": "CCC333", "booked_at": "2026-05-01T09:00", "payments": [{"method": "CA"}]},
    ]
    flight = {
        "carrier": "XX",
        "number": "123",
        "origin": "FRA",
        "destination": "AMS",
        "departure": "2026-06-01T12:00",
    }
    return orjson.dumps(
        {"reference": "T-1", "flight": flight, "travellers": travellers, "bookings": bookings}
    )


def test_rule_lifecycle_and_hits_name_the_version(
    node: Node, people: People, watchlist: dict[str, Record]
) -> None:
    analyst = people["NLD-POL", Role.ANALYST]
    screen_upload(node, analyst, CT, Upload(_manifest(), "t.json"))

    late_cash = create_rule(
        node, analyst, CT, "late cash", "booking.paid_cash and booking.hours_before_departure < 24"
    )
    assert (late_cash.version, late_cash.status) == (1, "draft")
    with pytest.raises(Conflict, match="against history"):
        activate_rule(node, analyst, CT, late_cash.id)
    tested = check_against_history(node, analyst, CT, late_cash.id)
    assert tested.tested is not None
    assert (tested.tested["travellers"], tested.tested["matches"]) == (4, 1)
    assert tested.tested["sample"] == [f"{FLIGHT}: LARA LATE"]
    activate_rule(node, analyst, CT, late_cash.id)

    report = screen_flight(node, analyst, CT, FLIGHT)
    [rule_hit] = [h for h in report.hits if h.record_kind == "rule"]
    assert rule_hit.traveller.startswith("LARA LATE")
    assert rule_hit.record_id == "rule:late cash:v1"
    assert "version 1" in rule_hit.reasons[0]

    second = create_rule(node, analyst, CT, "late cash", "booking.paid_cash")
    assert second.version == 2
    check_against_history(node, analyst, CT, second.id)
    activate_rule(node, analyst, CT, second.id)
    statuses = {(r.version, r.status) for r in list_rules(node, analyst, CT)}
    assert statuses == {(1, "retired"), (2, "active")}
    report = screen_flight(node, analyst, CT, FLIGHT)
    fired = sorted(h.traveller.split(" (")[0] for h in report.hits if h.record_kind == "rule")
    assert fired == ["EMIL EARLY", "LARA LATE"]
    assert {h.record_id for h in report.hits if h.record_kind == "rule"} == {"rule:late cash:v2"}


def test_co_travellers_of_a_flagged_passenger(
    node: Node, people: People, watchlist: dict[str, Record]
) -> None:
    analyst = people["NLD-POL", Role.ANALYST]
    screen_upload(node, analyst, CT, Upload(_manifest(), "t.json"))
    rule = create_rule(
        node,
        analyst,
        CT,
        "companions",
        'traveller.travels_with_flagged and traveller.surname != "BIN LADEN"',
    )
    check_against_history(node, analyst, CT, rule.id)
    activate_rule(node, analyst, CT, rule.id)
    report = screen_flight(node, analyst, CT, FLIGHT)
    fired = [h.traveller.split(" (")[0] for h in report.hits if h.record_kind == "rule"]
    assert fired == ["HANS HELPER"]


def test_nationality_alone_is_refused_before_anything_is_stored(node: Node, people: People) -> None:
    analyst = people["NLD-POL", Role.ANALYST]
    with pytest.raises(InputError, match=r"^refused: "):
        create_rule(node, analyst, CT, "bad", 'traveller.nationality = "SYR"')
    assert list_rules(node, analyst, CT) == []


def test_a_booking_sharing_a_listed_persons_phone_fires_only_where_the_person_is_visible(
    node: Node, people: People
) -> None:
    visible = {"names": [{"full": "Karim Haddad"}], "phones": ["+31 20 123 4567"]}
    hidden = {"names": [{"full": "Ghost Writer"}], "emails": ["ghost@example.org"]}
    records.create(
        node,
        people["HUB", Role.ANALYST],
        Purpose.DATA_MANAGEMENT,
        RecordDraft.model_validate({"kind": "person", "body": visible}),
    )
    records.create(
        node,
        people["DEU-BKA", Role.ANALYST],
        Purpose.DATA_MANAGEMENT,
        RecordDraft.model_validate(
            {
                "kind": "person",
                "body": hidden,
                "governance": {"dissemination": "listed", "share_countries": ["DEU"]},
            }
        ),
    )
    manifest = orjson.loads(_manifest())
    manifest["bookings"][0]["phones"] = ["0031 20 1234567"]  # AAA111: two travellers
    manifest["bookings"][1]["emails"] = ["GHOST@example.org"]  # BBB222: Germany's record only

    def tested_matches(agency: str) -> int:
        analyst = people[agency, Role.ANALYST]
        screen_upload(node, analyst, CT, Upload(orjson.dumps(manifest), "t.json"))
        rule = create_rule(node, analyst, CT, "contact", "booking.shares_contact_with_watchlisted")
        tested = check_against_history(node, analyst, CT, rule.id)
        assert tested.tested is not None
        activate_rule(node, analyst, CT, rule.id)
        return int(tested.tested["matches"])

    assert tested_matches("NLD-POL") == 2
    report = screen_flight(node, people["NLD-POL", Role.ANALYST], CT, FLIGHT)
    fired = sorted(h.traveller for h in report.hits if h.record_kind == "rule")
    assert [name.split(" (")[0] for name in fired] == ["HANS HELPER", "OSAMA BIN LADEN"]
    assert tested_matches("DEU-BKA") == 3  # the German record is visible to Germany


def test_a_booking_giving_a_listed_persons_address_fires(node: Node, people: People) -> None:
    """Addresses compare by rigour's fingerprint: case, punctuation and 'Street' / 'St.'."""
    listed = {
        "names": [{"full": "Karim Haddad"}],
        "addresses": [{"full": "221B Baker Street, London NW1 6XE"}],
    }
    analyst = people["NLD-POL", Role.ANALYST]
    records.create(
        node,
        people["HUB", Role.ANALYST],
        Purpose.DATA_MANAGEMENT,
        RecordDraft.model_validate({"kind": "person", "body": listed}),
    )
    manifest = orjson.loads(_manifest())
    manifest["bookings"][1]["addresses"] = ["221b baker st. london nw1 6xe"]  # BBB222
    screen_upload(node, analyst, CT, Upload(orjson.dumps(manifest), "t.json"))
    rule = create_rule(node, analyst, CT, "address", "booking.shares_contact_with_watchlisted")
    tested = check_against_history(node, analyst, CT, rule.id)
    assert tested.tested is not None
    assert tested.tested["matches"] == 1
    same = contact_key("address", "221b baker st. london nw1 6xe")
    assert same == contact_key("address", "221B Baker Street, London NW1 6XE")
    assert contact_key("address", "221 Baker Street, London NW1 6XE") != same  # another house
    assert contact_key("address", "Paris") is None  # says too little
