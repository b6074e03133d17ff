"""Message inbox speed: list, search, overdue and open, with many threads in the store.

    .venv/bin/python -m benchmarks.cooperation [--messages 20000] [--database-url URL]

Seeds a fresh node (SQLite under ``benchmarks/out/coop-N/`` unless a URL is given) with 12
agencies and N single-message threads between random pairs of them (a tenth with deadlines,
some already past), written in bulk through `store.messaging` — seeding skips the services so
that big sizes load quickly. Then every timed call goes through the real services, as an API
request would: purpose and role check, SQL narrowed to the caller's agency, audit entry, and
for inbox listings the delivery stamps. Prints one JSON line with p50/p99 per operation.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import random
import shutil
import statistics
import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from borderless.config import Settings
from borderless.domain.agencies import Agency, Principal, User
from borderless.domain.codes import AgencyKind, Purpose, Role
from borderless.domain.messaging import MessageDraft, ReplyDraft
from borderless.services import directory, messages
from borderless.services.node import OPERATOR, Node, open_node
from borderless.store.messaging import MessageQuery
from borderless.store.messaging_schema import (
    coop_deliveries,
    coop_messages,
    coop_thread_agencies,
    coop_threads,
)

OUT = Path(__file__).parent / "out"
AGENCIES = [f"C{i:02d}-POL" for i in range(12)]
WORDS = [
    "container",
    "vessel",
    "cocaine",
    "transfer",
    "account",
    "passport",
    "plate",
    "firearm",
    "convoy",
    "courier",
]
P = Purpose.CRIMINAL_INVESTIGATION
NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _node(size: int, database_url: str | None) -> Node:
    data_dir = OUT / f"coop-{size}"
    shutil.rmtree(data_dir, ignore_errors=True)
    settings = Settings(data_dir=data_dir, database_url=database_url, log_json=False)
    node = open_node(settings)
    node.now = lambda: NOW
    return node


def _seed(node: Node, size: int, rnd: random.Random) -> dict[str, Principal]:
    people = {}
    for code in AGENCIES:
        agency = Agency(code=code, name=code, country="FRA", kind=AgencyKind.POLICE)
        directory.create_agency(node, OPERATOR, agency)
        name = f"analyst.{code.lower()}"
        directory.create_user(node, OPERATOR, User(username=name, agency=code, role=Role.ANALYST))
        people[code] = directory.principal_by_name(node, name)
    chunk = 5000
    for start in range(0, size, chunk):
        threads, members, rows, deliveries = [], [], [], []
        for n in range(start, min(size, start + chunk)):
            sender, to = rnd.sample(AGENCIES, 2)
            tid = f"THR-{n:09d}"
            at = NOW - timedelta(minutes=size - n)
            deadline = at + timedelta(days=rnd.choice([1, 3, 30])) if n % 10 == 0 else None
            threads.append(
                {
                    "id": tid,
                    "subject": f"{rnd.choice(WORDS)} {n}",
                    "handling": "H0",
                    "priority": "routine",
                    "created_by_agency": sender,
                    "created_by_user": "seed",
                    "created_at": at,
                }
            )
            members += [{"thread_id": tid, "agency": sender}, {"thread_id": tid, "agency": to}]
            rows.append(
                {
                    "id": n + 1,
                    "thread_id": tid,
                    "sender_agency": sender,
                    "sender_user": "seed",
                    "body": " ".join(rnd.choices(WORDS, k=30)),
                    "sent_at": at,
                    "deadline_at": deadline,
                    "deadline_zone": "Europe/Paris" if deadline else None,
                    "linked_records": [],
                }
            )
            deliveries.append({"message_id": n + 1, "agency": to})
        with node.engine.begin() as conn:
            conn.execute(insert(coop_threads), threads)
            conn.execute(insert(coop_thread_agencies), members)
            conn.execute(insert(coop_messages), rows)
            conn.execute(insert(coop_deliveries), deliveries)
    if node.engine.dialect.name == "postgresql":  # explicit ids do not advance the sequence
        with node.engine.begin() as conn:
            conn.execute(
                text("SELECT setval(pg_get_serial_sequence('coop_messages', 'id'), :n)"),
                {"n": size},
            )
        # what autovacuum does after a bulk load: statistics and the visibility map
        with node.engine.connect() as conn:
            conn.execution_options(isolation_level="AUTOCOMMIT").execute(text("VACUUM ANALYZE"))
    return people


def _time(runs: int, call: Callable[[int], Any]) -> dict[str, float]:
    took = []
    for i in range(runs):
        started = time.perf_counter()
        call(i)
        took.append((time.perf_counter() - started) * 1000)
    took.sort()
    return {
        "p50_ms": round(statistics.median(took), 2),
        "p99_ms": round(took[min(len(took) - 1, int(len(took) * 0.99))], 2),
        "runs": runs,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=100)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()
    rnd = random.Random(5)
    node = _node(args.messages, args.database_url)
    started = time.perf_counter()
    people = _seed(node, args.messages, rnd)
    seed_s = time.perf_counter() - started
    who = [people[a] for a in AGENCIES]
    threads = [f"THR-{rnd.randrange(args.messages):09d}" for _ in range(args.runs)]

    def inbox(i: int) -> None:
        messages.list_messages(node, who[i % 12], P, MessageQuery(box="inbox"), (0, 100))

    def text(i: int) -> None:
        q = MessageQuery(text=f"{WORDS[i % 10]} {i * 37 % args.messages}")
        messages.list_messages(node, who[i % 12], P, q, (0, 100))

    def overdue(i: int) -> None:
        messages.list_messages(node, who[i % 12], P, MessageQuery(overdue=True), (0, 100))

    def open_thread(i: int) -> None:
        tid = threads[i]
        with node.engine.connect() as conn:
            member = conn.execute(
                coop_thread_agencies.select().where(coop_thread_agencies.c.thread_id == tid)
            ).first()
        assert member is not None
        messages.open_thread(node, people[member.agency], P, tid)

    def send(i: int) -> None:
        draft = MessageDraft(to=[AGENCIES[(i + 1) % 12]], subject=f"bench {i}", body="text")
        sent = messages.send(node, who[i % 12], P, draft)
        messages.reply(
            node, people[AGENCIES[(i + 1) % 12]], P, sent["thread_id"], ReplyDraft(body="ok")
        )

    result = {
        "benchmark": "cooperation.messages",
        "messages": args.messages,
        "backend": node.engine.dialect.name,
        "machine": f"{platform.machine()} {os.cpu_count()} cores",
        "seed_s": round(seed_s, 1),
        "inbox_page_100": _time(args.runs, inbox),
        "search_text": _time(args.runs, text),
        "overdue": _time(args.runs, overdue),
        "open_thread": _time(args.runs, open_thread),
        "send_and_reply": _time(args.runs, send),
    }
    node.engine.dispose()
    print(json.dumps(result))


if __name__ == "__main__":
    main()
