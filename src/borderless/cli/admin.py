"""`borderless agency|user|token ...`: the directory, run by the local operator."""

from __future__ import annotations

from typing import Annotated

import typer

from borderless.cli.context import print_json, print_table, reported, state
from borderless.domain.agencies import Agency, User
from borderless.domain.codes import AgencyKind, Role
from borderless.services import directory as service
from borderless.store import directory
from borderless.store.db import reading

agency_app = typer.Typer(help="Member agencies.", no_args_is_help=True)
user_app = typer.Typer(help="Users of agencies.", no_args_is_help=True)
token_app = typer.Typer(help="API bearer tokens.", no_args_is_help=True)

JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]


@agency_app.command("create")
def agency_create(
    ctx: typer.Context,
    code: str,
    name: Annotated[str, typer.Option(help="full name")],
    country: Annotated[str, typer.Option(help="ISO 3166 alpha-2 or alpha-3")],
    kind: Annotated[AgencyKind, typer.Option()],
) -> None:
    """Register an agency."""
    st = state(ctx)
    with reported():
        agency = Agency(code=code, name=name, country=country, kind=kind)
        created = service.create_agency(st.node, st.user_or_operator(), agency)
    typer.echo(f"created agency {created.code} ({created.country}, {created.kind.value})")


@agency_app.command("list")
def agency_list(ctx: typer.Context, as_json: JsonOpt = False) -> None:
    st = state(ctx)
    with reading(st.node.engine) as conn:
        found = directory.list_agencies(conn)
    if as_json:
        print_json(found)
    else:
        print_table(
            ["code", "name", "country", "kind"],
            [(a.code, a.name, a.country, a.kind.value) for a in found],
        )


@user_app.command("create")
def user_create(
    ctx: typer.Context,
    username: str,
    agency: Annotated[str, typer.Option()],
    role: Annotated[Role, typer.Option()],
    token: Annotated[bool, typer.Option(help="also issue an API token")] = False,
) -> None:
    """Create a user; with --token, print a new API token for it (shown once)."""
    st = state(ctx)
    with reported():
        actor = st.user_or_operator()
        user = service.create_user(
            st.node, actor, User(username=username, agency=agency, role=role)
        )
        typer.echo(f"created user {user.username} ({user.role.value} at {user.agency})")
        if token:
            typer.echo(service.issue_token(st.node, actor, username))


@user_app.command("list")
def user_list(
    ctx: typer.Context,
    agency: Annotated[str | None, typer.Option()] = None,
    as_json: JsonOpt = False,
) -> None:
    st = state(ctx)
    with reading(st.node.engine) as conn:
        found = directory.list_users(conn, agency.upper() if agency else None)
    if as_json:
        print_json(found)
    else:
        print_table(
            ["username", "agency", "role", "active"],
            [(u.username, u.agency, u.role.value, u.active) for u in found],
        )


def _set_active(ctx: typer.Context, username: str, active: bool) -> None:
    st = state(ctx)
    with reported():
        service.set_user_active(st.node, st.user_or_operator(), username, active)
    typer.echo(f"{username}: {'enabled' if active else 'disabled'}")


@user_app.command("disable")
def user_disable(ctx: typer.Context, username: str) -> None:
    """Disable a user; its tokens stop working at once here, and in a running API server within
    its `auth_cache_s` (2 s by default)."""
    _set_active(ctx, username, False)


@user_app.command("enable")
def user_enable(ctx: typer.Context, username: str) -> None:
    _set_active(ctx, username, True)


@token_app.command("issue")
def token_issue(
    ctx: typer.Context, username: str, label: Annotated[str | None, typer.Option()] = None
) -> None:
    """Print a new bearer token for USERNAME (only its hash is stored)."""
    st = state(ctx)
    with reported():
        typer.echo(service.issue_token(st.node, st.user_or_operator(), username, label))


@token_app.command("revoke")
def token_revoke(ctx: typer.Context, token_id: str) -> None:
    """Revoke a token by its id (the part after 'bl_' up to the next '_')."""
    st = state(ctx)
    with reported():
        service.revoke_token(st.node, st.user_or_operator(), token_id)
    typer.echo(f"revoked token {token_id}")


@token_app.command("list")
def token_list(ctx: typer.Context, username: str, as_json: JsonOpt = False) -> None:
    st = state(ctx)
    with reading(st.node.engine) as conn:
        found = directory.list_tokens(conn, username)
    if as_json:
        print_json(found)
    else:
        print_table(
            ["token_id", "label", "created_at", "revoked_at"],
            [(t["token_id"], t["label"], t["created_at"], t["revoked_at"]) for t in found],
        )
