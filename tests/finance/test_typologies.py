"""Each typology on a small hand-made graph (found, and not found when a condition fails), and
recall per typology on the planted schemes of a generated demo world."""

from __future__ import annotations

import json
from collections.abc import Sequence

import numpy as np
import pytest

from borderless.demo.world import WorldFiles, WorldSpec, generate_world
from borderless.finance.frame import ArrayFlows, FlowFrame, Holder, from_arrays, from_rows
from borderless.finance.jsonl_frame import departures_from_files, frame_from_jsonl
from borderless.finance.networks import find_networks
from borderless.finance.typologies import Alert, Typology, detect

H = 3_600
D = 86_400
T0 = 1_750_000_000

Payment = tuple[int, int, float, int]  # source, target, EUR, seconds after T0


def frame_of(
    payments: Sequence[Payment], countries: Sequence[str | None] | None = None, n: int = 0
) -> FlowFrame:
    size = max(n, 1 + max(max(s, d) for s, d, _, _ in payments))
    src, dst, amount, time = zip(*payments, strict=True)
    return from_arrays(
        ArrayFlows(
            account_ids=[f"A{i}" for i in range(size)],
            src=np.array(src),
            dst=np.array(dst),
            amount=np.array(amount, float),
            time=T0 + np.array(time),
            account_country=list(countries) if countries else None,
        )
    )


def found(frame: FlowFrame, typology: Typology) -> list[Alert]:
    return detect(frame, [typology])


def test_fan_in_and_fan_out() -> None:
    fan_in = [(i, 0, 3_000.0, i * H) for i in range(1, 9)]
    alerts = found(frame_of(fan_in), Typology.FAN_IN)
    assert len(alerts) == 1
    assert alerts[0].accounts[0] == 0
    assert len(alerts[0].transactions) == 8
    assert "8 distinct accounts" in alerts[0].explanation
    assert found(frame_of(fan_in[:7]), Typology.FAN_IN) == []  # one payer short
    spread = [(i, 0, 3_000.0, i * 2 * D) for i in range(1, 9)]  # over 16 days
    assert found(frame_of(spread), Typology.FAN_IN) == []
    fan_out = [(0, i, 3_000.0, i * H) for i in range(1, 10)]
    assert [a.accounts[0] for a in found(frame_of(fan_out), Typology.FAN_OUT)] == [0]


def test_structuring() -> None:
    deposits = [(1 + i % 3, 0, 9_500.0 - 10 * i, i * D) for i in range(6)]
    alerts = found(frame_of(deposits), Typology.STRUCTURING)
    assert len(alerts) == 1
    assert set(alerts[0].accounts) == {0, 1, 2, 3}
    above = [(s, d, a + 600, t) for s, d, a, t in deposits]  # at or over the threshold
    assert found(frame_of(above), Typology.STRUCTURING) == []


def test_rapid_pass_through() -> None:
    passes = [
        (1, 0, 10_000.0, 0),
        (0, 9, 9_600.0, 2 * H),
        (2, 0, 8_000.0, D),
        (0, 9, 7_800.0, D + H),
    ]
    alerts = found(frame_of(passes), Typology.RAPID_PASS_THROUGH)
    assert [a.accounts[0] for a in alerts] == [0]
    slow = [(s, d, a, t if d != 9 else t + 2 * D) for s, d, a, t in passes]
    assert found(frame_of(slow), Typology.RAPID_PASS_THROUGH) == []
    before = [(1, 0, 10_000.0, 3 * H), (0, 9, 9_600.0, 2 * H)]  # left before it arrived
    assert found(frame_of(before), Typology.RAPID_PASS_THROUGH) == []


def test_scatter_gather_and_gather_scatter() -> None:
    scatter = [(0, m, 5_000.0, m * H) for m in range(1, 5)]
    gather = [(m, 9, 4_800.0, 10 * H + m * H) for m in range(1, 5)]
    alerts = found(frame_of(scatter + gather), Typology.SCATTER_GATHER)
    assert len(alerts) == 1
    assert alerts[0].accounts[:2] == (0, 9)
    assert found(frame_of(scatter + gather[:3]), Typology.SCATTER_GATHER) == []
    gathered = [(i, 0, 5_000.0, i * H) for i in range(1, 6)]
    scattered = [(0, 10 + j, 8_000.0, 2 * D + j * H) for j in range(3)]
    hubs = found(frame_of(gathered + scattered), Typology.GATHER_SCATTER)
    assert [a.accounts[0] for a in hubs] == [0]
    kept = [(s, d, 2_000.0, t) for s, d, _, t in scattered]  # keeps most of the money
    assert found(frame_of(gathered + kept), Typology.GATHER_SCATTER) == []


