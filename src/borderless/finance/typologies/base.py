"""What every typology detector returns, and the vectorised window search they share."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from borderless.finance.frame import FlowFrame, IntArray

DAY = 86_400
HOUR = 3_600


@dataclass(frozen=True)
class Alert:
    """One suspicious pattern with its evidence subgraph (accounts and transactions)."""

    typology: str
    score: float  # for ranking: strength of the pattern times the money involved
    accounts: tuple[int, ...]  # account indexes; the focal account first
    transactions: tuple[int, ...]  # transaction indexes: the evidence
    explanation: str
    facts: tuple[tuple[str, str], ...] = ()  # evidence beyond the flows (e.g. the flight)


def money_score(total_eur: float, strength: float) -> float:
    """More money and a stronger pattern rank higher; log-scaled so that neither dominates."""
    return round(strength * math.log10(10 + max(total_eur, 0.0)), 4)


@dataclass(frozen=True)
class Window:
    """A busy time window at one account: its edges (transaction indexes), by time."""

    account: int
    edges: IntArray


def busiest_windows(
    frame: FlowFrame,
    inward: bool,
    candidates: npt.NDArray[np.bool_] | None,
    width: int,
    min_edges: int,
) -> list[Window]:
    """Per account (the payee if `inward`, else the payer), the window of `width` seconds with
    the most candidate edges (all edges when `candidates` is None), when it holds at least
    `min_edges` of them.

    The adjacency already holds the edges sorted by (account, time). A window can hold
    `min_edges` edges only where an edge and the one `min_edges - 1` places later belong to the
    same account and lie within `width`: one vectorised comparison over all edges finds those
    starts, and only they are counted exactly (`searchsorted`).
    """
    adjacency = frame.in_edges if inward else frame.out_edges
    edges, t, ends = adjacency.order, adjacency.times, adjacency.ends
    if candidates is not None:
        keep = candidates[edges]
        edges, t, ends = edges[keep], t[keep], ends[keep]
    reach = min_edges - 1
    if edges.size < min_edges:
        return []
    possible = np.flatnonzero(
        (ends[reach:] == ends[: ends.size - reach]) & (t[reach:] - t[: t.size - reach] <= width)
    )
    if possible.size == 0:
        return []
    t0 = int(t.min())
    span = int(t.max()) - t0 + width + 1
    key = ends.astype(np.int64) * span + (t - t0)
    stop = np.searchsorted(key, key[possible] + width, side="right")
    count = stop - possible
    # the busiest start per account: sort by (account, -count) and take the first of each
    pick = np.lexsort((-count, ends[possible]))
    first = np.ones(pick.size, bool)
    first[1:] = ends[possible][pick][1:] != ends[possible][pick][:-1]
    chosen = pick[first]
    return [Window(int(ends[possible[i]]), edges[possible[i] : stop[i]]) for i in chosen.tolist()]
