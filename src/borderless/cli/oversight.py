"""`borderless audit ...` and `borderless retention run`."""

from __future__ import annotations

from datetime import datetime
from typing import Annotated

import typer

from borderless.cli.context import err, print_json, print_table, reported, state
from borderless.domain.codes import AuditAction, Purpose
from borderless.services import audit_log, retention

audit_app = typer.Typer(help="The tamper-evident audit log.", no_args_is_help=True)
retention_app = typer.Typer(help="Retention: purge expired records.", no_args_is_help=True)


@audit_app.command("verify")
def verify(
    ctx: typer.Context,
    anchor: Annotated[
        str | None, typer.Option(help="SEQ:HASH from an earlier `audit head`, kept elsewhere")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Check every entry of the hash chain; exits 1 if anything was altered or removed."""
    st = state(ctx)
    with reported():
        report = audit_log.verify_log(
            st.node, st.user_or_operator(), audit_log.parse_anchor(anchor)
        )
    if as_json:
        print_json({"ok": report.ok, "checked": report.checked, "problems": report.problems})
    elif report.ok:
        typer.echo(f"audit log intact: {report.checked} entries, head {report.head_seq}")
    else:
        for problem in report.problems:
            err.print(f"[red]{problem}[/red]", highlight=False)
        err.print(
            f"audit log BROKEN: {len(report.problems)} problem(s) in {report.checked} entries"
        )
    if not report.ok:
        raise typer.Exit(code=1)


@audit_app.command("head")
def head(ctx: typer.Context) -> None:
    """Print SEQ:HASH of the newest entry: keep it elsewhere to detect later truncation."""
    st = state(ctx)
    with reported():
        report = audit_log.verify_log(st.node, st.user_or_operator())
    typer.echo(f"{report.head_seq}:{report.head_hash}")


@audit_app.command("query")
def query(
    ctx: typer.Context,
    user: Annotated[str | None, typer.Option()] = None,
    agency: Annotated[str | None, typer.Option()] = None,
    record: Annotated[str | None, typer.Option(help="a record id")] = None,
    purpose: Annotated[Purpose | None, typer.Option()] = None,
    action: Annotated[AuditAction | None, typer.Option()] = None,
    since: Annotated[datetime | None, typer.Option()] = None,
    until: Annotated[datetime | None, typer.Option()] = None,
    limit: int = 50,
    as_json: Annotated[bool, typer.Option("--json")] = False,
) -> None:
    """Who did what, with which records, for what purpose, when (newest first)."""
    st = state(ctx)
    q = audit_log.AuditQuery(user, agency, record, purpose, action, since, until)
    with reported():
        entries, total = audit_log.query_log(st.node, st.user_or_operator(), q, (0, limit))
    if as_json:
        print_json({"items": entries, "total": total})
        return
    print_table(
        ["seq", "at", "user", "agency", "action", "purpose", "records", "outcome"],
        [
            (
                e["seq"],
                e["at"],
                e["username"],
                e["agency"],
                e["action"],
                e["purpose"],
                ", ".join(e["record_ids"][:3]) + (" …" if len(e["record_ids"]) > 3 else ""),
                e["outcome"],
            )
            for e in entries
        ],
        title=f"{len(entries)} of {total}",
    )


@retention_app.command("run")
def run(ctx: typer.Context) -> None:
    """Purge every record past its retention date, with what derives from it."""
    st = state(ctx)
    with reported():
        result = retention.run_retention(st.node, st.user_or_operator())
    typer.echo(f"purged {result.purged} record(s) of {', '.join(result.owners) or 'no agency'}")
