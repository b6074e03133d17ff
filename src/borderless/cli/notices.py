"""`borderless notice ...`: drafts, compliance review, diffusions."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated, Any

import typer

from borderless.cli.context import print_json, print_table, reported, state
from borderless.cli.cooperation import JsonOpt, PurposeOpt, read_json
from borderless.domain.codes import NoticeStatus
from borderless.domain.messaging import NoticeStep, RefusalReason
from borderless.domain.records import Governance, NoticeBody
from borderless.services import notices

notice_app = typer.Typer(
    help="Notices under compliance review, and diffusions.", no_args_is_help=True
)

NoticeFile = Annotated[
    Path, typer.Argument(help='JSON: {"body": {...notice...}, "requested": {...governance...}}')
]


def _read(path: Path) -> tuple[NoticeBody, Governance]:
    data = read_json(path)
    return NoticeBody.model_validate(data.get("body", {})), Governance.model_validate(
        data.get("requested", {})
    )


@notice_app.command("draft")
def draft(ctx: typer.Context, notice: NoticeFile, purpose: PurposeOpt = None) -> None:
    """A new notice in draft (visible to your agency and the hub reviewers only)."""
    st = state(ctx)
    with reported():
        body, requested = _read(notice)
        created = notices.draft(st.node, st.user(), st.purpose(purpose), body, requested)
    typer.echo(created.id)


@notice_app.command("diffuse")
def diffuse(ctx: typer.Context, notice: NoticeFile, purpose: PurposeOpt = None) -> None:
    """Send straight to the countries/agencies listed in "requested"; reviewed afterwards."""
    st = state(ctx)
    with reported():
        body, requested = _read(notice)
        created = notices.diffuse(st.node, st.user(), st.purpose(purpose), body, requested)
    typer.echo(created.id)


@notice_app.command("revise")
def revise(
    ctx: typer.Context, record_id: str, notice: NoticeFile, purpose: PurposeOpt = None
) -> None:
    st = state(ctx)
    with reported():
        body, requested = _read(notice)
        notices.revise(st.node, st.user(), st.purpose(purpose), record_id, body, requested)
    typer.echo(f"revised {record_id}")


@notice_app.command("act")
def act(
    ctx: typer.Context,
    record_id: str,
    step: NoticeStep,
    reason: Annotated[str | None, typer.Option()] = None,
    refusal: Annotated[RefusalReason | None, typer.Option(help="why refused")] = None,
    purpose: PurposeOpt = None,
) -> None:
    """submit, cancel (owner); take, publish, refuse, return, withdraw, confirm (reviewer)."""
    st = state(ctx)
    with reported():
        done = notices.act(
            st.node, st.user(), st.purpose(purpose), record_id, step, reason, refusal
        )
    typer.echo(f"{record_id} {done['status']}")


@notice_app.command("show")
def show(ctx: typer.Context, record_id: str, purpose: PurposeOpt = None) -> None:
    """Workflow state, automated checks (with the words behind each flag) and history."""
    st = state(ctx)
    with reported():
        print_json(notices.show(st.node, st.user(), st.purpose(purpose), record_id))


def _flags(notice: dict[str, Any]) -> str:
    return ", ".join(c["name"] for c in notice["checks"] if c["level"] in ("error", "flag"))


@notice_app.command("list")
def list_notices(
    ctx: typer.Context,
    status: Annotated[NoticeStatus | None, typer.Option()] = None,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Reviewers: what awaits review; others: your agency's notices."""
    st = state(ctx)
    with reported():
        found = notices.queue(st.node, st.user(), st.purpose(purpose), status)
    if as_json:
        print_json(found)
        return
    print_table(
        ["notice", "owner", "channel", "status", "submitted", "checks"],
        [
            (
                n["record_id"],
                n["owner"],
                n["channel"],
                n["status"],
                n["submitted_at"] or "",
                _flags(n),
            )
            for n in found
        ],
    )
