"""Money-flow speed: 4-hop time-respecting traces, the full typology scan, peak memory, and
recall of the planted schemes.

    .venv/bin/python -m benchmarks.finance world --full                # 10M tx / 1M accounts
    .venv/bin/python -m benchmarks.finance world --accounts 100000 --transactions 1000000
    .venv/bin/python -m benchmarks.finance world --persons 20000      # a demo world's file
    .venv/bin/python -m benchmarks.finance store --persons 2000       # snapshot from SQLite
    BORDERLESS_DATABASE_URL=postgresql://... python -m benchmarks.finance store  # from PostgreSQL

- ``world --full`` / ``--accounts``: the demo world's money in columnar form
  (`borderless.demo.columnar`): the world's background draw, its planted schemes and departures
  of account holders, made with NumPy so that 10M transactions fit in memory and minutes.
- ``world --persons``: a generated demo world (with its planted schemes) read from its JSON
  Lines file; holders linked to its passenger data as the service does.
- ``store``: the demo world imported into a fresh SQLite node, then the governed snapshot
  (`services.finance.snapshot`: SQL JSON extraction + frame) timed for one agency.

Each prints one JSON line: sizes, frame/CSR build seconds, trace p50/p95 (ms) over random
suspects, the scan's seconds and transactions/s (per typology too, the travel typology on the
world's departures), recall per planted typology (a scheme is found when an alert of its
typology covers at least half of its transactions) and this process's peak memory. Run one
benchmark per process so that the peak belongs to it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from borderless.demo.columnar import ColumnarSpec, ColumnarWorld, columnar_world
from borderless.demo.flows import CHANNEL_NAMES
from borderless.demo.world import ACCOUNT_COUNTRIES
from borderless.finance.frame import ArrayFlows, FlowFrame, Holder, from_arrays
from borderless.finance.trace import Direction, TraceQuery, trace
from borderless.finance.typologies import (
    DETECTORS,
    Alert,
    Departures,
    DetectParams,
    Typology,
)
from borderless.finance.typologies.travel import drained_before_travel

YEAR_2025 = 1_735_689_600  # 2025-01-01T00:00:00Z: the demo world's time origin


def _peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def columnar_frame(world: ColumnarWorld) -> tuple[FlowFrame, Departures]:
    """The columnar world as a frame (charities get a holder, for `npo_high_risk`), and its
    departures."""
    n = world.country.size
    charities = {i: f"O{i + 1:07d}" for i, kind in enumerate(world.kind) if kind == "charity"}
    body = {"organisation_kind": "charity"}
    frame = from_arrays(
        ArrayFlows(
            account_ids=[f"A{i + 1:07d}" for i in range(n)],
            src=world.flows.src,
            dst=world.flows.dst,
            amount=np.round(world.flows.amount, 2),
            time=YEAR_2025 + world.flows.seconds,
            account_country=[ACCOUNT_COUNTRIES[c] for c in world.country.tolist()],
            channel_codes=world.flows.channel,
            channel_names=CHANNEL_NAMES,
            account_holders=[(charities[i],) if i in charities else () for i in range(n)],
            holders={h: Holder(h, "organisation", h, None, body) for h in charities.values()},
        )
    )
    accounts, seconds = world.departures
    return frame, Departures(accounts, YEAR_2025 + seconds, [()] * accounts.size)


def recall(
    alerts: Sequence[Alert], schemes: Sequence[tuple[str, npt.NDArray[np.int64]]]
) -> dict[str, Any]:
    """Per planted typology: schemes found, alerts, and alerts touching some planted scheme."""
    everything = np.unique(np.concatenate([edges for _, edges in schemes]))
    found: dict[str, Any] = {}
    for typology in Typology:
        mine = [a for a in alerts if a.typology == typology.value]
        wanted = [set(edges.tolist()) for name, edges in schemes if name == typology.value]
        hits = sum(any(len(w & set(a.transactions)) * 2 >= len(w) for a in mine) for w in wanted)
        touching = sum(bool(np.isin(a.transactions, everything).any()) for a in mine)
        found[typology.value] = {
            "recall": f"{hits}/{len(wanted)}",
            "alerts": len(mine),
            "alerts_on_planted": touching,
        }
    return found


def measure(
    frame: FlowFrame,
    suspects: int,
    departures: Departures | None = None,
    found: list[Alert] | None = None,
    seed: int = 11,
) -> dict[str, Any]:
    """Traces from random payers and the full scan; the scan's alerts go to `found`."""
    started = time.perf_counter()
    _ = frame.out_edges, frame.in_edges
    csr = time.perf_counter() - started
    gen = np.random.default_rng(seed)
    senders = np.flatnonzero(np.diff(frame.out_edges.ptr) > 0)
    picks = gen.choice(senders, suspects)
    timings: dict[str, list[float]] = {"forward": [], "both": []}
    reached: list[int] = []
    for direction, key in ((Direction.FORWARD, "forward"), (Direction.BOTH, "both")):
        for account in picks.tolist():
            began = time.perf_counter()
            result = trace(frame, TraceQuery((account,), hops=4, direction=direction))
            timings[key].append((time.perf_counter() - began) * 1000)
            if direction == Direction.FORWARD:
                reached.append(int(result[0].reached.size))
    scan: dict[str, float] = {}
    params = DetectParams()
    alerts: list[Alert] = []
    for typology, detector in DETECTORS.items():
        began = time.perf_counter()
        alerts += detector(frame, params)
        scan[typology.value] = round(time.perf_counter() - began, 3)
    if departures is not None:
        began = time.perf_counter()
        alerts += drained_before_travel(frame, departures, params.drain)
        scan[Typology.DRAINED_BEFORE_TRAVEL.value] = round(time.perf_counter() - began, 3)
    if found is not None:
        found += alerts
    total = sum(scan.values())
    return {
        "accounts": frame.n_accounts,
        "transactions": frame.n_transactions,
        "csr_s": round(csr, 2),
        "trace4_forward_p50_ms": round(float(np.percentile(timings["forward"], 50)), 2),
        "trace4_forward_p95_ms": round(float(np.percentile(timings["forward"], 95)), 2),
        "trace4_both_p50_ms": round(float(np.percentile(timings["both"], 50)), 2),
        "accounts_reached_p50": int(np.percentile(reached, 50)),
        "scan_s": round(total, 2),
        "scan_tx_per_s": round(frame.n_transactions / total),
        "scan_by_typology_s": scan,
        "alerts": len(alerts),
    }


