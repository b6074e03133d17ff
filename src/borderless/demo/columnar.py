"""The demo world's money at national scale, as columns: accounts, a year of payments with the
planted schemes, and the departures of account holders.

The JSON Lines world writes a record per account and payment and cannot reach 10 M payments in
reasonable time; this form skips the records. Background traffic comes from the same draw
(`flows.background`), the schemes from the same `SCHEMES` through a columnar `Ledger`, and
account countries from the world's member weights (recorded persons' accounts: 92 % at home,
the rest offshore). Holders are not persons here: a departure names the account whose holder
leaves (the holder-traveller link is the service's work, tested on the JSON Lines world).
"""

from __future__ import annotations

import random
from dataclasses import dataclass

import numpy as np

from borderless.demo.flows import Flows, IntArray, Payers, background
from borderless.demo.schemes import DAY, OFFSHORE, SCHEMES
from borderless.demo.world import ACCOUNT_COUNTRIES, COUNTRY_INDEX, MEMBERS, TRAVEL_SHARE

# Accounts per planted scheme: the JSON Lines world plants one per 250 persons and opens about
# 0.45 accounts per person (0.41 held by persons, 0.035 by organisations).
ACCOUNTS_PER_SCHEME = 110
HOLDER_KINDS = (("person", 0.92), ("company", 0.056), ("charity", 0.01), ("front", 0.014))
ABROAD = 0.08  # accounts opened offshore


@dataclass(frozen=True)
class ColumnarSpec:
    accounts: int = 1_000_000
    transactions: int = 10_000_000  # on average; the draw is Poisson
    seed: int = 7


@dataclass(frozen=True)
class ColumnarWorld:
    country: IntArray  # per account, a code into `ACCOUNT_COUNTRIES`
    kind: list[str]  # per account, its holder kind
    flows: Flows  # background first, then the planted schemes' payments
    schemes: list[tuple[str, IntArray]]  # (typology, indexes of its payments in `flows`)
    departures: tuple[IntArray, IntArray]  # (account, seconds since 2025-01-01)


@dataclass
class _Ledger:
    """The `schemes.Ledger` over columns: existing accounts are taken from shuffled pools per
    (kind, country), so that schemes share none; new ones are appended."""

    rnd: random.Random
    country: list[int]
    kind: list[str]
    pools: dict[tuple[str, int], list[int]]
    home: str = MEMBERS[0].code

    def existing(self, holder_kind: str, count: int) -> list[int]:
        home = COUNTRY_INDEX[self.home]
        others = [c for c in range(len(ACCOUNT_COUNTRIES)) if c != home]
        picked: list[int] = []
        for c in [home, *self.rnd.sample(others, len(others))]:
            pool = self.pools.get((holder_kind, c), [])
            while pool and len(picked) < count:
                picked.append(pool.pop())
        return picked

    def open_account(self, country: str, holder_kind: str) -> int:
        self.country.append(COUNTRY_INDEX[country])
        self.kind.append("person" if holder_kind == "traveller" else holder_kind)
        return len(self.country) - 1

    def country_of(self, account: int) -> str:
        return ACCOUNT_COUNTRIES[self.country[account]]


def _accounts(gen: np.random.Generator, n: int) -> tuple[IntArray, IntArray]:
    """Holder kind (index into `HOLDER_KINDS`) and country code of `n` accounts."""
    kinds = gen.choice(len(HOLDER_KINDS), n, p=[w for _, w in HOLDER_KINDS])
    weights = np.array([m.weight for m in MEMBERS])
    members = np.array([COUNTRY_INDEX[m.code] for m in MEMBERS])
    offshore = np.array([COUNTRY_INDEX[c] for c in OFFSHORE])
    country = members[gen.choice(len(MEMBERS), n, p=weights / weights.sum())]
    abroad = gen.random(n) < ABROAD
    country[abroad] = offshore[gen.integers(0, offshore.size, int(abroad.sum()))]
    return kinds.astype(np.int64), country.astype(np.int64)


def columnar_world(spec: ColumnarSpec) -> ColumnarWorld:
    """Accounts, a year of background payments, planted schemes and departures (seeded)."""
    gen = np.random.default_rng(spec.seed)
    kinds, country = _accounts(gen, spec.accounts)
    by_country = [np.flatnonzero(country == c) for c in range(len(ACCOUNT_COUNTRIES))]
    everyday = background(
        gen, Payers(0, spec.accounts, country, by_country), spec.transactions / spec.accounts
    )
    # schemes draw from a sample of the accounts: enough for all of them, cheap to index
    sample = gen.choice(spec.accounts, min(spec.accounts, 200_000), replace=False)
    pools: dict[tuple[str, int], list[int]] = {}
    for account in sample.tolist():
        pools.setdefault((HOLDER_KINDS[kinds[account]][0], int(country[account])), []).append(
            account
        )
    ledger = _Ledger(
        random.Random(spec.seed),
        country.tolist(),
        [HOLDER_KINDS[k][0] for k in kinds.tolist()],
        pools,
    )
    names = list(SCHEMES)
    weights = [m.weight for m in MEMBERS]
    planted = []
    for index in range(max(len(SCHEMES), spec.accounts // ACCOUNTS_PER_SCHEME)):
        ledger.home = ledger.rnd.choices(MEMBERS, weights)[0].code
        planted.append(SCHEMES[names[index % len(names)]](ledger))
    rows = [t for plan in planted for t in plan.transactions]
    flows = everyday.then(Flows.of(rows))
    schemes = []
    offset = len(everyday)
    for plan in planted:
        schemes.append((plan.scheme, np.arange(offset, offset + len(plan.transactions))))
        offset += len(plan.transactions)
    # everyday trips of person-held accounts' holders, and the planted departures
    people = np.flatnonzero(kinds == 0)
    travel = people[gen.random(people.size) < TRAVEL_SHARE]
    leaving = gen.integers(0, 365 * DAY, travel.size)
    planted_trips = [d for plan in planted for d in plan.departures]
    accounts = np.concatenate([travel, np.array([a for a, _ in planted_trips], np.int64)])
    times = np.concatenate([leaving, np.array([t for _, t in planted_trips], np.int64)])
    return ColumnarWorld(
        np.array(ledger.country, np.int64), ledger.kind, flows, schemes, (accounts, times)
    )
