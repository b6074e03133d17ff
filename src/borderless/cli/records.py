"""`borderless records ...`, `import ...`, `export ...`: records as a named user sees them."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer
from pydantic import ValidationError

from borderless.cli.context import print_json, print_table, progress_bar, reported, state
from borderless.domain.codes import Purpose, RecordKind
from borderless.domain.records import RecordDraft
from borderless.errors import FormatError
from borderless.formats.exports import ExportFormat, stream_export
from borderless.formats.registry import ImportFormat
from borderless.formats.validation import describe_validation_error
from borderless.governance.gate import Page
from borderless.services import imports
from borderless.services import records as service
from borderless.store.records import RecordFilter

records_app = typer.Typer(help="Read and change records (as --as USER).", no_args_is_help=True)
import_app = typer.Typer(
    help="Import lists and record files (all or nothing).", no_args_is_help=True
)
export_app = typer.Typer(help="Export the records you may see whole.", no_args_is_help=True)

PurposeOpt = Annotated[
    Purpose | None, typer.Option(help="why you read or change records (required)")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]
KindOpt = Annotated[list[RecordKind] | None, typer.Option("--kind", help="record kinds")]


def _show(page: Page, as_json: bool) -> None:
    if as_json:
        print_json({"items": page.items, "total": page.total, "next_offset": page.next_offset})
        return
    print_table(
        ["id", "kind", "owner", "access", "label", "source"],
        [
            (
                v.id,
                v.kind.value,
                v.owner,
                v.access,
                v.label or v.contact,
                f"{v.source.dataset}:{v.source.source_id}" if v.source else "",
            )
            for v in page.items
        ],
        title=f"{len(page.items)} of {page.total}",
    )


@records_app.command("list")
def records_list(
    ctx: typer.Context,
    purpose: PurposeOpt = None,
    kind: KindOpt = None,
    owner: Annotated[str | None, typer.Option()] = None,
    source_dataset: Annotated[str | None, typer.Option()] = None,
    source_id: Annotated[str | None, typer.Option()] = None,
    q: Annotated[str | None, typer.Option(help="substring of the label")] = None,
    offset: int = 0,
    limit: int = 50,
    as_json: JsonOpt = False,
) -> None:
    """Browse the records your agency may see whole."""
    st = state(ctx)
    flt = RecordFilter(
        kinds=tuple(kind or ()),
        owner=owner.upper() if owner else None,
        source_dataset=source_dataset,
        source_id=source_id,
        text=q,
    )
    with reported():
        page = st.node.gate.list(st.user(), st.purpose(purpose), flt, (offset, limit))
    _show(page, as_json)


@records_app.command("search")
def records_search(
    ctx: typer.Context,
    text: str,
    purpose: PurposeOpt = None,
    kind: KindOpt = None,
    owner: Annotated[str | None, typer.Option()] = None,
    offset: int = 0,
    limit: int = 50,
    as_json: JsonOpt = False,
) -> None:
    """Find records by label; hit-only records answer with a reference and whom to ask."""
    st = state(ctx)
    with reported():
        flt = RecordFilter(
            kinds=tuple(kind or ()), owner=owner.upper() if owner else None, text=text
        )
        page = st.node.gate.search(st.user(), st.purpose(purpose), flt, (offset, limit))
    _show(page, as_json)


@records_app.command("get")
def records_get(ctx: typer.Context, record_id: str, purpose: PurposeOpt = None) -> None:
    """Show one record (JSON)."""
    st = state(ctx)
    with reported():
        print_json(st.node.gate.get(st.user(), st.purpose(purpose), record_id))


def _read_draft(path: Path) -> RecordDraft:
    try:
        text = sys.stdin.read() if str(path) == "-" else path.read_text(encoding="utf-8")
        return RecordDraft.model_validate(json.loads(text))
    except json.JSONDecodeError as exc:
        raise FormatError(path, f"line {exc.lineno} column {exc.colno}", exc.msg) from None
    except ValidationError as exc:
        raise FormatError(path, None, describe_validation_error(exc)) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise FormatError(path, None, str(exc)) from None


@records_app.command("create")
def records_create(
    ctx: typer.Context,
    file: Annotated[
        Path, typer.Argument(help="a record as JSON ({kind, body, governance}); - for stdin")
    ],
    purpose: PurposeOpt = None,
) -> None:
    """Create a record owned by your agency."""
    st = state(ctx)
    with reported():
        record = service.create(st.node, st.user(), st.purpose(purpose), _read_draft(file))
    typer.echo(record.id)


@records_app.command("update")
def records_update(
    ctx: typer.Context,
    record_id: str,
    file: Path,
    purpose: PurposeOpt = None,
    expected_version: Annotated[int | None, typer.Option()] = None,
) -> None:
    """Replace a record's content and governance (owner only)."""
    st = state(ctx)
    with reported():
        draft = _read_draft(file)
        record = service.update(
            st.node, st.user(), st.purpose(purpose), record_id, draft, expected_version
        )
    typer.echo(f"{record.id} now at version {record.version}")


