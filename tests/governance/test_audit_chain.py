"""Audit: every read and change is logged; altering the log directly is detected."""

from __future__ import annotations

import pytest
from sqlalchemy import delete, func, insert, select, update

from borderless.domain.codes import AuditAction, Purpose, Role
from borderless.governance import audit
from borderless.services.audit_log import AuditQuery, query_log, verify_log
from borderless.services.node import OPERATOR, Node
from borderless.store.records import RecordFilter
from borderless.store.schema import audit_head, audit_log
from tests.conftest import People
from tests.helpers import create_person


@pytest.fixture
def busy_node(node: Node, people: People) -> Node:
    """A node with a few dozen audit entries: admin, creates, reads."""
    analyst = people["NLD-POL", Role.ANALYST]
    reader = people["DEU-BKA", Role.OFFICER]
    for i in range(3):
        record = create_person(node, analyst, f"Person {i}")
        node.gate.get(reader, Purpose.IDENTIFY, record.id)
    node.gate.list(reader, Purpose.IDENTIFY, RecordFilter())
    return node


def _problems(node: Node) -> list[str]:
    return verify_log(node, OPERATOR).problems


def test_intact_chain_verifies(busy_node: Node) -> None:
    report = verify_log(busy_node, OPERATOR)
    assert report.ok, report.problems
    assert report.checked > 20


def test_every_read_is_audited_with_purpose_and_records(busy_node: Node, people: People) -> None:
    entries, _ = query_log(busy_node, OPERATOR, AuditQuery(username="officer.deu-bka"))
    views = [e for e in entries if e["action"] == AuditAction.VIEW.value]
    assert len(views) == 3
    assert all(e["purpose"] == Purpose.IDENTIFY.value for e in views)
    assert all(len(e["record_ids"]) == 1 and e["owners"] == ["NLD-POL"] for e in views)


def test_altered_entry_is_detected(busy_node: Node) -> None:
    with busy_node.engine.begin() as conn:
        conn.execute(update(audit_log).where(audit_log.c.seq == 5).values(username="someone"))
    assert any("entry 5" in p and "altered" in p for p in _problems(busy_node))


def test_altered_record_list_is_detected(busy_node: Node) -> None:
    with busy_node.engine.begin() as conn:
        target = conn.execute(
            select(func.max(audit_log.c.seq)).where(audit_log.c.action == "view")
        ).scalar_one()
        conn.execute(update(audit_log).where(audit_log.c.seq == target).values(record_ids=[]))
    assert any(f"entry {target}" in p for p in _problems(busy_node))


def test_removed_entry_is_detected(busy_node: Node) -> None:
    from borderless.store.schema import audit_agencies, audit_records

    with busy_node.engine.begin() as conn:
        for table in (audit_records, audit_agencies):
            conn.execute(delete(table).where(table.c.seq == 7))
        conn.execute(delete(audit_log).where(audit_log.c.seq == 7))
    problems = _problems(busy_node)
    assert any("entry 8" in p and "expected sequence number 7" in p for p in problems)


def test_removed_last_entry_is_detected_by_head(busy_node: Node) -> None:
    from borderless.store.schema import audit_agencies, audit_records

    with busy_node.engine.begin() as conn:
        last = conn.execute(select(func.max(audit_log.c.seq))).scalar_one()
        for table in (audit_records, audit_agencies):
            conn.execute(delete(table).where(table.c.seq == last))
        conn.execute(delete(audit_log).where(audit_log.c.seq == last))
    assert any("head says" in p for p in _problems(busy_node))


def test_truncation_with_rewritten_head_is_caught_by_anchor(busy_node: Node) -> None:
    from borderless.store.schema import audit_agencies, audit_records

    with busy_node.engine.connect() as conn:
        anchor = audit.verify(conn, busy_node.audit_key)  # what the operator kept elsewhere
    with busy_node.engine.begin() as conn:
        last = anchor.head_seq
        prev = conn.execute(
            select(audit_log.c.hash).where(audit_log.c.seq == last - 1)
        ).scalar_one()
        for table in (audit_records, audit_agencies):
            conn.execute(delete(table).where(table.c.seq == last))
        conn.execute(delete(audit_log).where(audit_log.c.seq == last))
        conn.execute(update(audit_head).values(seq=last - 1, hash=prev))
    assert _problems(busy_node) == []  # consistent on its own ...
    report = verify_log(busy_node, OPERATOR, (anchor.head_seq, anchor.head_hash))
    assert any("anchor" in p for p in report.problems)  # ... but not with the kept anchor


def test_inserted_entry_is_detected(busy_node: Node) -> None:
    """A forged entry appended with a plausible hash cannot carry a valid HMAC."""
    with busy_node.engine.begin() as conn:
        head = conn.execute(select(audit_head)).one()
        last = conn.execute(select(audit_log).where(audit_log.c.seq == head.seq)).one()
        forged = {k: v for k, v in last._mapping.items()}
        forged.update(seq=head.seq + 1, prev_hash=head.hash, hash="f" * 64, username="ghost")
        conn.execute(insert(audit_log).values(**forged))
        conn.execute(update(audit_head).values(seq=head.seq + 1, hash="f" * 64))
    problems = _problems(busy_node)
    assert any(f"entry {head.seq + 1}" in p and "altered" in p for p in problems)


def test_reordered_entries_are_detected(busy_node: Node) -> None:
    with busy_node.engine.begin() as conn:
        # swap the contents of entries 3 and 4 (keeping their sequence numbers)
        rows = {
            r.seq: dict(r._mapping)
            for r in conn.execute(select(audit_log).where(audit_log.c.seq.in_([3, 4])))
        }
        for seq, other in ((3, 4), (4, 3)):
            values = {k: v for k, v in rows[other].items() if k != "seq"}
            conn.execute(update(audit_log).where(audit_log.c.seq == seq).values(**values))
    problems = _problems(busy_node)
    assert any("entry 3" in p for p in problems)
    assert any("entry 4" in p for p in problems)


def test_key_matters(busy_node: Node) -> None:
    """Without the key kept outside the database nobody can recompute the chain."""
    with busy_node.engine.connect() as conn:
        report = audit.verify(conn, b"another key")
    assert not report.ok
