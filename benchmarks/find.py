"""Frontline search speed: mixed queries against a demo world, in process and over HTTP.

    .venv/bin/python -m benchmarks.find build --persons 100000 [--surnames wikidata]
    .venv/bin/python -m benchmarks.find inproc --persons 100000 [--queries 3000] [--profile]
    .venv/bin/python -m benchmarks.find http --persons 100000 --workers 2 --concurrency 16 \
        [--database-url postgresql://postgres@127.0.0.1:5432/find_bench]

`--surnames wikidata` (every command) uses a world whose family names come mostly from the
Wikidata name tokens in ``../shared/data/names/translit`` (`demo.names.with_surname_tail`): the
pools alone make a full name common to dozens of people at a million persons, which no real
population does. It lives in ``find-N-wikidata/``.

`build` generates the world under ``benchmarks/out/find-N/`` (gitignored), loads it into a
SQLite node there, adds one analyst (NLD-BORDER) and writes a fixed set of queries; every
later run reuses all of it (the other commands build first when needed). Searches go through
the real service, `services.search.search`, with purpose IDENTIFY, so each one writes its audit
entry and hit notifications, as in production; the database therefore grows a little per run.

The query mix (weights in `MIX`) covers every part of a frontline query: a stored person name
with its date of birth, a planted spelling variant (truth ``name_variant``), a name that is
*not* stored (the given name of one person with the family name of another: it shares
blocking keys with many records and is the common case at a border, a miss), a document number,
an MRZ, a VIN, a plate, a firearm serial and a face template (a stored one with capture noise).

Each run prints one JSON line: latencies (p50/p90/p99/max, per query kind), searches/s, hits,
memory, database size, and for `http` the server's workers, event loop and HTTP parser, the
client's concurrency, both sides' CPU per request and the machine's load average (the two
cores may be shared). `http --database-url` serves from that database instead of the SQLite
file, loading the world into it first if it does not hold it yet.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import cProfile
import io
import json
import os
import platform
import pstats
import random
import resource
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np
import orjson
from anyascii import anyascii

from benchmarks import surnames
from borderless.config import Settings
from borderless.demo.world import TEMPLATE_NOISE, WorldFiles, WorldSpec, generate_world
from borderless.domain.agencies import Principal, User
from borderless.domain.codes import Purpose, Role
from borderless.normalize.mrz import mrz_check_digit
from borderless.runtime import tune_garbage_collector
from borderless.services import directory
from borderless.services.demo import load_world
from borderless.services.node import OPERATOR, Node, open_node
from borderless.services.search import search
from borderless.services.search_query import SearchRequest
from borderless.store import directory as directory_store
from borderless.store.db import reading

OUT = Path(__file__).parent / "out"
AGENCY = "NLD-BORDER"
USERNAME = "bench.analyst.nld-border"
SEED = 11
QUERY_SET = 3000  # distinct queries written by `build`; runs cycle through them
MIX: dict[str, int] = {
    "name_dob": 15,  # a stored primary name with the record's date of birth
    "name_variant": 10,  # a planted spelling variant (truth), half of them with the date
    "name_miss": 15,  # given name of one person + family name of another: many shared keys
    "document": 15,
    "mrz": 10,
    "vin": 8,
    "plate": 7,
    "firearm": 10,
    "biometric": 10,
}
RECORD_KINDS = (
    "person",
    "document",
    "vehicle",
    "firearm",
    "biometric",
    "organisation",
    "account",
    "transaction",
    "notice",
    "case",
)


def machine() -> str:
    return f"{platform.machine()} {os.cpu_count()} cores"


def peak_rss_mib() -> float:
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)


def current_rss_mib() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return round(pages * os.sysconf("SC_PAGE_SIZE") / 2**20)


@dataclass(frozen=True)
class BenchWorld:
    """Which demo world a run uses: its size, and where its family names come from."""

    persons: int
    surnames: str = "pools"  # or "wikidata": most from the Wikidata tokens (`with_surname_tail`)

    @property
    def folder(self) -> Path:
        suffix = "" if self.surnames == "pools" else f"-{self.surnames}"
        return OUT / f"find-{self.persons}{suffix}"

    def settings(self) -> Settings:
        return Settings(data_dir=self.folder / "data", log_json=False)

    def spec(self) -> WorldSpec:
        return WorldSpec(persons=self.persons, surname_tail=surnames.tail_dir(self.surnames))

    def describe(self) -> dict[str, Any]:
        return {"persons": self.persons, "surnames": self.surnames}


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    index = min(len(ordered) - 1, max(0, round(q / 100 * len(ordered) + 0.5) - 1))
    return ordered[index]


def latency_summary(ms: list[float]) -> dict[str, float]:
    return {
        "p50_ms": round(percentile(ms, 50), 2),
        "p90_ms": round(percentile(ms, 90), 2),
        "p99_ms": round(percentile(ms, 99), 2),
        "max_ms": round(max(ms), 2),
        "mean_ms": round(statistics.fmean(ms), 2),
    }


# --- building the world, the node and the queries (once) --------------------------------------


def world_files(bw: BenchWorld) -> WorldFiles:
    world = bw.folder / "world"
    return WorldFiles(
        agencies=world / "agencies.json",
        records=world / "records.jsonl",
        truth=world / "truth.jsonl",
        counts={},
    )


def build(bw: BenchWorld) -> dict[str, Any]:
    """Generate, load and prepare the world `bw` unless that was done before."""
    folder = bw.folder
    done = folder / "build.json"
    if done.exists():
        info: dict[str, Any] = json.loads(done.read_text())
        return info
    folder.mkdir(parents=True, exist_ok=True)
    info = bw.describe()
    files = world_files(bw)
    if not (files.records.exists() and files.truth.exists()):
        started = time.perf_counter()
        files = generate_world(bw.spec(), files.records.parent)
        info["generate_seconds"] = round(time.perf_counter() - started, 1)
        info["counts"] = files.counts
        (folder / "counts.json").write_text(json.dumps(files.counts))
    else:
        info["counts"] = json.loads((folder / "counts.json").read_text())
    node = open_node(bw.settings())
    started = time.perf_counter()
    load_world(node, files)
    info["load_seconds"] = round(time.perf_counter() - started, 1)
    info["records"] = sum(v for k, v in info["counts"].items() if k in RECORD_KINDS)
    info["load_records_per_s"] = round(info["records"] / info["load_seconds"])
    directory.create_user(node, OPERATOR, User(username=USERNAME, agency=AGENCY, role=Role.ANALYST))
    started = time.perf_counter()
    queries = make_queries(files, QUERY_SET, random.Random(SEED))
    info["queries_seconds"] = round(time.perf_counter() - started, 1)
    with (folder / "queries.jsonl").open("wb") as handle:
        for query in queries:
            handle.write(orjson.dumps(query, option=orjson.OPT_APPEND_NEWLINE))
    info["db_mib"] = db_mib(node)
    info["load_peak_rss_mib"] = peak_rss_mib()
    node.engine.dispose()
    done.write_text(json.dumps(info))
    return info


def db_mib(node: Node) -> float:
    path = node.settings.data_dir / "borderless.db"
    files = [path, path.with_name(path.name + "-wal")]
    return round(sum(p.stat().st_size for p in files if p.exists()) / 2**20)


class Reservoir:
    """A uniform sample of fixed size from a stream (Algorithm R)."""

    def __init__(self, size: int, rnd: random.Random) -> None:
        self.size, self.rnd, self.seen = size, rnd, 0
        self.items: list[Any] = []

    def offer(self, item: Any) -> None:
        self.seen += 1
        if len(self.items) < self.size:
            self.items.append(item)
        else:
            slot = self.rnd.randrange(self.seen)
            if slot < self.size:
                self.items[slot] = item


def _lines(path: Path) -> Iterator[dict[str, Any]]:
    with path.open("rb") as handle:
        for line in handle:
            yield orjson.loads(line)


def _full_date(body: dict[str, Any]) -> str | None:
    for item in body.get("birth_dates", []):
        date = item.get("date")
        if date and len(date) == 10:
            return str(date)
    return None


def _latin(body: dict[str, Any]) -> dict[str, Any]:
    names = body["names"]
    return next((n for n in names if n.get("script") == "Latn"), names[0])


def make_queries(files: WorldFiles, count: int, rnd: random.Random) -> list[dict[str, Any]]:
    """`count` queries in the proportions of `MIX`, drawn from the world's records and truth."""
    total = sum(MIX.values())
    want = {kind: max(1, count * weight // total) for kind, weight in MIX.items()}
    persons = Reservoir(want["name_dob"] + 2 * want["name_miss"], rnd)
    documents = Reservoir(want["document"] + want["mrz"], rnd)
    vehicles = Reservoir(want["vin"] + want["plate"], rnd)
    firearms = Reservoir(want["firearm"], rnd)
    templates = Reservoir(want["biometric"], rnd)
    variants = Reservoir(want["name_variant"], rnd)
    by_kind = {
        "person": persons,
        "document": documents,
        "vehicle": vehicles,
        "firearm": firearms,
        "biometric": templates,
    }
    for line in _lines(files.records):
        reservoir = by_kind.get(line["kind"])
        if reservoir is not None:
            reservoir.offer(line)
    for fact in _lines(files.truth):
        if fact["type"] == "name_variant":
            variants.offer(fact)
    # holders of the sampled documents and the records of the variants, for MRZ and dates
    wanted = {d["body"]["person_id"] for d in documents.items if d["body"].get("person_id")}
    wanted |= {v["record"] for v in variants.items}
    people = {
        line["id"]: line["body"]
        for line in _lines(files.records)
        if line["kind"] == "person" and line["id"] in wanted
    }
    queries: list[dict[str, Any]] = []

    def add(kind: str, request: dict[str, Any], expected: str | None) -> None:
        SearchRequest.model_validate(request)  # fail at build time, not in the timed loop
        queries.append({"kind": kind, "request": request, "expected": expected})

    sampled = persons.items
    for line in sampled[: want["name_dob"]]:
        person: dict[str, Any] = {"name": line["body"]["names"][0]["full"]}
        if _full_date(line["body"]):
            person["birth_date"] = _full_date(line["body"])
        add("name_dob", {"person": person}, line["id"])
    rest = sampled[want["name_dob"] :]
    for a, b in zip(rest[0::2], rest[1::2], strict=False):
        given = _latin(a["body"]).get("given") or _latin(a["body"])["full"].split()[0]
        family = _latin(b["body"]).get("family") or _latin(b["body"])["full"].split()[-1]
        miss: dict[str, Any] = {"name": f"{given} {family}"}
        if rnd.random() < 0.5:
            miss["birth_date"] = _full_date(a["body"]) or "1980-01-01"
        add("name_miss", {"person": miss}, None)
    for fact in variants.items:
        variant: dict[str, Any] = {"name": fact["query"]}
        dob = _full_date(people.get(fact["record"], {}))
        if dob and rnd.random() < 0.5:
            variant["birth_date"] = dob
        add("name_variant", {"person": variant}, fact["record"])
    docs = documents.items
    for line in docs[: want["document"]]:
        add("document", {"document": {"number": line["body"]["number"]}}, line["id"])
    for line in docs[want["document"] :]:
        holder = people.get(line["body"].get("person_id", ""))
        add("mrz", {"document": {"mrz": list(td3(line["body"], holder))}}, line["id"])
    cars = vehicles.items
    for line in cars[: want["vin"]]:
        body = line["body"]
        if body.get("vin"):
            add("vin", {"vehicle": {"vin": body["vin"]}}, line["id"])
        else:
            add("plate", {"vehicle": {"plate": body["plate"]}}, line["id"])
    for line in cars[want["vin"] :]:
        plate = {"plate": line["body"]["plate"], "country": line["body"]["plate_country"]}
        add("plate", {"vehicle": plate}, line["id"])
    for line in firearms.items:
        add("firearm", {"firearm": {"serial": line["body"]["serial_number"]}}, line["id"])
    noise = np.random.default_rng(SEED)
    for line in templates.items:
        base = np.asarray(line["body"]["vector"], dtype=np.float64)
        probe = base + noise.standard_normal(base.shape) * TEMPLATE_NOISE
        probe /= np.linalg.norm(probe)
        vector = [round(float(x), 5) for x in probe]
        add("biometric", {"biometric": {"vector": vector, "modality": "face"}}, line["id"])
    rnd.shuffle(queries)
    return queries


def _mrz_field(text: str, width: int) -> str:
    cleaned = "".join(c if c.isalnum() else "<" for c in text.upper())
    return cleaned[:width].ljust(width, "<")


def td3(document: dict[str, Any], holder: dict[str, Any] | None) -> tuple[str, str]:
    """A passport MRZ (TD3) for a stored document, with correct check digits."""
    number = _mrz_field(document["number"], 9)
    issuer = document["issuing_country"]
    latin = _latin(holder) if holder else {"full": "UNKNOWN"}
    family = latin.get("family") or latin["full"].split()[-1]
    given = latin.get("given") or " ".join(latin["full"].split()[:-1])
    name = _mrz_field(f"{anyascii(family)}<<{anyascii(given)}".replace(" ", "<"), 39)
    birth = (_full_date(holder) if holder else None) or "1980-01-01"
    born = birth[2:4] + birth[5:7] + birth[8:10]
    expiry = (document.get("expires") or "2030-01-01").replace("-", "")[2:]
    sex = {"male": "M", "female": "F"}.get(holder.get("gender", "") if holder else "", "<")
    nationality = (holder or {}).get("nationalities", [issuer])[0]
    personal = "<" * 14
    head = number + mrz_check_digit(number)
    middle = f"{born}{mrz_check_digit(born)}{sex}{expiry}{mrz_check_digit(expiry)}"
    composite = mrz_check_digit(head + born + mrz_check_digit(born) + middle[7:] + personal + "<")
    line1 = f"P<{issuer}{name}"[:44].ljust(44, "<")
    return line1, f"{head}{nationality}{middle}{personal}<{composite}"


def load_queries(bw: BenchWorld) -> list[dict[str, Any]]:
    return list(_lines(bw.folder / "queries.jsonl"))


# --- in process -------------------------------------------------------------------------------


@dataclass
class Bench:
    node: Node
    principal: Principal
    queries: list[dict[str, Any]]
    requests: list[SearchRequest]


def open_bench(bw: BenchWorld, only: set[str] | None = None) -> Bench:
    build(bw)
    tune_garbage_collector(serving=True)  # as the API server and the CLI do
    node = open_node(bw.settings())
    principal = directory.principal_by_name(node, USERNAME)
    queries = [q for q in load_queries(bw) if only is None or q["kind"] in only]
    return Bench(
        node, principal, queries, [SearchRequest.model_validate(q["request"]) for q in queries]
    )


class Stages:
    """Wall time spent in the stages of a search, by wrapping the functions it calls."""

    TARGETS = (
        ("candidates_sql", "borderless.services.search", "search_store", "candidates"),
        ("namesakes", "borderless.governance.gate", None, "RecordGate.count_visible"),
        ("vector_search", "borderless.services.vectors", None, "TemplateIndex.search"),
        ("fetch_rows", "borderless.governance.gate", "store", "select_rows"),
        ("person_hit", "borderless.services.search", None, "person_hit"),
        ("view", "borderless.governance.gate", None, "to_view"),
        ("audit_append", "borderless.governance.gate", "audit", "append"),
        ("linked_notices", "borderless.services.search", None, "LinkedNotices.__call__"),
        ("notify_owners", "borderless.services.search", None, "notify_owners"),
    )

    def __init__(self) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.candidates: list[int] = []

    def install(self) -> None:
        import importlib

        for stage, module_name, attribute, name in self.TARGETS:
            owner: Any = importlib.import_module(module_name)
            if attribute is not None:
                owner = getattr(owner, attribute)
            if "." in name:
                owner, name = getattr(owner, name.split(".")[0]), name.split(".")[1]
            setattr(owner, name, self._timed(stage, getattr(owner, name)))

    def _timed(self, stage: str, function: Any) -> Any:
        seconds, candidates = self.seconds, self.candidates

        def timed(*args: Any, **kwargs: Any) -> Any:
            t0 = time.perf_counter()
            try:
                result = function(*args, **kwargs)
            finally:
                seconds[stage] += time.perf_counter() - t0
            if stage == "candidates_sql":
                candidates.append(len(result))
            return result

        return timed


def inproc(
    bw: BenchWorld,
    count: int,
    profile: Path | None,
    stages: Stages | None = None,
    only: set[str] | None = None,
) -> dict[str, Any]:
    bench = open_bench(bw, only)
    node, principal = bench.node, bench.principal
    if stages is not None:
        stages.install()
    rss_before = current_rss_mib()
    started = time.perf_counter()
    node.vectors.refresh(node.engine)  # the first search would build the template index
    vector_build = time.perf_counter() - started
    for request in bench.requests[:100]:  # warm-up: caches, connections, code paths
        search(node, principal, Purpose.IDENTIFY, request)
    if stages is not None:
        stages.seconds.clear()
        stages.candidates.clear()
    per_kind: dict[str, list[float]] = defaultdict(list)
    every: list[float] = []
    hits = 0
    found: dict[str, list[int]] = defaultdict(lambda: [0, 0])  # kind -> [expected, found]
    profiler = cProfile.Profile() if profile else None
    run_started = time.perf_counter()
    cpu_started = time.process_time()
    for i in range(count):
        query, request = (
            bench.queries[i % len(bench.queries)],
            bench.requests[i % len(bench.queries)],
        )
        if profiler is not None:
            profiler.enable()
        t0 = time.perf_counter()
        result = search(node, principal, Purpose.IDENTIFY, request)
        ms = (time.perf_counter() - t0) * 1000
        if profiler is not None:
            profiler.disable()
        every.append(ms)
        per_kind[query["kind"]].append(ms)
        hits += len(result.hits)
        if query["expected"]:
            found[query["kind"]][0] += 1
            found[query["kind"]][1] += any(h.hit.view.id == query["expected"] for h in result.hits)
    wall = time.perf_counter() - run_started
    cpu = time.process_time() - cpu_started
    if profiler is not None and profile is not None:
        profile.parent.mkdir(parents=True, exist_ok=True)
        profiler.dump_stats(str(profile))
        text = io.StringIO()
        stats = pstats.Stats(profiler, stream=text).sort_stats("cumulative")
        stats.print_stats(45)
        stats.sort_stats("tottime").print_stats(30)
        profile.with_suffix(".txt").write_text(text.getvalue())
    info = json.loads((bw.folder / "build.json").read_text())
    extra: dict[str, Any] = {}
    if stages is not None:
        total_ms = sum(every)
        extra["stage_share"] = {
            k: round(v * 1000 / total_ms, 3) for k, v in sorted(stages.seconds.items())
        }
        sizes = stages.candidates[-count:]
        extra["candidates_per_search"] = {
            "p50": percentile([float(n) for n in sizes], 50),
            "p99": percentile([float(n) for n in sizes], 99),
            "max": max(sizes),
        }
    return {
        "benchmark": "find inproc",
        **bw.describe(),
        "query_kinds": sorted(only) if only else "all",
        "records": info["records"],
        "counts": {k: v for k, v in info["counts"].items() if k in RECORD_KINDS},
        "queries": count,
        "profiled": profile is not None,
        **latency_summary(every),
        "searches_per_s": round(count / wall, 1),
        "cpu_ms_per_search": round(cpu / count * 1000, 2),
        "per_kind": {
            kind: {
                "n": len(ms),
                "p50_ms": round(percentile(ms, 50), 2),
                "p99_ms": round(percentile(ms, 99), 2),
            }
            for kind, ms in sorted(per_kind.items())
        },
        "hits_per_search": round(hits / count, 2),
        "expected_found": {k: round(f / n, 3) for k, (n, f) in sorted(found.items())},
        "vector_index_build_s": round(vector_build, 2),
        "generate_s": info.get("generate_seconds"),
        "load_s": info["load_seconds"],
        "load_records_per_s": info["load_records_per_s"],
        "db_mib": db_mib(node),
        "rss_before_mib": rss_before,
        "rss_mib": current_rss_mib(),
        "peak_rss_mib": peak_rss_mib(),
        **extra,
        "machine": machine(),
    }


# --- over HTTP --------------------------------------------------------------------------------


def server_app() -> Any:
    """uvicorn factory: the API over the benchmark node named by BORDERLESS_BENCH_PERSONS (and
    BORDERLESS_DATABASE_URL when the database is not the SQLite file)."""
    from borderless.api.app import create_app

    bw = BenchWorld(
        int(os.environ["BORDERLESS_BENCH_PERSONS"]), os.environ["BORDERLESS_BENCH_SURNAMES"]
    )
    settings = bw.settings().model_copy(update={"retention_interval_s": 0})
    return create_app(open_node(settings, upgrade=False))


def load_database(bw: BenchWorld) -> None:
    """Load the world into the configured database unless it holds it (`build` fills only the
    SQLite file; BORDERLESS_DATABASE_URL may name another)."""
    node = open_node(bw.settings())
    try:
        with reading(node.engine) as conn:
            loaded = directory_store.get_user(conn, USERNAME) is not None
        if not loaded:
            load_world(node, world_files(bw))
            user = User(username=USERNAME, agency=AGENCY, role=Role.ANALYST)
            directory.create_user(node, OPERATOR, user)
    finally:
        node.engine.dispose()


def _server_stack() -> dict[str, str]:
    """The event loop and HTTP parser uvicorn picks (`auto`: uvloop and httptools if present)."""
    import importlib.util

    def present(name: str) -> bool:
        return importlib.util.find_spec(name) is not None

    return {
        "loop": "uvloop" if present("uvloop") else "asyncio",
        "http": "httptools" if present("httptools") else "h11",
    }


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _children_rss_mib(pid: int) -> float:
    """Resident memory of the server: the uvicorn supervisor and its workers."""
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (proc / "stat").read_text().split()
            if int(proc.name) == pid or int(stat[3]) == pid:
                total += int(stat[23]) * os.sysconf("SC_PAGE_SIZE")
    return round(total / 2**20)


class _Connection:
    """One keep-alive HTTP/1.1 connection that posts prepared requests.

    The driver shares the two cores with the server, so it must cost little: a general client
    (httpx) spent 1.4-1.9 ms of CPU per request here, more than the server's own framework.
    Requests are built once; a response is read by its Content-Length (the search endpoint
    never streams).
    """

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.streams: tuple[asyncio.StreamReader, asyncio.StreamWriter] | None = None

    async def post(self, request: bytes) -> int:
        if self.streams is None:
            self.streams = await asyncio.open_connection(self.host, self.port)
        reader, writer = self.streams
        writer.write(request)
        head = await reader.readuntil(b"\r\n\r\n")
        lines = head.split(b"\r\n")
        fields = dict(line.split(b":", 1) for line in lines[1:] if b":" in line)
        fields = {k.strip().lower(): v.strip() for k, v in fields.items()}
        if b"content-length" not in fields:
            raise RuntimeError(f"response without Content-Length: {head!r}")
        await reader.readexactly(int(fields[b"content-length"]))
        if fields.get(b"connection", b"").lower() == b"close":
            await self.close()
        return int(lines[0].split()[1])

    async def close(self) -> None:
        if self.streams is not None:
            writer = self.streams[1]
            self.streams = None
            writer.close()
            with contextlib.suppress(OSError):
                await writer.wait_closed()


def _requests(
    address: tuple[str, int], token: str, bodies: list[tuple[str, bytes]]
) -> list[tuple[str, bytes]]:
    """(kind, body) -> (kind, the whole POST /search request), ready to write to a socket."""
    host, port = address
    head = (
        f"POST /search HTTP/1.1\r\nHost: {host}:{port}\r\nAuthorization: Bearer {token}\r\n"
        f"X-Purpose: {Purpose.IDENTIFY.value}\r\nContent-Type: application/json\r\n"
    )
    return [
        (kind, f"{head}Content-Length: {len(body)}\r\n\r\n".encode() + body)
        for kind, body in bodies
    ]


async def _drive(
    address: tuple[str, int],
    requests: list[tuple[str, bytes]],
    total: int,
    concurrency: int,
    time_limit: float,
) -> tuple[list[tuple[str, float, int]], float]:
    """Send `requests` in turn from `concurrency` connections until `total` or `time_limit`."""
    results: list[tuple[str, float, int]] = []
    next_index = 0
    deadline = time.perf_counter() + time_limit

    async def worker() -> None:
        nonlocal next_index
        connection = _Connection(*address)
        try:
            while next_index < total and time.perf_counter() < deadline:
                kind, request = requests[next_index % len(requests)]
                next_index += 1
                t0 = time.perf_counter()
                status = await connection.post(request)
                results.append((kind, (time.perf_counter() - t0) * 1000, status))
        finally:
            await connection.close()

    started = time.perf_counter()
    await asyncio.gather(*(worker() for _ in range(concurrency)))
    return results, time.perf_counter() - started


def http(
    bw: BenchWorld,
    workers: int,
    concurrency: int,
    total: int,
    time_limit: float,
    only: set[str] | None = None,
) -> dict[str, Any]:
    build(bw)
    load_database(bw)
    bench = open_bench(bw, only)
    database = bench.node.engine.dialect.name
    token = directory.issue_token(bench.node, OPERATOR, USERNAME, "benchmark")
    bench.node.engine.dispose()
    bodies = [(q["kind"], orjson.dumps(q["request"])) for q in bench.queries]
    port = _free_port()
    address = ("127.0.0.1", port)
    env = {
        **os.environ,
        "BORDERLESS_BENCH_PERSONS": str(bw.persons),
        "BORDERLESS_BENCH_SURNAMES": bw.surnames,
    }
    command = [
        sys.executable, "-m", "uvicorn", "--factory", "benchmarks.find:server_app",
        "--host", "127.0.0.1", "--port", str(port), "--workers", str(workers),
        "--log-level", "warning", "--no-access-log",
    ]  # fmt: skip
    server = subprocess.Popen(
        command, env=env, cwd=Path(__file__).parents[1], start_new_session=True
    )
    try:
        started = time.perf_counter()
        _wait_healthy(f"http://127.0.0.1:{port}", server)
        startup = time.perf_counter() - started
        # warm every worker: its template index is built by its first biometric query
        warm = [b for b in bodies if b[0] == "biometric"][: 8 * workers] + bodies[:200]
        asyncio.run(_drive(address, _requests(address, token, warm), len(warm), concurrency, 600))
        timed = _requests(address, token, bodies)
        load_before = os.getloadavg()[0]
        server_cpu_before = _cpu_seconds(server.pid)
        client_cpu_before = time.process_time()
        results, wall = asyncio.run(_drive(address, timed, total, concurrency, time_limit))
        client_cpu = time.process_time() - client_cpu_before
        server_cpu = _cpu_seconds(server.pid) - server_cpu_before
        server_rss = _children_rss_mib(server.pid)
        load_after = os.getloadavg()[0]
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        with contextlib.suppress(subprocess.TimeoutExpired):
            server.wait(timeout=20)
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
    ok = [ms for _, ms, status in results if status == 200]
    statuses: dict[str, int] = defaultdict(int)
    for _, _, status in results:
        statuses[str(status)] += 1
    per_kind: dict[str, list[float]] = defaultdict(list)
    for kind, ms, _ in results:
        per_kind[kind].append(ms)
    return {
        "benchmark": "find http",
        **bw.describe(),
        "database": database,
        "query_kinds": sorted(only) if only else "all",
        "workers": workers,
        **_server_stack(),
        "concurrency": concurrency,
        "requests": len(results),
        "requested": total,
        "time_limit_s": time_limit,
        "seconds": round(wall, 2),
        "queries_per_s": round(len(results) / wall, 1),
        "statuses": dict(statuses),
        **latency_summary(ok or [float("nan")]),
        "per_kind_p99_ms": {k: round(percentile(v, 99), 1) for k, v in sorted(per_kind.items())},
        "server_cpu_ms_per_request": round(server_cpu / max(1, len(results)) * 1000, 2),
        "client_cpu_ms_per_request": round(client_cpu / max(1, len(results)) * 1000, 2),
        "server_startup_s": round(startup, 1),
        "server_rss_mib": server_rss,
        "load_average_1m": [round(load_before, 2), round(load_after, 2)],
        "machine": machine(),
    }


def _cpu_seconds(pid: int) -> float:
    """User + system CPU of the server process group (supervisor and workers)."""
    tick = os.sysconf("SC_CLK_TCK")
    total = 0
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        with contextlib.suppress(OSError):
            stat = (proc / "stat").read_text().rsplit(")", 1)[1].split()
            if int(proc.name) == pid or int(stat[1]) == pid:
                total += int(stat[11]) + int(stat[12])
    return total / tick


def _wait_healthy(url: str, server: subprocess.Popen[bytes]) -> None:
    import urllib.request

    deadline = time.perf_counter() + 300
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"the server exited with {server.returncode}")
        with (
            contextlib.suppress(OSError),
            urllib.request.urlopen(f"{url}/health", timeout=2) as response,  # noqa: S310
        ):
            if response.status == 200:
                return
        time.sleep(0.2)
    raise RuntimeError("the server did not become healthy in 300 s")


def add_world_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--persons", type=int, default=20_000)
    surnames.add_argument(parser)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("which", choices=["build", "inproc", "http"])
    add_world_arguments(parser)
    parser.add_argument("--queries", type=int, default=3000, help="inproc: searches to time")
    parser.add_argument("--profile", action="store_true", help="inproc: cProfile the searches")
    parser.add_argument("--stages", action="store_true", help="inproc: time each search stage")
    parser.add_argument("--only", help="comma-separated query kinds (default: the whole mix)")
    parser.add_argument("--workers", type=int, default=2, help="http: uvicorn workers")
    parser.add_argument("--concurrency", type=int, default=16, help="http: requests in flight")
    parser.add_argument("--requests", type=int, default=6000, help="http: requests to send")
    parser.add_argument("--time-limit", type=float, default=60.0, help="http: seconds at most")
    parser.add_argument(
        "--database-url", help="http: serve from this database (default: the SQLite file)"
    )
    args = parser.parse_args()
    bw = BenchWorld(args.persons, args.surnames)
    only = set(args.only.split(",")) if args.only else None
    if args.database_url:  # read by the settings here and in the server's workers
        os.environ["BORDERLESS_DATABASE_URL"] = args.database_url
    if args.which == "build":
        result = {"benchmark": "find build", **build(bw), "machine": machine()}
    elif args.which == "inproc":
        profile = bw.folder / "inproc.prof" if args.profile else None
        stages = Stages() if args.stages else None
        result = inproc(bw, args.queries, profile, stages, only)
    else:
        result = http(bw, args.workers, args.concurrency, args.requests, args.time_limit, only)
    print(json.dumps(result))


if __name__ == "__main__":
    main()