@records_app.command("delete")
def records_delete(ctx: typer.Context, record_id: str, purpose: PurposeOpt = None) -> None:
    """Remove a record (owner only)."""
    st = state(ctx)
    with reported():
        service.delete(st.node, st.user(), st.purpose(purpose), record_id)
    typer.echo(f"deleted {record_id}")


def _import(
    ctx: typer.Context, fmt: ImportFormat, path: Path, agency: str | None, as_json: bool
) -> None:
    st = state(ctx)
    with reported(), progress_bar(f"importing {path.name}") as tick:
        result = imports.import_path(st.node, st.importer(agency), fmt, path, agency, tick)
    if as_json:
        print_json(result.summary())
        return
    done = "already imported, nothing changed" if result.skipped else "imported"
    version = f" {result.dataset} version {result.version}" if result.dataset else ""
    typer.echo(
        f"{done}{version} for {result.owner}: {result.inserted} new, {result.updated} updated, "
        f"{result.unchanged} unchanged, {result.removed} removed"
    )


AgencyOpt = Annotated[str | None, typer.Option(help="the agency that will own the records")]
PathArg = Annotated[Path, typer.Argument(help="file (or OFAC CSV folder)")]


@import_app.command("un-list")
def import_un(
    ctx: typer.Context, path: PathArg, agency: AgencyOpt = None, as_json: JsonOpt = False
) -> None:
    """The UN Security Council Consolidated List (XML)."""
    _import(ctx, ImportFormat.UN_LIST, path, agency, as_json)


@import_app.command("ofac")
def import_ofac(
    ctx: typer.Context, path: PathArg, agency: AgencyOpt = None, as_json: JsonOpt = False
) -> None:
    """OFAC SDN: the legacy CSV triple (folder with sdn/alt/add.csv) or the sdnList XML."""
    _import(ctx, ImportFormat.OFAC, path, agency, as_json)


@import_app.command("ftm")
def import_ftm(
    ctx: typer.Context, path: PathArg, agency: AgencyOpt = None, as_json: JsonOpt = False
) -> None:
    """A FollowTheMoney entity stream (JSON Lines), e.g. from OpenSanctions or Aleph."""
    _import(ctx, ImportFormat.FTM, path, agency, as_json)


@import_app.command("records")
def import_records(
    ctx: typer.Context, path: PathArg, agency: AgencyOpt = None, as_json: JsonOpt = False
) -> None:
    """Borderless JSON Lines records (docs/import-formats.md); lines may name their owner."""
    _import(ctx, ImportFormat.RECORDS, path, agency, as_json)


def _export(
    ctx: typer.Context,
    fmt: ExportFormat,
    out: Path | None,
    flt: RecordFilter,
    purpose: Purpose | None,
) -> None:
    st = state(ctx)
    with reported():
        records = st.node.gate.export(st.user(), st.purpose(purpose), flt)
        first = next(records, None)  # purpose and role errors surface before writing
        target = out.open("wb") if out else sys.stdout.buffer
        try:
            for line in stream_export(fmt, first, records):
                target.write(line)
        finally:
            if out:
                target.close()


OutOpt = Annotated[Path | None, typer.Option("--out", help="file to write (default: stdout)")]
OwnerOpt = Annotated[str | None, typer.Option(help="only records of this agency")]
DatasetOpt = Annotated[str | None, typer.Option(help="only records from this list, e.g. un-sc")]


def _export_filter(
    kind: list[RecordKind] | None, owner: str | None, dataset: str | None
) -> RecordFilter:
    return RecordFilter(
        kinds=tuple(kind or ()), owner=owner.upper() if owner else None, source_dataset=dataset
    )


@export_app.command("ftm")
def export_ftm(
    ctx: typer.Context,
    out: OutOpt = None,
    purpose: PurposeOpt = None,
    kind: KindOpt = None,
    owner: OwnerOpt = None,
    source_dataset: DatasetOpt = None,
) -> None:
    """FollowTheMoney entities (JSON Lines) for Aleph and OpenSanctions tools."""
    _export(ctx, ExportFormat.FTM, out, _export_filter(kind, owner, source_dataset), purpose)


@export_app.command("records")
def export_records(
    ctx: typer.Context,
    out: OutOpt = None,
    purpose: PurposeOpt = None,
    kind: KindOpt = None,
    owner: OwnerOpt = None,
    source_dataset: DatasetOpt = None,
) -> None:
    """Borderless JSON Lines (re-importable with `import records`)."""
    _export(ctx, ExportFormat.JSONL, out, _export_filter(kind, owner, source_dataset), purpose)
