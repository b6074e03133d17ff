"""Frontline search quality: planted name variants, the UN list, cross-script names; and the
OpenSanctions matchers (nomenklatura logic-v1 and logic-v2) on the same pairs.

    .venv/bin/python -m benchmarks.find_quality world --persons 100000 [--limit 1500]
    .venv/bin/python -m benchmarks.find_quality un
    .venv/bin/python -m benchmarks.find_quality translit [--per-script 2000]

* ``world``: the demo world of `benchmarks.find` (built there once). Each truth
  ``name_variant`` line is a query (the variant, alone and with the record's date of birth)
  through `services.search.search` as an analyst of NLD-BORDER with purpose IDENTIFY and the
  default threshold. Recall: the planted record is among the hits. Precision over the person
  hits returned: a hit is right if it is the planted record or another record of the same
  real person (truth ``same_person``). Misses are split by cause: not visible to the analyst's
  agency, not among the blocking candidates (the search's keys, birth year included), scored
  below the threshold, cut by the limit, or not read (the batches stopped before it).
* ``un``: the UN consolidated list imported (`services.imports.import_path`) into a fresh node
  for a hub; every alias and original-script name of each individual is a query through the
  search service: is the right entry the top hit? Then the harder, leave-one-out reading: the
  alias is removed from its entry, which must be found through its *other* names (blocking
  keys and `score_person`, exactly the search's scoring, over all individuals). Its pairs (alias
  vs the rest of its entry; alias vs another individual sharing a blocking key) are scored by
  both matchers.
* ``translit``: the Wikidata transliteration pairs (``names/translit/wd_*_80``): per script,
  positives and as many shuffled negatives, scored by `score_person` (a Latin query against a
  record holding the native-script name) and by the nomenklatura matchers.

Thresholds: borderless's `DEFAULT_THRESHOLD` (0.8); nomenklatura 0.7 (yente's default
``threshold``). Each result is one JSON line. Pairs/s counts scoring only (inputs are built
before the clock starts), on one core.
"""

from __future__ import annotations

import argparse
import json
import random
import tempfile
import time
from collections import defaultdict
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from benchmarks.find import (
    BenchWorld,
    _lines,
    add_world_arguments,
    build,
    machine,
    open_bench,
    world_files,
)
from benchmarks.fit_name_weights import SCRIPTS, translit_pairs
from borderless.config import Settings, shared_data_dir
from borderless.domain.agencies import Agency, User
from borderless.domain.codes import AgencyKind, Purpose, RecordKind, Role
from borderless.domain.records import Name, PersonBody, Record
from borderless.formats.registry import ImportFormat
from borderless.governance.access import Access, access_level
from borderless.index.keys import names_keys
from borderless.matching.person import DEFAULT_THRESHOLD, PersonQuery, score_person
from borderless.services import directory
from borderless.services.imports import import_path
from borderless.services.node import OPERATOR, Node, open_node
from borderless.services.search import (
    CANDIDATES,
    namesake_keys,
    plan_query,
    search,
    with_namesakes,
)
from borderless.services.search_query import SearchRequest
from borderless.store import records as record_store
from borderless.store import search as search_store
from borderless.store.db import reading
from borderless.store.records import RecordFilter

NOMENKLATURA_THRESHOLD = 0.7
SEED = 13


def _ratio(a: float, b: float) -> float | None:
    return round(a / b, 4) if b else None


@dataclass
class Confusion:
    tp: int = 0
    fp: int = 0
    fn: int = 0
    tn: int = 0

    def add(self, label: bool, predicted: bool) -> None:
        if label and predicted:
            self.tp += 1
        elif predicted:
            self.fp += 1
        elif label:
            self.fn += 1
        else:
            self.tn += 1

    def summary(self) -> dict[str, float | None]:
        precision = _ratio(self.tp, self.tp + self.fp)
        recall = _ratio(self.tp, self.tp + self.fn)
        f1 = (
            round(2 * precision * recall / (precision + recall), 4)
            if precision and recall
            else None
        )
        return {"precision": precision, "recall": recall, "f1": f1}


# --- the demo world's planted name variants ----------------------------------------------------


def _records(node: Node, ids: Sequence[str]) -> dict[str, Record]:
    found: dict[str, Record] = {}
    with reading(node.engine) as conn:
        for start in range(0, len(ids), 500):
            flt = RecordFilter(ids=list(ids[start : start + 500]))
            for record in record_store.select_rows(conn, flt, None):
                found[record.id] = record
    return found


