"""`borderless finance ...` (import, detect, networks) and `borderless trace`."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Annotated, Any

import typer

from borderless.cli.context import print_json, print_table, progress_bar, reported, state
from borderless.domain.codes import Purpose
from borderless.finance.graph_export import GraphFormat, write_graph
from borderless.finance.trace import Direction
from borderless.finance.typologies import Typology
from borderless.services import finance as finance_service
from borderless.services.finance_detect import run_detect
from borderless.services.finance_models import NetworkRequest, TraceRequest, TraceResponse
from borderless.services.finance_networks import draw_network, run_networks
from borderless.services.finance_trace import run_trace, trace_graph

finance_app = typer.Typer(
    help="Follow the money: intake, typology detection, networks.", no_args_is_help=True
)

PurposeOpt = Annotated[
    Purpose | None, typer.Option(help="why you analyse (required), e.g. financial_investigation")
]
JsonOpt = Annotated[bool, typer.Option("--json", help="print JSON")]


@finance_app.command("import")
def import_command(
    ctx: typer.Context,
    path: Annotated[Path, typer.Argument(help="file (or AMLSim output folder)")],
    fmt: Annotated[
        finance_service.FinanceFormat, typer.Option("--format", help="what the file is")
    ],
    agency: Annotated[str | None, typer.Option(help="owning agency (operator imports)")] = None,
    xsd: Annotated[
        Path | None, typer.Option(help="goAML: validate against this FIU-supplied XSD")
    ] = None,
) -> None:
    """Import parties, accounts and transactions as records owned by the agency (atomic)."""
    st = state(ctx)
    with reported(), progress_bar(f"importing {path.name}") as tick:
        result = finance_service.import_flows(
            st.node, st.importer(agency), fmt, path, agency, xsd, tick
        )
    print_table(["field", "value"], sorted(result.summary().items()), title=str(path))


def _account_label(record_id: str, source_id: str | None) -> str:
    """The record id, and the source's own id when it differs."""
    return f"{record_id} ({source_id})" if source_id and source_id != record_id else record_id


def _print_trace(response: TraceResponse) -> None:
    seeds = ", ".join(_account_label(s.id, s.source_id) for s in response.seeds)
    typer.echo(f"seeds: {seeds}; {response.took_ms:.1f} ms")
    for part in response.sections:
        typer.echo(
            f"\n{part.direction.value}: {len(part.accounts)} account(s), "
            f"{part.transactions_total} transaction(s), {part.total_eur:,.2f} EUR at "
            f"{len(part.end_points)} end point(s), over {part.elapsed_hours:.1f} h; "
            f"countries {', '.join(part.countries) or '-'}"
        )
        print_table(
            ["hop", "id", "source id", "from", "to", "amount", "EUR traced", "time", "channel"],
            [
                (
                    t.hop,
                    t.id,
                    t.source_id,
                    t.from_account,
                    t.to_account,
                    f"{t.amount:,.2f} {t.currency}",
                    f"{t.amount_eur:,.2f}",
                    t.time.isoformat(),
                    t.channel,
                )
                for t in part.transactions
            ],
        )
        if part.corridors:
            print_table(
                ["from", "to", "transactions", "EUR traced"],
                [
                    (c.from_country, c.to_country, c.transactions, f"{c.amount_eur:,.2f}")
                    for c in part.corridors
                ],
                title="corridors",
            )
        if part.cash_outs:
            typer.echo(f"cash-outs: {', '.join(part.cash_outs)}")


