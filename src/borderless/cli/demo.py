"""`borderless demo ...`: the synthetic world, and a whole demo node in one command."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Annotated

import typer
import uvicorn

from borderless.cli.context import out, print_table, progress_bar, reported, state
from borderless.demo.world import WorldSpec, generate_world
from borderless.services.demo import setup_demo

demo_app = typer.Typer(help="The synthetic multi-country demo world.", no_args_is_help=True)

PersonsOpt = Annotated[int, typer.Option("--persons", min=10, help="persons in the world")]
SeedOpt = Annotated[int, typer.Option("--seed", help="same seed, same world")]


def default_un_list() -> Path:
    shared = os.environ.get("BORDERLESS_SHARED_DATA")
    base = (
        Path(shared) if shared else Path(__file__).resolve().parents[4] / ".." / "shared" / "data"
    )
    return base / "watchlists" / "un" / "consolidated.xml"


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
    with reported(), progress_bar("loading records") as tick:
        demo = setup_demo(st.node, WorldSpec(persons=persons, seed=seed), default_un_list(), tick)
    tokens_file = st.settings.data_dir / "demo-tokens.json"
    tokens_file.write_text(json.dumps(demo.tokens, indent=2))
    tokens_file.chmod(0o600)
    shown = [
        name
        for name in demo.tokens
        if name.split(".", 1)[0] in ("analyst", "officer") or name.endswith(".hub")
    ][:12]
    print_table(["user", "token"], [(n, demo.tokens[n]) for n in shown], title="demo users")
    address = f"http://{host or st.settings.host}:{port or st.settings.port}"
    out.print(f"all {len(demo.tokens)} demo tokens: {tokens_file}")
    if demo.un_list:
        out.print(f"UN list imported for the hub: {demo.un_list}")
    example = shown[0] if shown else ""
    out.print(
        f"API: {address}  docs: {address}/docs\n"
        f"try: curl -H 'Authorization: Bearer {demo.tokens.get(example, '<token>')}' "
        f"'{address}/records?purpose=identify&limit=5'"
    )
    if serve:
        from borderless.api.app import create_app

        uvicorn.run(
            create_app(st.node),
            host=host or st.settings.host,
            port=port or st.settings.port,
            log_level="warning",
        )
