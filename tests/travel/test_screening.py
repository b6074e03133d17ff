"""Screening: hits with reasons, only what the agency may see, stored per flight, audited."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from borderless.domain.codes import Purpose, Role
from borderless.domain.records import Record, RecordDraft
from borderless.errors import PermissionDenied, PurposeRequired
from borderless.formats.records_jsonl import OwnedDraft
from borderless.services import audit_log, records
from borderless.services.imports import import_records
from borderless.services.node import OPERATOR, Node
from borderless.services.screening import screen_flight, screen_upload
from borderless.services.travel_intake import Upload
from borderless.store.schema import hit_notifications
from borderless.store.travel_schema import screening_hits
from tests.conftest import Clock, People
from tests.travel.conftest import FLIGHT, TRAVELLERS, manifest

BORDER = Purpose.BORDER_CONTROL


def test_each_agency_gets_the_hits_it_may_see(
    node: Node, people: People, watchlist: dict[str, Record]
) -> None:
    dutch = people["NLD-POL", Role.ANALYST]
    [report] = screen_upload(node, dutch, BORDER, Upload(manifest(TRAVELLERS), "m.json"))
    assert report.flight == FLIGHT
    assert report.travellers == 4
    by_record = {h.record_id: h for h in report.hits}
    assert set(by_record) == {watchlist["listed"].id, watchlist["hit_only"].id}
    listed = by_record[watchlist["listed"].id]
    assert listed.traveller.startswith("OSAMA BIN LADEN")
    assert listed.access == "full"
    assert listed.score >= 0.8
    assert any("birth" in r or "date" in r for r in listed.reasons)
    reference = by_record[watchlist["hit_only"].id]
    assert (reference.access, reference.reasons, reference.label) == ("reference", (), None)
    assert reference.contact is not None
    assert "TUR-EGM" in reference.contact

    german = people["DEU-BKA", Role.ANALYST]
    [report] = screen_upload(node, german, BORDER, Upload(manifest(TRAVELLERS), "m.json"))
    stolen = [h for h in report.hits if h.record_id == watchlist["stolen"].id]
    assert len(stolen) == 1
    assert stolen[0].traveller.startswith("ERIKA MUSTERMANN")
    assert "document status: stolen" in stolen[0].reasons
    assert any(r == "issuing country DEU agrees" for r in stolen[0].reasons)


def test_screening_is_stored_audited_and_owners_notified(
    node: Node, people: People, watchlist: dict[str, Record]
) -> None:
    dutch = people["NLD-POL", Role.ANALYST]
    screen_upload(node, dutch, BORDER, Upload(manifest(TRAVELLERS), "m.json"))
    again = screen_flight(node, dutch, Purpose.COUNTER_TERRORISM, FLIGHT)
    assert len(again.hits) == 2
    with node.engine.connect() as conn:
        stored = conn.execute(select(screening_hits.c.record_id, screening_hits.c.owner)).all()
        notified = conn.execute(select(hit_notifications.c.owner)).scalars().all()
    assert len(stored) == 4
    assert {o for _, o in stored} == {"NLD-POL"}
    assert watchlist["stolen"].id not in {r for r, _ in stored}
    assert "TUR-EGM" in notified
    assert "HUB" in notified
    entries, _ = audit_log.query_log(node, OPERATOR, audit_log.AuditQuery(), (0, 100))
    screens = [e for e in entries if e["action"] == "screen"]
    assert [e["purpose"] for e in screens] == ["counter_terrorism", "border_control"]
    assert set(screens[0]["record_ids"]) == {watchlist["listed"].id, watchlist["hit_only"].id}


def test_screening_needs_a_purpose_and_the_role(
    node: Node, people: People, watchlist: dict[str, Record]
) -> None:
    dutch = people["NLD-POL", Role.ANALYST]
    screen_upload(node, dutch, BORDER, Upload(manifest(TRAVELLERS), "m.json"))
    with pytest.raises(PurposeRequired):
        screen_flight(node, dutch, None, FLIGHT)
    with pytest.raises(PermissionDenied):
        screen_flight(node, people["NLD-POL", Role.OFFICER], BORDER, FLIGHT)


def test_screening_respects_retention_and_purpose_restrictions(
    node: Node, people: People, clock: Clock
) -> None:
    """An expired record is never hit; a purpose-restricted one is only a reference."""
    bka = people["DEU-BKA", Role.ANALYST]
    expired = records.create(
        node,
        bka,
        Purpose.DATA_MANAGEMENT,
        RecordDraft.model_validate(
            {
                "kind": "person",
                "body": {
                    "names": [{"full": "Piet Jansen"}],
                    "birth_dates": [{"date": "1990-01-01"}],
                },
                "governance": {"retention_until": "2026-06-10"},
            }
        ),
    )
    restricted = records.create(
        node,
        bka,
        Purpose.DATA_MANAGEMENT,
        RecordDraft.model_validate(
            {
                "kind": "person",
                "body": {"names": [{"full": "Erika Mustermann"}]},
                "governance": {"purposes": ["counter_terrorism"]},
            }
        ),
    )
    dutch = people["NLD-POL", Role.ANALYST]
    clock.advance(30)  # past the first record's retention date
    [report] = screen_upload(node, dutch, BORDER, Upload(manifest(TRAVELLERS), "m.json"))
    by_record = {h.record_id: h for h in report.hits}
    assert expired.id not in by_record
    assert by_record[restricted.id].access == "reference"
    assert by_record[restricted.id].reasons == ()
    counter_terrorism = screen_flight(node, dutch, Purpose.COUNTER_TERRORISM, FLIGHT)
    full = {h.record_id: h for h in counter_terrorism.hits}[restricted.id]
    assert full.access == "full"
    assert full.reasons


def test_a_refused_screening_is_audited(node: Node, people: People) -> None:
    officer = people["NLD-POL", Role.OFFICER]
    with pytest.raises(PermissionDenied):
        screen_flight(node, officer, BORDER, FLIGHT)
    entries, _ = audit_log.query_log(node, OPERATOR, audit_log.AuditQuery(), (0, 10))
    assert entries[0]["action"] == "denied"
    assert entries[0]["username"] == officer.username


def test_only_published_notices_hit(node: Node, people: People) -> None:
    """Even its owner's own draft notice (still under review) does not make a hit."""
    hub = people["HUB", Role.ANALYST]
    for status in ("published", "draft"):
        under_review = {"dissemination": "listed", "share_agencies": ["HUB"]}
        draft = RecordDraft.model_validate(
            {
                "id": f"notice-{status}",
                "kind": "notice",
                "body": {
                    "notice_kind": "red",
                    "subject_name": "Piet Jansen",
                    "requested_action": "arrest",
                    "status": status,
                },
                "governance": under_review if status == "draft" else {},
            }
        )
        # a published notice arrives by import; the review workflow is tests/cooperation's
        import_records(node, hub, [OwnedDraft(line=1, owner=None, draft=draft)])
    [report] = screen_upload(node, hub, BORDER, Upload(manifest(TRAVELLERS), "m.json"))
    hit_ids = {h.record_id for h in report.hits}
    assert "notice-published" in hit_ids
    assert "notice-draft" not in hit_ids


def test_a_traveller_with_a_common_name_needs_the_listed_date(node: Node, people: People) -> None:
    """A date one day off a listed person's makes a hit when nobody else has the name, and
    none when the watchlist holds the name thirty times: flights count namesakes as a search
    does."""
    hub = people["HUB", Role.ANALYST]

    def person(record_id: str, born: str) -> OwnedDraft:
        body = {"names": [{"full": "Tsehay Tesfaye"}], "birth_dates": [{"date": born}]}
        draft = RecordDraft.model_validate({"id": record_id, "kind": "person", "body": body})
        return OwnedDraft(line=1, owner=None, draft=draft)

    import_records(node, hub, [person("listed", "1999-05-08")])
    traveller = {"surname": "TESFAYE", "given_names": "TSEHAY", "birth_date": "1999-05-09"}
    upload = Upload(manifest([traveller]), "m.json")
    [alone] = screen_upload(node, hub, BORDER, upload)
    assert [h.record_id for h in alone.hits] == ["listed"]
    import_records(node, hub, [person(f"other-{y}", f"{y}-01-01") for y in range(1950, 1980)])
    [crowded] = screen_upload(node, hub, BORDER, Upload(manifest([traveller], "M-2"), "m.json"))
    assert crowded.hits == []