def trace_command(
    ctx: typer.Context,
    account: Annotated[
        str | None, typer.Option(help="account record id, source account id or IBAN")
    ] = None,
    person: Annotated[
        str | None, typer.Option(help="person or organisation record id (all its accounts)")
    ] = None,
    hops: Annotated[int, typer.Option(min=1, max=12)] = 4,
    direction: Annotated[Direction, typer.Option()] = Direction.FORWARD,
    start: Annotated[datetime | None, typer.Option("--from", help="window start")] = None,
    end: Annotated[datetime | None, typer.Option("--to", help="window end")] = None,
    limit: Annotated[int, typer.Option(help="most transactions listed per direction")] = 2000,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
    export: Annotated[Path | None, typer.Option(help="write the traced subgraph here")] = None,
    export_format: Annotated[GraphFormat, typer.Option(help="format of --export")] = (
        GraphFormat.GRAPHML
    ),
) -> None:
    """Follow money from (forward) or to (backward) an account or a person, hop by hop."""
    st = state(ctx)
    with reported():
        request: dict[str, Any] = {
            "account": account,
            "person": person,
            "hops": hops,
            "direction": direction,
            "start": start,
            "end": end,
            "limit": limit,
        }
        parsed = TraceRequest.model_validate({k: v for k, v in request.items() if v is not None})
        response = run_trace(
            st.node,
            st.user(),
            st.purpose(purpose),
            parsed,
            export_format if export else None,
        )
    if export is not None:
        export.write_bytes(write_graph(trace_graph(response), export_format))
        typer.echo(f"wrote {export} ({export_format.value})", err=True)
    if as_json:
        print_json(response)
    else:
        _print_trace(response)


@finance_app.command("detect")
def detect_command(
    ctx: typer.Context,
    typology: Annotated[
        list[Typology] | None, typer.Option("--typology", help="only these (repeatable)")
    ] = None,
    limit: Annotated[int, typer.Option(min=1, help="best alerts shown")] = 50,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Scan every flow you may see for laundering and financing typologies, ranked."""
    st = state(ctx)
    with reported():
        response = run_detect(st.node, st.user(), st.purpose(purpose), typology or (), limit)
    if as_json:
        print_json(response)
        return
    print_table(
        ["rank", "typology", "score", "EUR", "countries", "focal account", "why"],
        [
            (
                a.rank,
                a.typology,
                f"{a.score:.2f}",
                f"{a.total_eur:,.0f}",
                " ".join(a.countries),
                _account_label(a.accounts[0].id, a.accounts[0].source_id),
                a.explanation,
            )
            for a in response.alerts
        ],
        title=f"{response.alerts_total} alert(s) over {response.transactions_scanned} "
        f"transactions, {response.took_ms:.0f} ms",
    )
    for name, why in response.skipped.items():
        typer.echo(f"skipped {name}: {why}", err=True)


@finance_app.command("networks")
def networks_command(
    ctx: typer.Context,
    account: Annotated[str | None, typer.Option(help="the network around this account")] = None,
    person: Annotated[str | None, typer.Option(help="... or around this holder")] = None,
    limit: Annotated[int, typer.Option(min=1, max=500)] = 20,
    image: Annotated[Path | None, typer.Option(help="draw the first network as PNG here")] = None,
    html_page: Annotated[
        Path | None, typer.Option("--html", help="interactive page of the first network")
    ] = None,
    purpose: PurposeOpt = None,
    as_json: JsonOpt = False,
) -> None:
    """Group accounts and holders into networks by strong money ties and shared attributes."""
    st = state(ctx)
    with reported():
        request = NetworkRequest(account=account, person=person, limit=limit)
        response = run_networks(st.node, st.user(), st.purpose(purpose), request)
        if image or html_page:
            pictures = draw_network(st.node, st.user(), st.purpose(purpose), request)
            if image:
                image.write_bytes(pictures.png)
            if html_page:
                html_page.write_text(pictures.html, encoding="utf-8")
    if as_json:
        print_json(response)
        return
    print_table(
        ["rank", "accounts", "holders", "countries", "EUR", "alerts", "shared"],
        [
            (
                w.rank,
                len(w.accounts),
                len(w.holders),
                " ".join(w.countries),
                f"{w.total_eur:,.0f}",
                "; ".join(a.split(":")[0] for a in w.alerts),
                "; ".join(w.shared)[:80],
            )
            for w in response.networks
        ],
        title=f"{response.networks_total} network(s), {response.took_ms:.0f} ms",
    )
