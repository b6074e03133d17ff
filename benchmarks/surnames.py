"""Where a benchmark world's family names come from: the demo pools, or a realistic long tail.

The demo pools hold a few dozen family names per culture, so at a million persons a full name
is shared by dozens of people. ``wikidata`` draws most family names from the Wikidata name
tokens in ``../shared/data/names/translit`` (CC0), see `demo.names.with_surname_tail`.
"""

from __future__ import annotations

import argparse
from collections.abc import Mapping
from pathlib import Path

from borderless.config import shared_data_dir
from borderless.demo.names import CULTURES, Culture, with_surname_tail

CHOICES = ("pools", "wikidata")


def add_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--surnames",
        choices=CHOICES,
        default="pools",
        help="family names: the demo pools only, or mostly Wikidata tokens (a realistic long tail)",
    )


def tail_dir(surnames: str) -> Path | None:
    """The Wikidata token files `surnames` asks for, or None for the pools alone."""
    return shared_data_dir() / "names" / "translit" if surnames == "wikidata" else None


def cultures(surnames: str) -> Mapping[str, Culture]:
    folder = tail_dir(surnames)
    return CULTURES if folder is None else with_surname_tail(CULTURES, folder)