def _full_date(body: PersonBody) -> str | None:
    for item in body.birth_dates:
        if item.date and len(item.date) == 10:
            return item.date
    return None


def world(bw: BenchWorld, limit: int) -> list[dict[str, Any]]:
    build(bw)
    bench = open_bench(bw)
    node, principal = bench.node, bench.principal
    identity: dict[str, str] = {}
    variants: list[dict[str, Any]] = []
    for fact in _lines(world_files(bw).truth):
        if fact["type"] == "same_person":
            for rid in fact["records"]:
                identity[rid] = fact["identity"]
        elif fact["type"] == "name_variant":
            variants.append(fact)
    total_variants = len(variants)
    rnd = random.Random(SEED)
    variants = rnd.sample(variants, min(limit, len(variants)))
    records = _records(node, [v["record"] for v in variants])
    today = node.today()
    results = []
    for with_dob in (False, True):
        found = person_hits = right_hits = top1 = 0
        causes: dict[str, int] = defaultdict(int)
        by_script: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        asked = 0
        started = time.perf_counter()
        for fact in variants:
            record = records[fact["record"]]
            assert isinstance(record.body, PersonBody)
            person: dict[str, Any] = {"name": fact["query"]}
            if with_dob:
                dob = _full_date(record.body)
                if dob is None:
                    continue
                person["birth_date"] = dob
            asked += 1
            request = SearchRequest.model_validate({"person": person})
            result = search(node, principal, Purpose.IDENTIFY, request)
            persons_hit = [h for h in result.hits if h.hit.view.kind == RecordKind.PERSON]
            expected = fact["record"]
            same = identity.get(expected)
            right = [
                h
                for h in persons_hit
                if h.hit.view.id == expected or (same and identity.get(h.hit.view.id) == same)
            ]
            person_hits += len(persons_hit)
            right_hits += len(right)
            hit = any(h.hit.view.id == expected for h in persons_hit)
            found += hit
            top1 += bool(persons_hit) and persons_hit[0].hit.view.id == expected
            by_script[fact["script"]][0] += 1
            by_script[fact["script"]][1] += hit
            if not hit:
                full = len(result.hits) >= request.limit
                causes[_miss_cause(node, principal, record, request, today, full)] += 1
        seconds = time.perf_counter() - started
        results.append(
            {
                "benchmark": "find_quality world",
                **bw.describe(),
                "name_variants_in_truth": total_variants,
                "queries": asked,
                "query": "variant + date of birth" if with_dob else "variant only",
                "threshold": DEFAULT_THRESHOLD,
                "recall": _ratio(found, asked),
                # the matcher's recall: planted records the analyst's agency may see at all
                "recall_of_visible": _ratio(found, asked - causes[INVISIBLE]),
                "top1": _ratio(top1, asked),
                "precision": _ratio(right_hits, person_hits),
                "person_hits_per_query": round(person_hits / asked, 2),
                "wrong_hits_per_query": round((person_hits - right_hits) / asked, 2),
                "misses_by_cause": dict(causes),
                "recall_by_script": {
                    s: {"n": n, "recall": _ratio(k, n)} for s, (n, k) in sorted(by_script.items())
                },
                "mean_ms_per_search": round(seconds / asked * 1000, 1),
                "machine": machine(),
            }
        )
    return results


INVISIBLE = "not visible to the analyst"


def _miss_cause(
    node: Node, principal: Any, record: Record, request: SearchRequest, today: Any, full: bool
) -> str:
    if access_level(principal, record, Purpose.IDENTIFY, today) == Access.NONE:
        return INVISIBLE
    plan = plan_query(request, DEFAULT_THRESHOLD)
    keys = plan.keys  # the search's own keys, birth year too
    with reading(node.engine) as conn:
        candidates = search_store.candidates(conn, keys, CANDIDATES)
    if record.id not in candidates:
        shared = names_keys(n.full for n in record.body.names) & set(keys)  # type: ignore[union-attr]
        return "no shared blocking key" if not shared else "cut from the candidate list"
    counts = node.gate.count_visible(principal, namesake_keys(plan))
    query = with_namesakes(plan, counts).person
    assert query is not None
    assert isinstance(record.body, PersonBody)
    if score_person(query, record.body).score < DEFAULT_THRESHOLD:
        alone = score_person(replace(query, namesakes=1), record.body).score
        common = alone >= DEFAULT_THRESHOLD
        return "below the threshold: a common name" if common else "scored below the threshold"
    return "cut by the hit limit" if full else "not read: the batches stopped before it"


