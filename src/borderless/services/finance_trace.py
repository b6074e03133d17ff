"""`trace`: follow a suspect's money through the flows the caller's agency may see."""

from __future__ import annotations

import time as clock
from datetime import UTC, datetime

import numpy as np

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.errors import NotFound
from borderless.finance.frame import FlowFrame, IntArray
from borderless.finance.graph_export import FlowGraph, GraphFormat
from borderless.finance.trace import (
    Direction,
    Traced,
    TraceQuery,
    cash_outs,
    end_points,
    received,
    trace,
)
from borderless.governance.roles import Permission
from borderless.services import finance
from borderless.services.admission import admit
from borderless.services.finance_models import (
    Corridor,
    FlowAccount,
    FlowTransaction,
    TraceRequest,
    TraceResponse,
    TraceSection,
)
from borderless.services.node import Node


def _when(seconds: int) -> datetime:
    return datetime.fromtimestamp(int(seconds), UTC)


def seed_accounts(frame: FlowFrame, request: TraceRequest, agency: str) -> list[int]:
    """The accounts to start from: by record id, source id or IBAN, or all a holder holds."""
    if request.person is not None:
        found = frame.accounts_of_holder.get(request.person, [])
        if not found:
            raise NotFound(f"no account held by {request.person} that agency {agency} may see")
        return found
    wanted = str(request.account)
    index = frame.account_index.get(wanted)
    if index is not None:
        return [index]
    same = frame.account_source == wanted
    if frame.account_iban is not None:
        same |= frame.account_iban == wanted.replace(" ", "").upper()
    matches = np.flatnonzero(same).tolist()
    if not matches:
        raise NotFound(f"no account {wanted} that agency {agency} may see")
    return [int(i) for i in matches]


def account_view(frame: FlowFrame, index: int) -> FlowAccount:
    return FlowAccount(
        id=str(frame.account_ids[index]),
        source_id=frame.account_source[index],
        country=frame.country_name(int(frame.account_country[index])),
        holders=list(frame.account_holders[index]),
    )


def transaction_view(
    frame: FlowFrame, edge: int, attributed: float, hop: int, direction: Direction
) -> FlowTransaction:
    return FlowTransaction(
        id=str(frame.tx_ids[edge]),
        source_id=frame.tx_source[edge],
        from_account=str(frame.account_ids[frame.src[edge]]),
        to_account=str(frame.account_ids[frame.dst[edge]]),
        amount=float(frame.amount[edge]),
        currency=frame.currencies[frame.currency[edge]] if frame.currency[edge] >= 0 else "?",
        amount_eur=round(attributed, 2),
        time=_when(int(frame.time[edge])),
        channel=frame.channels[frame.channel[edge]] if frame.channel[edge] >= 0 else None,
        from_country=frame.country_name(int(frame.from_country[edge])),
        to_country=frame.country_name(int(frame.to_country[edge])),
        hop=hop,
        direction=direction,
    )


