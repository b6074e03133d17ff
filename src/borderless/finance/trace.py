"""Time-respecting k-hop tracing of money from (or to) a set of accounts.

Forward, money can only move on after it arrived: an account reached at time *t* passes on
only through its payments at or after *t*. The search is a hop-by-hop frontier expansion over
the time-ordered adjacency (`frame.Adjacency`), vectorised with NumPy: each hop gathers every
payment of the frontier at once, keeps those inside the window and after arrival, and moves
the frontier to accounts whose earliest arrival improved. Backward is the same search on the
reversed graph with time reversed (money reaching the suspect must have left earlier).

Amounts are attributed pro rata: a seed passes on all it pays; any other account passes on
each payment in proportion to the traced money it received at earlier hops, at most the whole
payment (``attributed = amount × min(1, traced_in / traced_out)``). That is a proportional
taint rule, stated so an analyst can check it.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from borderless.finance.frame import Adjacency, FlowFrame, IntArray

CASH_CHANNELS = ("cash", "atm", "withdrawal")
NO_TIME = np.iinfo(np.int64).max


class Direction(StrEnum):
    FORWARD = "forward"
    BACKWARD = "backward"
    BOTH = "both"


@dataclass(frozen=True)
class TraceQuery:
    seeds: tuple[int, ...]  # account indexes
    hops: int = 4
    direction: Direction = Direction.FORWARD
    start: int | None = None  # seconds since 1970; None: no bound
    end: int | None = None


@dataclass(frozen=True)
class Traced:
    """One direction of a trace: the edges taken, at which hop, and the money attributed."""

    direction: Direction
    edges: IntArray  # transaction indexes, in hop then time order
    hop: IntArray  # per edge
    attributed: npt.NDArray[np.float64]  # EUR per edge
    reached: IntArray  # accounts reached (not the seeds)
    reached_hop: IntArray
    reached_time: IntArray  # earliest arrival (forward) or latest departure (backward)


def _expand(
    seeds: IntArray,
    near: IntArray,
    far: IntArray,
    time: IntArray,
    adjacency: Adjacency,
    hops: int,
    window: tuple[int, int],
) -> tuple[IntArray, IntArray, IntArray, IntArray]:
    """Earliest-arrival frontier search from `seeds` along edges ``near -> far``.

    Work per hop is proportional to the frontier's edges, not to the whole graph: only the
    two per-account arrays are allocated at full size.
    """
    n = adjacency.ptr.size - 1
    arrival = np.full(n, NO_TIME, np.int64)
    arrival[seeds] = window[0]
    hop_of = np.full(n, -1, np.int64)
    hop_of[seeds] = 0
    taken: list[IntArray] = []
    taken_hop: list[IntArray] = []
    seen = np.empty(0, np.int64)  # edges taken so far, sorted
    frontier = seeds
    for hop in range(1, hops + 1):
        if frontier.size == 0:
            break
        edges = adjacency.edges_of(frontier)
        t = time[edges]
        edges = edges[(t >= arrival[near[edges]]) & (t <= window[1])]
        edges = edges[~np.isin(edges, seen, assume_unique=False)]
        if edges.size == 0:
            break
        seen = np.union1d(seen, edges)
        taken.append(edges)
        taken_hop.append(np.full(edges.size, hop, np.int64))
        reached = far[edges]
        before = arrival[reached]
        np.minimum.at(arrival, reached, time[edges])
        improved = np.unique(reached[arrival[reached] < before])
        hop_of[improved[hop_of[improved] < 0]] = hop
        frontier = improved
    edges = np.concatenate(taken) if taken else np.empty(0, np.int64)
    edge_hop = np.concatenate(taken_hop) if taken_hop else np.empty(0, np.int64)
    return edges, edge_hop, arrival, hop_of


def _attribute(
    edges: IntArray,
    edge_hop: IntArray,
    near: IntArray,
    far: IntArray,
    value: npt.NDArray[np.float64],
    seeds: IntArray,
) -> npt.NDArray[np.float64]:
    """Pro-rata attribution, hop by hop (see the module docstring), on the traced accounts
    only (renumbered 0..k-1), so its cost does not grow with the whole graph."""
    accounts, local = np.unique(np.concatenate([near[edges], far[edges]]), return_inverse=True)
    k = accounts.size
    src, dst = local[: edges.size], local[edges.size :]
    traced_in = np.zeros(k)
    is_seed = np.isin(accounts, seeds)
    attributed = np.zeros(edges.size)
    for hop in np.unique(edge_hop).tolist():
        pick = np.flatnonzero(edge_hop == hop)
        out = np.bincount(src[pick], weights=value[edges[pick]], minlength=k)
        with np.errstate(divide="ignore", invalid="ignore"):
            share = np.where(is_seed, 1.0, np.minimum(1.0, traced_in / out))
        share = np.nan_to_num(share)
        attributed[pick] = value[edges[pick]] * share[src[pick]]
        traced_in += np.bincount(dst[pick], weights=attributed[pick], minlength=k)
    return attributed


def _one(frame: FlowFrame, query: TraceQuery, direction: Direction) -> Traced:
    seeds = np.unique(np.asarray(query.seeds, np.int64))
    start = query.start if query.start is not None else np.iinfo(np.int64).min // 2
    end = query.end if query.end is not None else NO_TIME // 2
    if direction == Direction.FORWARD:
        near, far, time, adjacency = frame.src, frame.dst, frame.time, frame.out_edges
        window = (start, end)
    else:  # backward: reversed edges, reversed time
        near, far, time, adjacency = frame.dst, frame.src, -frame.time, frame.in_edges
        window = (-end, -start)
    edges, edge_hop, arrival, hop_of = _expand(
        seeds, near, far, time, adjacency, query.hops, window
    )
    attributed = _attribute(edges, edge_hop, near, far, frame.value, seeds)
    reached = np.flatnonzero(hop_of > 0)
    reached_time = arrival[reached] if direction == Direction.FORWARD else -arrival[reached]
    return Traced(direction, edges, edge_hop, attributed, reached, hop_of[reached], reached_time)


def trace(frame: FlowFrame, query: TraceQuery) -> list[Traced]:
    """Trace forward, backward, or both (two results) from the query's seed accounts."""
    if query.direction == Direction.BOTH:
        return [_one(frame, query, Direction.FORWARD), _one(frame, query, Direction.BACKWARD)]
    return [_one(frame, query, query.direction)]


def end_points(frame: FlowFrame, traced: Traced) -> IntArray:
    """Reached accounts from which the traced money went no further."""
    far = frame.dst if traced.direction == Direction.FORWARD else frame.src
    near = frame.src if traced.direction == Direction.FORWARD else frame.dst
    passed_on = np.unique(near[traced.edges])
    return np.setdiff1d(np.unique(far[traced.edges]), passed_on)


def received(frame: FlowFrame, traced: Traced) -> npt.NDArray[np.float64]:
    """Attributed EUR reaching each account (forward) or coming from it (backward)."""
    far = frame.dst if traced.direction == Direction.FORWARD else frame.src
    return np.bincount(
        far[traced.edges], weights=traced.attributed, minlength=frame.n_accounts
    ).astype(np.float64)


def cash_outs(frame: FlowFrame, traced: Traced) -> IntArray:
    """Traced edges paid out in cash (the money leaves the banking system)."""
    codes = [frame.channel_code(c) for c in CASH_CHANNELS]
    return traced.edges[np.isin(frame.channel[traced.edges], codes)]
