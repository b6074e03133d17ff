"""Intake: atomic per message, idempotent re-sends, owner-only reads, masking and deletion."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from borderless.domain.codes import Purpose, Role
from borderless.errors import FormatError, NotFound, PermissionDenied, PurposeRequired
from borderless.services import audit_log
from borderless.services.node import OPERATOR, Node
from borderless.services.travel_intake import (
    Upload,
    flight_travellers,
    ingest,
    run_passenger_retention,
)
from borderless.store.travel_schema import travel_documents, travel_messages
from tests.conftest import Clock, People

BORDER = Purpose.BORDER_CONTROL


def _paxlst(names: list[str], reference: str = "M1") -> bytes:
    body = [
        "BGM+745'",
        "TDT+20+XX123+++XX'",
        "LOC+125+FRA'",
        "DTM+189:2606011200:201'",
        "LOC+87+AMS'",
        "DTM+232:2606011330:201'",
    ]
    for i, name in enumerate(names):
        body += [f"NAD+FL+++{name}'", "DTM+329:800101'", f"DOC+P+X{i:07d}'", "LOC+91+DEU'"]
    body.append(f"CNT+42:{len(names)}'")
    segments = ["UNB+UNOA:4+AIRLINE+GOV+260601:1000+R1'", f"UNH+{reference}+PAXLST:D:02B:UN:IATA'"]
    segments += [*body, f"UNT+{len(body) + 2}+{reference}'", "UNZ+1+R1'"]
    return "".join(segments).encode()


FLIGHT = "XX123/2026-06-01/FRA"


def test_intake_is_idempotent_and_updates_a_resent_message(node: Node, people: People) -> None:
    analyst = people["NLD-POL", Role.ANALYST]
    first = ingest(node, analyst, BORDER, Upload(_paxlst(["DOE:JANE", "ROE:RICHARD"]), "a.edi"))
    assert [(r.status, r.travellers, r.documents) for r in first] == [("inserted", 2, 2)]
    again = ingest(node, analyst, BORDER, Upload(_paxlst(["DOE:JANE", "ROE:RICHARD"]), "a.edi"))
    assert again[0].status == "unchanged"
    fixed = ingest(node, analyst, BORDER, Upload(_paxlst(["DOE:JANE", "ROE:RICK"]), "b.edi"))
    assert fixed[0].status == "updated"
    stored = flight_travellers(node, analyst, BORDER, FLIGHT)
    assert sorted(t.full_name for t in stored) == ["JANE DOE", "RICK ROE"]
    with node.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(travel_messages)).scalar_one() == 1
        assert conn.execute(select(func.count()).select_from(travel_documents)).scalar_one() == 2


def test_a_partly_invalid_message_leaves_the_stored_flight_as_it_was(
    node: Node, people: People
) -> None:
    analyst = people["NLD-POL", Role.ANALYST]
    ingest(node, analyst, BORDER, Upload(_paxlst(["DOE:JANE", "ROE:RICHARD"]), "a.edi"))
    broken = _paxlst(["DOE:JANE", "ROE:RICHARD", "SMITH:ANNA"]).replace(b"SMITH:ANNA", b":ANNA")
    with pytest.raises(FormatError) as caught:
        ingest(node, analyst, BORDER, Upload(broken, "broken.edi"))
    assert caught.value.location == "segment 17 (NAD)"  # UNB, UNH, 6 flight, 2 x 4
    assert "surname" in caught.value.problem
    stored = flight_travellers(node, analyst, BORDER, FLIGHT)
    assert sorted(t.surname for t in stored) == ["DOE", "ROE"]


def test_passenger_data_is_the_receiving_agency_s_alone(node: Node, people: People) -> None:
    ingest(node, people["NLD-POL", Role.ANALYST], BORDER, Upload(_paxlst(["DOE:JANE"]), "a"))
    with pytest.raises(NotFound):
        flight_travellers(node, people["DEU-BKA", Role.ANALYST], BORDER, FLIGHT)
    with pytest.raises(PermissionDenied):
        ingest(node, people["NLD-POL", Role.OFFICER], BORDER, Upload(_paxlst(["X:Y"]), "a"))
    with pytest.raises(PurposeRequired):
        ingest(node, people["NLD-POL", Role.ANALYST], None, Upload(_paxlst(["X:Y"]), "a"))


def test_masking_then_deletion_both_audited(node: Node, people: People, clock: Clock) -> None:
    analyst = people["NLD-POL", Role.ANALYST]
    ingest(node, analyst, BORDER, Upload(_paxlst(["DOE:JANE"]), "a.edi"))
    assert run_passenger_retention(node, OPERATOR).masked == 0
    clock.advance(184)
    assert run_passenger_retention(node, OPERATOR).masked == 1
    assert flight_travellers(node, analyst, BORDER, FLIGHT) == []  # masked data is not served
    with node.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(travel_documents)).scalar_one() == 0
    clock.advance(5 * 365)
    result = run_passenger_retention(node, OPERATOR)
    assert (result.masked, result.deleted) == (0, 1)
    entries, _ = audit_log.query_log(node, OPERATOR, audit_log.AuditQuery(), (0, 50))
    actions = [e["action"] for e in entries]
    assert "mask" in actions
    assert "purge" in actions
    mask = next(e for e in entries if e["action"] == "mask")
    assert mask["owners"] == ["NLD-POL"]
    with pytest.raises(PermissionDenied):
        run_passenger_retention(node, analyst)


def test_masking_period_is_a_node_setting(node: Node, people: People, clock: Clock) -> None:
    settings = node.settings.model_copy(update={"passenger_mask_days": 30})
    short = Node(settings=settings, engine=node.engine, audit_key=node.audit_key, now=node.now)
    ingest(short, people["NLD-POL", Role.ANALYST], BORDER, Upload(_paxlst(["DOE:JANE"]), "a.edi"))
    clock.advance(29)
    assert run_passenger_retention(short, OPERATOR).masked == 0
    clock.advance(2)
    assert run_passenger_retention(short, OPERATOR).masked == 1
