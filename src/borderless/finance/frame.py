"""The columnar snapshot every money-flow analysis runs on.

A `FlowFrame` holds the transactions one agency may see as NumPy columns — source and target
account indexes, amount, EUR value, time (seconds since 1970), channel and countries as small
integer codes — plus the accounts (record id, source id, country, holders) and the holders
themselves (persons and organisations, for networks). Adjacency in compressed sparse row form
(`Adjacency`), ordered by time, is built once per frame and shared by traces and typologies.

Frames are built from chunks of rows (`from_rows`, what `store.finance` yields) or straight
from arrays (`from_arrays`: benchmarks, AMLSim runs); no analysis touches the database.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np
import numpy.typing as npt
import pyarrow as pa  # type: ignore[import-untyped]
import pyarrow.compute as pc  # type: ignore[import-untyped]

from borderless.finance.currency import PER_EUR, to_eur

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]
ObjArray = npt.NDArray[np.object_]


@dataclass(frozen=True)
class Holder:
    """A person or organisation holding an account, with what networks group on."""

    id: str
    kind: str  # "person" or "organisation"
    label: str
    source_id: str | None
    body: Mapping[str, Any]


@dataclass(frozen=True)
class Adjacency:
    """Edges grouped by one end, each group ordered by time: ``order[ptr[a]:ptr[a + 1]]``;
    `ends` and `times` are that end and the time of each edge in this order (kept so that
    scans need not gather them again)."""

    ptr: IntArray
    order: IntArray
    ends: IntArray
    times: IntArray

    def edges_of(self, accounts: IntArray) -> IntArray:
        """Every edge index of `accounts`, concatenated (vectorised CSR gather)."""
        starts, ends = self.ptr[accounts], self.ptr[accounts + 1]
        lengths = ends - starts
        total = int(lengths.sum())
        if total == 0:
            return np.empty(0, np.int64)
        offsets = np.repeat(starts - np.cumsum(lengths) + lengths, lengths)
        return self.order[offsets + np.arange(total)]


def _adjacency(end: IntArray, time: IntArray, n: int) -> Adjacency:
    if time.size == 0:
        empty = np.empty(0, np.int64)
        return Adjacency(np.zeros(n + 1, np.int64), empty, empty, empty)
    t0, span = int(time.min()), int(time.max() - time.min()) + 1
    if n * span < 2**62:  # one int64 key sorts faster than a two-key lexsort
        order = np.argsort(end * span + (time - t0), kind="stable").astype(np.int64)
    else:
        order = np.lexsort((time, end)).astype(np.int64)
    ends = end[order]
    ptr = np.searchsorted(ends, np.arange(n + 1)).astype(np.int64)
    return Adjacency(ptr, order, ends, time[order])


def _codes(values: pa.Array | pa.ChunkedArray, vocabulary: list[str]) -> npt.NDArray[np.int32]:
    """Integer codes of `values` in `vocabulary` (-1 for null or unknown)."""
    found = pc.index_in(values, value_set=pa.array(vocabulary, pa.string()))
    return np.array(found.fill_null(-1).to_numpy(zero_copy_only=False), dtype=np.int32)


def _vocabulary(*columns: pa.Array | pa.ChunkedArray) -> list[str]:
    seen: set[str] = set()
    for column in columns:
        seen.update(v for v in pc.unique(column).to_pylist() if v is not None)
    return sorted(seen)


@dataclass
class FlowFrame:
    # accounts
    account_ids: ObjArray
    account_source: ObjArray
    account_country: npt.NDArray[np.int32]  # code into `countries`, -1 unknown
    account_holders: list[tuple[str, ...]]
    # transactions
    tx_ids: ObjArray
    tx_source: ObjArray
    src: IntArray
    dst: IntArray
    amount: FloatArray
    value: FloatArray  # EUR
    currency: npt.NDArray[np.int32]
    time: IntArray  # seconds since 1970-01-01 UTC
    channel: npt.NDArray[np.int32]
    from_country: npt.NDArray[np.int32]
    to_country: npt.NDArray[np.int32]
    countries: list[str]
    currencies: list[str]
    channels: list[str]
    holders: dict[str, Holder] = field(default_factory=dict)
    # owner agencies (for the audit log): codes into `owners`, -1 unknown
    account_owner: npt.NDArray[np.int32] | None = None
    tx_owner: npt.NDArray[np.int32] | None = None
    owners: list[str] = field(default_factory=list)
    account_iban: ObjArray | None = None
    # results derived from this frame alone, shared between analyses (e.g. payment chains)
    memo: dict[object, object] = field(default_factory=dict, repr=False)

    @property
    def n_accounts(self) -> int:
        return len(self.account_ids)

    @property
    def n_transactions(self) -> int:
        return len(self.tx_ids)

    @cached_property
    def out_edges(self) -> Adjacency:
        return _adjacency(self.src, self.time, self.n_accounts)

    @cached_property
    def in_edges(self) -> Adjacency:
        return _adjacency(self.dst, self.time, self.n_accounts)

    @cached_property
    def account_index(self) -> dict[str, int]:
        return {a: i for i, a in enumerate(self.account_ids.tolist())}

    @cached_property
    def accounts_of_holder(self) -> dict[str, list[int]]:
        found: dict[str, list[int]] = {}
        for i, holders in enumerate(self.account_holders):
            for holder in holders:
                found.setdefault(holder, []).append(i)
        return found

    def country_code(self, alpha3: str) -> int:
        return self.countries.index(alpha3) if alpha3 in self.countries else -2

    def channel_code(self, name: str) -> int:
        return self.channels.index(name) if name in self.channels else -2

    def country_name(self, code: int) -> str | None:
        return self.countries[code] if code >= 0 else None

    def cross_border(self) -> npt.NDArray[np.bool_]:
        """Transactions whose two countries are known and differ."""
        known = (self.from_country >= 0) & (self.to_country >= 0)
        result: npt.NDArray[np.bool_] = known & (self.from_country != self.to_country)
        return result


def _column(chunks: Sequence[Sequence[Any]], index: int, kind: pa.DataType) -> pa.ChunkedArray:
    return pa.chunked_array(
        [pa.array([row[index] for row in chunk], kind) for chunk in chunks], type=kind
    )


def _times(iso: pa.ChunkedArray) -> IntArray:
    stamps = pc.cast(iso, pa.timestamp("s", tz="UTC"))
    return np.array(stamps.cast(pa.int64()).to_numpy(zero_copy_only=False), np.int64)


def from_rows(
    transactions: Iterable[Sequence[Any]],
    accounts: Iterable[Sequence[Any]],
    holders: Iterable[Sequence[Any]] = (),
    rates: Mapping[str, float] = PER_EUR,
) -> FlowFrame:
    """A frame from chunks of rows in `store.finance` column order."""
    tx_chunks = [c for c in transactions if len(c)]
    acc_chunks = [c for c in accounts if len(c)]
    string = pa.string()
    tx = {
        name: _column(tx_chunks, i, pa.float64() if name == "amount" else string)
        for i, name in enumerate(
            (
                "id",
                "source",
                "owner",
                "from",
                "to",
                "amount",
                "currency",
                "time",
                "channel",
                "fc",
                "tc",
            )
        )
    }
    acc_ids = _column(acc_chunks, 0, string)
    all_ids = _vocabulary(acc_ids, tx["from"], tx["to"])
    account_ids = np.array(all_ids, dtype=object)
    index = {a: i for i, a in enumerate(all_ids)}
    source = np.empty(len(all_ids), dtype=object)
    iban_of = np.empty(len(all_ids), dtype=object)
    holders_of: list[tuple[str, ...]] = [()] * len(all_ids)
    countries = _vocabulary(_column(acc_chunks, 3, string), tx["fc"], tx["tc"])
    acc_owners = _column(acc_chunks, 2, string)
    owners = _vocabulary(acc_owners, tx["owner"])
    account_owner = np.full(len(all_ids), -1, np.int32)
    account_country = np.full(len(all_ids), -1, np.int32)
    for chunk in acc_chunks:
        for rid, src_id, owner, country, iban, number, holder_ids in chunk:
            i = index[rid]
            account_owner[i] = owners.index(owner)
            source[i] = src_id or iban or number
            iban_of[i] = iban
            holders_of[i] = tuple(holder_ids or ())
            if country:
                account_country[i] = countries.index(country)
    currencies = _vocabulary(tx["currency"])
    channels = _vocabulary(tx["channel"])
    currency = _codes(tx["currency"], currencies)
    amount = np.array(tx["amount"].to_numpy(), np.float64)
    frame = FlowFrame(
        account_ids=account_ids,
        account_source=source,
        account_country=account_country,
        account_holders=holders_of,
        account_owner=account_owner,
        account_iban=iban_of,
        tx_ids=np.asarray(tx["id"].to_numpy(zero_copy_only=False), dtype=object),
        tx_source=np.asarray(tx["source"].to_numpy(zero_copy_only=False), dtype=object),
        src=_codes(tx["from"], all_ids).astype(np.int64),
        dst=_codes(tx["to"], all_ids).astype(np.int64),
        amount=amount,
        value=to_eur(amount, currency, currencies, rates),
        currency=currency,
        time=_times(tx["time"]),
        channel=_codes(tx["channel"], channels),
        from_country=_codes(tx["fc"], countries),
        to_country=_codes(tx["tc"], countries),
        countries=countries,
        currencies=currencies,
        channels=channels,
        tx_owner=_codes(tx["owner"], owners),
        owners=owners,
    )
    _fill_countries(frame)
    for chunk in holders:
        for rid, kind, src_id, label, body in chunk:
            frame.holders[rid] = Holder(rid, kind, label, src_id, body)
    return frame


def _fill_countries(frame: FlowFrame) -> None:
    """Take a transaction's missing side country from its account, and the other way round."""
    for side, end in ((frame.from_country, frame.src), (frame.to_country, frame.dst)):
        missing = side < 0
        side[missing] = frame.account_country[end[missing]]
        unknown = frame.account_country[end] < 0
        frame.account_country[end[unknown & (side >= 0)]] = side[unknown & (side >= 0)]


