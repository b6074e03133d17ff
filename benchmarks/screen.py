"""Bulk screening: passengers against a watchlist with aliases and stolen/lost documents.

    .venv/bin/python -m benchmarks.screen                       # 20,000 x 20,000 + 20,000
    .venv/bin/python -m benchmarks.screen --size 1000000        # the stated target size
    .venv/bin/python -m benchmarks.screen --size 20000 --splink # Splink side by side
    .venv/bin/python -m benchmarks.screen --node                # real flights, UN + OFAC, SQLite

Seeded synthetic data from the demo world's name pools (`demo.names`): `--size` watchlist
persons with a primary name and three aliases on average (other spellings, the native-script
form, a misspelling, family name first), `--size` stolen or lost documents, and `--size`
passengers. `--planted` of the passengers are listed persons travelling under an alias or a
misspelt name with their birth date (10 % without one; 10 % of the dates with a clerical
error: day and month swapped, one digit mistyped, a day or two off), and as many again carry
a listed document's number; these are the true hits. Every passenger states a nationality, as a
passport does (a listed person's own; otherwise the name culture's first country).
`--surnames wikidata` draws most family names from the Wikidata name tokens
(`demo.names.with_surname_tail`): a realistic long tail instead of a few dozen per culture.

The run is screening's own pipeline without the database: the records' keys as the search
index stores them (`index.keys.body_keys`; timed apart as `record_keys_s`, since the service
writes them with each record), the blocking keys of every passenger, the DuckDB ranking of
the candidates (`screening_match.rank_candidates`), and the frontline scorers on each
candidate pair in `--workers` processes (`screening_match.score_candidates`). It prints one
JSON line: seconds per stage, peak memory (RSS of this process and of the largest worker),
pairs scored, recall and precision of the planted hits at the default threshold.
With `--splink`, a second line: Splink 5 (DuckDB backend, a benchmark-only dependency) links
the same passengers to the same alias rows (first name, surname, birth date; blocking on
surname and on birth date; u by random sampling, m by EM), with its time and
precision/recall/F1 on the person hits at match probability 0.5, 0.9 and 0.99.
"""

from __future__ import annotations

import argparse
import json
import platform
import random
import resource
import string
import tempfile
import time
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

import pyarrow as pa  # type: ignore[import-untyped]

from benchmarks import surnames
from borderless.config import Settings, shared_data_dir
from borderless.demo.names import (
    Culture,
    compose,
    latin_parts,
    native_parts,
    other_spellings,
    pick_spellings,
    typo,
)
from borderless.domain.agencies import Agency, User
from borderless.domain.codes import AgencyKind, AliasKind, DocumentStatus, Purpose, RecordKind, Role
from borderless.domain.records import (
    BirthDate,
    DocumentBody,
    Governance,
    Name,
    PersonBody,
    Record,
)
from borderless.domain.travel import TravelDocument, Traveller
from borderless.formats.registry import ImportFormat
from borderless.index import keys as key_index
from borderless.matching.person import DEFAULT_THRESHOLD
from borderless.normalize.scripts import detect_script
from borderless.runtime import tune_garbage_collector
from borderless.services import directory
from borderless.services.imports import import_path
from borderless.services.node import OPERATOR, open_node
from borderless.services.screening import screen_flight
from borderless.services.screening_match import (
    BirthDays,
    BulkScoring,
    birth_days,
    count_keys,
    keys_table,
    namesake_keys,
    rank_candidates,
    score_candidates,
)
from borderless.services.travel_intake import Upload, ingest

EPOCH = datetime(2026, 1, 1, tzinfo=UTC)
CLERICAL_ERRORS = 0.1  # planted travellers whose stated birth date differs from the listed one


def _peak_mib(who: int = resource.RUSAGE_SELF) -> float:
    """Peak RSS of this process (or of the largest scoring worker: RUSAGE_CHILDREN)."""
    return resource.getrusage(who).ru_maxrss / 1024


@dataclass
class Listed:
    id: str
    names: list[tuple[str, AliasKind]]
    birth: str
    nationality: str


@dataclass
class World:
    persons: list[Listed] = field(default_factory=list)
    documents: dict[str, tuple[str, str]] = field(default_factory=dict)  # id -> number, country
    passengers: list[Traveller] = field(default_factory=list)
    truth: set[tuple[int, str]] = field(default_factory=set)


def _full(parts: list[tuple[str, str]], family_first: bool = False) -> str:
    given = " ".join(t for role, t in parts if role != "family")
    family = " ".join(t for role, t in parts if role == "family")
    return f"{family} {given}" if family_first else f"{given} {family}"


def _latin(name: str) -> bool:
    return detect_script(name) == "Latn"


