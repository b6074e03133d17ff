"""Money-flow speed: 4-hop time-respecting traces, the full typology scan, peak memory.

    .venv/bin/python -m benchmarks.finance synthetic                  # 1M tx / 100k accounts
    .venv/bin/python -m benchmarks.finance synthetic --full           # 10M tx / 1M accounts
    .venv/bin/python -m benchmarks.finance world --persons 20000      # a demo world's file
    .venv/bin/python -m benchmarks.finance store --persons 2000       # snapshot from SQLite
    BORDERLESS_DATABASE_URL=postgresql://... python -m benchmarks.finance store  # from PostgreSQL

- ``synthetic``: flows drawn like the demo world's background traffic (gamma activity per
  account, 80 % domestic, log-normal amounts per channel, a year of times), made with NumPy so
  that 10M transactions fit in memory and minutes; the demo world's generator writes JSON Lines
  and cannot reach that size quickly.
- ``world``: a generated demo world (with its planted schemes) read from its JSON Lines file.
- ``store``: the demo world imported into a fresh SQLite node, then the governed snapshot
  (`services.finance.snapshot`: SQL JSON extraction + frame) timed for one agency.

Each prints one JSON line: sizes, frame/CSR build seconds, trace p50/p95 (ms) over random
suspects, the scan's seconds and transactions/s (per typology too), and this process's peak
memory. Run one benchmark per process so that the peak belongs to it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np

from borderless.finance.frame import ArrayFlows, FlowFrame, from_arrays
from borderless.finance.jsonl_frame import frame_from_jsonl
from borderless.finance.trace import Direction, TraceQuery, trace
from borderless.finance.typologies import DETECTORS, DetectParams

COUNTRIES = ("NLD", "DEU", "FRA", "ESP", "TUR", "GBR", "ARE", "CYP", "PAK", "KEN", "USA", "HKG")
CHANNELS = ("transfer", "card", "cash", "direct_debit", "wire", "crypto")
MEDIANS = np.array([300.0, 45.0, 200.0, 120.0, 2500.0, 800.0])
SIGMAS = np.array([1.2, 0.9, 1.0, 0.7, 1.3, 1.5])
YEAR = 365 * 86_400


def _peak_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def synthetic_flows(accounts: int, transactions: int, seed: int = 7) -> ArrayFlows:
    gen = np.random.default_rng(seed)
    country = gen.integers(0, len(COUNTRIES), accounts)
    activity = gen.gamma(2.0, 0.5, accounts)
    src = gen.choice(accounts, transactions, p=activity / activity.sum())
    dst = gen.integers(0, accounts, transactions)
    domestic = gen.random(transactions) < 0.8
    # a domestic payee: the nearest account index of the same country
    order = np.argsort(country, kind="stable")
    starts = np.searchsorted(country[order], np.arange(len(COUNTRIES)))
    sizes = np.bincount(country, minlength=len(COUNTRIES))
    pick = gen.integers(0, np.maximum(sizes[country[src]], 1))
    dst = np.where(domestic, order[starts[country[src]] + pick], dst)
    dst = np.where(dst == src, (dst + 1) % accounts, dst)
    channel = np.where(domestic, gen.choice(4, transactions), gen.choice([4, 5], transactions))
    amount = np.minimum(
        np.exp(np.log(MEDIANS[channel]) + SIGMAS[channel] * gen.standard_normal(transactions)), 2e6
    )
    time_ = 1_735_689_600 + gen.integers(0, YEAR, transactions)
    return ArrayFlows(
        account_ids=[f"A{i:07d}" for i in range(accounts)],
        src=src,
        dst=dst,
        amount=np.round(amount, 2),
        time=time_,
        account_country=[COUNTRIES[c] for c in country.tolist()],
    )


def measure(frame: FlowFrame, suspects: int, seed: int = 11) -> dict[str, Any]:
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
    alerts = 0
    for typology, detector in DETECTORS.items():
        began = time.perf_counter()
        alerts += len(detector(frame, params))
        scan[typology.value] = round(time.perf_counter() - began, 3)
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
        "alerts": alerts,
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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("source", choices=("synthetic", "world", "store"))
    parser.add_argument("--accounts", type=int, default=100_000)
    parser.add_argument("--transactions", type=int, default=1_000_000)
    parser.add_argument("--full", action="store_true", help="10M transactions, 1M accounts")
    parser.add_argument("--persons", type=int, default=20_000)
    parser.add_argument("--suspects", type=int, default=200)
    args = parser.parse_args()
    result: dict[str, Any] = {"source": args.source, "machine": platform.machine()}
    if args.source == "synthetic":
        full = (1_000_000, 10_000_000)
        accounts, transactions = full if args.full else (args.accounts, args.transactions)
        started = time.perf_counter()
        frame = from_arrays(synthetic_flows(accounts, transactions))
        result["frame_s"] = round(time.perf_counter() - started, 2)
        result.update(measure(frame, args.suspects))
    elif args.source == "world":
        from borderless.demo.world import WorldSpec, generate_world

        with tempfile.TemporaryDirectory() as tmp:
            files = generate_world(WorldSpec(persons=args.persons), Path(tmp))
            started = time.perf_counter()
            frame = frame_from_jsonl(files.records)
            result["frame_s"] = round(time.perf_counter() - started, 2)
            result.update(measure(frame, args.suspects))
    else:
        result.update(_store(args.persons))
    result["peak_mib"] = _peak_mib()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
