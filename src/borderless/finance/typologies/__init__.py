"""Typology detection: parameterised detectors that each explain their alerts.

`detect` runs the chosen detectors over a whole `FlowFrame` and ranks the alerts by score.
Each detector is vectorised over all transactions (window search, step pairs, chain joins);
per-alert Python runs only on the candidates that passed the vectorised filters.

`drained_before_travel` also needs the departures of account holders (`Departures`, from
passenger data the caller may use); without them it finds nothing, and the service says why.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from enum import StrEnum

from borderless.finance.frame import FlowFrame
from borderless.finance.typologies.base import Alert
from borderless.finance.typologies.npo import NpoParams, npo_high_risk
from borderless.finance.typologies.paths import (
    ChainParams,
    PassThroughParams,
    ScatterGatherParams,
    cycles,
    layering,
    rapid_pass_through,
    scatter_gather,
)
from borderless.finance.typologies.travel import Departures, DrainParams, drained_before_travel
from borderless.finance.typologies.windows import (
    FanParams,
    GatherScatterParams,
    StructuringParams,
    fan_in,
    fan_out,
    gather_scatter,
    structuring,
)


class Typology(StrEnum):
    FAN_IN = "fan_in"
    FAN_OUT = "fan_out"
    CYCLE = "cycle"
    SCATTER_GATHER = "scatter_gather"
    GATHER_SCATTER = "gather_scatter"
    STRUCTURING = "structuring"
    RAPID_PASS_THROUGH = "rapid_pass_through"  # noqa: S105 - a typology name, not a secret
    LAYERING = "layering"
    NPO_HIGH_RISK = "npo_high_risk"
    DRAINED_BEFORE_TRAVEL = "drained_before_travel"


@dataclass(frozen=True)
class DetectParams:
    """Every detector's parameters; the defaults suit retail and correspondent banking."""

    fan: FanParams = field(default_factory=FanParams)
    structuring: StructuringParams = field(default_factory=StructuringParams)
    gather_scatter: GatherScatterParams = field(default_factory=GatherScatterParams)
    pass_through: PassThroughParams = field(default_factory=PassThroughParams)
    scatter_gather: ScatterGatherParams = field(default_factory=ScatterGatherParams)
    chains: ChainParams = field(default_factory=ChainParams)
    npo: NpoParams = field(default_factory=NpoParams)
    drain: DrainParams = field(default_factory=DrainParams)


# Detectors that need the flows alone; `TRAVEL_TYPOLOGIES` also need holders' departures.
DETECTORS: dict[Typology, Callable[[FlowFrame, DetectParams], list[Alert]]] = {
    Typology.FAN_IN: lambda f, p: fan_in(f, p.fan),
    Typology.FAN_OUT: lambda f, p: fan_out(f, p.fan),
    Typology.CYCLE: lambda f, p: cycles(f, p.chains),
    Typology.SCATTER_GATHER: lambda f, p: scatter_gather(f, p.scatter_gather),
    Typology.GATHER_SCATTER: lambda f, p: gather_scatter(f, p.gather_scatter),
    Typology.STRUCTURING: lambda f, p: structuring(f, p.structuring),
    Typology.RAPID_PASS_THROUGH: lambda f, p: rapid_pass_through(f, p.pass_through),
    Typology.LAYERING: lambda f, p: layering(f, p.chains),
    Typology.NPO_HIGH_RISK: lambda f, p: npo_high_risk(f, p.npo),
}
TRAVEL_TYPOLOGIES = frozenset({Typology.DRAINED_BEFORE_TRAVEL})


def detect(
    frame: FlowFrame,
    typologies: Iterable[Typology] = tuple(Typology),
    params: DetectParams | None = None,
    departures: Departures | None = None,
) -> list[Alert]:
    """Run the detectors and rank their alerts, highest score first. Travel typologies run
    only when `departures` are given."""
    chosen = params or DetectParams()
    alerts: list[Alert] = []
    for typology in dict.fromkeys(typologies):
        if typology in DETECTORS:
            alerts += DETECTORS[typology](frame, chosen)
        elif typology is Typology.DRAINED_BEFORE_TRAVEL and departures is not None:
            alerts += drained_before_travel(frame, departures, chosen.drain)
    return sorted(alerts, key=lambda a: (-a.score, a.typology, a.accounts))


__all__ = ["TRAVEL_TYPOLOGIES", "Alert", "Departures", "DetectParams", "Typology", "detect"]
