"""A `FlowFrame` straight from a Borderless JSON Lines file (an export, or the demo world).

For analysing a file one holds (benchmarks, the demo world's ground truth, an export received
under a grant) without loading it into a node first. It reads what is in the file: access
rules apply when the records are read from a node, not here.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson

from borderless.finance.frame import FlowFrame, from_rows


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
