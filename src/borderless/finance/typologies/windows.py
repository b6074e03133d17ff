"""Typologies of one busy account in a short window: fan-in, fan-out, structuring,
gather-scatter."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from borderless.finance.frame import FlowFrame
from borderless.finance.typologies.base import DAY, Alert, busiest_windows, money_score


@dataclass(frozen=True)
class FanParams:
    window_days: float = 5.0
    min_counterparties: int = 8  # distinct payers (fan-in) or payees (fan-out)
    min_total_eur: float = 10_000.0


@dataclass(frozen=True)
class StructuringParams:
    threshold: float = 10_000.0  # the reporting threshold, in the transaction's currency
    margin: float = 0.10  # "just under": within 10 % below the threshold
    window_days: float = 14.0
    min_deposits: int = 5


@dataclass(frozen=True)
class GatherScatterParams:
    gather_days: float = 4.0
    scatter_days: float = 8.0  # after the first incoming payment
    min_sources: int = 5
    min_destinations: int = 3
    min_passed_on: float = 0.7  # share of what came in that leaves again


def _fan(frame: FlowFrame, p: FanParams, inward: bool) -> list[Alert]:
    other = frame.src if inward else frame.dst
    name = "fan_in" if inward else "fan_out"
    alerts = []
    for window in busiest_windows(
        frame, inward, None, int(p.window_days * DAY), p.min_counterparties
    ):
        parties = np.unique(other[window.edges])
        total = float(frame.value[window.edges].sum())
        if parties.size < p.min_counterparties or total < p.min_total_eur:
            continue
        hours = (frame.time[window.edges].max() - frame.time[window.edges].min()) / 3600
        verb = "received from" if inward else "paid to"
        alerts.append(
            Alert(
                name,
                money_score(total, parties.size / p.min_counterparties),
                (window.account, *parties.tolist()),
                tuple(window.edges.tolist()),
                f"{window.edges.size} payments {verb} {parties.size} distinct accounts within "
                f"{hours:.0f} h, {total:,.0f} EUR in all",
            )
        )
    return alerts


def fan_in(frame: FlowFrame, p: FanParams) -> list[Alert]:
    """Many accounts pay one account within days (collection, e.g. by a front company)."""
    return _fan(frame, p, inward=True)


def fan_out(frame: FlowFrame, p: FanParams) -> list[Alert]:
    """One account pays many accounts within days (distribution to mules or cells)."""
    return _fan(frame, p, inward=False)


def structuring(frame: FlowFrame, p: StructuringParams) -> list[Alert]:
    """Repeated deposits just under a reporting threshold into one account within days."""
    low = p.threshold * (1 - p.margin)
    candidates = (frame.amount >= low) & (frame.amount < p.threshold)
    alerts = []
    for window in busiest_windows(
        frame, True, candidates, int(p.window_days * DAY), p.min_deposits
    ):
        total = float(frame.value[window.edges].sum())
        depositors = np.unique(frame.src[window.edges])
        days = (frame.time[window.edges].max() - frame.time[window.edges].min()) / DAY
        alerts.append(
            Alert(
                "structuring",
                money_score(total, window.edges.size / p.min_deposits),
                (window.account, *depositors.tolist()),
                tuple(window.edges.tolist()),
                f"{window.edges.size} deposits between {low:,.0f} and {p.threshold:,.0f} "
                f"(just under the reporting threshold) from {depositors.size} account(s) "
                f"within {days:.1f} days",
            )
        )
    return alerts


def gather_scatter(frame: FlowFrame, p: GatherScatterParams) -> list[Alert]:
    """Many accounts pay a hub, which soon pays most of it on to several destinations."""
    alerts = []
    out = frame.out_edges
    for window in busiest_windows(frame, True, None, int(p.gather_days * DAY), p.min_sources):
        sources = np.unique(frame.src[window.edges])
        if sources.size < p.min_sources:
            continue
        start = int(frame.time[window.edges].min())
        paid = out.edges_of(np.array([window.account]))
        paid = paid[
            (frame.time[paid] >= start) & (frame.time[paid] <= start + p.scatter_days * DAY)
        ]
        destinations = np.setdiff1d(np.unique(frame.dst[paid]), sources)
        paid = paid[np.isin(frame.dst[paid], destinations)]
        gathered = float(frame.value[window.edges].sum())
        scattered = float(frame.value[paid].sum())
        if destinations.size < p.min_destinations or scattered < p.min_passed_on * gathered:
            continue
        alerts.append(
            Alert(
                "gather_scatter",
                money_score(scattered, min(sources.size, destinations.size) / p.min_destinations),
                (window.account, *sources.tolist(), *destinations.tolist()),
                tuple(window.edges.tolist() + paid.tolist()),
                f"gathered {gathered:,.0f} EUR from {sources.size} accounts, then paid "
                f"{scattered:,.0f} EUR to {destinations.size} other accounts",
            )
        )
    return alerts
