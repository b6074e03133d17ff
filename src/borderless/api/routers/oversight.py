"""The audit log and retention, for auditors and administrators."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query

from borderless.api.deps import NodeDep, PrincipalDep, WindowDep
from borderless.api.schemas import PageOut
from borderless.domain.codes import AuditAction, Purpose
from borderless.services import audit_log, retention

router = APIRouter(tags=["oversight"])


@router.get("/audit", response_model=PageOut[dict[str, Any]])
def query_audit(
    node: NodeDep,
    principal: PrincipalDep,
    window: WindowDep,
    username: str | None = None,
    agency: str | None = None,
    record_id: str | None = None,
    purpose: Purpose | None = None,
    action: AuditAction | None = None,
    since: Annotated[datetime | None, Query(description="ISO 8601, inclusive")] = None,
    until: Annotated[datetime | None, Query(description="ISO 8601, exclusive")] = None,
) -> PageOut[dict[str, Any]]:
    """Audit entries, newest first, by user, agency, record, purpose, action and time."""
    q = audit_log.AuditQuery(username, agency, record_id, purpose, action, since, until)
    entries, total = audit_log.query_log(node, principal, q, window)
    return PageOut[dict[str, Any]].of(entries, total, window)


@router.get("/audit/verify")
def verify_audit(
    node: NodeDep,
    principal: PrincipalDep,
    anchor: Annotated[
        str | None, Query(description="SEQ:HASH from an earlier verification, kept elsewhere")
    ] = None,
) -> dict[str, Any]:
    """Walk the hash chain; any altered, removed, inserted or reordered entry is reported."""
    report = audit_log.verify_log(node, principal, audit_log.parse_anchor(anchor))
    return {
        "ok": report.ok,
        "checked": report.checked,
        "problems": report.problems,
        "head": {"seq": report.head_seq, "hash": report.head_hash},
    }


@router.post("/retention/run")
def run_retention(node: NodeDep, principal: PrincipalDep) -> dict[str, Any]:
    """Purge every record past its retention date now (the server also does this periodically)."""
    result = retention.run_retention(node, principal)
    return {"purged": result.purged, "owners": result.owners}
