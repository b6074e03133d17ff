"""Non-profit flows to high-risk geographies (FATF R.8 and its best-practices paper)."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from borderless.finance.frame import FlowFrame
from borderless.finance.typologies.base import Alert, money_score

# Conflict zones and FATF-listed jurisdictions as of 2025; an FIU sets its own list.
HIGH_RISK = ("AFG", "IRN", "IRQ", "LBY", "MMR", "PRK", "SDN", "SOM", "SSD", "SYR", "YEM")


@dataclass(frozen=True)
class NpoParams:
    high_risk: tuple[str, ...] = HIGH_RISK
    min_total_eur: float = 1_000.0


def charity_accounts(frame: FlowFrame) -> list[int]:
    """Accounts held by an organisation whose record says it is a charity or non-profit."""
    found: set[int] = set()
    for holder in frame.holders.values():
        if holder.kind == "organisation" and holder.body.get("organisation_kind") == "charity":
            found.update(frame.accounts_of_holder.get(holder.id, []))
    return sorted(found)


def npo_high_risk(frame: FlowFrame, p: NpoParams) -> list[Alert]:
    """A charity's account pays accounts in high-risk jurisdictions."""
    risky = [frame.country_code(c) for c in p.high_risk]
    alerts = []
    for account in charity_accounts(frame):
        out = frame.out_edges.edges_of(np.array([account]))
        sent = out[np.isin(frame.to_country[out], risky)]
        total = float(frame.value[sent].sum())
        if sent.size == 0 or total < p.min_total_eur:
            continue
        donations = frame.in_edges.edges_of(np.array([account]))
        donations = donations[frame.time[donations] <= frame.time[sent].max()]
        donors = np.unique(frame.src[donations])
        countries = sorted({frame.countries[c] for c in frame.to_country[sent].tolist()})
        alerts.append(
            Alert(
                "npo_high_risk",
                money_score(total, 1.0 + len(countries) / 2),
                (account, *np.unique(frame.dst[sent]).tolist(), *donors.tolist()),
                tuple(np.concatenate([sent, donations]).tolist()),
                f"charity account sent {total:,.0f} EUR to {', '.join(countries)} "
                f"({sent.size} payments), after {donations.size} incoming payments from "
                f"{donors.size} donors",
            )
        )
    return alerts
