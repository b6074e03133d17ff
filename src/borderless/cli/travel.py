"""`borderless screen FILE...` and `borderless travel ...`: passenger data intake and screening."""

from __future__ import annotations

import csv
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Annotated

import typer

from borderless.cli.context import print_json, print_table, progress_bar, reported, state
from borderless.domain.codes import Purpose
from borderless.errors import InputError
from borderless.formats.edifact import Conformance
from borderless.services.adjudication import Decision, decide, hit_queue
from borderless.services.affiliates import affiliates
from borderless.services.node import OPERATOR
from borderless.services.screening import ScreeningReport, screen_upload
from borderless.services.targeting import (
    Rule,
    activate_rule,
    check_against_history,
    create_rule,
    list_rules,
)
from borderless.services.travel_intake import (
    Upload,
    ingest,
    run_passenger_retention,
)

travel_app = typer.Typer(help="Passenger data: API/PNR intake, retention.", no_args_is_help=True)

PurposeOpt = Annotated[Purpose | None, typer.Option(help="why (required), e.g. border_control")]
StrictOpt = Annotated[
    bool,
    typer.Option("--strict", help="reject wrong envelope counts and references instead of warning"),
]
FilesArg = Annotated[
    list[Path], typer.Argument(help="PAXLST / PNRGOV (EDIFACT) or CSV / JSON manifests")
]


def _upload(path: Path, strict: bool) -> Upload:
    if not path.is_file():
        raise InputError(f"{path}: no such file")
    conformance = Conformance.STRICT if strict else Conformance.TOLERANT
    return Upload(path.read_bytes(), path.name, conformance)


HIT_COLUMNS = ("flight", "traveller", "score", "kind", "record", "owner", "access", "why")


def _rows(reports: list[ScreeningReport]) -> list[tuple[str, ...]]:
    return [
        (
            report.flight,
            hit.traveller,
            f"{hit.score:.2f}",
            hit.record_kind,
            hit.record_id if hit.label is None else f"{hit.record_id}: {hit.label}",
            hit.owner,
            hit.access,
            "; ".join(hit.reasons) or (hit.contact or ""),
        )
        for report in reports
        for hit in report.hits
    ]


def screen_command(
    ctx: typer.Context,
    files: FilesArg,
    purpose: PurposeOpt = None,
    threshold: Annotated[float | None, typer.Option(min=0, max=1)] = None,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
    as_csv: Annotated[bool, typer.Option("--csv", help="print CSV")] = False,
    strict: StrictOpt = False,
) -> None:
    """Take in passenger files and screen every traveller against every watchlist, notice and
    stolen or lost document your agency may see; prints the hits with their reasons."""
    if as_json and as_csv:
        raise typer.BadParameter("choose --json or --csv")
    st = state(ctx)
    reports: list[ScreeningReport] = []
    with reported():
        who, why = st.user(), st.purpose(purpose)
        uploads = [_upload(path, strict) for path in files]
        with progress_bar("screening", len(uploads)) as tick:
            for done, upload in enumerate(uploads, 1):
                reports += screen_upload(st.node, who, why, upload, threshold)
                tick(done)
    if as_json:
        print_json([asdict(r) for r in reports])
    elif as_csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(HIT_COLUMNS)
        writer.writerows(_rows(reports))
    else:
        travellers = sum(r.travellers for r in reports)
        hits = sum(len(r.hits) for r in reports)
        suppressed = sum(r.suppressed for r in reports)
        title = f"{travellers} travellers on {len(reports)} flight(s): {hits} hit(s)"
        print_table(
            HIT_COLUMNS,
            _rows(reports),
            title + (f", {suppressed} suppressed" if suppressed else ""),
        )


