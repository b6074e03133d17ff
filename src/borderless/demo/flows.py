"""The demo world's background money traffic, drawn with NumPy.

One implementation for both forms of the world: the JSON Lines generator (`world.py`) draws
each chunk's traffic here and writes it as records; the columnar world (`columnar.py`) draws a
whole national-scale year here at once for benchmarks. Same distributions in both: activity per
account ~ gamma(2, 0.5) x the mean, 80 % of payments to an account of the payer's country, a
channel by domestic or cross-border weights, log-normal EUR amounts per channel, a time of day
by `HOUR_WEIGHTS` on one of 365 days of 2025.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from borderless.demo.schemes import DAY, HOUR

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]

# background channels: (name, domestic weight, cross-border weight, median EUR, sigma)
CHANNELS: tuple[tuple[str, float, float, float, float], ...] = (
    ("transfer", 0.5, 0.0, 300.0, 1.2),
    ("card", 0.3, 0.1, 45.0, 0.9),
    ("cash", 0.1, 0.0, 200.0, 1.0),
    ("direct_debit", 0.1, 0.0, 120.0, 0.7),
    ("wire", 0.0, 0.85, 2500.0, 1.3),
    ("crypto", 0.0, 0.05, 800.0, 1.5),
)
CHANNEL_NAMES = (*(c[0] for c in CHANNELS), "hawala")  # schemes also use hawala
HOUR_WEIGHTS = np.array(
    [1, 1, 1, 1, 1, 2, 4, 6, 8, 9, 9, 9, 10, 9, 9, 9, 8, 8, 7, 6, 5, 4, 2, 1], float
)
DOMESTIC = 0.8


@dataclass(frozen=True)
class Flows:
    """Payments as columns: account indexes, EUR amount, seconds since 2025-01-01 UTC and a
    code into `CHANNEL_NAMES`."""

    src: IntArray
    dst: IntArray
    amount: FloatArray
    seconds: IntArray
    channel: IntArray

    def __len__(self) -> int:
        return int(self.src.size)

    @classmethod
    def of(cls, rows: Sequence[tuple[int, int, float, int, str]]) -> Flows:
        """Planted payments (source, target, EUR, seconds, channel name) as columns."""
        if not rows:
            empty = np.empty(0, np.int64)
            return cls(empty, empty, np.empty(0), empty, empty)
        src, dst, amount, seconds, channel = zip(*rows, strict=True)
        return cls(
            np.array(src, np.int64),
            np.array(dst, np.int64),
            np.array(amount, np.float64),
            np.array(seconds, np.int64),
            np.array([CHANNEL_NAMES.index(c) for c in channel], np.int64),
        )

    def then(self, other: Flows) -> Flows:
        """These payments followed by `other`'s."""
        return Flows(
            *(
                np.concatenate([getattr(self, name), getattr(other, name)])
                for name in ("src", "dst", "amount", "seconds", "channel")
            )
        )


@dataclass(frozen=True)
class Payers:
    """Who pays: accounts [first, end) pay any account below `end`; `country` holds a country
    code per account (at least up to `end`) and `by_country` the accounts of each country."""

    first: int
    end: int
    country: IntArray
    by_country: Sequence[IntArray]


def background(gen: np.random.Generator, payers: Payers, per_account: float) -> Flows:
    """A year of everyday payments of the accounts [first, end), `per_account` on average."""
    first, end, countries = payers.first, payers.end, payers.country
    activity = gen.gamma(2.0, 0.5, end - first) * per_account
    src = np.repeat(np.arange(first, end), gen.poisson(activity))
    dst = gen.integers(0, end, src.size)
    domestic = gen.random(src.size) < DOMESTIC
    src_country = countries[src]
    for c in np.unique(src_country[domestic]).tolist():
        pick = np.flatnonzero(domestic & (src_country == c))
        pool = payers.by_country[c]
        dst[pick] = pool[gen.integers(0, pool.size, pick.size)]
    dst = np.where(dst == src, (dst + 1) % end, dst)
    cross = countries[dst] != src_country
    dom_w = np.array([c[1] for c in CHANNELS])
    cross_w = np.array([c[2] for c in CHANNELS])
    channel = np.where(
        cross,
        gen.choice(len(CHANNELS), src.size, p=cross_w / cross_w.sum()),
        gen.choice(len(CHANNELS), src.size, p=dom_w / dom_w.sum()),
    )
    medians = np.array([c[3] for c in CHANNELS])
    sigmas = np.array([c[4] for c in CHANNELS])
    amount = np.minimum(
        np.exp(np.log(medians[channel]) + sigmas[channel] * gen.standard_normal(src.size)), 2e6
    )
    hours = gen.choice(24, src.size, p=HOUR_WEIGHTS / HOUR_WEIGHTS.sum())
    seconds = gen.integers(0, 365, src.size) * DAY + hours * HOUR + gen.integers(0, HOUR, src.size)
    return Flows(src, dst, amount, seconds, channel.astype(np.int64))