# --- the UN list -------------------------------------------------------------------------------


def _un_node(folder: Path) -> tuple[Node, Any]:
    node = open_node(Settings(data_dir=folder, log_json=False))
    hub = Agency(code="HUB", name="Hub", country="FRA", kind=AgencyKind.HUB)
    border = Agency(code="NLD-BORDER", name="Border", country="NLD", kind=AgencyKind.BORDER)
    for agency in (hub, border):
        directory.create_agency(node, OPERATOR, agency)
    directory.create_user(
        node, OPERATOR, User(username="analyst.border", agency="NLD-BORDER", role=Role.ANALYST)
    )
    source = shared_data_dir() / "watchlists" / "un" / "consolidated.xml"
    import_path(node, directory.operator_for(node, "HUB"), ImportFormat.UN_LIST, source, "HUB")
    return node, directory.principal_by_name(node, "analyst.border")


def _un_persons(node: Node) -> list[Record]:
    with reading(node.engine) as conn:
        flt = RecordFilter(kinds=[RecordKind.PERSON])
        return [r for r in record_store.select_rows(conn, flt, None) if r.owner == "HUB"]


def un() -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory(prefix="borderless-find-") as folder:
        node, principal = _un_node(Path(folder))
        entries = _un_persons(node)
        bodies = {r.id: r.body for r in entries if isinstance(r.body, PersonBody)}
        queries = [
            (rid, name.full, name.script or "?")
            for rid, body in bodies.items()
            for name in body.names[1:]
        ]
        top1 = in_hits = tied = 0
        by_kind: dict[str, list[int]] = defaultdict(lambda: [0, 0])
        started = time.perf_counter()
        for rid, alias, script in queries:
            request = SearchRequest.model_validate({"person": {"name": alias}})
            hits = [
                h.hit
                for h in search(node, principal, Purpose.IDENTIFY, request).hits
                if h.hit.view.kind == RecordKind.PERSON
            ]
            first = bool(hits) and hits[0].view.id == rid
            top1 += first
            in_hits += any(h.view.id == rid for h in hits)
            tied += (not first) and any(h.view.id == rid and h.score == hits[0].score for h in hits)
            group = "latin" if script in ("Latn", "?") else "original script"
            by_kind[group][0] += 1
            by_kind[group][1] += first
        seconds = time.perf_counter() - started
    service = {
        "benchmark": "find_quality un (service, alias as stored)",
        "individuals": len(bodies),
        "queries": len(queries),
        "top1": _ratio(top1, len(queries)),
        "top1_or_tied": _ratio(top1 + tied, len(queries)),
        "in_hits": _ratio(in_hits, len(queries)),
        "top1_by_name_kind": {
            k: {"n": n, "top1": _ratio(t, n)} for k, (n, t) in sorted(by_kind.items())
        },
        "mean_ms_per_search": round(seconds / len(queries) * 1000, 1),
        "machine": machine(),
    }
    return [service, *_un_leave_one_out(bodies)]


def _un_leave_one_out(bodies: dict[str, PersonBody]) -> list[dict[str, Any]]:
    """Each alias against the list with that alias removed from its own entry."""
    index: dict[str, set[str]] = defaultdict(set)
    for rid, body in bodies.items():
        for key in names_keys(n.full for n in body.names):
            index[key].add(rid)
    rnd = random.Random(SEED)
    top1 = found = asked = 0
    positives: list[tuple[str, PersonBody]] = []
    negatives: list[tuple[str, PersonBody]] = []
    for rid, body in bodies.items():
        for position in range(1, len(body.names)):
            alias = body.names[position].full
            rest = body.model_copy(
                update={"names": [n for i, n in enumerate(body.names) if i != position]}
            )
            keys = names_keys([alias])
            candidates = {c for key in keys for c in index[key]}
            scored = []
            for cid in candidates:
                candidate = rest if cid == rid else bodies[cid]
                if cid == rid and not (names_keys(n.full for n in rest.names) & keys):
                    continue  # the alias was its entry's only way in
                scored.append((score_person(PersonQuery(name=alias), candidate).score, cid))
            scored.sort(key=lambda item: (-item[0], item[1]))
            hits = [cid for score, cid in scored if score >= DEFAULT_THRESHOLD]
            asked += 1
            found += rid in hits
            top1 += bool(hits) and hits[0] == rid
            positives.append((alias, rest))
            others = sorted(candidates - {rid})
            if others:
                negatives.append((alias, bodies[rnd.choice(others)]))
    search_like = {
        "benchmark": "find_quality un (leave one out: found through the entry's other names)",
        "queries": asked,
        "threshold": DEFAULT_THRESHOLD,
        "recall": _ratio(found, asked),
        "top1": _ratio(top1, asked),
        "machine": machine(),
    }
    pairs = [(a, b, True) for a, b in positives] + [(a, b, False) for a, b in negatives]
    return [search_like, *compare_matchers("un alias pairs (hard negatives)", pairs)]


