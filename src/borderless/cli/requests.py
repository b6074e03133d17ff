"""`borderless request ...`: structured requests, follow-ups, grants, oversight figures."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from borderless.cli.context import print_json, print_table, reported, state
from borderless.cli.cooperation import (
    DeadlineOpt,
    JsonOpt,
    PurposeOpt,
    ZoneOpt,
    deadline,
    read_json,
)
from borderless.domain.messaging import Priority
from borderless.services import cooperation_figures, request_templates, requests
from borderless.services.requests import RequestDraft

request_app = typer.Typer(
    help="Requests for information, hit follow-ups, legal assistance, asset tracing.",
    no_args_is_help=True,
)


@request_app.command("templates")
def templates() -> None:
    """Every template version and the JSON schema of its fields."""
    print_json(request_templates.describe())


@request_app.command("create")
def create(
    ctx: typer.Context,
    template: str,
    fields: Annotated[Path, typer.Argument(help="a JSON file with the template's fields")],
    to: Annotated[str | None, typer.Option(help="addressee agency")] = None,
    version: Annotated[int | None, typer.Option(help="template version (default: latest)")] = None,
    priority: Annotated[Priority, typer.Option()] = Priority.ROUTINE,
    due: DeadlineOpt = None,
    zone: ZoneOpt = "UTC",
    purpose: PurposeOpt = None,
) -> None:
    """Submit a request; an incomplete one is refused with one message per field."""
    st = state(ctx)
    with reported():
        draft = RequestDraft(
            template=template,
            version=version,
            to=to,
            priority=priority,
            deadline=deadline(due, zone),
            fields=read_json(fields),
        )
        made = requests.submit(st.node, st.user(), st.purpose(purpose), draft)
    typer.echo(made["id"])


@request_app.command("follow-up")
def follow_up(
    ctx: typer.Context,
    record_id: Annotated[str, typer.Argument(help="the id of a hit (a reference is enough)")],
    reason: Annotated[str, typer.Option(help="why you need the record")],
    field: Annotated[list[str] | None, typer.Option(help="a field you need (repeatable)")] = None,
    purpose: PurposeOpt = None,
) -> None:
    """Ask the owner of a hit to release it, in one step."""
    st = state(ctx)
    with reported():
        draft = RequestDraft(
            template="hit_follow_up",
            fields={"record_id": record_id, "reason": reason, "requested_fields": field or []},
        )
        made = requests.submit(st.node, st.user(), st.purpose(purpose), draft)
    typer.echo(made["id"])


@request_app.command("from-notification")
def from_notification(ctx: typer.Context, notification_id: int, purpose: PurposeOpt = None) -> None:
    """Turn a hit notification into a request for information to the agency that hit."""
    st = state(ctx)
    with reported():
        made = requests.from_notification(st.node, st.user(), st.purpose(purpose), notification_id)
    typer.echo(made["id"])


def _print(items: list[dict[str, Any]], total: int) -> None:
    print_table(
        ["id", "created", "template", "from", "to", "priority", "status", "deadline", "overdue"],
        [
            (
                r["id"],
                r["created_at"][:16],
                f"{r['template']} v{r['template_version']}",
                r["requester_agency"],
                r["addressee_agency"],
                r["priority"],
                r["status"],
                r.get("deadline_local", ""),
                "OVERDUE" if r["overdue"] else "",
            )
            for r in items
        ],
        title=f"{len(items)} of {total} request(s)",
    )


@request_app.command("list")
def list_requests(
    ctx: typer.Context,
    box: Annotated[str, typer.Option(help="inbox, sent or all")] = "all",
    status: Annotated[str | None, typer.Option()] = None,
    limit: int = 50,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    st = state(ctx)
    with reported():
        items, total = requests.list_requests(
            st.node, st.user(), st.purpose(purpose), box, status, (0, limit)
        )
    if as_json:
        print_json({"items": items, "total": total})
    else:
        _print(items, total)


@request_app.command("show")
def show(ctx: typer.Context, request_id: str, purpose: PurposeOpt = None) -> None:
    st = state(ctx)
    with reported():
        print_json(requests.show(st.node, st.user(), st.purpose(purpose), request_id))


@request_app.command("answer")
def answer(
    ctx: typer.Context,
    request_id: str,
    text: Annotated[str, typer.Option()],
    purpose: PurposeOpt = None,
) -> None:
    st = state(ctx)
    with reported():
        done = requests.answer(st.node, st.user(), st.purpose(purpose), request_id, text)
    typer.echo(f"{request_id} {done['status']}")


@request_app.command("grant")
def grant(
    ctx: typer.Context,
    request_id: str,
    field: Annotated[list[str] | None, typer.Option(help="release only this field")] = None,
    note: Annotated[str | None, typer.Option()] = None,
    purpose: PurposeOpt = None,
) -> None:
    """Release your record to the requester: whole, or only the --field(s) named."""
    st = state(ctx)
    with reported():
        done = requests.grant(st.node, st.user(), st.purpose(purpose), request_id, field, note)
    typer.echo(f"{request_id} {done['status']}")


@request_app.command("refuse")
def refuse(
    ctx: typer.Context,
    request_id: str,
    reason: Annotated[str, typer.Option()],
    purpose: PurposeOpt = None,
) -> None:
    st = state(ctx)
    with reported():
        done = requests.refuse(st.node, st.user(), st.purpose(purpose), request_id, reason)
    typer.echo(f"{request_id} {done['status']}")


@request_app.command("released")
def released(ctx: typer.Context, record_id: str, purpose: PurposeOpt = None) -> None:
    """What an owner released to your agency of a record."""
    st = state(ctx)
    with reported():
        print_json(requests.released(st.node, st.user(), st.purpose(purpose), record_id))


@request_app.command("figures")
def figures(ctx: typer.Context, purpose: PurposeOpt = None) -> None:
    """Oversight figures: notices in review, answer times, overdue requests per agency."""
    st = state(ctx)
    with reported():
        print_json(cooperation_figures.figures(st.node, st.user(), st.purpose(purpose)))
