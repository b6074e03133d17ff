"""Reader for IBM AMLSim outputs, in both layouts found in the wild.

- **Graph layout** (the public sample runs): ``nodes.csv`` (``nodeid,isFraud,init_balance,
  fraudStep``) and ``transactions.csv`` (``sourceNodeId,targetNodeId,value,time``). Transactions
  carry no id: their source id is the data line number. ``time`` is a simulation step (a day).
- **Export layout** (AMLSim 2.x): ``accounts.csv`` (``acct_id,…,acct_rptng_crncy,…,country,…``),
  ``transactions.csv`` (``tran_id,orig_acct,bene_acct,tx_type,base_amt,tran_timestamp,is_sar,
  alert_id``) and optionally ``alert_accounts.csv`` (SAR accounts by alert).

Steps become dates from `STEP_ZERO` (one step, one day). The labels (fraud / SAR accounts) are
ground truth for evaluation, not intelligence: they are returned beside the records
(`AmlsimRun.labels`) and never stored in them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import numpy.typing as npt

from borderless.errors import FormatError
from borderless.formats.transactions_csv import (
    Account,
    FlowBuilder,
    RowError,
    Transfer,
    parse_amount,
    parse_time,
)

STEP_ZERO = datetime(2025, 1, 1, tzinfo=UTC)
DEFAULT_CURRENCY = "USD"  # AMLSim's base currency
GRAPH_NODES = ("nodeid", "isFraud", "init_balance", "fraudStep")
GRAPH_TX = ("sourceNodeId", "targetNodeId", "value", "time")
EXPORT_ACCOUNTS = ("acct_id", "acct_rptng_crncy", "country")
EXPORT_TX = ("tran_id", "orig_acct", "bene_acct", "tx_type", "base_amt", "tran_timestamp")


@dataclass
class AmlsimRun:
    """One AMLSim run as columns (for analytics) plus the labels of its accounts."""

    path: Path
    account_ids: list[str]
    labels: npt.NDArray[np.bool_]  # per account: fraud (graph layout) or SAR (export layout)
    tx_ids: list[str]
    src: npt.NDArray[np.int64]  # account index
    dst: npt.NDArray[np.int64]
    amount: npt.NDArray[np.float64]
    time: npt.NDArray[np.int64]  # seconds since STEP_ZERO
    channel: list[str | None]
    currency: str = DEFAULT_CURRENCY
    countries: dict[str, str] = field(default_factory=dict)  # account id -> country

    @property
    def label_count(self) -> int:
        return int(self.labels.sum())


def _rows(path: Path, required: tuple[str, ...]) -> Iterator[tuple[int, dict[str, str]]]:
    if not path.is_file():
        raise FormatError(path, None, "no such file")
    with path.open(newline="", encoding="utf-8-sig") as handle:
        reader = csv.DictReader(handle)
        missing = [c for c in required if c not in (reader.fieldnames or [])]
        if missing:
            raise FormatError(path, "line 1", f"missing column(s) {', '.join(missing)}")
        for row in reader:
            if None in row:
                raise FormatError(path, f"line {reader.line_num}", "more fields than the header")
            yield reader.line_num, row


def _index(path: Path, line: int, column: str, value: str, known: dict[str, int]) -> int:
    try:
        return known[value.strip()]
    except KeyError:
        raise FormatError(path, f"line {line}", f"{column}: unknown account {value!r}") from None


def read_amlsim(folder: Path) -> AmlsimRun:
    """Read an AMLSim output folder (either layout), validating every line."""
    if not folder.is_dir():
        raise FormatError(folder, None, "expected an AMLSim output folder")
    if (folder / "nodes.csv").is_file():
        return _graph_layout(folder)
    if (folder / "accounts.csv").is_file():
        return _export_layout(folder)
    raise FormatError(folder, None, "expected nodes.csv (graph layout) or accounts.csv (export)")


def _graph_layout(folder: Path) -> AmlsimRun:
    nodes, txs = folder / "nodes.csv", folder / "transactions.csv"
    ids: list[str] = []
    labels: list[bool] = []
    for line, row in _rows(nodes, GRAPH_NODES):
        flag = row["isFraud"].strip()
        if flag not in ("0", "1"):
            raise FormatError(nodes, f"line {line}", f"isFraud: expected 0 or 1, got {flag!r}")
        ids.append(row["nodeid"].strip())
        labels.append(flag == "1")
    known = {a: i for i, a in enumerate(ids)}
    src, dst, amount, time, tx_ids = [], [], [], [], []
    for line, row in _rows(txs, GRAPH_TX):
        src.append(_index(txs, line, "sourceNodeId", row["sourceNodeId"], known))
        dst.append(_index(txs, line, "targetNodeId", row["targetNodeId"], known))
        try:
            amount.append(parse_amount(row["value"]))
            step = int(row["time"])
        except RowError as exc:
            raise FormatError(txs, f"line {line}", str(exc)) from None
        except ValueError:
            problem = f"time: expected a step number, got {row['time']!r}"
            raise FormatError(txs, f"line {line}", problem) from None
        time.append(step * 86_400)
        tx_ids.append(str(line))
    return AmlsimRun(
        folder,
        ids,
        np.array(labels, bool),
        tx_ids,
        np.array(src, np.int64),
        np.array(dst, np.int64),
        np.array(amount, np.float64),
        np.array(time, np.int64),
        [None] * len(tx_ids),
    )


def _export_layout(folder: Path) -> AmlsimRun:
    accounts, txs = folder / "accounts.csv", folder / "transactions.csv"
    ids: list[str] = []
    countries: dict[str, str] = {}
    currency = DEFAULT_CURRENCY
    for _line, row in _rows(accounts, EXPORT_ACCOUNTS):
        ids.append(row["acct_id"].strip())
        currency = row["acct_rptng_crncy"].strip() or currency
        if row["country"].strip():
            countries[ids[-1]] = row["country"].strip()
    known = {a: i for i, a in enumerate(ids)}
    sar: set[str] = set()
    alerts = folder / "alert_accounts.csv"
    if alerts.is_file():
        for line, row in _rows(alerts, ("acct_id", "is_sar")):
            _index(alerts, line, "acct_id", row["acct_id"], known)
            if row["is_sar"].strip().lower() == "true":
                sar.add(row["acct_id"].strip())
    src, dst, amount, time, tx_ids, channel = [], [], [], [], [], []
    for line, row in _rows(txs, EXPORT_TX):
        src.append(_index(txs, line, "orig_acct", row["orig_acct"], known))
        dst.append(_index(txs, line, "bene_acct", row["bene_acct"], known))
        try:
            amount.append(parse_amount(row["base_amt"]))
            at = parse_time(row["tran_timestamp"])
        except RowError as exc:
            raise FormatError(txs, f"line {line}", str(exc)) from None
        time.append(int((at - STEP_ZERO).total_seconds()))
        tx_ids.append(row["tran_id"].strip())
        channel.append(row["tx_type"].strip().lower() or None)
    return AmlsimRun(
        folder,
        ids,
        np.array([a in sar for a in ids], bool),
        tx_ids,
        np.array(src, np.int64),
        np.array(dst, np.int64),
        np.array(amount, np.float64),
        np.array(time, np.int64),
        channel,
        currency,
        countries,
    )


def amlsim_records(run: AmlsimRun, limit: int | None = None) -> FlowBuilder:
    """The run as account and transaction drafts (the first `limit` transactions, or all)."""
    builder = FlowBuilder("amlsim", run.path)
    count = len(run.tx_ids) if limit is None else min(limit, len(run.tx_ids))
    used = range(len(run.account_ids))
    if limit is not None:
        used = np.unique(np.concatenate([run.src[:count], run.dst[:count]])).tolist()
    for i in used:
        account = run.account_ids[i]
        builder.fill_account(
            f"account {account}",
            Account(account, country=run.countries.get(account), currency=run.currency),
        )
    for k in range(count):
        src, dst = run.account_ids[run.src[k]], run.account_ids[run.dst[k]]
        builder.transfer(
            f"transaction {run.tx_ids[k]}",
            Transfer(
                source_id=run.tx_ids[k],
                from_account=src,
                to_account=dst,
                amount=float(run.amount[k]),
                currency=run.currency,
                time=STEP_ZERO + timedelta(seconds=int(run.time[k])),
                channel=run.channel[k],
                from_country=run.countries.get(src),
                to_country=run.countries.get(dst),
            ),
        )
    return builder
