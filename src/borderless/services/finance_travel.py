"""Passenger data for money-flow analysis: who may use it, and the holders' departures.

The rule (docs/finance.md, "Passenger data in typologies"): a money-flow analysis uses
passenger data only

1. of the caller's **own agency** — passenger data belongs to the agency that received it (its
   passenger information unit) and no other agency reads it (docs/screening.md); an FIU that
   holds none does not reach into a PIU's data, it asks the PIU (a structured request);
2. when the caller's role may handle passenger data (`screen_travellers`);
3. for a purpose within the PNR rules' reach (terrorist offences and serious crime, of which
   money laundering is one): `PASSENGER_DATA_PURPOSES`.

When one fails, the travel typology is skipped and the result says why; nothing is read. When
all hold, the departures are read through `services.travel_intake.departures` (audited there),
holders' documents through the governed snapshot's browse rule, and joined conservatively.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from borderless.domain.agencies import Principal
from borderless.domain.codes import Purpose
from borderless.finance.frame import FlowFrame
from borderless.finance.typologies import DetectParams
from borderless.finance.typologies.travel import Departures, link_departures
from borderless.governance.roles import Permission, allowed
from borderless.services import finance, travel_intake
from borderless.services.node import Node

PASSENGER_DATA_PURPOSES = frozenset(
    {Purpose.COUNTER_TERRORISM, Purpose.CRIMINAL_INVESTIGATION, Purpose.FINANCIAL_INVESTIGATION}
)


@dataclass(frozen=True)
class HolderTravel:
    """Departures of account holders, or why passenger data was not used (then None)."""

    departures: Departures | None
    skipped: str | None = None
    travellers: int = 0  # travellers read in the flows' time span


def refusal(principal: Principal, purpose: Purpose) -> str | None:
    """Why this caller may not use passenger data for this purpose (None: it may)."""
    if not allowed(principal, Permission.SCREEN_TRAVELLERS):
        return f"role '{principal.role.value}' may not use passenger data"
    if purpose not in PASSENGER_DATA_PURPOSES:
        wanted = ", ".join(sorted(p.value for p in PASSENGER_DATA_PURPOSES))
        return f"passenger data may not be used for '{purpose.value}' (only {wanted})"
    return None


def holder_departures(
    node: Node, principal: Principal, purpose: Purpose, frame: FlowFrame, params: DetectParams
) -> HolderTravel:
    """Departures, within the flows' time span, of travellers linked to account holders."""
    why = refusal(principal, purpose)
    if why is not None:
        return HolderTravel(None, why)
    if frame.n_transactions == 0:
        return HolderTravel(Departures.of([]))
    start = datetime.fromtimestamp(int(frame.time.min()), UTC)
    end = datetime.fromtimestamp(int(frame.time.max()), UTC)
    window = (start, end + timedelta(days=params.drain.drain_days))
    trips = travel_intake.departures(node, principal, purpose, window)
    if not trips:
        return HolderTravel(
            None,
            f"agency {principal.agency} holds no passenger data on flights departing between "
            f"{window[0]:%Y-%m-%d} and {window[1]:%Y-%m-%d} (passenger data is used only by "
            "the agency that received it)",
        )
    documents = finance.holder_documents(node, principal, purpose)
    return HolderTravel(link_departures(frame, documents, trips), travellers=len(trips))
