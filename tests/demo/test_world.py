"""The demo world: valid records in dependency order, determinism, and truthful ground truth."""

from __future__ import annotations

import json
import random
from collections import Counter, defaultdict
from datetime import datetime
from itertools import pairwise
from pathlib import Path
from typing import Any

import numpy as np
import orjson
import pytest

from borderless.demo import WorldSpec, generate_world
from borderless.demo import world as world_module
from borderless.demo.schemes import HIGH_RISK, REPORTING_THRESHOLD, SCHEMES
from borderless.demo.world import WorldFiles, iban, iban_valid, vin_check_digit
from borderless.domain.codes import AgencyKind, RecordKind
from borderless.domain.records import RecordDraft
from borderless.normalize.scripts import detect_script

SPEC = WorldSpec(persons=2000, seed=7)

Line = dict[str, Any]


@pytest.fixture(scope="module")
def world(tmp_path_factory: pytest.TempPathFactory) -> WorldFiles:
    return generate_world(SPEC, tmp_path_factory.mktemp("world"))


@pytest.fixture(scope="module")
def lines(world: WorldFiles) -> list[Line]:
    return [orjson.loads(raw) for raw in world.records.read_bytes().splitlines()]


@pytest.fixture(scope="module")
def by_id(lines: list[Line]) -> dict[str, Line]:
    return {line["id"]: line for line in lines}


@pytest.fixture(scope="module")
def truth(world: WorldFiles) -> list[dict[str, Any]]:
    return [orjson.loads(raw) for raw in world.truth.read_bytes().splitlines()]


