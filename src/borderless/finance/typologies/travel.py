"""Accounts emptied shortly before the holder travels (needs passenger data).

Two pure steps, no I/O. `link_departures` joins account holders to travellers of passenger
data conservatively — the same travel-document number (normalised) and issuing country, or the
same normalised name and the same full birth date — and gives one row per (account, departure).
`drained_before_travel` then checks every row at once against the account's flows: what came in
over a lookback window before the departure, and what went out in the last days before it.

Which passenger data may be used at all (whose, for which purpose) is decided by the service
(`services.finance_travel`); this module only sees what it was handed.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC
from typing import Any

import numpy as np

from borderless.domain.travel import Leg, Traveller
from borderless.finance.frame import Adjacency, FloatArray, FlowFrame, IntArray
from borderless.finance.trace import CASH_CHANNELS
from borderless.finance.typologies.base import DAY, Alert, money_score
from borderless.normalize.identifiers import normalize_document_number
from borderless.normalize.names import analyse_name

Facts = tuple[tuple[str, str], ...]


@dataclass(frozen=True)
class DrainParams:
    lookback_days: float = 30.0  # money that came in over this window before the departure
    drain_days: float = 7.0  # ... and left in the last days before it
    min_drained: float = 0.8  # share of the lookback inflow paid out in the drain window
    min_inflow_eur: float = 5_000.0


@dataclass(frozen=True)
class HolderDocument:
    """A travel document the caller may see, of a person who holds accounts."""

    person_id: str
    number: str
    issuing_country: str | None


@dataclass(frozen=True)
class Departures:
    """Departures of account holders, one row per (account, departure), as columns; `facts`
    say per row which flight it was and how the holder was linked to the traveller."""

    account: IntArray
    time: IntArray  # seconds since 1970, the departure as the airline sent it
    facts: Sequence[Facts]

    @classmethod
    def of(cls, rows: Iterable[tuple[int, int, Facts]]) -> Departures:
        listed = list(rows)
        return cls(
            np.array([r[0] for r in listed], np.int64),
            np.array([r[1] for r in listed], np.int64),
            [r[2] for r in listed],
        )


def _name_key(name: str) -> tuple[str, ...]:
    """A name as compared here: its normalised tokens in any order ("Jansen Jan" = "Jan
    Jansen"), transliterated and canonicalised by the shared name normaliser."""
    return tuple(sorted(analyse_name(name).tokens))


def _document_key(number: str, country: str | None) -> tuple[str, str] | None:
    normalised = normalize_document_number(number)
    return (normalised, country) if normalised and country else None


def _full_birth_dates(body: Mapping[str, Any]) -> set[str]:
    return {
        str(b["date"]) for b in body.get("birth_dates") or () if len(str(b.get("date") or "")) == 10
    }


@dataclass
class _HolderIndex:
    by_document: dict[tuple[str, str], set[str]]
    by_name: dict[tuple[tuple[str, ...], str], set[str]]  # (name key, birth date) -> holders
    births: set[str]


def _holder_index(frame: FlowFrame, documents: Iterable[HolderDocument]) -> _HolderIndex:
    index = _HolderIndex({}, {}, set())
    holding = frame.accounts_of_holder
    for document in documents:
        found = _document_key(document.number, document.issuing_country)
        if found is not None and document.person_id in holding:
            index.by_document.setdefault(found, set()).add(document.person_id)
    for holder in frame.holders.values():
        if holder.kind != "person" or holder.id not in holding:
            continue
        births = _full_birth_dates(holder.body)
        index.births |= births
        for name in holder.body.get("names") or ():
            for born in births:
                key = (_name_key(str(name["full"])), born)
                index.by_name.setdefault(key, set()).add(holder.id)
    return index


def _links(index: _HolderIndex, traveller: Traveller) -> dict[str, str]:
    """Holders this traveller is, each with how it was established."""
    found: dict[str, str] = {}
    for document in traveller.documents:
        key = _document_key(document.number, document.issuing_country)
        if key is not None:
            for holder in index.by_document.get(key, ()):
                found[holder] = f"document {key[0]} ({key[1]})"
    born = traveller.birth_date
    if born and born in index.births:  # names are normalised only for possible matches
        for holder in index.by_name.get((_name_key(traveller.full_name), born), ()):
            found.setdefault(holder, f"name and birth date ({born})")
    return found


def link_departures(
    frame: FlowFrame, documents: Iterable[HolderDocument], trips: Iterable[tuple[Leg, Traveller]]
) -> Departures:
    """One row per account of every holder who is a departing traveller."""
    index = _holder_index(frame, documents)
    rows: list[tuple[int, int, Facts]] = []
    for leg, traveller in trips:
        if leg.departure is None:
            continue
        departure = leg.departure.replace(tzinfo=UTC)
        for holder, link in sorted(_links(index, traveller).items()):
            facts = (
                ("flight", leg.key),
                ("route", f"{leg.origin}-{leg.destination}"),
                ("departure", departure.strftime("%Y-%m-%dT%H:%M")),
                ("traveller", traveller.full_name),
                ("holder", holder),
                ("linked by", link),
            )
            for account in frame.accounts_of_holder[holder]:
                rows.append((account, int(departure.timestamp()), facts))
    return Departures.of(rows)


def _window_edges(
    adjacency: Adjacency, accounts: IntArray, start: IntArray, stop: IntArray
) -> tuple[IntArray, IntArray]:
    """Per query, the positions [lo, hi) in `adjacency.order` of the account's edges with
    start <= time < stop: one vectorised `searchsorted` on (account, time) keys."""
    times = adjacency.times
    if times.size == 0:
        zero = np.zeros(accounts.size, np.int64)
        return zero, zero
    t0 = int(times.min())
    span = int(times.max()) - t0 + 1
    key = adjacency.ends * span + (times - t0)
    lo = np.searchsorted(key, accounts * span + np.clip(start - t0, 0, span), side="left")
    hi = np.searchsorted(key, accounts * span + np.clip(stop - t0, 0, span), side="left")
    return lo.astype(np.int64), hi.astype(np.int64)


def _window_sums(frame: FlowFrame, inward: bool, lo: IntArray, hi: IntArray) -> FloatArray:
    """EUR value of the edges at positions [lo, hi) of the adjacency (running sums, kept)."""
    key = ("running_value", inward)
    running = frame.memo.get(key)
    if not isinstance(running, np.ndarray):
        order = (frame.in_edges if inward else frame.out_edges).order
        running = np.concatenate([[0.0], np.cumsum(frame.value[order])])
        frame.memo[key] = running
    sums: FloatArray = running[hi] - running[lo]
    return sums


def _first_per_account(account: IntArray, time: IntArray, gap: int) -> IntArray:
    """Row positions to keep: the first departure of an account, and any later one more than
    `gap` seconds after the previous flagged one (repeated messages about one trip, or one
    trip's connecting flights, make one alert)."""
    order = np.lexsort((time, account))
    same = np.zeros(order.size, bool)
    same[1:] = (account[order][1:] == account[order][:-1]) & (
        time[order][1:] - time[order][:-1] <= gap
    )
    kept: IntArray = order[~same]
    return kept


def drained_before_travel(frame: FlowFrame, departures: Departures, p: DrainParams) -> list[Alert]:
    """Most of what came into an account recently leaves it in the days just before its
    holder departs (cash withdrawn, money sent abroad or to others): a sign of flight, or of
    funds moved ahead of a foreign terrorist fighter's or launderer's departure."""
    if departures.account.size == 0:
        return []
    account, when = departures.account, departures.time
    lookback, drain = int(p.lookback_days * DAY), int(p.drain_days * DAY)
    in_lo, in_hi = _window_edges(frame.in_edges, account, when - lookback, when)
    out_lo, out_hi = _window_edges(frame.out_edges, account, when - drain, when)
    inflow = _window_sums(frame, True, in_lo, in_hi)
    outflow = _window_sums(frame, False, out_lo, out_hi)
    hit = np.flatnonzero((inflow >= p.min_inflow_eur) & (outflow >= p.min_drained * inflow))
    if hit.size == 0:
        return []
    hit = hit[_first_per_account(account[hit], when[hit], drain)]
    cash = [frame.channel_code(c) for c in CASH_CHANNELS]
    alerts = []
    for row in hit.tolist():
        received = frame.in_edges.order[in_lo[row] : in_hi[row]]
        paid = frame.out_edges.order[out_lo[row] : out_hi[row]]
        exits = np.isin(frame.channel[paid], cash) | (
            frame.to_country[paid] != frame.from_country[paid]
        )
        left, came = float(outflow[row]), float(inflow[row])
        exit_share = float(frame.value[paid[exits]].sum()) / left
        hours = (int(when[row]) - int(frame.time[paid].min())) / 3600
        facts = dict(departures.facts[row])
        alerts.append(
            Alert(
                "drained_before_travel",
                money_score(left, min(left / came, 1.5) + exit_share),
                (int(account[row]), *np.unique(frame.dst[paid]).tolist()),
                tuple(np.concatenate([received, paid]).tolist()),
                f"{left:,.0f} EUR ({left / came:.0%} of the {came:,.0f} EUR received in the "
                f"{p.lookback_days:.0f} days before) left the account in {paid.size} payments "
                f"({exit_share:.0%} as cash or abroad) within {hours:.0f} h before its holder "
                f"{facts.get('traveller', '?')} departed on {facts.get('flight', '?')} "
                f"({facts.get('route', '?')}) at {facts.get('departure', '?')}; holder linked "
                f"to the traveller by {facts.get('linked by', '?')}",
                departures.facts[row],
            )
        )
    return alerts