# --- transliteration pairs ---------------------------------------------------------------------


def translit(per_script: int) -> list[dict[str, Any]]:
    results = []
    for script in SCRIPTS:
        rnd = random.Random(SEED)
        pairs = [
            (latin, PersonBody(names=[Name(full=native)]), bool(label))
            for latin, native, label in translit_pairs(script, per_script, rnd, shared_data_dir())
        ]
        results += compare_matchers(f"translit {script}", pairs)
    return results


# --- both matchers on the same pairs -----------------------------------------------------------

Pair = tuple[str, PersonBody, bool]


def _borderless_scorer(pairs: Sequence[Pair]) -> tuple[list[float], float]:
    inputs = [(PersonQuery(name=q), body) for q, body, _ in pairs]
    started = time.perf_counter()
    scores = [score_person(q, body).score for q, body in inputs]
    return scores, time.perf_counter() - started


def _nomenklatura_scorer(name: str) -> Callable[[Sequence[Pair]], tuple[list[float], float]]:
    from followthemoney import model
    from nomenklatura.matching import get_algorithm

    algorithm = get_algorithm(name)
    assert algorithm is not None
    config = algorithm.default_config()

    def entity(key: str, names: Sequence[str]) -> Any:
        proxy = model.make_entity("Person")
        proxy.id = key
        for full in names:
            proxy.add("name", full)
        return proxy

    warm = entity("w", ["Mohammed Ali"])
    algorithm.compare(warm, entity("x", ["محمد علي"]), config)  # loads its models once

    def score(pairs: Sequence[Pair]) -> tuple[list[float], float]:
        inputs = [
            (entity(f"q{i}", [q]), entity(f"r{i}", [n.full for n in body.names]))
            for i, (q, body, _) in enumerate(pairs)
        ]
        started = time.perf_counter()
        scores = [algorithm.compare(q, r, config).score for q, r in inputs]
        return scores, time.perf_counter() - started

    return score


def compare_matchers(what: str, pairs: Sequence[Pair]) -> list[dict[str, Any]]:
    matchers: list[tuple[str, float, Callable[[Sequence[Pair]], tuple[list[float], float]]]] = [
        ("borderless score_person", DEFAULT_THRESHOLD, _borderless_scorer)
    ]
    try:
        for name in ("logic-v1", "logic-v2"):
            matchers.append(
                (f"nomenklatura {name}", NOMENKLATURA_THRESHOLD, _nomenklatura_scorer(name))
            )
    except ImportError as exc:
        print(json.dumps({"benchmark": what, "skipped": f"nomenklatura not importable: {exc}"}))
    results = []
    for label, threshold, scorer in matchers:
        scores, seconds = scorer(pairs)
        confusion = Confusion()
        for (_, _, truth), score in zip(pairs, scores, strict=True):
            confusion.add(truth, score >= threshold)
        results.append(
            {
                "benchmark": f"find_quality {what}",
                "matcher": label,
                "threshold": threshold,
                "positives": sum(1 for p in pairs if p[2]),
                "negatives": sum(1 for p in pairs if not p[2]),
                **confusion.summary(),
                "pairs_per_s": round(len(pairs) / seconds),
                "machine": machine(),
            }
        )
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("which", choices=["world", "un", "translit"])
    add_world_arguments(parser)
    parser.add_argument("--limit", type=int, default=1500, help="world: variants to query")
    parser.add_argument("--per-script", type=int, default=2000, help="translit: positives")
    args = parser.parse_args()
    if args.which == "world":
        results = world(BenchWorld(args.persons, args.surnames), args.limit)
    elif args.which == "un":
        results = un()
    else:
        results = translit(args.per_script)
    for result in results:
        print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
