"""`borderless demo ...`: the synthetic world, and a whole demo node in one command."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from borderless.cli.context import print_table, progress_bar, reported, state
from borderless.config import shared_data_dir
from borderless.demo.world import WorldSpec, generate_world
from borderless.services.demo import setup_demo

demo_app = typer.Typer(help="The synthetic multi-country demo world.", no_args_is_help=True)

PersonsOpt = Annotated[int, typer.Option("--persons", min=10, help="persons in the world")]
SeedOpt = Annotated[int, typer.Option("--seed", help="same seed, same world")]


# Users whose tokens the demo prints (all are written to data/demo-tokens.json).
SHOWN_USERS = (
    "analyst.nld-pol",
    "officer.nld-border",
    "analyst.deu-pol",
    "officer.tur-border",
    "analyst.ken-fiu",
    "supervisor.hub",
    "auditor.hub",
    "admin.hub",
)


@demo_app.command("generate")
def generate(
    persons: PersonsOpt = 2000,
    seed: SeedOpt = 7,
    out_dir: Annotated[Path, typer.Option("--out", help="folder for the world's files")] = Path(
        "world"
    ),
) -> None:
    """Write a deterministic world: agencies.json, records.jsonl, truth.jsonl."""
    with progress_bar("generating persons", persons) as tick:
        files = generate_world(WorldSpec(persons=persons, seed=seed), out_dir, tick)
    print_table(["kind", "count"], sorted(files.counts.items()), title=str(out_dir))


@demo_app.command("run")
def run(
    ctx: typer.Context,
    persons: PersonsOpt = 2000,
    seed: SeedOpt = 7,
    host: Annotated[str | None, typer.Option()] = None,
    port: Annotated[int | None, typer.Option()] = None,
    serve: Annotated[bool, typer.Option(help="start the API when loaded")] = True,
) -> None:
    """Generate and load a demo world, create demo users, import the UN list, start the API."""
    st = state(ctx)
    un_list = shared_data_dir() / "watchlists" / "un" / "consolidated.xml"
    with reported(), progress_bar("loading records") as tick:
        demo = setup_demo(st.node, WorldSpec(persons=persons, seed=seed), un_list, tick)
    tokens_file = st.settings.data_dir / "demo-tokens.json"
    tokens_file.write_text(json.dumps(demo.tokens, indent=2))
    tokens_file.chmod(0o600)
    address = f"http://{host or st.settings.host}:{port or st.settings.port}"
    shown = [name for name in SHOWN_USERS if name in demo.tokens]
    typer.echo("\nDemo users (user: token) — every agency has officer, analyst, supervisor,")
    typer.echo(f"auditor and admin users; all {len(demo.tokens)} tokens are in {tokens_file}\n")
    for name in shown:
        typer.echo(f"  {name:<22} {demo.tokens[name]}")
    if demo.un_list:
        typer.echo(f"\nUN Security Council list imported for the hub: {demo.un_list}")
    else:
        typer.echo(f"\nUN list not found at {un_list}: skipped")
    if demo.flight:
        analyst, report = demo.flight
        typer.echo(
            f"\nDemo flight {report.flight}: {report.travellers} travellers screened by {analyst}, "
            f"{len(report.hits)} hit(s); see them with\n  borderless --as {analyst} "
            "travel hits --purpose border_control"
        )
    example = demo.tokens.get(shown[0], "<token>") if shown else "<token>"
    typer.echo(f"\nAPI {address}   docs {address}/docs")
    typer.echo(
        f"try: curl -X POST -H 'Authorization: Bearer {example}' "
        "-H 'Content-Type: application/json' "
        f'\'{address}/search?purpose=identify\' -d \'{{"person": {{"name": "Mohamed Ali"}}}}\'\n'
    )
    if serve:
        from borderless.api.app import create_app

        uvicorn.run(
            create_app(st.node),
            host=host or st.settings.host,
            port=port or st.settings.port,
            log_level="warning",
        )
