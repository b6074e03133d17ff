"""Oversight figures on cooperation: how notices fare in review, how fast requests are answered.

Counts only — no content — for supervisors and auditors of any agency: notices submitted,
published and refused (with the reasons' counts), the median time to answer requests (overall
and per addressee agency) and the requests overdue now, per addressee agency.
"""

from __future__ import annotations

from statistics import median
from typing import Any

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.domain.messaging import is_overdue
from borderless.governance.roles import Permission
from borderless.services.admission import admit, record
from borderless.services.node import Node
from borderless.store import messaging as store


def _hours(seconds: list[float]) -> float | None:
    return round(median(seconds) / 3600, 2) if seconds else None


def figures(node: Node, principal: Principal, purpose: Purpose | None) -> dict[str, Any]:
    checked = admit(
        node, principal, purpose, Permission.COOPERATION_FIGURES, AuditAction.AUDIT_QUERY
    )
    now = node.now()
    with node.engine.begin() as conn:
        notices = store.notice_figures(conn)
        times = store.request_times(conn)
        record(conn, node, principal, AuditAction.AUDIT_QUERY, checked, op="cooperation_figures")
    answered: dict[str, list[float]] = {}
    overdue: dict[str, int] = {}
    for row in times:
        agency = row["addressee_agency"]
        if row["answered_at"] is not None:
            spent = (row["answered_at"] - row["created_at"]).total_seconds()
            answered.setdefault(agency, []).append(spent)
        if is_overdue(row["deadline_at"], row["answered_at"], now):
            overdue[agency] = overdue.get(agency, 0) + 1
    everything = [s for spent in answered.values() for s in spent]
    return {
        "at": now.isoformat(),
        "notices": {
            "submitted": notices["submitted"],
            "published": notices["notices_by_step"].get("publish", 0),
            "refused": notices["notices_by_step"].get("refuse", 0),
            "diffusions": notices["notices_by_step"].get("diffusion", 0),
            "by_status": notices["by_status"],
            "refusal_reasons": notices["refusal_reasons"],
        },
        "requests": {
            "total": len(times),
            "answered": len(everything),
            "median_hours_to_answer": _hours(everything),
            "median_hours_to_answer_by_agency": {
                agency: _hours(spent) for agency, spent in sorted(answered.items())
            },
            "overdue_by_agency": dict(sorted(overdue.items())),
        },
    }
