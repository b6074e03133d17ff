"""The demo world's money in columnar form (the benchmark's data): sized as asked, seeded, and
every planted scheme found by its typology."""

from __future__ import annotations

import numpy as np
from benchmarks.finance import columnar_frame, recall

from borderless.demo.columnar import ColumnarSpec, columnar_world
from borderless.demo.schemes import SCHEMES
from borderless.finance.typologies import detect

SPEC = ColumnarSpec(accounts=20_000, transactions=150_000, seed=3)


def test_sized_seeded_and_planted() -> None:
    world = columnar_world(SPEC)
    assert 0.95 * SPEC.transactions <= len(world.flows) <= 1.05 * SPEC.transactions
    assert world.country.size > SPEC.accounts  # schemes open accounts of their own
    assert {name for name, _ in world.schemes} == set(SCHEMES)
    again = columnar_world(SPEC)
    assert np.array_equal(world.flows.dst, again.flows.dst)
    assert np.array_equal(world.departures[1], again.departures[1])
    planted = np.concatenate([edges for _, edges in world.schemes])  # after the background
    assert np.array_equal(planted, np.arange(len(world.flows) - planted.size, len(world.flows)))


def test_every_planted_scheme_is_found() -> None:
    world = columnar_world(SPEC)
    frame, departures = columnar_frame(world)
    found = recall(detect(frame, departures=departures), world.schemes)
    for typology, result in found.items():
        hits, wanted = result["recall"].split("/")
        assert hits == wanted != "0", (typology, result)