def _facts(truth: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [fact for fact in truth if fact["type"] == kind]


def test_same_seed_gives_identical_files(tmp_path: Path) -> None:
    spec = WorldSpec(persons=300, seed=11, transactions_per_account=4)
    first = generate_world(spec, tmp_path / "a")
    second = generate_world(spec, tmp_path / "b")
    other = generate_world(WorldSpec(persons=300, seed=12), tmp_path / "c")
    for attr in ("agencies", "records", "truth"):
        assert getattr(first, attr).read_bytes() == getattr(second, attr).read_bytes()
    assert first.records.read_bytes() != other.records.read_bytes()
    assert first.counts == second.counts


def test_progress_reports_persons_done(tmp_path: Path) -> None:
    seen: list[int] = []
    generate_world(WorldSpec(persons=150), tmp_path, progress=seen.append)
    assert seen == [150]


def test_chunks_stream_in_dependency_order(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Several chunks: later chunks pay accounts of earlier ones, never of later ones."""
    monkeypatch.setattr(world_module, "CHUNK", 400)
    seen_chunks: list[int] = []
    files = generate_world(WorldSpec(persons=1000, seed=3), tmp_path, progress=seen_chunks.append)
    assert seen_chunks == [400, 800, 1000]
    seen: set[str] = set()
    for raw in files.records.read_bytes().splitlines():
        line = orjson.loads(raw)
        draft = RecordDraft.model_validate({k: v for k, v in line.items() if k != "owner"})
        assert all(target in seen for _, target in draft.body.links()), line["id"]
        seen.add(line["id"])
    assert files.counts["person"] == 1000
    assert files.counts["schemes"] == len(SCHEMES)


def test_every_line_is_exactly_a_record_draft_dump(lines: list[Line]) -> None:
    for line in lines:
        record = {k: v for k, v in line.items() if k != "owner"}
        draft = RecordDraft.model_validate(record)
        assert draft.model_dump(mode="json", exclude_none=True) == record, line["id"]


def test_records_only_refer_to_earlier_records(lines: list[Line]) -> None:
    seen: set[str] = set()
    for line in lines:
        draft = RecordDraft.model_validate({k: v for k, v in line.items() if k != "owner"})
        for role, target in draft.body.links():
            assert target in seen, f"{line['id']}.{role} -> {target} not written before"
        assert line["id"] not in seen
        seen.add(line["id"])


def test_owners_are_agencies(world: WorldFiles, lines: list[Line]) -> None:
    agencies = json.loads(world.agencies.read_text("utf-8"))
    codes = {a["code"] for a in agencies}
    assert {a["kind"] for a in agencies} >= {k.value for k in AgencyKind}
    assert "HUB" in codes
    assert len(codes) == len(agencies)
    assert {line["owner"] for line in lines} <= codes
    hub_kinds = {line["kind"] for line in lines if line["owner"] == "HUB"}
    assert {"person", "notice"} <= hub_kinds


def test_counts_per_kind(world: WorldFiles, lines: list[Line]) -> None:
    actual = Counter(line["kind"] for line in lines)
    counts = world.counts
    assert all(counts[kind] == n for kind, n in actual.items())
    assert counts["records"] == len(lines)
    persons = SPEC.persons
    assert actual["person"] == persons
    assert 0.9 <= actual["document"] / persons <= 1.15
    assert 0.2 <= actual["vehicle"] / persons <= 0.4
    assert 0.05 <= actual["firearm"] / persons <= 0.2
    assert 0.07 <= actual["biometric"] / persons <= 0.15
    assert 0.005 <= actual["notice"] / persons <= 0.05
    assert actual["organisation"] >= 12
    assert actual["case"] == counts["schemes"]
    per_account = actual["transaction"] / actual["account"]
    assert 0.8 * SPEC.transactions_per_account <= per_account <= 1.3 * SPEC.transactions_per_account
    docs = Counter(line["body"]["status"] for line in lines if line["kind"] == "document")
    assert 0.02 <= 1 - docs["valid"] / sum(docs.values()) <= 0.08
    assert docs["stolen_blank"] >= 1


def test_governance_varies(lines: list[Line]) -> None:
    governance = [line["governance"] for line in lines]
    dissemination = Counter(g["dissemination"] for g in governance)
    handling = Counter(g["handling"] for g in governance)
    assert dissemination["all"] > dissemination["listed"] > 0
    assert dissemination["hit_only"] > 0
    assert handling["H0"] > handling["H3"] > 0
    assert any(g["purposes"] for g in governance)


def test_identifiers_have_valid_check_digits(lines: list[Line]) -> None:
    assert iban("GB", "WEST12345698765432") == "GB82WEST12345698765432"
    assert vin_check_digit("1M8GDM9AXKP042788") == "X"
    ibans = [line["body"]["iban"] for line in lines if "iban" in line["body"]]
    vins = [line["body"]["vin"] for line in lines if "vin" in line["body"]]
    assert ibans
    assert all(iban_valid(value) for value in ibans)
    assert vins
    assert all(len(v) == 17 and v[8] == vin_check_digit(v) for v in vins)


def test_names_cover_many_scripts(lines: list[Line]) -> None:
    persons = [line["body"] for line in lines if line["kind"] == "person"]
    names = [name for body in persons for name in body["names"]]
    scripts = Counter(detect_script(name["full"]) for name in names)
    assert len(scripts) >= 6, scripts
    assert all(name["script"] == detect_script(name["full"]) for name in names)
    native_primary = [b for b in persons if b["names"][0]["script"] != "Latn"]
    assert native_primary
    assert all(len(b["names"]) > 1 for b in native_primary)
    kinds = Counter(name["kind"] for name in names)
    assert {"primary", "aka", "fka", "weak"} <= set(kinds)


def test_name_variants_are_not_stored(truth: list[dict[str, Any]], by_id: dict[str, Line]) -> None:
    variants = _facts(truth, "name_variant")
    assert len(variants) >= 20
    for fact in variants:
        stored = {n["full"].casefold() for n in by_id[fact["record"]]["body"]["names"]}
        assert fact["query"].casefold() not in stored
        assert detect_script(fact["query"]) == fact["script"]


def _vectors(lines: list[Line]) -> dict[str, np.ndarray[Any, np.dtype[np.float64]]]:
    return {
        line["body"]["person_id"]: np.array(line["body"]["vector"])
        for line in lines
        if line["kind"] == "biometric"
    }


def _cosine(a: np.ndarray[Any, Any], b: np.ndarray[Any, Any]) -> float:
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def test_false_identities_share_a_face(lines: list[Line], truth: list[dict[str, Any]]) -> None:
    vectors = _vectors(lines)
    groups = [f["records"] for f in _facts(truth, "same_person") if f["reason"] == "false_identity"]
    assert len(groups) >= 0.01 * SPEC.persons
    persons = {line["id"]: line["body"] for line in lines if line["kind"] == "person"}
    for records in groups:
        assert all(r in vectors for r in records)
        first = vectors[records[0]]
        assert all(_cosine(first, vectors[r]) > 0.95 for r in records[1:])
        primaries = {persons[r]["names"][0]["full"] for r in records}
        assert len(primaries) == len(records)  # different names
    identity = {r: f["identity"] for f in _facts(truth, "same_person") for r in f["records"]}
    rnd = random.Random(1)
    ids = sorted(vectors)
    pairs = (rnd.sample(ids, 2) for _ in range(300))
    unrelated = [
        abs(_cosine(vectors[a], vectors[b]))
        for a, b in pairs
        if identity.get(a, a) != identity.get(b, b)
    ]
    assert float(np.mean(unrelated)) < 0.15
    assert max(unrelated) < 0.5


def test_duplicates_are_recorded_by_several_agencies(
    truth: list[dict[str, Any]], by_id: dict[str, Line]
) -> None:
    facts = _facts(truth, "same_person")
    assert {f["reason"] for f in facts} == {"false_identity", "duplicate", "list_entry"}
    for fact in facts:
        assert len(fact["records"]) >= 2
        assert all(by_id[r]["kind"] == "person" for r in fact["records"])
    assert any(len({by_id[r]["owner"] for r in f["records"]}) > 1 for f in facts)


def _time(tx: Line) -> datetime:
    return datetime.fromisoformat(tx["body"]["time"])


def _check_fan_in(txs: list[Line]) -> None:
    assert len({t["to_account_id"] for t in txs}) == 1
    assert len({t["from_account_id"] for t in txs}) >= 5


def _check_fan_out(txs: list[Line]) -> None:
    assert len({t["from_account_id"] for t in txs}) == 1
    assert len({t["to_account_id"] for t in txs}) >= 5


def _chain(txs: list[Line]) -> None:
    for a, b in pairwise(txs):
        assert a["to_account_id"] == b["from_account_id"]


def _check_cycle(txs: list[Line]) -> None:
    _chain(txs)
    assert len(txs) >= 3
    assert txs[-1]["to_account_id"] == txs[0]["from_account_id"]


def _check_layering(txs: list[Line]) -> None:
    _chain(txs)
    countries = [txs[0]["from_country"]] + [t["to_country"] for t in txs]
    assert len(txs) >= 3
    assert len(set(countries)) == len(countries)


def _check_scatter_gather(txs: list[Line]) -> None:
    (source,) = {t["from_account_id"] for t in txs} - {t["to_account_id"] for t in txs}
    (sink,) = {t["to_account_id"] for t in txs} - {t["from_account_id"] for t in txs}
    for t in txs:
        if t["from_account_id"] == source:
            out = [u for u in txs if u["from_account_id"] == t["to_account_id"]]
            assert out
            assert all(u["to_account_id"] == sink and _time(u) > _time(t) for u in out)


def _check_gather_scatter(txs: list[Line]) -> None:
    (hub,) = {t["to_account_id"] for t in txs} & {t["from_account_id"] for t in txs}
    inflow = [_time(t) for t in txs if t["to_account_id"] == hub]
    outflow = [_time(t) for t in txs if t["from_account_id"] == hub]
    assert len(inflow) + len(outflow) == len(txs)
    assert max(inflow) < min(outflow)


def _check_structuring(txs: list[Line]) -> None:
    assert len({t["to_account_id"] for t in txs}) == 1
    assert len(txs) >= 8
    for t in txs:
        amount = t["body"]["amount"]
        assert 0.9 * REPORTING_THRESHOLD <= amount < REPORTING_THRESHOLD
        assert t["body"]["currency"] == "EUR"
        assert t["body"]["channel"] == "cash"


def _check_rapid_pass_through(txs: list[Line]) -> None:
    (mule,) = {t["to_account_id"] for t in txs} & {t["from_account_id"] for t in txs}
    for t in txs:
        if t["to_account_id"] == mule:
            assert any(
                u["from_account_id"] == mule
                and 0 < (_time(u) - _time(t)).total_seconds() <= 6 * 3600
                for u in txs
            )


def _check_npo_high_risk(txs: list[Line]) -> None:
    (charity,) = {t["to_account_id"] for t in txs} & {t["from_account_id"] for t in txs}
    out = [t for t in txs if t["from_account_id"] == charity]
    assert out
    assert all(t["to_country"] in HIGH_RISK for t in out)


def _check_drained_before_travel(txs: list[Line]) -> None:
    (account,) = {t["to_account_id"] for t in txs} & {t["from_account_id"] for t in txs}
    inflow = [t for t in txs if t["to_account_id"] == account]
    outflow = [t for t in txs if t["from_account_id"] == account]
    assert len(inflow) >= 2
    assert max(_time(t) for t in inflow) < min(_time(t) for t in outflow)
    assert {t["channel"] for t in outflow} == {"wire", "cash"}


CHECKS = {
    "fan_in": _check_fan_in,
    "fan_out": _check_fan_out,
    "cycle": _check_cycle,
    "layering": _check_layering,
    "scatter_gather": _check_scatter_gather,
    "gather_scatter": _check_gather_scatter,
    "structuring": _check_structuring,
    "rapid_pass_through": _check_rapid_pass_through,
    "npo_high_risk": _check_npo_high_risk,
    "drained_before_travel": _check_drained_before_travel,
}


def test_schemes_form_their_patterns(truth: list[dict[str, Any]], by_id: dict[str, Line]) -> None:
    schemes = _facts(truth, "scheme")
    assert set(CHECKS) == set(SCHEMES) == {s["scheme"] for s in schemes}
    for scheme in schemes:
        txs = sorted((by_id[t] for t in scheme["transactions"]), key=_time)
        assert all(t["kind"] == "transaction" for t in txs)
        flat = [{**t, **t["body"]} for t in txs]
        touched = {t["from_account_id"] for t in flat} | {t["to_account_id"] for t in flat}
        assert touched == set(scheme["accounts"])
        CHECKS[scheme["scheme"]](flat)


def test_charity_scheme_runs_through_a_charity(
    truth: list[dict[str, Any]], by_id: dict[str, Line]
) -> None:
    for scheme in _facts(truth, "scheme"):
        if scheme["scheme"] == "npo_high_risk":
            txs = [by_id[t]["body"] for t in scheme["transactions"]]
            (charity,) = {t["to_account_id"] for t in txs} & {t["from_account_id"] for t in txs}
            (holder,) = by_id[charity]["body"]["holder_ids"]
            assert by_id[holder]["body"]["organisation_kind"] == "charity"


def test_background_traffic_is_mostly_domestic(lines: list[Line]) -> None:
    txs = [line["body"] for line in lines if line["kind"] == RecordKind.TRANSACTION]
    domestic = sum(t["from_country"] == t["to_country"] for t in txs) / len(txs)
    assert 0.6 < domestic < 0.95
    by_account: defaultdict[str, int] = defaultdict(int)
    for t in txs:
        by_account[t["from_account_id"]] += 1
    assert len(by_account) > 0.8 * sum(1 for line in lines if line["kind"] == "account")
