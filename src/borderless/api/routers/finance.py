"""Follow the money: traces, typology alerts and networks over the flows the caller may see."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, File, Query, Response, UploadFile

from borderless.api.deps import NodeDep, PrincipalDep, PurposeDep
from borderless.api.uploads import saved_uploads, upload_name
from borderless.finance.graph_export import MEDIA_TYPES, GraphFormat, write_graph
from borderless.finance.typologies import Typology
from borderless.services.finance import FinanceFormat, import_flows
from borderless.services.finance_detect import run_detect
from borderless.services.finance_models import (
    DetectResponse,
    NetworkRequest,
    NetworksResponse,
    TraceRequest,
    TraceResponse,
)
from borderless.services.finance_networks import draw_network, run_networks
from borderless.services.finance_trace import run_trace, trace_graph

router = APIRouter(prefix="/finance", tags=["finance"])


@router.post("/imports/{fmt}")
def upload_flows(
    node: NodeDep,
    principal: PrincipalDep,
    fmt: FinanceFormat,
    files: Annotated[
        list[UploadFile], File(description="the file; AMLSim: its CSV files together")
    ],
    xsd: Annotated[UploadFile | None, File(description="goAML: the FIU's own XSD")] = None,
    agency: str | None = None,
) -> dict[str, Any]:
    """Import transactions and parties for the caller's agency, all or nothing (as the CLI)."""
    with saved_uploads([*files, *([xsd] if xsd else [])]) as folder:
        path = folder if fmt is FinanceFormat.AMLSIM else folder / upload_name(files[0])
        schema = folder / upload_name(xsd) if xsd else None
        return import_flows(node, principal, fmt, path, agency, schema).summary()


@router.post("/trace", response_model=TraceResponse)
def trace(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, request: TraceRequest
) -> TraceResponse:
    """Follow money forward and/or backward from an account or a holder, up to `hops` hops in
    a time window, respecting time order; amounts attributed pro rata; countries, corridors,
    end points, cash-outs and elapsed time reported. Audited as ``trace``."""
    return run_trace(node, principal, purpose, request)


@router.post("/trace/export")
def trace_export(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    request: TraceRequest,
    fmt: Annotated[GraphFormat, Query(alias="format")] = GraphFormat.GRAPHML,
) -> Response:
    """The traced subgraph as graph JSON, GraphML, GEXF or FollowTheMoney (needs `export`)."""
    response = run_trace(node, principal, purpose, request, fmt)
    body = write_graph(trace_graph(response), fmt)
    name = f"trace.{'ftm.json' if fmt is GraphFormat.FTM else fmt.value}"
    return Response(
        body,
        media_type=MEDIA_TYPES[fmt],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/detect", response_model=DetectResponse)
def detect(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    typology: Annotated[list[Typology] | None, Query(description="only these")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> DetectResponse:
    """Scan every flow the caller's agency may see for typologies; alerts ranked by score,
    each explained with its evidence subgraph. `drained_before_travel` also uses the agency's
    own passenger data, where role and purpose allow; otherwise `skipped` says why. Audited as
    ``detect``."""
    return run_detect(node, principal, purpose, typology or (), limit)


@router.post("/networks", response_model=NetworksResponse)
def networks(
    node: NodeDep, principal: PrincipalDep, purpose: PurposeDep, request: NetworkRequest
) -> NetworksResponse:
    """Accounts and holders grouped by strong money ties and shared phone, e-mail, address,
    identifier or director; members, countries, value and alerts. Audited as ``network``."""
    return run_networks(node, principal, purpose, request)


@router.post("/networks/map")
def network_map(
    node: NodeDep,
    principal: PrincipalDep,
    purpose: PurposeDep,
    request: NetworkRequest,
    fmt: Annotated[Literal["png", "html"], Query(alias="format")] = "html",
) -> Response:
    """The first network (or the one around the subject) as a PNG or a standalone HTML page."""
    pictures = draw_network(node, principal, purpose, request)
    if fmt == "png":
        return Response(pictures.png, media_type="image/png")
    return Response(pictures.html, media_type="text/html; charset=utf-8")
