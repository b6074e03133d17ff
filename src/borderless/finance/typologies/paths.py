"""Typologies of money moving on: rapid pass-through, scatter-gather, cycles, layering chains.

All four rest on one relation, a **step**: money arrives at an account (payment *a*) and
most of it leaves again soon after (payment *b*: later, within a gap, keeping a share of *a*'s
value). Steps are found for every payment at once: for each payment *a*, the account's
outgoing payments in the gap are a contiguous range of the time-ordered adjacency, located
with one `searchsorted` and expanded with `repeat`. Chains are steps joined end to start,
again with sorting and `searchsorted`, one hop length at a time.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from borderless.finance.frame import FlowFrame, IntArray
from borderless.finance.typologies.base import DAY, HOUR, Alert, money_score


@dataclass(frozen=True)
class StepParams:
    max_gap_hours: float
    min_kept: float = 0.85  # the onward payment keeps at least this share of the value
    min_value_eur: float = 1_000.0


@dataclass(frozen=True)
class PassThroughParams:
    step: StepParams = StepParams(max_gap_hours=12.0)
    min_passes: int = 2  # separate in-and-out passes through the same account


@dataclass(frozen=True)
class ScatterGatherParams:
    step: StepParams = StepParams(max_gap_hours=72.0)
    min_intermediaries: int = 4


@dataclass(frozen=True)
class ChainParams:
    step: StepParams = StepParams(max_gap_hours=96.0, min_kept=0.9, min_value_eur=20_000.0)
    max_hops: int = 6
    min_hops: int = 3
    min_countries: int = 3  # layering only


MAX_GAP = 366 * DAY  # longest step any parameters may ask for


@dataclass(frozen=True)
class _OutKey:
    """Out-edges as one sorted key (payer, time), shared by every step search of a frame."""

    key: IntArray
    t0: int
    span: int


def _out_key(frame: FlowFrame) -> _OutKey:
    found = frame.memo.get("out_key")
    if not isinstance(found, _OutKey):
        out = frame.out_edges
        t0 = int(frame.time.min())
        span = int(frame.time.max()) - t0 + MAX_GAP + 2
        found = _OutKey(out.ends * span + (out.times - t0), t0, span)
        frame.memo["out_key"] = found
    return found


def steps(frame: FlowFrame, p: StepParams) -> tuple[IntArray, IntArray]:
    """All (in, out) payment pairs through an account that pass the money on (see above)."""
    memo = ("steps", p)
    if memo not in frame.memo:
        frame.memo[memo] = _steps(frame, p)
    found: tuple[IntArray, IntArray] = frame.memo[memo]  # type: ignore[assignment]
    return found


def _steps(frame: FlowFrame, p: StepParams) -> tuple[IntArray, IntArray]:
    # payments in (payee, time) order, as the in-adjacency holds them: `searchsorted` on
    # sorted needles walks the keys once instead of jumping about
    incoming = frame.in_edges
    big = frame.value[incoming.order] >= p.min_value_eur
    first = incoming.order[big]
    if first.size == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    gap = min(int(p.max_gap_hours * HOUR), MAX_GAP)
    order = frame.out_edges.order
    out_key = _out_key(frame)
    key, t0, span = out_key.key, out_key.t0, out_key.span
    via = incoming.ends[big] * span + (incoming.times[big] - t0)
    lo = np.searchsorted(key, via, side="right")  # strictly after arrival
    hi = np.searchsorted(key, via + gap, side="right")
    lengths = hi - lo
    total = int(lengths.sum())
    if total == 0:
        return np.empty(0, np.int64), np.empty(0, np.int64)
    a = np.repeat(first, lengths)
    offsets = np.repeat(lo - np.cumsum(lengths) + lengths, lengths)
    b = order[offsets + np.arange(total)]
    ratio = frame.value[b] / frame.value[a]
    keep = (ratio >= p.min_kept) & (ratio <= 1.0 + 1e-9) & (frame.dst[b] != frame.src[a])
    return a[keep], b[keep]


def rapid_pass_through(frame: FlowFrame, p: PassThroughParams) -> list[Alert]:
    """A mule account: money comes in and nearly all of it leaves within hours, repeatedly."""
    a, b = steps(frame, p.step)
    mules = frame.dst[a]
    alerts = []
    accounts, counts = np.unique(mules, return_counts=True)
    for mule in accounts[counts >= p.min_passes].tolist():
        pick = mules == mule
        ins, outs = np.unique(a[pick]), np.unique(b[pick])
        if ins.size < p.min_passes:
            continue
        hours = float(np.median(frame.time[b[pick]] - frame.time[a[pick]])) / HOUR
        passed = float(frame.value[outs].sum())
        alerts.append(
            Alert(
                "rapid_pass_through",
                money_score(passed, ins.size / p.min_passes),
                (mule, *np.unique(frame.src[ins]).tolist(), *np.unique(frame.dst[outs]).tolist()),
                tuple(np.concatenate([ins, outs]).tolist()),
                f"{ins.size} incoming payments each passed on within {hours:.1f} h (median), "
                f"{passed:,.0f} EUR in all",
            )
        )
    return alerts


def scatter_gather(frame: FlowFrame, p: ScatterGatherParams) -> list[Alert]:
    """One source splits money over several intermediaries, who all forward it to one sink."""
    a, b = steps(frame, p.step)
    source, sink = frame.src[a], frame.dst[b]
    ok = source != sink
    a, b, source, sink = a[ok], b[ok], source[ok], sink[ok]
    if a.size == 0:
        return []
    pair = source * frame.n_accounts + sink
    alerts = []
    for key in np.unique(pair).tolist():
        pick = pair == key
        mids = np.unique(frame.dst[a[pick]])
        if mids.size < p.min_intermediaries:
            continue
        s, k = divmod(key, frame.n_accounts)
        edges = np.unique(np.concatenate([a[pick], b[pick]]))
        total = float(frame.value[np.unique(b[pick])].sum())
        alerts.append(
            Alert(
                "scatter_gather",
                money_score(total, mids.size / p.min_intermediaries),
                (s, k, *mids.tolist()),
                tuple(edges.tolist()),
                f"split over {mids.size} intermediaries and gathered again at one account, "
                f"{total:,.0f} EUR arriving",
            )
        )
    return alerts


def chains(frame: FlowFrame, p: ChainParams) -> list[IntArray]:
    """Value-keeping chains of `min_hops`..`max_hops` payments (each a row of edge indexes);
    computed once per frame and parameters (cycles and layering share them)."""
    key = ("chains", p)
    if key not in frame.memo:
        frame.memo[key] = _chains(frame, p)
    found: list[IntArray] = frame.memo[key]  # type: ignore[assignment]
    return found


def _chains(frame: FlowFrame, p: ChainParams) -> list[IntArray]:
    a, b = steps(frame, p.step)
    if a.size == 0:
        return []
    order = np.argsort(a, kind="stable")
    a, b = a[order], b[order]
    found: list[IntArray] = []
    paths = np.stack([a, b], axis=1)
    for _length in range(3, p.max_hops + 1):
        # a chain that returned to its start is a complete cycle: it is not extended
        paths = paths[frame.src[paths[:, 0]] != frame.dst[paths[:, -1]]]
        last = paths[:, -1]
        lo, hi = np.searchsorted(a, last, "left"), np.searchsorted(a, last, "right")
        lengths = hi - lo
        if lengths.sum() == 0:
            break
        rows = np.repeat(np.arange(paths.shape[0]), lengths)
        offsets = np.repeat(lo - np.cumsum(lengths) + lengths, lengths)
        paths = np.concatenate([paths[rows], b[offsets + np.arange(rows.size)][:, None]], axis=1)
        found.append(paths)
    return [c for c in found if c.shape[1] >= p.min_hops]


def _accounts(frame: FlowFrame, chain: IntArray) -> list[int]:
    return [int(frame.src[chain[0]]), *frame.dst[chain].tolist()]


def cycles(frame: FlowFrame, p: ChainParams) -> list[Alert]:
    """Round-tripping: money passes through several accounts and returns to where it started."""
    alerts, seen = [], set()
    for block in chains(frame, p):
        closed = block[frame.dst[block[:, -1]] == frame.src[block[:, 0]]]
        for chain in closed:
            ring = _accounts(frame, chain)[:-1]
            if len(set(ring)) != len(ring) or frozenset(chain.tolist()) in seen:
                continue
            seen.add(frozenset(chain.tolist()))
            countries = sorted({c for c in frame.account_country[ring].tolist() if c >= 0})
            value = float(frame.value[chain[0]])
            alerts.append(
                Alert(
                    "cycle",
                    money_score(value, len(ring) / 3),
                    tuple(ring),
                    tuple(chain.tolist()),
                    f"{value:,.0f} EUR went round {len(ring)} accounts in "
                    f"{len(countries)} countries and came back "
                    f"{(frame.time[chain[-1]] - frame.time[chain[0]]) / DAY:.1f} days later",
                )
            )
    return alerts


def layering(frame: FlowFrame, p: ChainParams) -> list[Alert]:
    """A chain of payments keeping the value, hop by hop through several jurisdictions.

    Stretches of a round trip are left to the `cycle` alert that covers them."""
    round_trips = [frozenset(a.transactions) for a in cycles(frame, p)]
    candidates: list[tuple[frozenset[int], IntArray]] = []
    for block in chains(frame, p):
        open_ = block[frame.dst[block[:, -1]] != frame.src[block[:, 0]]]
        for chain in open_:
            route = _accounts(frame, chain)
            countries = {c for c in frame.account_country[route].tolist() if c >= 0}
            edges = frozenset(chain.tolist())
            if len(set(route)) != len(route) or len(countries) < p.min_countries:
                continue
            if not any(edges <= ring for ring in round_trips):
                candidates.append((edges, chain))
    # keep only maximal chains: drop any chain contained in a longer one
    candidates.sort(key=lambda c: -len(c[0]))
    kept: list[tuple[frozenset[int], IntArray]] = []
    for edges, chain in candidates:
        if not any(edges <= longer for longer, _ in kept):
            kept.append((edges, chain))
    alerts = []
    for _, chain in kept:
        route = _accounts(frame, chain)
        names = [frame.country_name(int(frame.account_country[a])) or "?" for a in route]
        value = float(frame.value[chain[0]])
        alerts.append(
            Alert(
                "layering",
                money_score(value, len(set(names)) / p.min_countries),
                tuple(route),
                tuple(chain.tolist()),
                f"{value:,.0f} EUR moved through {len(chain)} hops across "
                f"{' → '.join(names)}, keeping "
                f"{frame.value[chain[-1]] / frame.value[chain[0]]:.0%} of its value",
            )
        )
    return alerts
