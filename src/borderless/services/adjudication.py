"""People decide: the queue of screening hits and the analyst's decision on each.

A hit is a lead, never a decision. An analyst of the agency that screened marks it confirmed,
false positive or needing follow-up, always with a reason; every decision is kept
(append-only, `screening_decisions`) and audited (``adjudicate``, naming the screened record
and its owner). A false positive suppresses later hits of the same traveller identity (name,
birth date, documents) on the same record at the same record version; when the record
changes, its version moves on and the hit comes back for a person to look at again. A later
decision other than false positive lifts the suppression.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.errors import InputError, NotFound
from borderless.governance import audit
from borderless.governance.roles import Permission
from borderless.services.admission import admit
from borderless.services.node import Node
from borderless.store import travel as travel_store


class Decision(StrEnum):
    CONFIRMED = "confirmed"
    FALSE_POSITIVE = "false_positive"
    FOLLOW_UP = "needs_follow_up"


QUEUE_STATUSES = ("open", *Decision)
MIN_REASON = 5


@dataclass(frozen=True)
class QueuedHit:
    id: int
    flight: str | None
    traveller: str
    traveller_id: int | None  # None once the traveller's data is deleted
    record_id: str
    record_kind: str
    record_owner: str
    access: str
    score: float
    reasons: list[str]
    label: str | None
    status: str
    decided_by: str | None
    decided_at: datetime | None
    decision_reason: str | None


def _queued(row: dict[str, Any]) -> QueuedHit:
    return QueuedHit(
        id=int(row["id"]),
        flight=row["flight"],
        traveller=row["traveller"],
        traveller_id=row["traveller_id"],
        record_id=row["record_id"],
        record_kind=row["record_kind"],
        record_owner=row["record_owner"],
        access=row["access"],
        score=row["score"],
        reasons=list(row["reasons"]),
        label=row["label"],
        status=row["status"],
        decided_by=row["decided_by"],
        decided_at=row["decided_at"],
        decision_reason=row["decision_reason"],
    )


def _admit(node: Node, principal: Principal, purpose: Purpose | None) -> Purpose:
    return admit(node, principal, purpose, Permission.SCREEN_TRAVELLERS, AuditAction.ADJUDICATE)


def hit_queue(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    status: str | None = "open",
    window: tuple[int, int] = (0, 100),
) -> tuple[list[QueuedHit], int]:
    """The agency's screening hits, best first (``status`` None: all of them)."""
    checked = _admit(node, principal, purpose)
    if status is not None and status not in QUEUE_STATUSES:
        raise InputError(f"status {status!r}: expected one of {', '.join(QUEUE_STATUSES)}")
    with node.engine.begin() as conn:
        rows, total = travel_store.hit_page(conn, principal.agency, status, None, window)
        audit.append(
            conn,
            node.audit_key,
            audit.AuditEvent(
                principal,
                AuditAction.LIST,
                checked,
                {"screening_hits": status, "offset": window[0], "limit": window[1]},
                record_ids=[r["record_id"] for r in rows],
                owners=[r["record_owner"] for r in rows],
                outcome=f"{len(rows)} returned",
            ),
        )
    return [_queued(r) for r in rows], total


def decide(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    hit_id: int,
    decision: Decision,
    reason: str,
) -> QueuedHit:
    """Record an analyst's decision on one of the agency's hits, with the reason, audited."""
    checked = _admit(node, principal, purpose)
    if len(reason.strip()) < MIN_REASON:
        raise InputError(f"give the reason for the decision (at least {MIN_REASON} characters)")
    at = node.now()
    with node.engine.begin() as conn:
        row = travel_store.hit(conn, principal.agency, hit_id)
        if row is None:
            raise NotFound(f"agency {principal.agency} has no screening hit {hit_id}")
        seq = audit.append(
            conn,
            node.audit_key,
            audit.AuditEvent(
                principal,
                AuditAction.ADJUDICATE,
                checked,
                {"hit": hit_id, "decision": decision.value, "flight": row["flight"]},
                record_ids=[row["record_id"]],
                owners=[row["record_owner"]],
                outcome=decision.value,
            ),
        )
        travel_store.record_decision(
            conn,
            travel_store.Decision(
                hit_id,
                decision.value,
                reason.strip(),
                principal.username,
                principal.agency,
                at,
                seq,
            ),
        )
        suppress = at if decision == Decision.FALSE_POSITIVE else None
        travel_store.set_suppression(conn, row, suppress)
        updated = travel_store.hit(conn, principal.agency, hit_id)
    assert updated is not None
    return _queued(updated)
