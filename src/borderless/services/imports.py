"""Atomic, idempotent imports of lists and record files.

An import runs in one transaction: every record is validated and written, or nothing is.
Re-importing the same version of a list changes nothing; a newer version updates changed
entries, refreshes the retention of entries still listed, and removes entries delisted from it.
Imported ids are namespaced per owner and dataset (``UN-HUB:un-sc:QDi.001``) so that two
agencies can hold the same list side by side; links inside the list are rewritten to match.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from itertools import islice
from pathlib import Path
from typing import Any

from sqlalchemy import Connection

from borderless.domain.agencies import Principal
from borderless.domain.codes import AuditAction, Purpose, RecordKind
from borderless.domain.records import Record, RecordDraft
from borderless.errors import Conflict, FormatError, PermissionDenied
from borderless.formats.dataset import Dataset
from borderless.formats.records_jsonl import OwnedDraft
from borderless.formats.registry import ImportFormat, read_list, read_stream
from borderless.governance import audit
from borderless.governance.roles import Permission, require
from borderless.services.node import Node
from borderless.services.records import check_links, default_retention, materialise
from borderless.store import directory
from borderless.store import records as store

Progress = Callable[[int], None]
CHUNK = 5000


@dataclass
class ImportResult:
    owner: str
    dataset: str | None
    version: str | None
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0
    removed: int = 0
    skipped: bool = False  # the same list version was already imported
    changed_ids: list[str] = field(default_factory=list, repr=False)

    def summary(self) -> dict[str, Any]:
        return {
            "owner": self.owner,
            "dataset": self.dataset,
            "version": self.version,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "removed": self.removed,
            "skipped": self.skipped,
        }


def _check_owner(conn: Connection, principal: Principal, owner: str) -> None:
    require(principal, Permission.IMPORT)
    directory.require_agency(conn, owner)
    if principal.agency != owner and not principal.operator:
        raise PermissionDenied(f"agency {principal.agency} may not import records for {owner}")


def namespaced(draft: RecordDraft, prefix: str) -> RecordDraft:
    """The draft with its id and every link inside the dataset prefixed by `prefix`."""
    body_updates: dict[str, Any] = {}
    for name in type(draft.body).link_fields:
        value = getattr(draft.body, name)
        if isinstance(value, str):
            body_updates[name] = prefix + value
        elif isinstance(value, list):
            body_updates[name] = [prefix + v for v in value]
    return draft.model_copy(
        update={
            "id": prefix + (draft.id or ""),
            "body": draft.body.model_copy(update=body_updates),
        }
    )


class _Writer:
    """Applies batches of records inside one transaction, counting what changed."""

    def __init__(self, conn: Connection, result: ImportResult, now: datetime) -> None:
        self.conn, self.result, self.now = conn, result, now

    def write(self, batch: list[Record], known: dict[str, store.Stored]) -> None:
        new: list[Record] = []
        for record in batch:
            before = known.get(record.id)
            if before is None:
                new.append(record)
                continue
            if before.owner != record.owner:
                raise Conflict(f"record {record.id} exists and belongs to agency {before.owner}")
            if store.record_digest(record) == before.digest:
                self.result.unchanged += 1
                continue
            changed = record.model_copy(
                update={"created_at": before.created_at, "version": before.version + 1}
            )
            store.replace_record(self.conn, changed, before.version)
            self.result.updated += 1
            self.result.changed_ids.append(record.id)
        check_links(self.conn, batch)
        store.insert_records(self.conn, new)
        self.result.inserted += len(new)
        self.result.changed_ids.extend(r.id for r in new)


def _audit(
    node: Node, conn: Connection, principal: Principal, action: AuditAction, result: ImportResult
) -> None:
    event = audit.AuditEvent(
        principal, action, Purpose.DATA_MANAGEMENT, result.summary(), owners=[result.owner]
    )
    audit.append_chunked(conn, node.audit_key, event, result.changed_ids)


def import_dataset(
    node: Node, principal: Principal, owner: str, dataset: Dataset, progress: Progress | None = None
) -> ImportResult:
    """Import one version of a list for `owner`, atomically and idempotently."""
    owner = owner.upper()
    result = ImportResult(owner=owner, dataset=dataset.name, version=dataset.version)
    with node.engine.begin() as conn:
        _check_owner(conn, principal, owner)
        if store.dataset_version(conn, owner, dataset.name) == dataset.version:
            result.skipped = True
            result.unchanged = len(dataset)
            return result
        prefix = f"{owner}:{dataset.name}:"
        known = store.stored_state(conn, owner=owner, dataset=dataset.name)
        writer = _Writer(conn, result, node.now())
        seen: dict[str, RecordKind] = {}
        drafts = iter(dataset.records)
        while batch := list(islice(drafts, CHUNK)):
            records = [
                materialise(node.settings, namespaced(d, prefix), owner, writer.now) for d in batch
            ]
            seen.update((r.id, r.kind) for r in records)
            writer.write(records, known)
            if progress:
                progress(len(seen))
        delisted = sorted(set(known) - set(seen))
        result.removed = store.delete_records(conn, delisted)
        result.changed_ids.extend(delisted)
        for kind in set(seen.values()):  # still listed: keep for another retention period
            until = default_retention(node.settings, kind, node.today())
            store.extend_retention(conn, sorted(i for i, k in seen.items() if k == kind), until)
        store.set_dataset_version(conn, owner, dataset.name, dataset.version, len(seen), writer.now)
        _audit(node, conn, principal, AuditAction.IMPORT, result)
    return result


def import_records(
    node: Node,
    principal: Principal,
    drafts: Iterable[OwnedDraft],
    default_owner: str | None = None,
    progress: Progress | None = None,
    source: str = "records",
) -> ImportResult:
    """Import record files (own JSONL format, FtM): insert new ids, update changed, all or none."""
    owner_default = (default_owner or principal.agency).upper()
    result = ImportResult(owner=owner_default, dataset=None, version=None)
    checked: set[str] = set()
    done = 0
    with node.engine.begin() as conn:
        writer = _Writer(conn, result, node.now())
        for batch in _batches(drafts):
            records: list[Record] = []
            for item in batch:
                owner = (item.owner or owner_default).upper()
                if owner not in checked:
                    _check_owner(conn, principal, owner)
                    checked.add(owner)
                if item.draft.id is None:
                    raise FormatError(source, f"line {item.line}", "imported records need an id")
                records.append(materialise(node.settings, item.draft, owner, writer.now))
            writer.write(records, store.stored_state(conn, ids=[r.id for r in records]))
            done += len(records)
            if progress:
                progress(done)
        _audit(node, conn, principal, AuditAction.IMPORT, result)
    return result


def _batches(drafts: Iterable[OwnedDraft]) -> Iterator[list[OwnedDraft]]:
    iterator = iter(drafts)
    while batch := list(islice(iterator, CHUNK)):
        yield batch


def import_path(
    node: Node,
    principal: Principal,
    fmt: ImportFormat,
    path: Path,
    agency: str | None = None,
    progress: Progress | None = None,
) -> ImportResult:
    """Read `path` in format `fmt` and import it for `agency` (default: the caller's)."""
    owner = (agency or principal.agency).upper()
    if fmt.is_list:
        return import_dataset(node, principal, owner, read_list(fmt, path), progress)
    drafts = read_stream(fmt, path)
    if fmt is ImportFormat.FTM:
        # FtM ids are only unique within their publisher's data: two agencies may load the
        # same OpenSanctions file, so its ids (and the links between them) get the owner's prefix.
        drafts = (
            OwnedDraft(d.line, d.owner, namespaced(d.draft, f"{(d.owner or owner).upper()}:ftm:"))
            for d in drafts
        )
    return import_records(node, principal, drafts, owner, progress, str(path))
