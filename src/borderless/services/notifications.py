"""Hit notifications: the owner of a record learns that another agency hit it, why and when."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import Connection

from borderless.domain.agencies import Principal
from borderless.domain.codes import Purpose
from borderless.errors import PermissionDenied
from borderless.governance.gate import ScoredView
from borderless.governance.roles import Permission, allowed
from borderless.services.node import Node
from borderless.store import search as search_store
from borderless.store.db import reading


def notify_owners(
    conn: Connection,
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    hits: Sequence[ScoredView],
    audit_seq: int,
) -> int:
    """One notification per hit on another agency's record, in the search's own transaction."""
    at = node.now()
    rows = [
        {
            "at": at,
            "owner": h.view.owner,
            "record_id": h.view.id,
            "record_kind": h.view.kind.value,
            "searcher_agency": principal.agency,
            "searcher_country": principal.country,
            "username": principal.username,
            "purpose": purpose.value if purpose else "",
            "score": round(h.score, 4),
            "audit_seq": audit_seq,
        }
        for h in hits
        if h.view.owner != principal.agency
    ]
    search_store.add_notifications(conn, rows)
    return len(rows)


def _require_reader(principal: Principal) -> None:
    if not allowed(principal, Permission.READ_RECORDS):
        raise PermissionDenied(f"role '{principal.role.value}' may not read hit notifications")


def inbox(
    node: Node, principal: Principal, unread_only: bool = False, window: tuple[int, int] = (0, 100)
) -> tuple[list[dict[str, Any]], int]:
    """The caller's agency's notifications, newest first."""
    _require_reader(principal)
    with reading(node.engine) as conn:
        return search_store.notifications_for(conn, principal.agency, unread_only, window)


def mark_read(node: Node, principal: Principal, ids: Sequence[int]) -> int:
    _require_reader(principal)
    with node.engine.begin() as conn:
        return search_store.mark_read(conn, principal.agency, ids, node.now())
