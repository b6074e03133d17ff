"""Auditors' view of the log: queries by user, agency, record, purpose and time; verification.

Auditors of the hub agency (and the local operator) see the whole log; an agency's auditors
see what its users did and what anyone did with its records. Reading the log is audited too.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Select, func, select

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.errors import InputError, PermissionDenied
from borderless.governance import audit
from borderless.governance.audit import VerifyReport
from borderless.governance.roles import Permission, require
from borderless.services.node import Node
from borderless.store.db import reading
from borderless.store.schema import audit_agencies, audit_log, audit_records


@dataclass(frozen=True)
class AuditQuery:
    username: str | None = None
    agency: str | None = None
    record_id: str | None = None
    purpose: Purpose | None = None
    action: AuditAction | None = None
    since: datetime | None = None
    until: datetime | None = None


def _seqs_of(column: Any, value: str) -> Any:
    table = column.table
    return audit_log.c.seq.in_(select(table.c.seq).where(column == value))


def _where(query: Select[Any], principal: Principal, q: AuditQuery) -> Select[Any]:
    if not (principal.is_hub or principal.operator):
        query = query.where(_seqs_of(audit_agencies.c.agency, principal.agency))
    if q.username:
        query = query.where(audit_log.c.username == q.username)
    if q.agency:
        query = query.where(_seqs_of(audit_agencies.c.agency, q.agency.upper()))
    if q.record_id:
        query = query.where(_seqs_of(audit_records.c.record_id, q.record_id))
    if q.purpose:
        query = query.where(audit_log.c.purpose == q.purpose.value)
    if q.action:
        query = query.where(audit_log.c.action == q.action.value)
    if q.since:
        query = query.where(audit_log.c.at >= q.since)
    if q.until:
        query = query.where(audit_log.c.at < q.until)
    return query


def query_log(
    node: Node, principal: Principal, q: AuditQuery, window: tuple[int, int] = (0, 100)
) -> tuple[list[dict[str, Any]], int]:
    """Entries matching `q`, newest first, and how many match in all."""
    require(principal, Permission.READ_AUDIT)
    offset, limit = window
    with node.engine.begin() as conn:
        total = conn.execute(
            _where(select(func.count()).select_from(audit_log), principal, q)
        ).scalar_one()
        rows = conn.execute(
            _where(select(audit_log), principal, q)
            .order_by(audit_log.c.seq.desc())
            .offset(offset)
            .limit(limit)
        )
        entries = [dict(row._mapping) for row in rows]
        criteria = {k: v for k, v in asdict(q).items() if v is not None}
        _oversight(node, conn, principal, {**criteria, "offset": offset, "limit": limit}, entries)
    return entries, int(total)


def _oversight(
    node: Node, conn: Connection, principal: Principal, asked: dict[str, Any], outcome: object
) -> None:
    """Reading or verifying the log is itself audited, with purpose `oversight`."""
    summary = f"{len(outcome)} entries" if isinstance(outcome, list) else str(outcome)
    audit.append(
        conn,
        node.audit_key,
        audit.AuditEvent(
            principal, AuditAction.AUDIT_QUERY, Purpose.OVERSIGHT, asked, outcome=summary
        ),
    )


def parse_anchor(value: str | None) -> tuple[int, str] | None:
    """``SEQ:HASH`` as printed by `borderless audit head`."""
    if value is None:
        return None
    seq, _, digest = value.partition(":")
    if not seq.isdigit() or len(digest) != 64:
        raise InputError("anchor must be SEQ:HASH as printed by `borderless audit head`")
    return int(seq), digest


def verify_log(
    node: Node, principal: Principal, anchor: tuple[int, str] | None = None
) -> VerifyReport:
    """Verify the whole chain: a node-wide check, for the hub's auditors and the operator."""
    require(principal, Permission.READ_AUDIT)
    if not (principal.is_hub or principal.operator):
        raise PermissionDenied("only auditors of the hub agency verify the whole audit chain")
    with reading(node.engine) as conn:
        report = audit.verify(conn, node.audit_key, anchor)
    with node.engine.begin() as conn:
        outcome = "intact" if report.ok else f"{len(report.problems)} problem(s)"
        asked = {"verify": True, "anchor": anchor[0] if anchor else None}
        _oversight(node, conn, principal, asked, outcome)
    return report
