"""Import speed: the UN and OFAC lists and a generated demo world, into a fresh SQLite node.

    .venv/bin/python -m benchmarks.imports un
    .venv/bin/python -m benchmarks.imports ofac
    .venv/bin/python -m benchmarks.imports world --persons 1000000

Each run starts a fresh node in a temporary folder (or BORDERLESS_DATABASE_URL for PostgreSQL)
and prints one JSON line: records, seconds, records/s and this process's peak memory. Run one
benchmark per process so the peak belongs to it.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import tempfile
import time
from pathlib import Path
from typing import Any

from borderless.config import Settings, shared_data_dir
from borderless.demo.world import WorldSpec, generate_world
from borderless.domain.agencies import Agency
from borderless.domain.codes import AgencyKind, RecordKind
from borderless.formats.registry import ImportFormat
from borderless.services import directory
from borderless.services.demo import load_world
from borderless.services.imports import import_path
from borderless.services.node import OPERATOR, open_node

SHARED = shared_data_dir()
RECORD_KINDS = {kind.value for kind in RecordKind}


def _peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _list(fmt: ImportFormat, path: Path, tmp: Path) -> dict[str, Any]:
    node = open_node(Settings(data_dir=tmp, database_url=os.environ.get("BORDERLESS_DATABASE_URL")))
    directory.create_agency(
        node, OPERATOR, Agency(code="HUB", name="Hub", country="FRA", kind=AgencyKind.HUB)
    )
    started = time.perf_counter()
    result = import_path(node, directory.operator_for(node, "HUB"), fmt, path, "HUB")
    seconds = time.perf_counter() - started
    return {
        "records": result.inserted,
        "seconds": round(seconds, 2),
        "records_per_s": round(result.inserted / seconds),
    }


def _world(persons: int, tmp: Path) -> dict[str, Any]:
    started = time.perf_counter()
    files = generate_world(WorldSpec(persons=persons), tmp / "world")
    generated = time.perf_counter() - started
    node = open_node(Settings(data_dir=tmp, database_url=os.environ.get("BORDERLESS_DATABASE_URL")))
    started = time.perf_counter()
    load_world(node, files)
    loaded = time.perf_counter() - started
    total = sum(v for k, v in files.counts.items() if k in RECORD_KINDS)
    return {
        "persons": persons,
        "records": total,
        "generate_seconds": round(generated, 1),
        "load_seconds": round(loaded, 1),
        "load_records_per_s": round(total / loaded),
        "counts": files.counts,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("which", choices=["un", "ofac", "world"])
    parser.add_argument("--persons", type=int, default=100_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="borderless-bench-") as folder:
        tmp = Path(folder)
        if args.which == "un":
            result = _list(
                ImportFormat.UN_LIST, SHARED / "watchlists" / "un" / "consolidated.xml", tmp
            )
        elif args.which == "ofac":
            result = _list(ImportFormat.OFAC, SHARED / "watchlists" / "ofac_sdn_2021", tmp)
        else:
            result = _world(args.persons, tmp)
    result.update(
        benchmark=f"imports {args.which}",
        peak_rss_mib=round(_peak_mib()),
        backend="postgresql" if os.environ.get("BORDERLESS_DATABASE_URL") else "sqlite",
        machine=f"{platform.machine()} {os.cpu_count()} cores",
    )
    print(json.dumps(result))


if __name__ == "__main__":
    main()
