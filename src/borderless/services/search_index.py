"""Recovery: recompute every record's search keys, audited as an administrative act."""

from __future__ import annotations

from collections.abc import Callable

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction
from borderless.governance import audit
from borderless.governance.roles import Permission, require
from borderless.services.node import Node
from borderless.store import records as store


def rebuild_search_index(
    node: Node, principal: Principal, progress: Callable[[int], None] | None = None
) -> int:
    require(principal, Permission.RUN_RETENTION)  # node-wide maintenance: hub admins, operator
    with node.engine.begin() as conn:
        count = store.rebuild_search_keys(conn, progress)
        audit.append(
            conn,
            node.audit_key,
            audit.AuditEvent(
                principal, AuditAction.ADMIN, None, {"op": "rebuild_search_index", "records": count}
            ),
        )
    return count
