"""1:N template search speed and quality: an HNSW index against the exact one.

    .venv/bin/python -m benchmarks.vectors                    # 100,000 templates
    .venv/bin/python -m benchmarks.vectors --templates 1000000

Templates are generated like the demo world's faces (`borderless.demo.world`): 128-d unit
vectors; a share of people have several captures (a base vector plus noise 0.012, cosine
~0.98 between captures), the rest one. Everything is seeded.

Measured: the bulk build (`VectorIndex.add_many`, all cores), the RSS it adds, save/load of the
index file, `search` latency (k=10, one query at a time, as the API does it) over 1,000
queries, and quality on 200 queries against `ExactVectorIndex`:

* `recall_at_10` — share of the exact top-10 that HNSW returns, over all queries;
* `mate_recall` — share of exact top-10 candidates with similarity >= 0.5 (other captures of
  the same face; impostors on this data score ~0 +- 0.09) that HNSW returns;
* `top1_known` — queries that are a new capture of an indexed face whose HNSW top-1 is the
  exact top-1.

Half the queries are new captures of indexed faces ("known"), half are faces never seen
("unknown"). Recall on unknown faces is reported separately: their "neighbours" are impostors
at similarity ~0.3 that nobody would act on, and random 128-d vectors are the worst case for
any graph index, so that number is low while the one that matters — finding the mates — is not.
Prints one JSON line.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from borderless.index.vectors import ExactVectorIndex, VectorCandidate, VectorIndex

DIM = 128
NOISE = 0.012  # as TEMPLATE_NOISE in borderless.demo.world
CHUNK = 100_000

Matrix = npt.NDArray[np.float32]


def _rss_mib() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def _unit(matrix: npt.NDArray[Any]) -> Matrix:
    unit: Matrix = (matrix / np.linalg.norm(matrix, axis=1, keepdims=True)).astype(np.float32)
    return unit


def templates(count: int, seed: int) -> tuple[Matrix, Matrix, npt.NDArray[np.int64]]:
    """`count` templates, the people's base vectors, and which person each template shows.

    About 30 % of templates belong to people with 2-4 captures (duplicates across agencies,
    false identities sharing a face), the rest to people seen once.
    """
    rng = np.random.default_rng(seed)
    sizes = rng.choice([1, 2, 3, 4], p=[0.7, 0.15, 0.1, 0.05], size=count)
    people = np.repeat(np.arange(count), sizes)[:count]
    persons = int(people[-1]) + 1
    bases = np.empty((persons, DIM), dtype=np.float32)
    for start in range(0, persons, CHUNK):
        stop = min(start + CHUNK, persons)
        bases[start:stop] = _unit(rng.standard_normal((stop - start, DIM)))
    matrix = np.empty((count, DIM), dtype=np.float32)
    for start in range(0, count, CHUNK):
        stop = min(start + CHUNK, count)
        noisy = bases[people[start:stop]] + rng.standard_normal((stop - start, DIM)) * NOISE
        matrix[start:stop] = _unit(noisy)
    order = rng.permutation(count)  # captures of one person are not adjacent
    return matrix[order], bases, people[order]


def queries(rng: np.random.Generator, bases: Matrix, count: int) -> tuple[Matrix, int]:
    """`count` queries: first half new captures of indexed faces, second half unseen faces."""
    known = count // 2
    picked = bases[rng.integers(0, len(bases), size=known)]
    captures = _unit(picked + rng.standard_normal(picked.shape) * NOISE)
    strangers = _unit(rng.standard_normal((count - known, DIM)))
    return np.vstack([captures, strangers]), known


def _ids(found: list[VectorCandidate]) -> list[str]:
    return [candidate.record_id for candidate in found]


def run(args: argparse.Namespace) -> dict[str, Any]:
    started = time.perf_counter()
    matrix, bases, _people = templates(args.templates, args.seed)
    ids = [f"bio-{i:08d}" for i in range(args.templates)]
    generated = time.perf_counter() - started
    rng = np.random.default_rng(args.seed + 1)
    latency_queries, _ = queries(rng, bases, args.queries)
    quality_queries, known = queries(rng, bases, args.quality_queries)
    del bases

    gc.collect()
    rss_before = _rss_mib()
    index = VectorIndex(
        DIM,
        connectivity=args.connectivity,
        expansion_add=args.expansion_add,
        expansion_search=args.expansion_search,
    )
    started = time.perf_counter()
    index.add_many(ids, matrix)
    build = time.perf_counter() - started
    gc.collect()
    rss_index = _rss_mib() - rss_before

    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "faces.vec"
        started = time.perf_counter()
        index.save(path)
        saved = time.perf_counter() - started
        size = path.stat().st_size
        started = time.perf_counter()
        VectorIndex.load(path)
        loaded = time.perf_counter() - started
    gc.collect()

    for query in latency_queries[:50]:  # warm caches and code paths
        index.search(query, k=10)
    latencies = []
    for query in latency_queries:
        started = time.perf_counter()
        index.search(query, k=10)
        latencies.append(time.perf_counter() - started)

    exact = ExactVectorIndex(DIM)
    exact.add_many(ids, matrix)
    del matrix
    hits = {"known": 0, "unknown": 0}
    mates = mates_found = top1 = 0
    exact_latencies = []
    for position, query in enumerate(quality_queries):
        started = time.perf_counter()
        truth = exact.search(query, k=10, min_similarity=-1.0)
        exact_latencies.append(time.perf_counter() - started)
        found = set(_ids(index.search(query, k=10, min_similarity=-1.0)))
        group = "known" if position < known else "unknown"
        hits[group] += len(found & set(_ids(truth)))
        wanted = {c.record_id for c in truth if c.similarity >= 0.5}
        mates += len(wanted)
        mates_found += len(wanted & found)
        if group == "known":
            approx = index.search(query, k=1, min_similarity=-1.0)
            top1 += bool(approx) and approx[0].record_id == truth[0].record_id

    unknown = len(quality_queries) - known
    ms = np.array(latencies) * 1000
    return {
        "benchmark": "vectors",
        "templates": args.templates,
        "dimension": DIM,
        "library": "usearch",
        "connectivity": args.connectivity,
        "expansion_add": args.expansion_add,
        "expansion_search": args.expansion_search,
        "generate_s": round(generated, 1),
        "build_s": round(build, 1),
        "build_per_s": round(args.templates / build),
        "rss_delta_mib": round(rss_index),
        "index_memory_mib": round(index.memory_usage / 2**20),
        "file_mib": round(size / 2**20),
        "save_s": round(saved, 2),
        "load_s": round(loaded, 2),
        "p50_ms": round(float(np.percentile(ms, 50)), 3),
        "p99_ms": round(float(np.percentile(ms, 99)), 3),
        "exact_p50_ms": round(float(np.percentile(exact_latencies, 50)) * 1000, 2),
        "recall_at_10": round((hits["known"] + hits["unknown"]) / (10 * len(quality_queries)), 4),
        "recall_at_10_known": round(hits["known"] / (10 * known), 4),
        "recall_at_10_unknown": round(hits["unknown"] / (10 * unknown), 4),
        "mate_recall": round(mates_found / mates, 4) if mates else None,
        "top1_known": round(top1 / known, 4),
        "queries": args.queries,
        "quality_queries": args.quality_queries,
        "peak_rss_mib": round(_peak_mib()),
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
    }


def _peak_mib() -> float:
    import resource

    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--templates", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1_000)
    parser.add_argument("--quality-queries", type=int, default=200)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--connectivity", type=int, default=16)
    parser.add_argument("--expansion-add", type=int, default=128)
    parser.add_argument("--expansion-search", type=int, default=256)
    print(json.dumps(run(parser.parse_args())))


if __name__ == "__main__":
    main()
