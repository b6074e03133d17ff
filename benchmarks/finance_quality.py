"""Detection quality: the labelled AMLSim run next to gradient boosting, and the demo world.

    .venv/bin/python -m benchmarks.finance_quality [--folder FOLDER]
    .venv/bin/python -m benchmarks.finance_quality --world 20000

(default folder: ../shared/data/aml/amlsim_20k_fanin_cycle)

``--world N`` instead generates a demo world of N persons and reports, per typology, recall on
its planted schemes (a scheme is found when an alert of its typology covers at least half of
its transactions) and how many alerts touch some planted scheme.

Three flaggers of accounts, scored on the same held-out half of the accounts (stratified,
seed 7) against the run's account labels (``isFraud``):

1. **typologies**: accounts named by an alert of our detectors (fan-in, fan-out, cycles and
   scatter-gather, parameters set for AMLSim's scale: steps are days, amounts are hundreds);
   no training at all.
2. **baseline**: scikit-learn HistGradientBoosting on raw per-account features (counts, sums,
   means and distinct counterparties of payments in and out, active days) — no graph patterns.
3. **typologies + boosting**: the baseline's features plus graph-pattern features (how many
   alerts of each typology name the account, as the focal account or a member; its busiest
   day in and out; identical amounts it paid repeatedly; payments its payees paid back).

Boosting thresholds are chosen on out-of-fold predictions of the training half (best F1),
then applied to the test half. Prints one JSON line. Needs the ``bench`` extra (scikit-learn).
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import orjson
from sklearn.ensemble import HistGradientBoostingClassifier  # type: ignore[import-untyped]
from sklearn.metrics import precision_recall_fscore_support  # type: ignore[import-untyped]
from sklearn.model_selection import (  # type: ignore[import-untyped]
    cross_val_predict,
    train_test_split,
)

from benchmarks.finance import recall
from borderless.config import shared_data_dir
from borderless.demo.world import WorldFiles, WorldSpec, generate_world
from borderless.finance.frame import ArrayFlows, FlowFrame, from_arrays
from borderless.finance.jsonl_frame import departures_from_files, frame_from_jsonl
from borderless.finance.typologies import (
    Alert,
    Departures,
    DetectParams,
    Typology,
    detect,
)
from borderless.finance.typologies.paths import ChainParams, ScatterGatherParams, StepParams
from borderless.finance.typologies.windows import FanParams
from borderless.formats.amlsim import AmlsimRun, read_amlsim

FloatMatrix = npt.NDArray[np.float64]
USED = (Typology.FAN_IN, Typology.FAN_OUT, Typology.CYCLE, Typology.SCATTER_GATHER)
AMLSIM = DetectParams(
    fan=FanParams(window_days=1.0, min_counterparties=5, min_total_eur=0.0),
    scatter_gather=ScatterGatherParams(
        step=StepParams(max_gap_hours=10 * 24, min_kept=0.5, min_value_eur=0.0),
        min_intermediaries=4,
    ),
    chains=ChainParams(
        step=StepParams(max_gap_hours=10 * 24, min_kept=0.5, min_value_eur=0.0),
        max_hops=6,
        min_hops=3,
        min_countries=1,
    ),
)


def frame_of(run: AmlsimRun) -> FlowFrame:
    return from_arrays(
        ArrayFlows(
            account_ids=run.account_ids,
            src=run.src,
            dst=run.dst,
            amount=run.amount,
            time=run.time,
            currency="EUR",  # amounts are compared as they are
        )
    )


def raw_features(frame: FlowFrame) -> FloatMatrix:
    n = frame.n_accounts
    columns = []
    for end, other in ((frame.dst, frame.src), (frame.src, frame.dst)):
        count = np.bincount(end, minlength=n).astype(float)
        total = np.bincount(end, weights=frame.amount, minlength=n)
        pairs = np.unique(end * n + other)
        distinct = np.bincount(pairs // n, minlength=n).astype(float)
        columns += [count, total, total / np.maximum(count, 1), distinct]
    days = np.unique(
        np.concatenate([frame.src, frame.dst]) * 10_000 + np.tile(frame.time // 86_400, 2)
    )
    columns.append(np.bincount(days // 10_000, minlength=n).astype(float))
    return np.stack(columns, axis=1)


def typology_features(frame: FlowFrame, alerts: list[Alert]) -> FloatMatrix:
    """Per account: alerts naming it (focal or member) per typology, plus graph-pattern counts
    (busiest day in and out, repeated identical amounts, payments returned by the payee)."""
    n = frame.n_accounts
    columns = np.zeros((n, 2 * len(USED)))
    for alert in alerts:
        k = USED.index(Typology(alert.typology))
        columns[alert.accounts[0], 2 * k] += 1
        columns[list(alert.accounts), 2 * k + 1] += 1
    day = frame.time // 86_400
    extra: list[npt.NDArray[Any]] = []
    for end in (frame.dst, frame.src):
        _, inverse, counts = np.unique(end * 100_000 + day, return_inverse=True, return_counts=True)
        busiest = np.zeros(n)
        np.maximum.at(busiest, end, counts[inverse])
        extra.append(busiest)
    cents = np.round(frame.amount * 100).astype(np.int64)
    _, inverse, counts = np.unique(
        frame.src * 10**10 + cents, return_inverse=True, return_counts=True
    )
    extra.append(np.bincount(frame.src, weights=(counts[inverse] > 1), minlength=n))
    forward = frame.src * n + frame.dst
    returned = np.isin(frame.dst * n + frame.src, forward)
    extra.append(np.bincount(frame.src, weights=returned, minlength=n))
    return np.hstack([columns, np.stack(extra, axis=1)])


def _scores(truth: npt.NDArray[np.bool_], flagged: npt.NDArray[np.bool_]) -> dict[str, float]:
    p, r, f, _ = precision_recall_fscore_support(truth, flagged, average="binary", zero_division=0)
    return {name: round(float(v), 3) for name, v in (("precision", p), ("recall", r), ("f1", f))}


def _boosted(
    x: FloatMatrix,
    y: npt.NDArray[np.bool_],
    train: npt.NDArray[np.int64],
    test: npt.NDArray[np.int64],
) -> npt.NDArray[np.bool_]:
    model = HistGradientBoostingClassifier(random_state=7, max_iter=300, learning_rate=0.08)
    oof = cross_val_predict(model, x[train], y[train], cv=5, method="predict_proba")[:, 1]
    grid = np.linspace(0.05, 0.95, 91)
    f1 = [
        precision_recall_fscore_support(y[train], oof >= t, average="binary", zero_division=0)[2]
        for t in grid
    ]
    threshold = float(grid[int(np.argmax(f1))])
    model.fit(x[train], y[train])
    flagged: npt.NDArray[np.bool_] = model.predict_proba(x[test])[:, 1] >= threshold
    return flagged


def evaluate(folder: Path) -> dict[str, Any]:
    run = read_amlsim(folder)
    frame = frame_of(run)
    started = time.perf_counter()
    alerts = detect(frame, USED, AMLSIM)
    detect_s = time.perf_counter() - started
    flagged = np.zeros(frame.n_accounts, bool)
    for alert in alerts:
        flagged[list(alert.accounts)] = True
    y = run.labels
    accounts = np.arange(frame.n_accounts)
    train, test = train_test_split(accounts, test_size=0.5, stratify=y, random_state=7)
    raw = raw_features(frame)
    both = np.hstack([raw, typology_features(frame, alerts)])
    return {
        "folder": folder.name,
        "accounts": frame.n_accounts,
        "transactions": frame.n_transactions,
        "labelled": int(y.sum()),
        "test_accounts": int(test.size),
        "alerts": len(alerts),
        "alerts_by_typology": {t.value: sum(a.typology == t.value for a in alerts) for t in USED},
        "detect_s": round(detect_s, 2),
        "typologies": _scores(y[test], flagged[test]),
        "baseline_boosting_raw": _scores(y[test], _boosted(raw, y, train, test)),
        "typologies_plus_boosting": _scores(y[test], _boosted(both, y, train, test)),
    }


def world_frame(
    files: WorldFiles,
) -> tuple[FlowFrame, Departures, list[tuple[str, npt.NDArray[np.int64]]]]:
    """A demo world's frame, the departures of its account holders (its passenger data linked
    to holders as the service links them) and its planted schemes (transaction indexes)."""
    frame = frame_from_jsonl(files.records)
    assert files.passengers is not None
    departures = departures_from_files(frame, files.records, files.passengers)
    index = {t: i for i, t in enumerate(frame.tx_ids.tolist())}
    facts = [orjson.loads(line) for line in files.truth.read_bytes().splitlines()]
    schemes = [
        (f["scheme"], np.array([index[t] for t in f["transactions"]], np.int64))
        for f in facts
        if f["type"] == "scheme"
    ]
    return frame, departures, schemes


def planted(persons: int) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        frame, departures, schemes = world_frame(
            generate_world(WorldSpec(persons=persons), Path(tmp))
        )
    alerts = detect(frame, departures=departures)
    found = {"persons": persons, "schemes": len(schemes), "alerts": len(alerts)}
    return found | recall(alerts, schemes)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--folder", type=Path, default=shared_data_dir() / "aml" / "amlsim_20k_fanin_cycle"
    )
    parser.add_argument("--world", type=int, help="persons of a demo world to check instead")
    args = parser.parse_args()
    print(json.dumps(planted(args.world) if args.world else evaluate(args.folder)))


if __name__ == "__main__":
    main()