@dataclass(frozen=True)
class ArrayFlows:
    """Plain arrays describing flows (benchmarks, AMLSim runs, the demo world's file)."""

    account_ids: Sequence[str]
    src: IntArray
    dst: IntArray
    amount: FloatArray
    time: IntArray
    account_country: Sequence[str | None] | None = None
    channel: Sequence[str | None] | None = None
    currency: str = "EUR"
    tx_ids: Sequence[str] | None = None
    # channels as codes into `channel_names` (instead of `channel`: no 10 M strings)
    channel_codes: IntArray | None = None
    channel_names: Sequence[str] = ()
    account_holders: Sequence[tuple[str, ...]] | None = None
    holders: Mapping[str, Holder] | None = None


def from_arrays(flows: ArrayFlows, rates: Mapping[str, float] = PER_EUR) -> FlowFrame:
    """A frame from arrays; transaction countries come from the accounts."""
    n, m = len(flows.account_ids), len(flows.src)
    country_names = list(flows.account_country or [None] * n)
    countries = sorted({c for c in country_names if c})
    account_country = np.array(
        [countries.index(c) if c else -1 for c in country_names], dtype=np.int32
    )
    channels: list[str] = []
    channel = np.full(m, -1, np.int32)
    if flows.channel_codes is not None:
        channels = list(flows.channel_names)
        channel = np.asarray(flows.channel_codes, np.int32)
    elif flows.channel is not None:
        channels = sorted({c for c in flows.channel if c})
        channel = _codes(pa.array(list(flows.channel), pa.string()), channels)
    ids = np.array(list(flows.account_ids), dtype=object)
    # without ids, a transaction is known by its row number (kept as a number: no 10M strings)
    tx_ids = np.array(list(flows.tx_ids), dtype=object) if flows.tx_ids is not None else None
    rows = np.arange(m, dtype=np.int64)
    currency = np.zeros(m, np.int32)
    return FlowFrame(
        account_ids=ids,
        account_source=ids.copy(),
        account_country=account_country,
        account_holders=list(flows.account_holders or [()] * n),
        tx_ids=tx_ids if tx_ids is not None else rows,  # type: ignore[arg-type]
        tx_source=tx_ids.copy() if tx_ids is not None else rows,  # type: ignore[arg-type]
        src=np.asarray(flows.src, np.int64),
        dst=np.asarray(flows.dst, np.int64),
        amount=np.asarray(flows.amount, np.float64),
        value=to_eur(np.asarray(flows.amount, np.float64), currency, [flows.currency], rates),
        currency=currency,
        time=np.asarray(flows.time, np.int64),
        channel=channel,
        from_country=account_country[np.asarray(flows.src, np.int64)],
        to_country=account_country[np.asarray(flows.dst, np.int64)],
        countries=countries,
        currencies=[flows.currency],
        channels=channels,
        holders=dict(flows.holders or {}),
    )
