"""Frontline search: every record kind, explained hits, governance of hits, live index."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from borderless.domain.codes import AuditAction, Purpose, Role
from borderless.domain.records import Record, RecordDraft
from borderless.errors import PurposeRequired
from borderless.formats.records_jsonl import OwnedDraft
from borderless.services import notifications, records
from borderless.services.audit_log import AuditQuery, query_log
from borderless.services.imports import import_records
from borderless.services.node import OPERATOR, Node
from borderless.services.retention import run_retention
from borderless.services.search import search
from borderless.services.search_query import SearchRequest
from tests.conftest import Clock, People

MRZ_TD3 = [
    "P<UTOERIKSSON<<ANNA<MARIA<<<<<<<<<<<<<<<<<<<",
    "L898902C36UTO7408122F1204159ZE184226B<<<<<10",
]


def _create(node: Node, who: Any, kind: str, body: dict[str, Any], **gov: Any) -> Record:
    draft = RecordDraft.model_validate({"kind": kind, "body": body, "governance": gov})
    return records.create(node, who, Purpose.DATA_MANAGEMENT, draft)


def _search(node: Node, who: Any, **query: Any) -> list[Any]:
    result = search(node, who, Purpose.IDENTIFY, SearchRequest.model_validate(query))
    return result.hits


@pytest.fixture
def world(node: Node, people: People) -> dict[str, Any]:
    nl = people["NLD-POL", Role.ANALYST]
    de = people["DEU-BKA", Role.ANALYST]
    made: dict[str, Record] = {}
    made["person"] = _create(
        node,
        nl,
        "person",
        {
            "names": [
                {"full": "Mohammed Abdullah Al-Rashid"},
                {"full": "محمد عبد الله الراشد", "kind": "aka"},
            ],
            "birth_dates": [{"date": "1979-03-04"}],
            "nationalities": ["JOR"],
            "gender": "male",
        },
    )
    # a published notice arrives by import (the review workflow is tested in tests/cooperation)
    notice = RecordDraft.model_validate(
        {
            "id": "red-1",
            "kind": "notice",
            "body": {
                "notice_kind": "red",
                "status": "published",
                "subject_id": made["person"].id,
                "requested_action": "arrest for extradition to NLD",
            },
        }
    )
    import_records(node, nl, [OwnedDraft(line=1, owner=None, draft=notice)])
    made["notice"] = node.gate.get(nl, Purpose.DATA_MANAGEMENT, "red-1")
    made["hidden"] = _create(
        node,
        de,
        "person",
        {"names": [{"full": "Viktor Petrovich Sokolov"}]},
        dissemination="hit_only",
    )
    made["listed"] = _create(
        node,
        de,
        "person",
        {"names": [{"full": "Yusuf Kaya"}]},
        dissemination="listed",
        share_countries=["DEU"],
    )
    made["document"] = _create(
        node, de, "document", {"number": "C01X00T47", "issuing_country": "DEU", "status": "stolen"}
    )
    made["passport"] = _create(
        node, de, "document", {"number": "L898902C3", "issuing_country": "UTO", "status": "lost"}
    )
    made["vehicle"] = _create(
        node,
        nl,
        "vehicle",
        {
            "vin": "1M8GDM9AXKP042788",
            "plate": "GH-123-K",
            "plate_country": "NLD",
            "status": "stolen",
        },
    )
    made["firearm"] = _create(
        node, de, "firearm", {"serial_number": "AB12345", "make": "Glock", "status": "trafficked"}
    )
    made["account"] = _create(
        node, nl, "account", {"iban": "DE89370400440532013000", "country": "DEU"}
    )
    return made


def test_person_found_by_variant_spelling_with_reasons_and_notice(
    node: Node, people: People, world: dict[str, Record]
) -> None:
    officer = people["TUR-EGM", Role.OFFICER]
    hits = _search(
        node, officer, person={"name": "Muhammad Abdallah Rashid", "birth_date": "1979-03-04"}
    )
    top = hits[0]
    assert top.hit.view.id == world["person"].id
    assert top.hit.score >= 0.8
    text = " ".join(top.hit.reasons).lower()
    assert "muhammad" in text
    assert "1979" in text
    assert any("red notice" in a and "extradition" in a for a in top.actions)
    assert top.notices[0]["id"] == world["notice"].id


def test_person_found_from_original_script(
    node: Node, people: People, world: dict[str, Record]
) -> None:
    hits = _search(node, people["TUR-EGM", Role.OFFICER], person={"name": "محمد عبد الله الراشد"})
    assert hits[0].hit.view.id == world["person"].id


def test_different_person_is_not_a_hit(
    node: Node, people: People, world: dict[str, Record]
) -> None:
    hits = _search(node, people["TUR-EGM", Role.OFFICER], person={"name": "Mohammed Hassan Karimi"})
    assert world["person"].id not in {h.hit.view.id for h in hits}


def test_hit_only_record_answers_with_reference_and_notifies_owner(
    node: Node, people: People, world: dict[str, Record]
) -> None:
    officer = people["TUR-EGM", Role.OFFICER]
    hits = _search(node, officer, person={"name": "Viktor Sokolov"})
    hit = next(h for h in hits if h.hit.view.id == world["hidden"].id)
    assert hit.hit.view.access == "reference"
    assert hit.hit.reasons == ()
    assert hit.hit.view.body is None
    assert "Bundeskriminalamt" in (hit.hit.view.contact or "")
    assert any("request the record" in a for a in hit.actions)
    inbox, total = notifications.inbox(node, people["DEU-BKA", Role.ANALYST])
    assert total >= 1
    assert inbox[0]["record_id"] == world["hidden"].id
    assert inbox[0]["searcher_agency"] == "TUR-EGM"
    assert inbox[0]["purpose"] == Purpose.IDENTIFY.value
    own, _ = notifications.inbox(node, people["TUR-EGM", Role.ANALYST])
    assert own == []


def test_listed_record_is_not_a_hit_for_others(
    node: Node, people: People, world: dict[str, Record]
) -> None:
    assert world["listed"].id not in {
        h.hit.view.id
        for h in _search(node, people["TUR-EGM", Role.OFFICER], person={"name": "Yusuf Kaya"})
    }
    assert world["listed"].id in {
        h.hit.view.id
        for h in _search(node, people["DEU-BKA", Role.OFFICER], person={"name": "Youssef Kaya"})
    }


def test_document_number_with_ocr_confusions(
    node: Node, people: People, world: dict[str, Record]
) -> None:
    hits = _search(
        node, people["NLD-POL", Role.OFFICER], document={"number": "c0 1x-oot 47", "country": "DEU"}
    )
    top = hits[0]
    assert top.hit.view.id == world["document"].id
    assert any("seize the document (stolen)" in a for a in top.actions)


def test_mrz_is_checked_and_searched(node: Node, people: People, world: dict[str, Record]) -> None:
    result = search(
        node,
        people["NLD-POL", Role.OFFICER],
        Purpose.BORDER_CONTROL,
        SearchRequest.model_validate({"document": {"mrz": MRZ_TD3}}),
    )
    assert result.mrz is not None
    assert result.mrz.valid
    assert result.hits[0].hit.view.id == world["passport"].id


def test_vehicle_firearm_account(node: Node, people: People, world: dict[str, Record]) -> None:
    officer = people["TUR-EGM", Role.OFFICER]
    by_vin = _search(node, officer, vehicle={"vin": "1m8gdm9axkp042788"})
    assert by_vin[0].hit.view.id == world["vehicle"].id
    assert any("seize the vehicle" in a for a in by_vin[0].actions)
    by_plate = _search(node, officer, vehicle={"plate": "gh 123 k", "country": "NL"})
    assert by_plate[0].hit.view.id == world["vehicle"].id
    gun = _search(node, officer, firearm={"serial": "AB-12345", "make": "glock"})
    assert gun[0].hit.view.id == world["firearm"].id
    account = _search(node, officer, account={"iban": "DE89 3704 0044 0532 0130 00"})
    assert account[0].hit.view.id == world["account"].id


def test_search_is_audited_with_purpose(
    node: Node, people: People, world: dict[str, Record]
) -> None:
    officer = people["TUR-EGM", Role.OFFICER]
    _search(node, officer, person={"name": "Mohammed Al-Rashid"})
    entries, _ = query_log(
        node, OPERATOR, AuditQuery(username=officer.username, action=AuditAction.SEARCH)
    )
    assert entries
    assert entries[-1]["purpose"] == Purpose.IDENTIFY.value
    assert entries[-1]["query"]["person"]["name"] == "Mohammed Al-Rashid"
    with pytest.raises(PurposeRequired):
        search(node, officer, None, SearchRequest.model_validate({"person": {"name": "x y"}}))


def test_index_follows_changes_and_purges(
    node: Node, people: People, world: dict[str, Record], clock: Clock
) -> None:
    nl = people["NLD-POL", Role.ANALYST]
    officer = people["TUR-EGM", Role.OFFICER]
    person = world["person"]
    renamed = RecordDraft.model_validate(
        {
            "kind": "person",
            "body": {"names": [{"full": "Hamid Karzai Nouri"}]},
            "governance": {"retention_until": "2026-07-01"},
        }
    )
    records.update(node, nl, Purpose.DATA_MANAGEMENT, person.id, renamed)
    assert person.id not in {
        h.hit.view.id
        for h in _search(node, officer, person={"name": "Mohammed Abdullah Al-Rashid"})
    }
    assert person.id in {
        h.hit.view.id for h in _search(node, officer, person={"name": "Hamid Nouri Karzai"})
    }
    clock.advance(60)
    run_retention(node, OPERATOR)
    assert person.id not in {
        h.hit.view.id for h in _search(node, officer, person={"name": "Hamid Nouri Karzai"})
    }


def test_biometric_candidates_follow_commits(node: Node, people: People) -> None:
    rng = np.random.default_rng(3)
    base = rng.normal(size=128)
    nl = people["NLD-POL", Role.ANALYST]
    officer = people["DEU-BKA", Role.OFFICER]
    made = [
        _create(
            node,
            nl,
            "biometric",
            {
                "modality": "face",
                "algorithm": "demo-face-v1",
                "vector": (base + rng.normal(scale=0.05, size=128)).round(4).tolist(),
            },
        ),
        _create(
            node,
            nl,
            "biometric",
            {
                "modality": "face",
                "algorithm": "demo-face-v1",
                "vector": rng.normal(size=128).round(4).tolist(),
            },
        ),
    ]
    probe = {"vector": base.round(4).tolist(), "modality": "face", "algorithm": "demo-face-v1"}
    hits = _search(node, officer, biometric=probe)
    assert hits[0].hit.view.id == made[0].id
    assert hits[0].hit.score > 0.95
    assert "not an identification" in hits[0].hit.reasons[0]
    later = _create(
        node,
        nl,
        "biometric",
        {"modality": "face", "algorithm": "demo-face-v1", "vector": base.round(4).tolist()},
    )
    assert _search(node, officer, biometric=probe)[0].hit.view.id == later.id  # found at commit
    records.delete(node, nl, Purpose.DATA_MANAGEMENT, later.id)
    assert later.id not in {h.hit.view.id for h in _search(node, officer, biometric=probe)}
