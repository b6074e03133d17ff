"""The `borderless` command."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from borderless.cli.admin import agency_app, token_app, user_app
from borderless.cli.context import CliState, progress_bar, reported, state
from borderless.cli.cooperation import cooperation_apps
from borderless.cli.demo import demo_app
from borderless.cli.finance import finance_app, trace_command
from borderless.cli.oversight import audit_app, retention_app
from borderless.cli.records import export_app, import_app, records_app
from borderless.cli.search import match, notifications_app, search_app
from borderless.cli.travel import screen_command, travel_app
from borderless.config import load_settings
from borderless.logs import configure
from borderless.runtime import tune_garbage_collector
from borderless.services.search_index import rebuild_search_index

app = typer.Typer(
    help="Borderless: shared records under their owners' rules.",
    no_args_is_help=True,
    pretty_exceptions_enable=False,
)


@app.callback()
def main(
    ctx: typer.Context,
    data_dir: Annotated[
        Path | None, typer.Option(envvar="BORDERLESS_DATA_DIR", help="where the node keeps data")
    ] = None,
    database_url: Annotated[
        str | None,
        typer.Option(envvar="BORDERLESS_DATABASE_URL", help="default: SQLite under data dir"),
    ] = None,
    acting_user: Annotated[
        str | None, typer.Option("--as", envvar="BORDERLESS_USER", help="act as this user")
    ] = None,
) -> None:
    settings = load_settings(data_dir=data_dir, database_url=database_url)
    configure(settings.log_level, settings.log_json)
    tune_garbage_collector(serving=False)
    ctx.obj = CliState(settings=settings, acting_user=acting_user)
    ctx.call_on_close(ctx.obj.close)


@app.command()
def init(ctx: typer.Context) -> None:
    """Create or upgrade the database schema."""
    st = state(ctx)
    typer.echo(f"database ready: {st.node.engine.url.render_as_string(hide_password=True)}")


@app.command()
def serve(
    ctx: typer.Context,
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="server processes (one per core serves the most)")
    ] = 1,
) -> None:
    """Start the HTTP API (docs at /docs)."""
    from borderless.api.app import create_app

    st = state(ctx)
    host, port = host or st.settings.host, port or st.settings.port
    if workers == 1:
        uvicorn.run(create_app(st.node), host=host, port=port, log_level="warning")
        return
    # Each worker builds its own app from the same settings. Opening the node here migrates
    # the schema once, so that workers starting together never migrate it.
    st.node.engine.dispose()
    os.environ["BORDERLESS_DATA_DIR"] = str(st.settings.data_dir)
    os.environ["BORDERLESS_DATABASE_URL"] = st.settings.database
    uvicorn.run(
        "borderless.api.app:from_settings",
        factory=True,
        workers=workers,
        host=host,
        port=port,
        log_level="warning",
    )


app.add_typer(agency_app, name="agency")
app.add_typer(user_app, name="user")
app.add_typer(token_app, name="token")
app.add_typer(records_app, name="records")
app.add_typer(import_app, name="import")
app.add_typer(export_app, name="export")
app.add_typer(audit_app, name="audit")
app.add_typer(retention_app, name="retention")
app.add_typer(demo_app, name="demo")
app.add_typer(search_app, name="search")
app.add_typer(notifications_app, name="notifications")
app.command("match")(match)
for _name, _group in cooperation_apps():  # message, request, notice, case, contact, webhooks
    app.add_typer(_group, name=_name)
app.add_typer(finance_app, name="finance")
app.command("trace")(trace_command)
app.command("screen")(screen_command)
app.add_typer(travel_app, name="travel")


@app.command("index")
def index(
    ctx: typer.Context, rebuild: Annotated[bool, typer.Option(help="required")] = False
) -> None:
    """Rebuild the search keys of every record (recovery; normally kept up to date on write)."""
    if not rebuild:
        raise typer.BadParameter("say --rebuild to recompute every record's search keys")
    st = state(ctx)
    with reported(), progress_bar("re-indexing records") as tick:
        count = rebuild_search_index(st.node, st.user_or_operator(), tick)
    typer.echo(f"re-indexed {count} records")