def _store(persons: int) -> dict[str, Any]:
    from borderless.config import Settings
    from borderless.demo.world import WorldSpec, generate_world
    from borderless.domain.codes import Purpose
    from borderless.services import directory, finance
    from borderless.services.demo import create_demo_users, load_world
    from borderless.services.node import open_node

    with tempfile.TemporaryDirectory() as tmp:
        url = os.environ.get("BORDERLESS_DATABASE_URL")  # default: SQLite in `tmp`
        node = open_node(Settings(data_dir=Path(tmp), database_url=url))
        files = generate_world(WorldSpec(persons=persons), Path(tmp) / "world")
        load_world(node, files)
        create_demo_users(node)
        analyst = directory.principal_by_name(node, "analyst.nld-fiu")
        started = time.perf_counter()
        frame = finance.snapshot(node, analyst, Purpose.FINANCIAL_INVESTIGATION)
        seconds = time.perf_counter() - started
        cached = time.perf_counter()
        finance.snapshot(node, analyst, Purpose.FINANCIAL_INVESTIGATION)
        cached_ms = (time.perf_counter() - cached) * 1000
        finance.forget_snapshots(node)  # a rebuild in a warm process: SQL + frame only
        rebuilt = time.perf_counter()
        finance.snapshot(node, analyst, Purpose.FINANCIAL_INVESTIGATION)
        rebuild = time.perf_counter() - rebuilt
        return {
            "persons": persons,
            "world_transactions": files.counts["transaction"],
            "visible_transactions": frame.n_transactions,
            "first_snapshot_s": round(seconds, 2),
            "snapshot_s": round(rebuild, 3),
            "snapshot_tx_per_s": round(frame.n_transactions / rebuild),
            "cached_snapshot_ms": round(cached_ms, 2),
            **measure(frame, 50),
        }


def _columnar(spec: ColumnarSpec, suspects: int) -> dict[str, Any]:
    started = time.perf_counter()
    world = columnar_world(spec)
    generated = time.perf_counter() - started
    started = time.perf_counter()
    frame, departures = columnar_frame(world)
    result: dict[str, Any] = {
        "world_s": round(generated, 2),
        "frame_s": round(time.perf_counter() - started, 2),
        "schemes": len(world.schemes),
        "departures": int(departures.account.size),
    }
    alerts: list[Alert] = []
    result.update(measure(frame, suspects, departures, alerts))
    result["recall"] = recall(alerts, world.schemes)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", choices=("world", "store"))
    parser.add_argument("--full", action="store_true", help="columnar: 10M tx, 1M accounts")
    parser.add_argument("--accounts", type=int, help="columnar world of this many accounts")
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--suspects", type=int, default=200)
    args = parser.parse_args()
    result: dict[str, Any] = {"source": args.source, "machine": platform.machine()}
    if args.source == "world" and (args.full or args.accounts):
        spec = ColumnarSpec() if args.full else ColumnarSpec(args.accounts, args.transactions)
        result.update(_columnar(spec, args.suspects))
    elif args.source == "world":
        from benchmarks.finance_quality import world_frame
        from borderless.demo.world import WorldSpec, generate_world

        with tempfile.TemporaryDirectory() as tmp:
            files = generate_world(WorldSpec(persons=args.persons), Path(tmp))
            started = time.perf_counter()
            frame, departures, schemes = world_frame(files)
            result["frame_s"] = round(time.perf_counter() - started, 2)
            alerts: list[Alert] = []
            result.update(measure(frame, args.suspects, departures, alerts))
            result["recall"] = recall(alerts, schemes)
    else:
        result.update(_store(args.persons))
    result["peak_mib"] = _peak_mib()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
