"""Fit the person-score weights of `borderless.matching.person` on labelled real data.

    .venv/bin/python -m benchmarks.fit_name_weights [--per-script 2000] [--seed 7]

Labelled pairs (all from ../shared/data, or BORDERLESS_SHARED_DATA):

* ``names/translit/wd_*_80`` (Wikidata, CC0): a Latin name token and the same name in Arabic,
  Russian, Chinese, Hebrew or Korean script. Positives: the pair; negatives: the Latin token
  against the native token of another, random line of the same file.
* ``watchlists/un/consolidated.xml`` (UN Security Council, public): positives are two names
  of the same individual (primary name, aliases, name in original script); negatives pair
  a name with a name of *another* individual that shares a retrieval key (`name_keys`), which
  is what a screening index returns, so they are hard. The same individuals, queried by one
  alias with their own date of birth, nationality and gender (each withheld at random; 5 % of
  dates replaced to stand for clerical errors), fit the weights of those features.

One logistic regression (Newton's method, small L2) fits all weights at once. The script prints
the weights as Python constants, the precision of the pairs at or above 0.8, and precision,
recall and F1 per script at the chosen threshold: paste the constants into `matching/person.py`
and the numbers into its docstring.
"""

from __future__ import annotations

import argparse
import json
import os
import random
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import numpy.typing as npt

from borderless.demo.names import translit_pairs as read_translit_pairs
from borderless.domain.codes import Gender, RecordKind
from borderless.domain.records import PersonBody
from borderless.formats.un_list import read_un_list
from borderless.matching.dates import compare_birth_dates
from borderless.matching.names import compare_names
from borderless.matching.person import WEAK_ALIAS_FACTOR, PersonQuery
from borderless.normalize.names import name_keys

SHARED = Path(
    os.environ.get("BORDERLESS_SHARED_DATA", Path(__file__).parents[1] / ".." / "shared" / "data")
)
SCRIPTS = ("arabic", "russian", "chinese", "hebrew", "korean")
FEATURES = (
    "name",
    "dob_support",
    "dob_contradict",
    "nationality_same",
    "nationality_different",
    "gender_same",
    "gender_different",
)
Vector = npt.NDArray[np.float64]


@dataclass(frozen=True)
class Example:
    group: str  # "arabic", ..., "un-names", "un-persons"
    features: tuple[float, ...]
    label: int


def translit_pairs(
    script: str, count: int, rnd: random.Random, root: Path = SHARED
) -> Iterator[tuple[str, str, int]]:
    """(latin, native, label) pairs: `count` positives and as many shuffled negatives."""
    pairs = read_translit_pairs(root / "names" / "translit", script)
    sample = rnd.sample(pairs, min(count, len(pairs)))
    for latin, native in sample:
        yield latin, native, 1
    for latin, _ in sample:
        other = rnd.choice(pairs)[1]
        yield latin, other, int(other == native_of(latin, sample))


def native_of(latin: str, sample: list[tuple[str, str]]) -> str | None:
    """Guard: a shuffled partner that happens to be a true translation is not a negative."""
    return next((n for lat, n in sample if lat == latin), None)


def _name_only(group: str, query: str, candidate: str, label: int) -> Example:
    score = compare_names(query, candidate).score
    return Example(group, (score, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0), label)


def un_persons(root: Path = SHARED) -> list[PersonBody]:
    dataset = read_un_list(root / "watchlists" / "un" / "consolidated.xml")
    return [
        r.body
        for r in dataset.records
        if r.kind == RecordKind.PERSON and isinstance(r.body, PersonBody)
    ]


def _key_index(persons: list[PersonBody]) -> dict[str, set[int]]:
    index: dict[str, set[int]] = defaultdict(set)
    for i, person in enumerate(persons):
        for name in person.names:
            for key in name_keys(name.full):
                index[key].add(i)
    return index


def _hard_negative(
    i: int, persons: list[PersonBody], index: dict[str, set[int]], rnd: random.Random
) -> int:
    name = rnd.choice(persons[i].names).full
    sharing = sorted({j for key in name_keys(name) for j in index[key]} - {i})
    return (
        rnd.choice(sharing) if sharing else rnd.choice([j for j in range(len(persons)) if j != i])
    )


def un_name_examples(persons: list[PersonBody], rnd: random.Random, limit: int) -> list[Example]:
    index = _key_index(persons)
    positives: list[tuple[str, str]] = []
    for person in persons:
        names = [n.full for n in person.names]
        pairs = [(a, b) for a in names for b in names if a != b]
        positives += rnd.sample(pairs, min(6, len(pairs)))
    positives = rnd.sample(positives, min(limit, len(positives)))
    examples = [_name_only("un-names", a, b, 1) for a, b in positives]
    for _ in positives:
        i = rnd.randrange(len(persons))
        j = _hard_negative(i, persons, index, rnd)
        query, candidate = rnd.choice(persons[i].names).full, rnd.choice(persons[j].names).full
        examples.append(_name_only("un-names", query, candidate, 0))
    return examples


