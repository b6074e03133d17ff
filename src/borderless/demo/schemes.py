"""Money-laundering and terrorist-financing schemes planted in the demo world's transactions.

Each scheme is a known typology (FATF / Egmont case patterns) that the finance services should
find among background traffic: fan-in, fan-out, round-tripping cycles, scatter-gather,
gather-scatter, structuring below a reporting threshold, rapid pass-through mule accounts,
cross-border layering chains, charity flows to high-risk geographies, and accounts emptied
just before the holder flies out. A scheme only decides who pays whom, how much (in EUR
equivalent) and when, and who departs when; the world generator turns that into records and
passenger data, so the schemes stay independent of the record format.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from itertools import pairwise
from typing import Protocol

HOUR = 3600
DAY = 24 * HOUR
YEAR_SECONDS = 365 * DAY

OFFSHORE = ("ARE", "CYP", "MLT", "LVA", "HKG", "GBR")
HIGH_RISK = ("SYR", "SOM", "AFG", "YEM", "IRQ")
EURO = ("NLD", "DEU", "FRA", "ESP")
REPORTING_THRESHOLD = 10_000.0


class Ledger(Protocol):
    """What a scheme may ask of the world: accounts to use or open, and where they are."""

    rnd: random.Random
    home: str  # the member country the scheme is centred on

    def existing(self, holder_kind: str, count: int) -> list[int]:
        """Up to `count` distinct existing accounts held by a 'person', 'charity' or 'company'."""
        ...

    def open_account(self, country: str, holder_kind: str) -> int:
        """A new account in `country` held by a 'person', 'charity' or 'front' company, or by a
        'traveller': a person whose passenger data will name them (a document or birth date)."""
        ...

    def country_of(self, account: int) -> str: ...


@dataclass
class Planted:
    """One planted scheme: its transactions (source, target, EUR amount, time, channel), and
    departures (account whose holder flies out, time)."""

    scheme: str
    transactions: list[tuple[int, int, float, int, str]] = field(default_factory=list)
    accounts: list[int] = field(default_factory=list)
    departures: list[tuple[int, int]] = field(default_factory=list)

    def pay(self, src: int, dst: int, amount: float, time: int, channel: str) -> None:
        self.transactions.append((src, dst, round(amount, 2), time, channel))
        for account in (src, dst):
            if account not in self.accounts:
                self.accounts.append(account)


def _start(rnd: random.Random) -> int:
    """A start time that leaves a month for the scheme to unfold within 2025."""
    return rnd.randrange(0, YEAR_SECONDS - 40 * DAY)


def _elsewhere(ledger: Ledger, pool: Sequence[str], avoid: Sequence[str] = ()) -> str:
    options = [c for c in pool if c not in avoid and c != ledger.home] or list(pool)
    return ledger.rnd.choice(options)


def _enough(ledger: Ledger, kind: str, count: int) -> list[int]:
    """`count` accounts of `kind`, opening new ones at home when the chunk holds too few."""
    found = ledger.existing(kind, count)
    found += [ledger.open_account(ledger.home, kind) for _ in range(count - len(found))]
    return found


def _gather(
    ledger: Ledger,
    plan: Planted,
    account: int,
    senders: int,
    amounts: tuple[float, float],
    window: tuple[int, int],
) -> float:
    """People pay `account` amounts drawn from `amounts` within `window` (start, length) by
    transfer; returns the total received."""
    rnd, total = ledger.rnd, 0.0
    for src in _enough(ledger, "person", senders):
        amount = rnd.uniform(*amounts)
        total += amount
        plan.pay(src, account, amount, window[0] + rnd.randrange(window[1]), "transfer")
    return total


def fan_in(ledger: Ledger) -> Planted:
    """Many accounts pay one collector account within days."""
    rnd, plan = ledger.rnd, Planted("fan_in")
    collector = ledger.open_account(ledger.home, "front")
    t0 = _start(rnd)
    for src in _enough(ledger, "person", rnd.randint(8, 16)):
        plan.pay(src, collector, rnd.uniform(2_000, 9_000), t0 + rnd.randrange(5 * DAY), "wire")
    return plan


def fan_out(ledger: Ledger) -> Planted:
    """One account pays many accounts within days (distribution to mules or cells)."""
    rnd, plan = ledger.rnd, Planted("fan_out")
    source = ledger.open_account(ledger.home, "front")
    t0 = _start(rnd)
    for dst in _enough(ledger, "person", rnd.randint(8, 16)):
        plan.pay(source, dst, rnd.uniform(1_500, 8_000), t0 + rnd.randrange(4 * DAY), "wire")
    return plan


def cycle(ledger: Ledger) -> Planted:
    """Round-tripping: money goes through 3-6 companies abroad and returns to its start."""
    rnd, plan = ledger.rnd, Planted("cycle")
    countries = [ledger.home, *rnd.sample(OFFSHORE, rnd.randint(2, 5))]
    ring = [ledger.open_account(c, "front") for c in countries]
    amount, t = rnd.uniform(50_000, 500_000), _start(rnd)
    for i, src in enumerate(ring):
        t += rnd.randrange(2 * HOUR, 3 * DAY)
        plan.pay(src, ring[(i + 1) % len(ring)], amount, t, "wire")
        amount *= 1 - rnd.uniform(0.005, 0.03)
    return plan


def scatter_gather(ledger: Ledger) -> Planted:
    """One source splits money over intermediaries who all forward it to one sink."""
    rnd, plan = ledger.rnd, Planted("scatter_gather")
    source = ledger.open_account(ledger.home, "front")
    sink = ledger.open_account(_elsewhere(ledger, OFFSHORE), "front")
    t0 = _start(rnd)
    for mid in _enough(ledger, "person", rnd.randint(4, 8)):
        amount, t_in = rnd.uniform(5_000, 9_500), t0 + rnd.randrange(DAY)
        plan.pay(source, mid, amount, t_in, "transfer")
        plan.pay(
            mid, sink, amount * rnd.uniform(0.9, 0.98), t_in + rnd.randrange(HOUR, 3 * DAY), "wire"
        )
    return plan


def gather_scatter(ledger: Ledger) -> Planted:
    """Many sources pay one hub, which then pays many destinations abroad."""
    rnd, plan = ledger.rnd, Planted("gather_scatter")
    hub = ledger.open_account(ledger.home, "front")
    t0 = _start(rnd)
    total = _gather(ledger, plan, hub, rnd.randint(5, 10), (3_000, 9_000), (t0, 3 * DAY))
    destinations = [
        ledger.open_account(_elsewhere(ledger, OFFSHORE), "front") for _ in range(rnd.randint(3, 6))
    ]
    for dst in destinations:
        share = total * 0.95 / len(destinations)
        plan.pay(hub, dst, share, t0 + rnd.randrange(4 * DAY, 8 * DAY), "wire")
    return plan


def structuring(ledger: Ledger) -> Planted:
    """Many cash deposits just under the reporting threshold into one euro account."""
    rnd, plan = ledger.rnd, Planted("structuring")
    home = ledger.home if ledger.home in EURO else rnd.choice(EURO)
    target = ledger.open_account(home, "person")
    depositors = [ledger.open_account(home, "person") for _ in range(rnd.randint(2, 4))]
    t0 = _start(rnd)
    for _ in range(rnd.randint(8, 20)):
        amount = REPORTING_THRESHOLD - rnd.randrange(5, 100) * 10
        plan.pay(rnd.choice(depositors), target, amount, t0 + rnd.randrange(14 * DAY), "cash")
    return plan


def rapid_pass_through(ledger: Ledger) -> Planted:
    """A mule account receives money and sends nearly all of it abroad within hours."""
    rnd, plan = ledger.rnd, Planted("rapid_pass_through")
    mule = ledger.open_account(ledger.home, "person")
    exit_account = ledger.open_account(_elsewhere(ledger, OFFSHORE), "front")
    t = _start(rnd)
    for src in _enough(ledger, "person", rnd.randint(2, 5)):
        amount = rnd.uniform(3_000, 30_000)
        t += rnd.randrange(DAY, 4 * DAY)
        plan.pay(src, mule, amount, t, "transfer")
        plan.pay(
            mule,
            exit_account,
            amount * rnd.uniform(0.9, 0.98),
            t + rnd.randrange(1_200, 6 * HOUR),
            "wire",
        )
    return plan


def layering(ledger: Ledger) -> Planted:
    """A cross-border chain: each hop moves the money to a company in another country."""
    rnd, plan = ledger.rnd, Planted("layering")
    countries = [ledger.home, *rnd.sample(OFFSHORE, rnd.randint(3, 5))]
    chain = [ledger.open_account(c, "front") for c in countries]
    amount, t = rnd.uniform(80_000, 900_000), _start(rnd)
    for src, dst in pairwise(chain):
        t += rnd.randrange(DAY, 3 * DAY)
        plan.pay(src, dst, amount, t, "wire")
        amount *= 1 - rnd.uniform(0.01, 0.04)
    return plan


def npo_high_risk(ledger: Ledger) -> Planted:
    """A charity collects small donations and wires them on to high-risk geographies."""
    rnd, plan = ledger.rnd, Planted("npo_high_risk")
    charity = (ledger.existing("charity", 1) or [ledger.open_account(ledger.home, "charity")])[0]
    t0 = _start(rnd)
    total = 0.0
    for donor in _enough(ledger, "person", rnd.randint(6, 15)):
        amount = rnd.uniform(50, 2_000)
        total += amount
        plan.pay(
            donor, charity, amount, t0 + rnd.randrange(10 * DAY), rnd.choice(("card", "transfer"))
        )
    targets = [ledger.open_account(c, "person") for c in rnd.sample(HIGH_RISK, rnd.randint(2, 3))]
    for dst in targets:
        share = total * rnd.uniform(0.2, 0.4)
        plan.pay(
            charity,
            dst,
            share,
            t0 + rnd.randrange(10 * DAY, 20 * DAY),
            rnd.choice(("wire", "hawala")),
        )
    return plan


def drained_before_travel(ledger: Ledger) -> Planted:
    """Money gathered on a person's account leaves it, abroad and in cash, in the two days
    before the holder flies out (flight from justice, or funds moved ahead of a departure)."""
    rnd, plan = ledger.rnd, Planted("drained_before_travel")
    account = ledger.open_account(ledger.home, "traveller")
    t0 = _start(rnd)
    received = _gather(ledger, plan, account, rnd.randint(2, 4), (3_000, 12_000), (t0, 20 * DAY))
    drain = t0 + 21 * DAY
    abroad = ledger.open_account(_elsewhere(ledger, OFFSHORE), "front")
    plan.pay(account, abroad, received * rnd.uniform(0.6, 0.65), drain + rnd.randrange(DAY), "wire")
    [associate] = _enough(ledger, "person", 1)
    cash = received * rnd.uniform(0.3, 0.32)
    plan.pay(account, associate, cash, drain + DAY + rnd.randrange(DAY), "cash")
    plan.departures.append((account, drain + 2 * DAY + rnd.randrange(6 * HOUR, 2 * DAY)))
    return plan


SCHEMES: dict[str, Callable[[Ledger], Planted]] = {
    f.__name__: f
    for f in (
        fan_in,
        fan_out,
        cycle,
        scatter_gather,
        gather_scatter,
        structuring,
        rapid_pass_through,
        layering,
        npo_high_risk,
        drained_before_travel,
    )
}