def _birth(rng: random.Random) -> str:
    return (date(1940, 1, 1) + timedelta(days=rng.randrange(65 * 365))).isoformat()


def _clerical_error(birth: str, rng: random.Random) -> str:
    """The listed date as a check-in clerk or a calendar conversion may get it wrong: day and
    month swapped, one digit mistyped, or a day or two off."""
    day = date.fromisoformat(birth)
    how = rng.randrange(3)
    if how == 0 and day.day <= 12 and day.day != day.month:
        return day.replace(month=day.day, day=day.month).isoformat()
    if how == 1:
        position = rng.choice([2, 3, 5, 6, 8, 9])  # a digit of the year's decade, month or day
        for digit in rng.sample("0123456789", 10):
            text = birth[:position] + digit + birth[position + 1 :]
            if text != birth and _valid(text):
                return text
    return (day + timedelta(days=rng.choice([-2, -1, 1, 2]))).isoformat()


def _valid(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _number(rng: random.Random) -> str:
    return "".join(rng.choices(string.ascii_uppercase + string.digits, k=9))


def _person(culture: Culture, rng: random.Random) -> tuple[Any, tuple[int, ...]]:
    tokens = compose(culture, rng.random() < 0.4, rng)
    return tokens, pick_spellings(tokens, rng)


def _listed(index: int, culture: Culture, rng: random.Random) -> Listed:
    tokens, spellings = _person(culture, rng)
    primary = _full(latin_parts(tokens, spellings))
    names = [(primary, AliasKind.PRIMARY)]
    other = other_spellings(tokens, spellings, rng)
    if other is not None:
        names.append((_full(latin_parts(tokens, other)), AliasKind.AKA))
    native = native_parts(tokens)
    if native is not None:
        names.append((_full(native, culture.family_first), AliasKind.AKA))
    names.append((typo(primary, rng), AliasKind.WEAK))
    names.append((_full(latin_parts(tokens, spellings), family_first=True), AliasKind.AKA))
    country = culture.origins[0][0]
    return Listed(f"P{index}", names, _birth(rng), country)


def generate(size: int, planted: float, seed: int, cultures: Sequence[Culture]) -> World:
    rng = random.Random(seed)
    world = World()
    listed_tokens = []
    for i in range(size):
        culture = rng.choice(cultures)
        world.persons.append(_listed(i, culture, rng))
        listed_tokens.append(culture)
    for i in range(size):
        world.documents[f"D{i}"] = (_number(rng), rng.choice(cultures).origins[0][0])
    document_ids = list(world.documents)
    for i in range(size):
        roll = rng.random()
        documents: list[TravelDocument] = []
        if roll < planted:  # a listed person under an alias or a misspelt name
            person = rng.choice(world.persons)
            latin = [n for n, kind in person.names if _latin(n) and kind != AliasKind.WEAK]
            name = rng.choice(latin[1:] or latin)
            if rng.random() < 0.3:
                name = typo(name, rng)
            given, _, surname = name.rpartition(" ")
            birth = person.birth if rng.random() < 0.9 else None
            if birth is not None and rng.random() < CLERICAL_ERRORS:
                birth = _clerical_error(birth, rng)
            world.truth.add((i, person.id))
            nationality = person.nationality
            documents.append(TravelDocument("P", _number(rng), nationality))
        else:
            culture = rng.choice(cultures)
            tokens, spellings = _person(culture, rng)
            given, _, surname = _full(latin_parts(tokens, spellings)).rpartition(" ")
            birth = _birth(rng)
            nationality = culture.origins[0][0]
            if roll < 2 * planted:  # carries a stolen or lost document
                doc_id = rng.choice(document_ids)
                number, country = world.documents[doc_id]
                documents.append(TravelDocument("P", number, country))
                world.truth.add((i, doc_id))
            else:
                documents.append(TravelDocument("P", _number(rng), nationality))
        world.passengers.append(
            Traveller(
                str(i),
                surname,
                given,
                birth_date=birth,
                nationality=nationality,
                documents=tuple(documents),
            )
        )
    return world


def _body(person: Listed) -> PersonBody:
    """A listed person's record body, built without validation (the values are clean)."""
    return PersonBody.model_construct(
        names=[Name.model_construct(full=n, kind=k) for n, k in person.names],
        birth_dates=[BirthDate.model_construct(date=person.birth)],
        nationalities=[person.nationality],
    )


def _record_keys(world: World) -> pa.Table:
    """The keys each record is stored with (`index.keys.body_keys`), as the search index holds
    them: name keys, and the `ny:` keys of each year of birth."""
    keys: list[str] = []
    ids: list[str] = []
    for person in world.persons:
        for key in key_index.body_keys(_body(person)):
            keys.append(key)
            ids.append(person.id)
    for doc_id, (number, country) in world.documents.items():
        body = DocumentBody(number=number, issuing_country=country, status=DocumentStatus.STOLEN)
        for key in key_index.body_keys(body):
            keys.append(key)
            ids.append(doc_id)
    return pa.table({"key": keys, "record_id": ids})


def _loader(world: World) -> Callable[[Sequence[str]], Iterator[Record]]:
    """Records by id, built when asked for: what the gate reads from the database."""
    persons = {p.id: p for p in world.persons}

    def load(record_ids: Sequence[str]) -> Iterator[Record]:
        for record_id in record_ids:
            body: Any
            if record_id in world.documents:
                number, country = world.documents[record_id]
                body = DocumentBody.model_construct(
                    number=number, issuing_country=country, status=DocumentStatus.STOLEN
                )
                kind = RecordKind.DOCUMENT
            else:
                body = _body(persons[record_id])
                kind = RecordKind.PERSON
            yield Record.model_construct(
                id=record_id,
                kind=kind,
                owner="HUB",
                governance=Governance(),
                body=body,
                source=None,
                created_at=EPOCH,
                updated_at=EPOCH,
                version=1,
            )

    return load


def _birth_days(world: World) -> BirthDays | None:
    listed = ((p.id, [BirthDate.model_construct(date=p.birth)]) for p in world.persons)
    return birth_days(world.passengers, listed, DEFAULT_THRESHOLD)


def _timed(stages: dict[str, float], name: str, work: Callable[[], Any]) -> Any:
    started = time.perf_counter()
    result = work()
    stages[name] = round(time.perf_counter() - started, 2)
    return result


def index_records(world: World) -> tuple[pa.Table, float]:
    """The records' keys: written with each record in the service, so not a screening stage."""
    started = time.perf_counter()
    return _record_keys(world), round(time.perf_counter() - started, 2)


def screen(
    world: World, records: pa.Table, workers: int
) -> tuple[dict[str, float], set[tuple[int, str]], int]:
    stages: dict[str, float] = {}
    wanted = _timed(stages, "passenger_keys", lambda: keys_table(world.passengers))
    days = _timed(stages, "birth_days", lambda: _birth_days(world))
    pairs = _timed(stages, "duckdb_candidates", lambda: rank_candidates(wanted, records, days=days))
    counts = _timed(stages, "namesakes", lambda: count_keys(records, namesake_keys(wanted)))
    batch = BulkScoring(world.passengers, pairs, _loader(world), DEFAULT_THRESHOLD, counts)
    found = _timed(stages, "scoring", lambda: list(score_candidates(batch, workers)))
    return stages, {(index, record_id) for index, record_id, _ in found}, pairs.num_rows


def quality(hits: set[tuple[int, str]], truth: set[tuple[int, str]]) -> dict[str, float]:
    found = len(hits & truth)
    precision = found / len(hits) if hits else 0.0
    recall = found / len(truth) if truth else 0.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


def splink_run(world: World) -> dict[str, Any]:
    import splink.comparison_library as cl
    from splink import Linker, SettingsCreator, block_on
    from splink.backends.duckdb import DuckDBAPI

    def rows(pairs: Sequence[tuple[str, str, str, str | None]]) -> pa.Table:
        return pa.table(
            {
                "unique_id": [p[0] for p in pairs],
                "first_name": [p[1].lower() or None for p in pairs],
                "surname": [p[2].lower() or None for p in pairs],
                "dob": [p[3] for p in pairs],
            }
        )

    left = rows(
        [(f"T{i}", t.given_names, t.surname, t.birth_date) for i, t in enumerate(world.passengers)]
    )
    right_rows = []
    for person in world.persons:
        for k, (name, _) in enumerate(n for n in person.names if _latin(n[0])):
            given, _, surname = name.rpartition(" ")
            right_rows.append((f"{person.id}#{k}", given, surname, person.birth))
    started = time.perf_counter()
    db_api = DuckDBAPI()
    settings = SettingsCreator(
        link_type="link_only",
        comparisons=[
            cl.NameComparison("first_name"),
            cl.NameComparison("surname"),
            cl.DateOfBirthComparison("dob", input_is_string=True),
        ],
        blocking_rules_to_generate_predictions=[block_on("surname"), block_on("dob")],
    )
    linker = Linker(
        [
            db_api.register(left, table_name="passengers"),
            db_api.register(rows(right_rows), table_name="watchlist"),
        ],
        settings,
    )
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("dob"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("surname"))
    predictions = linker.inference.predict(threshold_match_probability=0.5).as_record_list()
    seconds = time.perf_counter() - started
    persons_truth = {(i, r) for i, r in world.truth if r.startswith("P")}
    result: dict[str, Any] = {"seconds": round(seconds, 2)}
    for threshold in (0.5, 0.9, 0.99):
        hits = set()
        for row in predictions:
            if row["match_probability"] < threshold:
                continue
            left_id, right_id = row["unique_id_l"], row["unique_id_r"]
            if str(left_id).startswith("P"):
                left_id, right_id = right_id, left_id
            hits.add((int(str(left_id)[1:]), str(right_id).split("#")[0]))
        result[f"p>={threshold}"] = {**quality(hits, persons_truth), "hits": len(hits)}
    return result


def node_run() -> dict[str, Any]:
    """Real flights against the UN and OFAC lists on a SQLite node: the whole service."""
    with tempfile.TemporaryDirectory(prefix="borderless-bench-") as folder:
        node = open_node(Settings(data_dir=Path(folder)))
        hub = Agency(code="HUB", name="Hub", country="FRA", kind=AgencyKind.HUB)
        piu = Agency(code="NLD-PIU", name="PIU", country="NLD", kind=AgencyKind.BORDER)
        for agency in (hub, piu):
            directory.create_agency(node, OPERATOR, agency)
        directory.create_user(
            node, OPERATOR, User(username="analyst", agency="NLD-PIU", role=Role.ANALYST)
        )
        analyst = directory.principal_by_name(node, "analyst")
        importer = directory.operator_for(node, "HUB")
        shared = shared_data_dir()
        import_path(
            node, importer, ImportFormat.UN_LIST, shared / "watchlists/un/consolidated.xml", "HUB"
        )
        import_path(node, importer, ImportFormat.OFAC, shared / "watchlists/ofac_sdn_2021", "HUB")
        runs = []
        for name in (
            "loader_apis/Test3.txt",
            "tamr_integration/flight1.txt",
            "parsers_pnr/pnrWithBags.txt",
        ):
            data = (shared / "passenger_messages" / name).read_bytes()
            [result] = ingest(node, analyst, Purpose.BORDER_CONTROL, Upload(data, name))
            started = time.perf_counter()
            report = screen_flight(node, analyst, Purpose.BORDER_CONTROL, result.flight)
            seconds = time.perf_counter() - started
            runs.append(
                {
                    "file": name,
                    "travellers": report.travellers,
                    "hits": len(report.hits),
                    "seconds": round(seconds, 2),
                }
            )
        node.engine.dispose()
    return {"node": "sqlite, UN (684+193) and OFAC SDN 2021 (8,890) lists", "flights": runs}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--node", action="store_true", help="real flights on a SQLite node")
    parser.add_argument("--size", type=int, default=20_000)
    parser.add_argument("--planted", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=5)
    parser.add_argument("--splink", action="store_true")
    parser.add_argument("--workers", type=int, default=2, help="scoring processes")
    surnames.add_argument(parser)
    args = parser.parse_args()
    tune_garbage_collector(serving=False)  # as the `borderless` CLI does
    if args.node:
        print(json.dumps({**node_run(), "peak_rss_mib": round(_peak_mib())}))
        return
    started = time.perf_counter()
    cultures = list(surnames.cultures(args.surnames).values())
    world = generate(args.size, args.planted, args.seed, cultures)
    generated = time.perf_counter() - started
    aliases = sum(len(p.names) - 1 for p in world.persons) / max(len(world.persons), 1)
    records, indexed = index_records(world)
    stages, hits, pairs = screen(world, records, args.workers)
    person_truth = {(i, r) for i, r in world.truth if r.startswith("P")}
    person_hits = {(i, r) for i, r in hits if r.startswith("P")}
    report: dict[str, Any] = {
        "surnames": args.surnames,
        "passengers": len(world.passengers),
        "watchlist_persons": len(world.persons),
        "aliases_per_person": round(aliases, 2),
        "documents": len(world.documents),
        "planted": len(world.truth),
        "generate_s": round(generated, 1),
        "record_keys_s": indexed,
        "stages_s": stages,
        "screen_s": round(sum(stages.values()), 2),
        "pairs_scored": pairs,
        "hits": len(hits),
        **quality(hits, world.truth),
        "persons": quality(person_hits, person_truth),
        "peak_rss_mib": round(_peak_mib()),
        "peak_worker_rss_mib": round(_peak_mib(resource.RUSAGE_CHILDREN)),
        "machine": platform.machine(),
    }
    print(json.dumps(report), flush=True)
    if args.splink:
        print(json.dumps({"splink": splink_run(world), "peak_rss_mib": round(_peak_mib())}))


if __name__ == "__main__":
    main()