def test_cycles_respect_time_order() -> None:
    countries = ["NLD", "CYP", "ARE", "MLT"]
    ring = [(0, 1, 100_000.0, 0), (1, 2, 99_000.0, D), (2, 3, 98_000.0, 2 * D)]
    closing = (3, 0, 97_000.0, 3 * D)
    alerts = found(frame_of([*ring, closing], countries), Typology.CYCLE)
    assert len(alerts) == 1
    assert set(alerts[0].accounts) == {0, 1, 2, 3}
    assert "came back" in alerts[0].explanation
    back_in_time = (3, 0, 97_000.0, D // 2)  # "returns" before it left: no cycle
    assert found(frame_of([*ring, back_in_time], countries), Typology.CYCLE) == []


def test_layering_needs_countries_and_kept_value() -> None:
    chain = [(0, 1, 200_000.0, 0), (1, 2, 196_000.0, D), (2, 3, 192_000.0, 2 * D)]
    alerts = found(frame_of(chain, ["NLD", "CYP", "ARE", "HKG"]), Typology.LAYERING)
    assert len(alerts) == 1  # the maximal chain only, not its parts
    assert alerts[0].accounts == (0, 1, 2, 3)
    assert "NLD → CYP → ARE → HKG" in alerts[0].explanation
    assert found(frame_of(chain, ["NLD", "NLD", "NLD", "NLD"]), Typology.LAYERING) == []
    skimmed = [(0, 1, 200_000.0, 0), (1, 2, 50_000.0, D), (2, 3, 49_000.0, 2 * D)]
    assert found(frame_of(skimmed, ["NLD", "CYP", "ARE", "HKG"]), Typology.LAYERING) == []


def test_npo_to_high_risk_geographies() -> None:
    payments = [(i, 0, 300.0, i * H) for i in range(1, 7)] + [(0, 7, 1_500.0, 2 * D)]
    countries = ["NLD"] * 7 + ["SYR"]
    assert found(frame_of(payments, countries), Typology.NPO_HIGH_RISK) == []  # no charity
    frame = frame_of(payments, countries)
    frame.account_holders[0] = ("O1",)
    aid = Holder("O1", "organisation", "Aid", None, {"organisation_kind": "charity"})
    frame.holders["O1"] = aid
    alerts = found(frame, Typology.NPO_HIGH_RISK)
    assert [a.accounts[0] for a in alerts] == [0]
    assert "SYR" in alerts[0].explanation
    assert "6 donors" in alerts[0].explanation


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> WorldFiles:
    return generate_world(WorldSpec(persons=5_000), tmp_path_factory.mktemp("world"))


def test_recall_on_the_demo_worlds_planted_schemes(world: WorldFiles) -> None:
    """A scheme is found when an alert of its typology covers half its transactions or more;
    the drained-before-travel ones through the world's passenger data, linked to holders."""
    frame = frame_from_jsonl(world.records)
    index = {t: i for i, t in enumerate(frame.tx_ids.tolist())}
    schemes = [
        fact
        for line in world.truth.read_text().splitlines()
        if (fact := json.loads(line))["type"] == "scheme"
    ]
    assert world.passengers is not None
    alerts = detect(frame, departures=departures_from_files(frame, world.records, world.passengers))
    recall = {}
    for typology in Typology:
        planted = [s for s in schemes if s["scheme"] == typology.value]
        hits = 0
        for scheme in planted:
            wanted = {index[t] for t in scheme["transactions"]}
            hits += any(
                a.typology == typology.value
                and len(wanted & set(a.transactions)) * 2 >= len(wanted)
                for a in alerts
            )
        recall[typology.value] = hits / len(planted)
    assert len(schemes) == 20
    assert all(r >= 0.5 for r in recall.values()), recall
    assert sum(recall.values()) / len(recall) >= 0.9, recall


def test_nothing_to_see() -> None:
    empty = from_rows([], [], [])
    assert detect(empty) == []
    assert find_networks(empty, []) == []
    lonely = from_rows([], [[("A1", "s1", "NLD-FIU", "NLD", None, "1", [])]], [])
    assert lonely.n_accounts == 1
    assert detect(lonely) == []


def test_a_round_trip_is_one_cycle_alert_not_also_layering() -> None:
    countries = ["NLD", "CYP", "ARE", "MLT"]
    ring = [(0, 1, 100_000.0, 0), (1, 2, 99_000.0, D), (2, 3, 98_000.0, 2 * D)]
    closed = frame_of([*ring, (3, 0, 97_000.0, 3 * D)], countries)
    assert [a.typology for a in detect(closed, [Typology.CYCLE, Typology.LAYERING])] == ["cycle"]
    assert [a.typology for a in detect(frame_of(ring, countries), [Typology.LAYERING])] == [
        "layering"
    ]
