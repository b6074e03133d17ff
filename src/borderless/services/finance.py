"""Financial intake and the governed snapshot that money-flow analytics run on.

Intake: each reader (`FinanceFormat`) yields parties, accounts and transactions as record
drafts, which are imported like any record file — one transaction, owned by the importing
agency, audited, ids namespaced ``OWNER:<dataset>:acct:<source id>``.

Analytics never read `Record` objects. `snapshot` selects the needed columns of the financial
records the caller's agency may see **whole** for the stated purpose — the gate's browse rule,
`visibility_clause` minus `references_clause`, the SQL twin of `governance.access` — into a
`FlowFrame`, cached per (agency, purpose, day, data version) so repeated traces cost no SQL.
Each use (`admit` + `record_use`) needs a purpose and the `analyse_flows` permission and is
appended to the audit log with the ids and owners of what it returned.
"""

from __future__ import annotations

import threading
import weakref
from collections import OrderedDict
from collections.abc import Sequence
from enum import StrEnum
from pathlib import Path
from typing import Any

from sqlalchemy import ColumnElement, Engine, and_, not_

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose
from borderless.errors import FormatError
from borderless.finance.frame import FlowFrame, from_rows
from borderless.finance.typologies.travel import HolderDocument
from borderless.formats.amlsim import amlsim_records, read_amlsim
from borderless.formats.goaml import read_goaml
from borderless.formats.pacs008 import read_pacs008
from borderless.formats.records_jsonl import OwnedDraft
from borderless.formats.transactions_csv import (
    FlowBuilder,
    read_transactions_csv,
    read_transactions_parquet,
)
from borderless.governance import audit
from borderless.governance.access import viewer_targets
from borderless.services.imports import ImportResult, Progress, import_records, namespaced
from borderless.services.node import Node
from borderless.store import finance as store
from borderless.store.db import reading
from borderless.store.records import references_clause, visibility_clause

CACHED_FRAMES = 4  # per database


class FinanceFormat(StrEnum):
    CSV = "csv"
    PARQUET = "parquet"
    GOAML = "goaml"
    PACS008 = "pacs008"
    AMLSIM = "amlsim"


def read_flows(fmt: FinanceFormat, path: Path, xsd: Path | None = None) -> FlowBuilder:
    """Read and validate a whole file (or AMLSim folder) before anything is stored."""
    if not path.exists():
        raise FormatError(path, None, "no such file or folder")
    if fmt is FinanceFormat.CSV:
        return read_transactions_csv(path, "transactions")
    if fmt is FinanceFormat.PARQUET:
        return read_transactions_parquet(path, "transactions")
    if fmt is FinanceFormat.GOAML:
        return read_goaml(path, xsd)
    if fmt is FinanceFormat.PACS008:
        return read_pacs008(path)
    return amlsim_records(read_amlsim(path))


def import_flows(
    node: Node,
    principal: Principal,
    fmt: FinanceFormat,
    path: Path,
    agency: str | None = None,
    xsd: Path | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Import a financial file for `agency` (default: the caller's), all or nothing."""
    owner = (agency or principal.agency).upper()
    builder = read_flows(fmt, path, xsd)
    prefix = f"{owner}:{builder.dataset}:"
    drafts = (OwnedDraft(d.line, None, namespaced(d.draft, prefix)) for d in builder.drafts())
    return import_records(node, principal, drafts, owner, progress, str(path))


# --- the governed snapshot -------------------------------------------------------------------

_frames: weakref.WeakKeyDictionary[Engine, OrderedDict[tuple[Any, ...], FlowFrame]] = (
    weakref.WeakKeyDictionary()
)
_frames_lock = threading.Lock()  # API requests run in a thread pool


def _whole(node: Node, principal: Principal, purpose: Purpose) -> ColumnElement[bool]:
    """The gate's browse rule: records the agency may see whole for `purpose`."""
    return and_(
        visibility_clause(principal.agency, viewer_targets(principal), node.today()),
        not_(references_clause(principal.agency, purpose)),
    )


def snapshot(node: Node, principal: Principal, purpose: Purpose) -> FlowFrame:
    """The flows `principal`'s agency may see whole for `purpose`, as columns (cached)."""
    today = node.today()
    clause = _whole(node, principal, purpose)
    with reading(node.engine) as conn:
        key = (principal.agency, principal.country, purpose, today, store.data_version(conn))
        with _frames_lock:
            cache = _frames.setdefault(node.engine, OrderedDict())
            if key in cache:
                cache.move_to_end(key)
                return cache[key]
        frame = from_rows(
            store.transaction_rows(conn, clause),
            store.account_rows(conn, clause),
            store.party_rows(conn, clause),
        )
    with _frames_lock:
        cache[key] = frame
        while len(cache) > CACHED_FRAMES:
            cache.popitem(last=False)
    return frame


def holder_documents(node: Node, principal: Principal, purpose: Purpose) -> list[HolderDocument]:
    """Travel documents of account holders, of those the agency may see whole for `purpose`
    (not cached: read only when a travel typology runs)."""
    with reading(node.engine) as conn:
        return [
            HolderDocument(person, number, country)
            for chunk in store.holder_document_rows(conn, _whole(node, principal, purpose))
            for person, number, country in chunk
            if person and number
        ]


def forget_snapshots(node: Node) -> None:
    """Drop the cached frames of this node's database (tests, benchmarks, memory pressure)."""
    with _frames_lock:
        _frames.pop(node.engine, None)


def record_use(
    node: Node,
    principal: Principal,
    purpose: Purpose,
    action: AuditAction,
    query: dict[str, Any],
    returned: tuple[Sequence[str], Sequence[str]],
    outcome: str,
) -> int:
    """Audit an analysis: the query and the ids and owners of what it returned, in chunks."""
    ids, owners = returned
    event = audit.AuditEvent(
        principal, action, purpose, query, owners=list(owners), outcome=outcome
    )
    with node.engine.begin() as conn:
        return audit.append_chunked(conn, node.audit_key, event, ids)


def returned_records(
    frame: FlowFrame, accounts: Sequence[int], transactions: Sequence[int]
) -> tuple[list[str], list[str]]:
    """Ids and owner agencies of the accounts and transactions an analysis returns."""
    ids = [str(frame.account_ids[a]) for a in accounts]
    ids += [str(frame.tx_ids[t]) for t in transactions]
    owner_codes: set[int] = set()
    if frame.account_owner is not None:
        owner_codes.update(int(frame.account_owner[a]) for a in accounts)
    if frame.tx_owner is not None:
        owner_codes.update(int(frame.tx_owner[t]) for t in transactions)
    return ids, sorted(frame.owners[c] for c in owner_codes if c >= 0)
