"""Retention: purge records past their retention date, with everything derived from them.

The purge is audited with the ids and owners of what was removed, never its content.
"""

from __future__ import annotations

from dataclasses import dataclass

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.governance import audit
from borderless.governance.roles import Permission, require
from borderless.services.node import Node
from borderless.store import records as store
from borderless.store.db import reading

CHUNK = 5000


@dataclass(frozen=True)
class PurgeResult:
    purged: int
    owners: list[str]


def run_retention(node: Node, principal: Principal) -> PurgeResult:
    """Remove every record whose retention date has passed; each chunk commits with its audit."""
    require(principal, Permission.RUN_RETENTION)
    today = node.today()
    purged = 0
    owners: set[str] = set()
    with reading(node.engine) as conn:
        expired = store.expired_ids(conn, today)
    for start in range(0, len(expired), CHUNK):
        chunk = expired[start : start + CHUNK]
        with node.engine.begin() as conn:
            chunk_owners = store.expired_owners(conn, chunk)
            removed = store.delete_records(conn, chunk)
            audit.append(
                conn,
                node.audit_key,
                audit.AuditEvent(
                    principal,
                    AuditAction.PURGE,
                    Purpose.DATA_MANAGEMENT,
                    {"retention_before": today.isoformat(), "purged": removed},
                    record_ids=chunk,
                    owners=chunk_owners,
                    outcome=f"{removed} purged",
                ),
            )
        purged += removed
        owners.update(chunk_owners)
    return PurgeResult(purged, sorted(owners))
