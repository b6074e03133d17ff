"""The long tail of surnames the benchmarks draw from Wikidata (`demo.names.with_surname_tail`)."""

from __future__ import annotations

import random
from collections import Counter
from pathlib import Path

import orjson
import pytest

from borderless.demo import WorldSpec, generate_world
from borderless.demo.names import CULTURES, FAMILY, Culture, compose, with_surname_tail
from borderless.normalize.scripts import detect_script
from tests.conftest import shared_data


@pytest.fixture(scope="module")
def tail_dir() -> Path:
    return shared_data() / "names" / "translit"


@pytest.fixture(scope="module")
def tailed(tail_dir: Path) -> dict[str, Culture]:
    return with_surname_tail(CULTURES, tail_dir)


def test_tails_are_spelt_in_the_cultures_script(tailed: dict[str, Culture]) -> None:
    for code, culture in tailed.items():
        if culture.script in ("Arab", "Cyrl"):
            sample = random.Random(code).sample(culture.surname_tail, 200)
            assert all(detect_script(e.native or "") == culture.script for e in sample), code
        elif culture.script == "Latn":
            assert all(e.native is None and e.latin[0].isalpha() for e in culture.surname_tail)
        else:  # Chinese surnames really are few; Devanagari and Ethiopic have no token file
            assert culture.surname_tail == (), code
            assert culture.tail_share == 0.0
            continue
        assert len(culture.surname_tail) > 20_000, code
        assert culture.tail_share == pytest.approx(0.7)


def test_most_family_names_come_from_the_tail(tailed: dict[str, Culture]) -> None:
    rnd = random.Random(3)
    culture = tailed["slavic"]
    pool = {e.latin[0] for e in CULTURES["slavic"].family}
    families = [
        t.entry.latin[0]
        for _ in range(2000)
        for t in compose(culture, False, rnd)
        if t.role == FAMILY
    ]
    share = sum(f not in pool for f in families) / len(families)
    assert 0.6 < share < 0.8
    assert len(set(families)) > 1000  # a long tail: few repeats


def _family_counts(spec: WorldSpec, out: Path) -> Counter[str]:
    files = generate_world(spec, out)
    counts: Counter[str] = Counter()
    for raw in files.records.read_bytes().splitlines():
        line = orjson.loads(raw)
        if line["kind"] == "person":
            counts.update(n["family"] for n in line["body"]["names"][:1] if "family" in n)
    return counts


def test_a_world_with_the_tail_shares_family_names_far_less(tail_dir: Path, tmp_path: Path) -> None:
    pools = _family_counts(WorldSpec(persons=600, seed=4), tmp_path / "pools")
    tail = _family_counts(WorldSpec(persons=600, seed=4, surname_tail=tail_dir), tmp_path / "tail")
    assert sum(pools.values()) == pytest.approx(sum(tail.values()), rel=0.2)
    shared_pools = sum(c for c in pools.values() if c > 1)  # persons with a namesake
    shared_tail = sum(c for c in tail.values() if c > 1)
    assert shared_tail < 0.6 * shared_pools
    assert len(tail) > 1.3 * len(pools)
