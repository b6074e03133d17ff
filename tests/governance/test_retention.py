"""Retention: expired records are purged with what derives from them; audited without content."""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import func, select

from borderless.domain.codes import AuditAction, Purpose, Role
from borderless.domain.records import RecordDraft
from borderless.errors import NotFound
from borderless.services import records
from borderless.services.audit_log import AuditQuery, query_log
from borderless.services.node import OPERATOR, Node
from borderless.services.retention import run_retention
from borderless.store.records import RecordFilter
from borderless.store.schema import record_links, record_shares
from tests.conftest import Clock, People
from tests.helpers import create_person


def test_default_retention_per_kind(node: Node, people: People, clock: Clock) -> None:
    record = create_person(node, people["NLD-POL", Role.ANALYST])
    days = node.settings.retention_days[record.kind]
    assert record.governance.retention_until == date.fromordinal(clock().date().toordinal() + days)


def test_expired_records_are_purged_and_unfindable(
    node: Node, people: People, clock: Clock
) -> None:
    owner = people["NLD-POL", Role.ANALYST]
    reader = people["DEU-BKA", Role.OFFICER]
    short = create_person(
        node,
        owner,
        "Short Lived",
        retention_until="2026-07-01",
        dissemination="listed",
        share_countries=["DEU"],
    )
    document = records.create(
        node,
        owner,
        Purpose.DATA_MANAGEMENT,
        RecordDraft.model_validate(
            {
                "kind": "document",
                "governance": {"retention_until": "2026-07-01"},
                "body": {"number": "X1234567", "issuing_country": "NLD", "person_id": short.id},
            }
        ),
    )
    kept = create_person(node, owner, "Long Lived")
    assert node.gate.get(reader, Purpose.IDENTIFY, short.id).access == "full"

    clock.advance(45)  # past 2026-07-01: invisible to others at once, before any purge
    with pytest.raises(NotFound):
        node.gate.get(reader, Purpose.IDENTIFY, short.id)

    result = run_retention(node, OPERATOR)
    assert result.purged == 2
    assert result.owners == ["NLD-POL"]
    for rid in (short.id, document.id):
        with pytest.raises(NotFound):
            node.gate.get(owner, Purpose.IDENTIFY, rid)
    assert node.gate.search(owner, Purpose.IDENTIFY, RecordFilter(text="short")).total == 0
    assert node.gate.get(owner, Purpose.IDENTIFY, kept.id).label == "Long Lived"
    with node.engine.connect() as conn:
        for table, column in (
            (record_shares, record_shares.c.record_id),
            (record_links, record_links.c.src_id),
        ):
            left = conn.execute(
                select(func.count()).select_from(table).where(column.in_([short.id, document.id]))
            )
            assert left.scalar_one() == 0

    entries, _ = query_log(node, OPERATOR, AuditQuery(action=AuditAction.PURGE))
    assert len(entries) == 1
    assert set(entries[0]["record_ids"]) == {short.id, document.id}
    assert "Short Lived" not in str(entries[0])
    assert "X1234567" not in str(entries[0])
    assert run_retention(node, OPERATOR).purged == 0
