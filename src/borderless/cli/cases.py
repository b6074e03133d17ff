"""`borderless case ...`: case workspaces for joint investigation teams."""

from __future__ import annotations

from typing import Annotated

import typer

from borderless.cli.context import print_json, print_table, reported, state
from borderless.cli.cooperation import DeadlineOpt, PurposeOpt, ZoneOpt, deadline
from borderless.domain.messaging import CaseDraft, TaskDraft
from borderless.services import cases

case_app = typer.Typer(
    help="Case workspaces shared by participating agencies.", no_args_is_help=True
)


@case_app.command("open")
def open_case(
    ctx: typer.Context,
    title: Annotated[str, typer.Option()],
    participant: Annotated[list[str] | None, typer.Option(help="agency code (repeatable)")] = None,
    summary: Annotated[str | None, typer.Option()] = None,
    purpose: PurposeOpt = None,
) -> None:
    st = state(ctx)
    with reported():
        draft = CaseDraft(title=title, participants=participant or [], summary=summary)
        made = cases.open_case(st.node, st.user(), st.purpose(purpose), draft)
    typer.echo(made["id"])


@case_app.command("list")
def list_cases(ctx: typer.Context, purpose: PurposeOpt = None) -> None:
    st = state(ctx)
    with reported():
        found = cases.list_cases(st.node, st.user(), st.purpose(purpose))
    print_table(
        ["case", "title", "owner", "status", "opened"],
        [(c["id"], c["title"], c["owner"], c["status"], c["created_at"][:16]) for c in found],
    )


@case_app.command("show")
def show(ctx: typer.Context, case_id: str, purpose: PurposeOpt = None) -> None:
    st = state(ctx)
    with reported():
        print_json(cases.show(st.node, st.user(), st.purpose(purpose), case_id))


@case_app.command("add")
def add(ctx: typer.Context, case_id: str, agency: str, purpose: PurposeOpt = None) -> None:
    """Add a participating agency (the case owner)."""
    st = state(ctx)
    with reported():
        cases.add_participant(st.node, st.user(), st.purpose(purpose), case_id, agency)
    typer.echo(f"{agency} takes part in {case_id}")


@case_app.command("leave")
def leave(
    ctx: typer.Context,
    case_id: str,
    agency: Annotated[str | None, typer.Option(help="remove this agency (the owner)")] = None,
    purpose: PurposeOpt = None,
) -> None:
    """Leave a case (or, as its owner, remove an agency): access ends at once."""
    st = state(ctx)
    with reported():
        cases.leave(st.node, st.user(), st.purpose(purpose), case_id, agency)
    typer.echo(f"left {case_id}" if agency is None else f"removed {agency} from {case_id}")


@case_app.command("share")
def share(ctx: typer.Context, case_id: str, record_id: str, purpose: PurposeOpt = None) -> None:
    st = state(ctx)
    with reported():
        cases.share_record(st.node, st.user(), st.purpose(purpose), case_id, record_id)
    typer.echo(f"shared {record_id} in {case_id}")


@case_app.command("note")
def note(ctx: typer.Context, case_id: str, text: str, purpose: PurposeOpt = None) -> None:
    st = state(ctx)
    with reported():
        typer.echo(cases.add_note(st.node, st.user(), st.purpose(purpose), case_id, text))


@case_app.command("task")
def task(
    ctx: typer.Context,
    case_id: str,
    title: Annotated[str, typer.Option()],
    assignee: Annotated[str | None, typer.Option()] = None,
    due: DeadlineOpt = None,
    zone: ZoneOpt = "UTC",
    purpose: PurposeOpt = None,
) -> None:
    st = state(ctx)
    with reported():
        draft = TaskDraft(title=title, assignee=assignee, due=deadline(due, zone))
        typer.echo(cases.add_task(st.node, st.user(), st.purpose(purpose), case_id, draft))


@case_app.command("done")
def done(ctx: typer.Context, case_id: str, task_id: int, purpose: PurposeOpt = None) -> None:
    st = state(ctx)
    with reported():
        cases.finish_task(st.node, st.user(), st.purpose(purpose), case_id, task_id)
    typer.echo(f"task {task_id} done")


@case_app.command("close")
def close(ctx: typer.Context, case_id: str, purpose: PurposeOpt = None) -> None:
    st = state(ctx)
    with reported():
        cases.close_case(st.node, st.user(), st.purpose(purpose), case_id)
    typer.echo(f"closed {case_id}")
