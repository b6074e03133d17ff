"""Admission to a use case: a stated purpose and the role's permissions, or an audited refusal.

Every service that is not a plain record read (the gate admits those) starts here, so that a
missing purpose reads the same everywhere and a refusal by role is logged as ``denied``.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.errors import PermissionDenied, PurposeRequired
from borderless.governance import audit
from borderless.governance.roles import Permission, allowed
from borderless.services.node import Node


def admit(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    needs: Permission | Sequence[Permission],
    attempted: AuditAction,
) -> Purpose:
    """The stated purpose, once the role holds every permission `needs` names."""
    if purpose is None:
        raise PurposeRequired(
            "state a purpose from the fixed list: " + ", ".join(p.value for p in Purpose)
        )
    required = [needs] if isinstance(needs, Permission) else list(needs)
    missing = [p for p in required if not allowed(principal, p)]
    if missing:
        why = f"role '{principal.role.value}' may not {missing[0].value}"
        with node.engine.begin() as conn:
            event = audit.AuditEvent(
                principal, AuditAction.DENIED, purpose, {"attempted": attempted.value}, outcome=why
            )
            audit.append(conn, node.audit_key, event)
        raise PermissionDenied(f"{principal.username}: {why}")
    return purpose


def record(
    conn: Connection,
    node: Node,
    principal: Principal,
    action: AuditAction,
    purpose: Purpose | None,
    *,
    record_ids: Sequence[str] = (),
    owners: Sequence[str] = (),
    outcome: str = "ok",
    **query: Any,
) -> int:
    """Append one audit entry in the caller's transaction (ids and codes, never content): what
    a use case did or read commits with it, or neither does."""
    return audit.append(
        conn,
        node.audit_key,
        audit.AuditEvent(
            principal,
            action,
            purpose,
            query,
            record_ids=list(record_ids),
            owners=list(owners),
            outcome=outcome,
        ),
    )
