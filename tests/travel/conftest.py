"""Travel fixtures: a small watchlist spread over agencies, and a manifest that meets it."""

from __future__ import annotations

from typing import Any

import orjson
import pytest

from borderless.domain.codes import Purpose, Role
from borderless.domain.records import Record, RecordDraft
from borderless.services import records
from borderless.services.node import Node
from tests.conftest import People

FLIGHT = "XX123/2026-06-01/FRA"


def _create(node: Node, people: People, agency: str, draft: dict[str, Any]) -> Record:
    who = people[agency, Role.ANALYST]
    return records.create(node, who, Purpose.DATA_MANAGEMENT, RecordDraft.model_validate(draft))


@pytest.fixture
def watchlist(node: Node, people: People) -> dict[str, Record]:
    """A person all may see (HUB), a stolen passport only Germany may see (DEU-BKA), a
    hit-only person (TUR-EGM), and a person NLD-POL keeps for itself."""
    return {
        "listed": _create(
            node,
            people,
            "HUB",
            {
                "kind": "person",
                "body": {
                    "names": [
                        {"full": "Usama bin Ladin"},
                        {"full": "Osama bin Laden", "kind": "aka"},
                    ],
                    "birth_dates": [{"date": "1957-03-10"}],
                },
            },
        ),
        "stolen": _create(
            node,
            people,
            "DEU-BKA",
            {
                "kind": "document",
                "body": {"number": "C01X00T47", "issuing_country": "DEU", "status": "stolen"},
                "governance": {"dissemination": "listed", "share_countries": ["DEU"]},
            },
        ),
        "hit_only": _create(
            node,
            people,
            "TUR-EGM",
            {
                "kind": "person",
                "body": {
                    "names": [{"full": "Ahmet Yilmazer"}],
                    "birth_dates": [{"date": "1970-05-05"}],
                },
                "governance": {"dissemination": "hit_only"},
            },
        ),
    }


def manifest(travellers: list[dict[str, Any]], reference: str = "M-1") -> bytes:
    return orjson.dumps(
        {
            "reference": reference,
            "sender": "TEST AIR",
            "flight": {
                "carrier": "XX",
                "number": "123",
                "origin": "FRA",
                "destination": "AMS",
                "departure": "2026-06-01T12:00",
            },
            "travellers": travellers,
        }
    )


TRAVELLERS = [
    {"surname": "BIN LADEN", "given_names": "OSAMA", "birth_date": "1957-03-10"},
    {
        "surname": "MUSTERMANN",
        "given_names": "ERIKA",
        "documents": [{"type": "P", "number": "C01X00T47", "country": "DEU"}],
    },
    {"surname": "YILMAZER", "given_names": "AHMET", "birth_date": "1970-05-05"},
    {"surname": "JANSEN", "given_names": "PIET", "birth_date": "1990-01-01"},
]
