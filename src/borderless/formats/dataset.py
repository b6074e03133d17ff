"""The shape every list reader returns: one version of one source dataset."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from borderless.domain.records import RecordDraft


@dataclass
class Dataset:
    """A parsed list: its name, the version it declares, and its records.

    Record ids are local to the dataset (e.g. ``QDi.001``, ``QDi.001/doc/1``); the import service
    namespaces them per owner agency, links included. Readers validate everything before they
    return, so a malformed file raises `FormatError` before a single record is stored.
    """

    name: str  # e.g. "un-sc", "ofac-sdn", "ofac-cons"
    version: str  # e.g. the list's generation date
    records: list[RecordDraft] = field(default_factory=list)
    source_path: str = ""

    def __iter__(self) -> Iterator[RecordDraft]:
        return iter(self.records)

    def __len__(self) -> int:
        return len(self.records)