@travel_app.command("load")
def load(
    ctx: typer.Context,
    files: FilesArg,
    purpose: PurposeOpt = None,
    strict: StrictOpt = False,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """Store passenger files (each whole or not at all) without screening them."""
    st = state(ctx)
    with reported():
        who, why = st.user(), st.purpose(purpose)
        results = [r for path in files for r in ingest(st.node, who, why, _upload(path, strict))]
    if as_json:
        print_json([asdict(r) for r in results])
        return
    print_table(
        ("message", "kind", "flight", "travellers", "documents", "status", "warnings"),
        [
            (r.reference, r.kind, r.flight, r.travellers, r.documents, r.status, len(r.warnings))
            for r in results
        ],
    )
    for result in results:
        for warning in result.warnings:
            typer.echo(f"warning: {result.reference}: {warning}", err=True)


@travel_app.command("retention")
def retention(
    ctx: typer.Context,
    mask_after_days: Annotated[
        int | None, typer.Option(min=1, help="default: setting passenger_mask_days (183)")
    ] = None,
    delete_after_days: Annotated[
        int | None, typer.Option(min=1, help="default: setting passenger_delete_days (1825)")
    ] = None,
) -> None:
    """Mask passenger data after its masking period and delete it after its retention period."""
    st = state(ctx)
    with reported():
        who = st.user() if (st.acting_user or st.settings.cli_user) else OPERATOR
        result = run_passenger_retention(st.node, who, mask_after_days, delete_after_days)
    typer.echo(f"masked {result.masked} message(s), deleted {result.deleted}")


@travel_app.command("hits")
def hits(
    ctx: typer.Context,
    status: Annotated[
        str, typer.Option(help="open, confirmed, false_positive, ... or all")
    ] = "open",
    purpose: PurposeOpt = None,
    limit: Annotated[int, typer.Option(min=1, max=1000)] = 100,
    as_json: Annotated[bool, typer.Option("--json", help="print JSON")] = False,
) -> None:
    """The agency's screening hits, best score first."""
    st = state(ctx)
    with reported():
        wanted = None if status == "all" else status
        items, total = hit_queue(st.node, st.user(), st.purpose(purpose), wanted, (0, limit))
    if as_json:
        print_json([asdict(i) for i in items])
        return
    print_table(
        ("hit", "flight", "traveller", "score", "record", "owner", "status", "why"),
        [
            (
                i.id,
                i.flight,
                i.traveller,
                f"{i.score:.2f}",
                i.label or i.record_id,
                i.record_owner,
                i.status,
                "; ".join(i.reasons[:3]),
            )
            for i in items
        ],
        title=f"{len(items)} of {total} hit(s) ({status})",
    )


@travel_app.command("decide")
def decide_command(
    ctx: typer.Context,
    hit_id: Annotated[int, typer.Argument(help="the hit's number (see `travel hits`)")],
    decision: Annotated[Decision, typer.Argument()],
    reason: Annotated[str, typer.Option(help="why (required)")],
    purpose: PurposeOpt = None,
) -> None:
    """Mark a hit confirmed, false_positive or needs_follow_up, with the reason."""
    st = state(ctx)
    with reported():
        hit = decide(st.node, st.user(), st.purpose(purpose), hit_id, decision, reason)
    typer.echo(f"hit {hit.id}: {hit.status} by {hit.decided_by}")


rule_app = typer.Typer(help="Targeting rules: add, test against history, activate.")
travel_app.add_typer(rule_app, name="rule")


def _print_rules(found: list[Rule]) -> None:
    print_table(
        ("id", "name", "version", "status", "tested", "rule"),
        [
            (
                r.id,
                r.name,
                r.version,
                r.status,
                f"{r.tested['matches']} of {r.tested['travellers']}" if r.tested else "no",
                r.expression,
            )
            for r in found
        ],
    )


@rule_app.command("add")
def rule_add(
    ctx: typer.Context,
    name: Annotated[str, typer.Argument()],
    expression: Annotated[str, typer.Argument(help='e.g. "booking.paid_cash and booking.one_way"')],
    purpose: PurposeOpt = None,
) -> None:
    """Save a new version of a rule as a draft."""
    st = state(ctx)
    with reported():
        _print_rules([create_rule(st.node, st.user(), st.purpose(purpose), name, expression)])


@rule_app.command("test")
def rule_test(ctx: typer.Context, rule_id: int, purpose: PurposeOpt = None) -> None:
    """Run a rule version over every stored traveller (required before activation)."""
    st = state(ctx)
    with reported():
        rule = check_against_history(st.node, st.user(), st.purpose(purpose), rule_id)
    print_json(rule.tested)


@rule_app.command("activate")
def rule_activate(ctx: typer.Context, rule_id: int, purpose: PurposeOpt = None) -> None:
    """Make a tested version active (retiring the previous one)."""
    st = state(ctx)
    with reported():
        _print_rules([activate_rule(st.node, st.user(), st.purpose(purpose), rule_id)])


@rule_app.command("list")
def rule_list(ctx: typer.Context, purpose: PurposeOpt = None) -> None:
    """Every version of the agency's rules."""
    st = state(ctx)
    with reported():
        _print_rules(list_rules(st.node, st.user(), st.purpose(purpose)))


@travel_app.command("affiliates")
def affiliates_command(
    ctx: typer.Context,
    traveller_id: Annotated[int, typer.Argument(help="a traveller's number (see `travel hits`)")],
    purpose: PurposeOpt = None,
) -> None:
    """Possible affiliates of a traveller: same booking, shared contacts, other flights."""
    st = state(ctx)
    with reported():
        found = affiliates(st.node, st.user(), st.purpose(purpose), traveller_id)
    print_table(
        ("traveller", "name", "flight", "link", "detail"),
        [(a.traveller_id, a.name, a.flight, a.link, a.detail) for a in found],
    )
