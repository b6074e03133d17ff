"""`detect`: scan every flow the caller's agency may see for typologies, ranked and explained.

The travel typology (`drained_before_travel`) also needs passenger data, used only under the
rule of `services.finance_travel`; when the caller may not use it, the typology is skipped and
`skipped` says why (never a silent empty result).
"""

from __future__ import annotations

import time as clock
from collections import Counter
from collections.abc import Sequence
from typing import Any

import numpy as np

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.finance.frame import FlowFrame
from borderless.finance.trace import Direction
from borderless.finance.typologies import (
    TRAVEL_TYPOLOGIES,
    Alert,
    DetectParams,
    Typology,
    detect,
)
from borderless.governance.roles import Permission
from borderless.services import finance
from borderless.services.admission import admit
from borderless.services.finance_models import AlertOut, DetectResponse
from borderless.services.finance_trace import account_view, transaction_view
from borderless.services.finance_travel import HolderTravel, holder_departures
from borderless.services.node import Node


def alert_view(frame: FlowFrame, alert: Alert, rank: int) -> AlertOut:
    edges = np.asarray(alert.transactions, np.int64)
    countries = np.concatenate([frame.from_country[edges], frame.to_country[edges]])
    return AlertOut(
        rank=rank,
        typology=alert.typology,
        score=alert.score,
        explanation=alert.explanation,
        accounts=[account_view(frame, a) for a in alert.accounts],
        transactions=[
            transaction_view(frame, e, float(frame.value[e]), 0, Direction.FORWARD)
            for e in sorted(alert.transactions, key=lambda e: int(frame.time[e]))
        ],
        countries=sorted({frame.countries[c] for c in countries.tolist() if c >= 0}),
        total_eur=round(float(frame.value[edges].sum()), 2),
        facts=dict(alert.facts),
    )


def run_detect(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    typologies: Sequence[Typology] = (),
    limit: int = 100,
    params: DetectParams | None = None,
) -> DetectResponse:
    """Detect, rank and audit (action ``detect``); the `limit` best alerts are returned."""
    started = clock.perf_counter()
    checked = admit(node, principal, purpose, Permission.ANALYSE_FLOWS, AuditAction.DETECT)
    frame = finance.snapshot(node, principal, checked)
    chosen = list(dict.fromkeys(typologies)) or list(Typology)
    travel = HolderTravel(None)
    if TRAVEL_TYPOLOGIES & set(chosen):
        travel = holder_departures(node, principal, checked, frame, params or DetectParams())
    alerts = detect(frame, chosen, params, travel.departures)
    skipped = {t.value: travel.skipped for t in chosen if t in TRAVEL_TYPOLOGIES and travel.skipped}
    shown = [alert_view(frame, a, rank) for rank, a in enumerate(alerts[:limit], start=1)]
    response = DetectResponse(
        alerts=shown,
        alerts_total=len(alerts),
        by_typology=dict(Counter(a.typology for a in alerts)),
        transactions_scanned=frame.n_transactions,
        took_ms=round((clock.perf_counter() - started) * 1000, 2),
        skipped=skipped,
    )
    accounts = sorted({a for alert in alerts[:limit] for a in alert.accounts})
    edges = sorted({e for alert in alerts[:limit] for e in alert.transactions})
    query: dict[str, Any] = {"typologies": [t.value for t in chosen], "limit": limit}
    if travel.departures is not None:  # passenger data was used: say which flights surfaced
        query["passenger_data"] = {
            "travellers_read": travel.travellers,
            "flights_returned": sorted({a.facts["flight"] for a in shown if "flight" in a.facts}),
        }
    finance.record_use(
        node,
        principal,
        checked,
        AuditAction.DETECT,
        query | ({"skipped": skipped} if skipped else {}),
        finance.returned_records(frame, accounts, edges),
        f"{len(alerts)} alert(s), {len(shown)} returned",
    )
    return response
