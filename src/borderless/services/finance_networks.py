"""`networks`: group what the caller's agency may see into networks, list and draw them."""

from __future__ import annotations

import time as clock
from dataclasses import dataclass

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.errors import NotFound
from borderless.finance.frame import FlowFrame
from borderless.finance.networks import Network, find_networks
from borderless.finance.render import layout, to_html, to_png
from borderless.finance.typologies import detect
from borderless.governance.roles import Permission
from borderless.services import finance
from borderless.services.admission import admit
from borderless.services.finance_models import (
    HolderOut,
    NetworkOut,
    NetworkRequest,
    NetworksResponse,
    TraceRequest,
)
from borderless.services.finance_trace import account_view, seed_accounts
from borderless.services.node import Node


@dataclass(frozen=True)
class Pictures:
    png: bytes
    html: str


def network_view(frame: FlowFrame, network: Network, rank: int) -> NetworkOut:
    holders = [
        HolderOut(id=h, kind=k.kind, label=k.label, source_id=k.source_id)
        if (k := frame.holders.get(h))
        else HolderOut(id=h, kind="unknown", label=h)
        for h in network.holders
    ]
    return NetworkOut(
        rank=rank,
        accounts=[account_view(frame, a) for a in network.accounts],
        holders=holders,
        countries=network.countries(frame),
        total_eur=round(network.total_eur(frame), 2),
        transactions=int(network.transactions.size),
        alerts=[f"{a.typology}: {a.explanation}" for a in network.alerts],
        shared=network.shared,
    )


def _networks(
    node: Node, principal: Principal, purpose: Purpose | None, request: NetworkRequest
) -> tuple[FlowFrame, list[Network], Purpose]:
    checked = admit(node, principal, purpose, Permission.ANALYSE_FLOWS, AuditAction.NETWORK)
    frame = finance.snapshot(node, principal, checked)
    found = find_networks(frame, detect(frame))
    if request.account is not None or request.person is not None:
        seeds = set(
            seed_accounts(
                frame,
                TraceRequest(account=request.account, person=request.person),
                principal.agency,
            )
        )
        found = [w for w in found if seeds & set(w.accounts)]
        if not found:
            subject = request.account or request.person
            raise NotFound(f"{subject} is in no network (no strong ties, shared attributes)")
    return frame, found, checked


def run_networks(
    node: Node, principal: Principal, purpose: Purpose | None, request: NetworkRequest
) -> NetworksResponse:
    """The networks (biggest story first), audited as ``network``."""
    started = clock.perf_counter()
    frame, found, checked = _networks(node, principal, purpose, request)
    shown = found[: request.limit]
    response = NetworksResponse(
        networks=[network_view(frame, w, rank) for rank, w in enumerate(shown, start=1)],
        networks_total=len(found),
        took_ms=round((clock.perf_counter() - started) * 1000, 2),
    )
    accounts = sorted({a for w in shown for a in w.accounts})
    edges = sorted({int(e) for w in shown for e in w.transactions.tolist()})
    finance.record_use(
        node,
        principal,
        checked,
        AuditAction.NETWORK,
        request.model_dump(mode="json", exclude_none=True),
        finance.returned_records(frame, accounts, edges),
        f"{len(found)} network(s), {len(shown)} returned",
    )
    return response


def draw_network(
    node: Node, principal: Principal, purpose: Purpose | None, request: NetworkRequest
) -> Pictures:
    """The first network (or the one around the subject) as a PNG and an HTML page."""
    frame, found, checked = _networks(node, principal, purpose, request)
    if not found:
        raise NotFound("no network to draw")
    network = found[0]
    title = (
        f"Network of {len(network.accounts)} accounts in {', '.join(network.countries(frame))}"
        f" — {network.total_eur(frame):,.0f} EUR, {len(network.alerts)} alert(s)"
    )
    drawing = layout(frame, network, title)
    finance.record_use(
        node,
        principal,
        checked,
        AuditAction.NETWORK,
        {**request.model_dump(mode="json", exclude_none=True), "drawn": True},
        finance.returned_records(frame, network.accounts, network.transactions.tolist()),
        "1 network drawn",
    )
    alerts = [f"{a.typology}: {a.explanation}" for a in network.alerts]
    return Pictures(to_png(drawing), to_html(drawing, alerts))
