"""A `FlowFrame` straight from a Borderless JSON Lines file (an export, or the demo world), and
the departures of its account holders from a passenger file.

For analysing a file one holds (benchmarks, the demo world's ground truth, an export received
under a grant) without loading it into a node first. It reads what is in the file: access
rules apply when the records are read from a node, not here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from borderless.finance.frame import FlowFrame, from_rows
from borderless.finance.typologies.travel import Departures, HolderDocument, link_departures
from borderless.formats.manifest import read_manifest


def frame_from_jsonl(path: Path) -> FlowFrame:
    """Accounts, transactions and their holders from `path` (other kinds are skipped)."""
    transactions: list[tuple[Any, ...]] = []
    accounts: list[tuple[Any, ...]] = []
    parties: list[tuple[Any, ...]] = []
    with path.open("rb") as handle:
        for line in handle:
            record = orjson.loads(line)
            kind, body = record["kind"], record["body"]
            source = (record.get("source") or {}).get("source_id")
            owner = record.get("owner")
            if kind == "transaction":
                transactions.append(
                    (
                        record["id"],
                        source,
                        owner,
                        body["from_account_id"],
                        body["to_account_id"],
                        body["amount"],
                        body["currency"],
                        body["time"],
                        body.get("channel"),
                        body.get("from_country"),
                        body.get("to_country"),
                    )
                )
            elif kind == "account":
                accounts.append(
                    (
                        record["id"],
                        source,
                        owner,
                        body.get("country"),
                        body.get("iban"),
                        body.get("number"),
                        body.get("holder_ids", []),
                    )
                )
            elif kind in ("person", "organisation"):
                names = body.get("names") or [{"full": record["id"]}]
                parties.append((record["id"], kind, source, names[0]["full"], body))
    return from_rows([transactions], [accounts], [parties])


def _documents(path: Path) -> list[HolderDocument]:
    found = []
    with path.open("rb") as handle:
        for line in handle:
            if b'"document"' not in line:
                continue
            record = orjson.loads(line)
            body = record["body"]
            if record["kind"] == "document" and body.get("person_id"):
                found.append(
                    HolderDocument(body["person_id"], body["number"], body.get("issuing_country"))
                )
    return found


def departures_from_files(frame: FlowFrame, records: Path, passengers: Path) -> Departures:
    """Departures of the account holders of `frame`: the travellers of a passenger file (lines
    of ``{"agency": ..., "manifest": {...}}``, as the demo world writes) linked to holders as
    the service links them, by the documents of `records`."""
    trips = []
    with passengers.open("rb") as handle:
        for n, line in enumerate(handle, start=1):
            manifest = orjson.dumps(orjson.loads(line)["manifest"])
            message = read_manifest(manifest, f"{passengers.name}:{n}")
            trips += [(message.flight, t) for t in message.travellers]
    return link_departures(frame, _documents(records), trips)