def _corridors(frame: FlowFrame, traced: Traced) -> list[Corridor]:
    e = traced.edges
    fc, tc = frame.from_country[e], frame.to_country[e]
    known = (fc >= 0) & (tc >= 0)
    if not known.any():
        return []
    width = len(frame.countries)
    pair = fc[known].astype(np.int64) * width + tc[known]
    pairs, inverse, counts = np.unique(pair, return_inverse=True, return_counts=True)
    sums = np.bincount(inverse, weights=traced.attributed[known])
    found = [
        Corridor(
            from_country=frame.countries[int(p) // width],
            to_country=frame.countries[int(p) % width],
            transactions=int(c),
            amount_eur=round(float(s), 2),
        )
        for p, c, s in zip(pairs.tolist(), counts.tolist(), sums.tolist(), strict=True)
    ]
    return sorted(found, key=lambda c: -c.amount_eur)


def section(frame: FlowFrame, traced: Traced, limit: int) -> tuple[TraceSection, IntArray]:
    """One direction explained; also the transactions listed (for the audit)."""
    money = received(frame, traced)
    ends = end_points(frame, traced)
    ends_set = set(ends.tolist())
    accounts = []
    for account, hop, at in zip(
        traced.reached.tolist(),
        traced.reached_hop.tolist(),
        traced.reached_time.tolist(),
        strict=True,
    ):
        view = account_view(frame, account)
        accounts.append(
            view.model_copy(
                update={
                    "hop": hop,
                    "time": _when(at),
                    "amount_eur": round(float(money[account]), 2),
                    "end_point": account in ends_set,
                }
            )
        )
    accounts.sort(key=lambda a: (a.hop, -a.amount_eur))
    order = np.argsort(-traced.attributed, kind="stable")[:limit]
    order = order[np.lexsort((frame.time[traced.edges[order]], traced.hop[order]))]
    listed = traced.edges[order]
    transactions = [
        transaction_view(
            frame,
            int(traced.edges[i]),
            float(traced.attributed[i]),
            int(traced.hop[i]),
            traced.direction,
        )
        for i in order.tolist()
    ]
    times = frame.time[traced.edges]
    countries = {
        frame.countries[c]
        for c in np.concatenate(
            [frame.from_country[traced.edges], frame.to_country[traced.edges]]
        ).tolist()
        if c >= 0
    }
    first = int(times.min()) if times.size else None
    last = int(times.max()) if times.size else None
    return (
        TraceSection(
            direction=traced.direction,
            accounts=accounts,
            transactions=transactions,
            transactions_total=int(traced.edges.size),
            truncated=traced.edges.size > limit,
            end_points=[str(frame.account_ids[a]) for a in ends.tolist()],
            countries=sorted(countries),
            corridors=_corridors(frame, traced),
            total_eur=round(float(money[ends].sum()), 2),
            cash_outs=[str(frame.tx_ids[e]) for e in cash_outs(frame, traced).tolist()],
            first_time=_when(first) if first is not None else None,
            last_time=_when(last) if last is not None else None,
            elapsed_hours=round((last - first) / 3600, 2)
            if first is not None and last is not None
            else 0.0,
        ),
        listed,
    )


def _seconds(value: datetime | None) -> int | None:
    if value is None:
        return None
    aware = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    return int(aware.timestamp())


def run_trace(
    node: Node,
    principal: Principal,
    purpose: Purpose | None,
    request: TraceRequest,
    export: GraphFormat | None = None,
) -> TraceResponse:
    """Trace, explain and audit (action ``trace``) in one go; exporting needs `export` too."""
    started = clock.perf_counter()
    needs = (Permission.ANALYSE_FLOWS, Permission.EXPORT) if export else (Permission.ANALYSE_FLOWS,)
    checked = admit(node, principal, purpose, needs, AuditAction.TRACE)
    frame = finance.snapshot(node, principal, checked)
    query = request.model_dump(mode="json", exclude_none=True)
    if export is not None:
        query["export"] = export.value
    try:
        seeds = seed_accounts(frame, request, principal.agency)
    except NotFound:
        finance.record_use(
            node, principal, checked, AuditAction.TRACE, query, ([], []), "subject not found"
        )
        raise
    results = trace(
        frame,
        TraceQuery(
            tuple(seeds),
            request.hops,
            request.direction,
            _seconds(request.start),
            _seconds(request.end),
        ),
    )
    sections, listed_tx, listed_acc = [], [], list(seeds)
    for traced in results:
        explained, listed = section(frame, traced, request.limit)
        sections.append(explained)
        listed_tx.extend(listed.tolist())
        listed_acc.extend(traced.reached.tolist())
    response = TraceResponse(
        seeds=[account_view(frame, s) for s in seeds],
        hops=request.hops,
        start=request.start,
        end=request.end,
        sections=sections,
        took_ms=round((clock.perf_counter() - started) * 1000, 2),
    )
    reached = sum(len(s.accounts) for s in sections)
    finance.record_use(
        node,
        principal,
        checked,
        AuditAction.TRACE,
        query,
        finance.returned_records(frame, listed_acc, listed_tx),
        f"{reached} account(s), {len(listed_tx)} transaction(s) returned",
    )
    return response


def trace_graph(response: TraceResponse) -> FlowGraph:
    """The traced subgraph (seeds, accounts reached, transactions listed) for export."""
    graph = FlowGraph()
    for seed in response.seeds:
        graph.add_account(seed.id, source_id=seed.source_id, country=seed.country, hop=0, seed=True)
    for part in response.sections:
        for account in part.accounts:
            graph.add_account(
                account.id,
                source_id=account.source_id,
                country=account.country,
                hop=account.hop,
                end_point=account.end_point,
                amount_eur=account.amount_eur,
                direction=part.direction.value,
            )
        for tx in part.transactions:
            graph.add_payment(
                tx.id,
                tx.from_account,
                tx.to_account,
                source_id=tx.source_id,
                amount=tx.amount,
                currency=tx.currency,
                amount_eur=tx.amount_eur,
                time=tx.time.isoformat(),
                channel=tx.channel,
                from_country=tx.from_country,
                to_country=tx.to_country,
                hop=tx.hop,
                direction=tx.direction.value,
            )
    return graph