def _degraded_query(person: PersonBody, alias: str, rnd: random.Random) -> PersonQuery:
    birth = None
    if person.birth_dates and rnd.random() < 0.6:
        first = person.birth_dates[0]
        birth = first.date or first.earliest or first.latest
        if birth and rnd.random() < 0.05:
            birth = str(int(birth[:4]) + rnd.choice((-9, -6, 4, 7, 12))) + birth[4:]
    nationality = person.nationalities[0] if person.nationalities and rnd.random() < 0.5 else None
    known = person.gender in {Gender.MALE, Gender.FEMALE}
    gender = person.gender if known and rnd.random() < 0.5 else None
    return PersonQuery(name=alias, birth_date=birth, nationality=nationality, gender=gender)


def _person_features(query: PersonQuery, candidate: PersonBody) -> tuple[float, ...]:
    name = max(
        compare_names(query.name, n.full).score * (WEAK_ALIAS_FACTOR if n.kind == "weak" else 1.0)
        for n in candidate.names
    )
    dob = compare_birth_dates(query.birth_date, candidate.birth_dates).score
    nat = candidate.nationalities
    same_nat = float(bool(query.nationality and nat and query.nationality in nat))
    diff_nat = float(bool(query.nationality and nat and query.nationality not in nat))
    known = {Gender.MALE, Gender.FEMALE}
    both = query.gender in known and candidate.gender in known
    same_gender = float(both and query.gender == candidate.gender)
    diff_gender = float(both and query.gender != candidate.gender)
    return (name, max(dob, 0.0), min(dob, 0.0), same_nat, diff_nat, same_gender, diff_gender)


def un_person_examples(persons: list[PersonBody], rnd: random.Random) -> list[Example]:
    index = _key_index(persons)
    examples: list[Example] = []
    for i, person in enumerate(persons):
        if len(person.names) < 2:
            continue
        alias = rnd.choice(person.names)
        query = _degraded_query(person, alias.full, rnd)
        rest = person.model_copy(update={"names": [n for n in person.names if n != alias]})
        examples.append(Example("un-persons", _person_features(query, rest), 1))
        other = persons[_hard_negative(i, persons, index, rnd)]
        examples.append(Example("un-persons", _person_features(query, other), 0))
    return examples


def fit(examples: list[Example], l2: float = 1e-3, steps: int = 50) -> Vector:
    """Logistic regression by Newton's method; returns [bias, *weights per FEATURES]."""
    x = np.array([(1.0, *e.features) for e in examples])
    y = np.array([e.label for e in examples], dtype=np.float64)
    w = np.zeros(x.shape[1])
    penalty = l2 * len(y) * np.eye(x.shape[1])
    penalty[0, 0] = 0.0
    for _ in range(steps):
        p = 1.0 / (1.0 + np.exp(-(x @ w)))
        gradient = x.T @ (p - y) + penalty @ w
        hessian = (x.T * (p * (1 - p))) @ x + penalty
        w -= np.linalg.solve(hessian, gradient)
    return w


def scores(examples: list[Example], w: Vector) -> Vector:
    x = np.array([(1.0, *e.features) for e in examples])
    return 1.0 / (1.0 + np.exp(-(x @ w)))


def quality(examples: list[Example], w: Vector, threshold: float) -> dict[str, float]:
    p = scores(examples, w)
    y = np.array([e.label for e in examples])
    hit = p >= threshold
    tp, fp, fn = (
        int((hit & (y == 1)).sum()),
        int((hit & (y == 0)).sum()),
        int((~hit & (y == 1)).sum()),
    )
    precision = tp / (tp + fp) if tp + fp else 1.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {
        "precision": round(precision, 4),
        "recall": round(recall, 4),
        "f1": round(f1, 4),
        "n": len(y),
    }


def build(per_script: int, seed: int) -> list[Example]:
    rnd = random.Random(seed)
    examples = [
        _name_only(script, latin, native, label)
        for script in SCRIPTS
        for latin, native, label in translit_pairs(script, per_script, rnd)
    ]
    persons = un_persons()
    examples += un_name_examples(persons, rnd, limit=per_script * 3)
    examples += un_person_examples(persons, rnd)
    return examples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--per-script", type=int, default=2000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--threshold", type=float, default=0.8)
    args = parser.parse_args()
    examples = build(args.per_script, args.seed)
    w = fit(examples)
    names = ("BIAS", *(f"W_{f.upper()}" for f in FEATURES))
    for name, value in zip(names, w, strict=True):
        print(f"{name} = {value:.3f}")
    report: dict[str, dict[str, float]] = {}
    groups = sorted({e.group for e in examples})
    name_pairs = [e for e in examples if e.group != "un-persons"]
    report["all name pairs"] = quality(name_pairs, w, args.threshold)
    for group in groups:
        report[group] = quality([e for e in examples if e.group == group], w, args.threshold)
    sweep = {f"{t:.2f}": quality(name_pairs, w, t) for t in (0.5, 0.6, 0.7, 0.8, 0.9)}
    print(json.dumps({"at threshold": report, "name pairs by threshold": sweep}, indent=1))


if __name__ == "__main__":
    main()
