"""People decide: the hit queue, decisions with reasons, false-positive suppression."""

from __future__ import annotations

import pytest

from borderless.domain.codes import Purpose, Role
from borderless.domain.records import Record, RecordDraft
from borderless.errors import InputError, NotFound, PermissionDenied
from borderless.services import audit_log, records
from borderless.services.adjudication import Decision, decide, hit_queue
from borderless.services.node import OPERATOR, Node
from borderless.services.screening import screen_flight, screen_upload
from borderless.services.travel_intake import Upload
from tests.conftest import People
from tests.travel.conftest import FLIGHT, TRAVELLERS, manifest

BORDER = Purpose.BORDER_CONTROL


def test_queue_decisions_and_suppression_until_the_record_changes(
    node: Node, people: People, watchlist: dict[str, Record]
) -> None:
    analyst = people["NLD-POL", Role.ANALYST]
    screen_upload(node, analyst, BORDER, Upload(manifest(TRAVELLERS), "m.json"))
    queue, total = hit_queue(node, analyst, BORDER)
    assert total == 2
    assert queue[0].score >= queue[1].score
    listed = next(h for h in queue if h.record_id == watchlist["listed"].id)

    decided = decide(
        node, analyst, BORDER, listed.id, Decision.FALSE_POSITIVE, "born elsewhere; checked ID"
    )
    assert (decided.status, decided.decided_by) == ("false_positive", analyst.username)
    assert hit_queue(node, analyst, BORDER)[1] == 1

    again = screen_flight(node, analyst, BORDER, FLIGHT)
    assert again.suppressed == 1
    assert watchlist["listed"].id not in {h.record_id for h in again.hits}

    hub = people["HUB", Role.ANALYST]
    changed = RecordDraft.model_validate(
        {
            "kind": "person",
            "body": {
                "names": [{"full": "Usama bin Ladin"}, {"full": "Osama bin Laden", "kind": "aka"}],
                "birth_dates": [{"date": "1957-03-10"}],
                "remarks": "updated entry",
            },
        }
    )
    records.update(node, hub, Purpose.DATA_MANAGEMENT, watchlist["listed"].id, changed)
    after_change = screen_flight(node, analyst, BORDER, FLIGHT)
    assert after_change.suppressed == 0
    assert watchlist["listed"].id in {h.record_id for h in after_change.hits}

    entries, _ = audit_log.query_log(node, OPERATOR, audit_log.AuditQuery(), (0, 100))
    [adjudication] = [e for e in entries if e["action"] == "adjudicate"]
    assert adjudication["record_ids"] == [watchlist["listed"].id]
    assert adjudication["owners"] == ["HUB"]
    assert adjudication["purpose"] == "border_control"


def test_decisions_need_a_reason_the_role_and_the_agency_s_own_hit(
    node: Node, people: People, watchlist: dict[str, Record]
) -> None:
    analyst = people["NLD-POL", Role.ANALYST]
    screen_upload(node, analyst, BORDER, Upload(manifest(TRAVELLERS), "m.json"))
    [first, _] = hit_queue(node, analyst, BORDER)[0]
    with pytest.raises(InputError):
        decide(node, analyst, BORDER, first.id, Decision.CONFIRMED, "ok")
    with pytest.raises(NotFound):
        decide(
            node, people["DEU-BKA", Role.ANALYST], BORDER, first.id, Decision.CONFIRMED, "match!"
        )
    with pytest.raises(PermissionDenied):
        decide(node, people["NLD-POL", Role.OFFICER], BORDER, first.id, Decision.CONFIRMED, "x y z")
    assert hit_queue(node, people["DEU-BKA", Role.ANALYST], BORDER)[1] == 0
    confirmed = decide(node, analyst, BORDER, first.id, Decision.CONFIRMED, "same passport seen")
    assert confirmed.status == "confirmed"
    assert [h.id for h in hit_queue(node, analyst, BORDER, "confirmed")[0]] == [first.id]
