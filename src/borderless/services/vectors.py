"""The node's in-memory biometric index, kept in step with the database.

Every write of a template appends to `vector_changes` in its own transaction; before answering
a query the index applies the changes after the last one it saw. A template is therefore
searchable (or gone) as soon as its transaction commits, in every process serving the node.
The first query builds the index from all stored templates.
"""

from __future__ import annotations

import threading
from collections import defaultdict
from typing import Any

import numpy as np
from sqlalchemy import Engine

from borderless.domain.codes import Modality
from borderless.index.vectors import VectorCandidate, VectorIndexes
from borderless.store import records as store
from borderless.store.db import reading

UNBUILT = -1


class TemplateIndex:
    def __init__(self) -> None:
        self._indexes = VectorIndexes()
        self._seen = UNBUILT
        self._lock = threading.Lock()

    def refresh(self, engine: Engine) -> None:
        with self._lock, reading(engine) as conn:
            last = store.last_vector_change(conn)
            if self._seen == UNBUILT:
                self._load(store.template_rows(conn, None))
            elif last > self._seen:
                changes = store.vector_changes_since(conn, self._seen)
                final = {rid: op for _, rid, op in changes}  # the newest change per record wins
                for rid, op in final.items():
                    if op == "delete":
                        self._indexes.remove(rid)
                upserts = [rid for rid, op in final.items() if op == "upsert"]
                self._load(store.template_rows(conn, upserts))
            self._seen = last

    def _load(self, rows: Any) -> None:
        grouped: dict[tuple[str, str], tuple[list[str], list[list[float]]]] = defaultdict(
            lambda: ([], [])
        )
        for row in rows:
            body = row.body
            ids, vectors = grouped[body["modality"], body["algorithm"]]
            ids.append(row.id)
            vectors.append(body["vector"])
        for (modality, algorithm), (ids, vectors) in grouped.items():
            by_length: dict[int, list[int]] = defaultdict(list)
            for i, vector in enumerate(vectors):
                by_length[len(vector)].append(i)
            for rows_of_length in by_length.values():
                matrix = np.asarray([vectors[i] for i in rows_of_length], dtype=np.float32)
                self._indexes.add_many(
                    modality, algorithm, [ids[i] for i in rows_of_length], matrix
                )

    def search(
        self,
        engine: Engine,
        modality: Modality,
        algorithm: str | None,
        vector: list[float],
        k: int,
    ) -> list[VectorCandidate]:
        """Nearest templates of the same modality (and algorithm, when given), best first."""
        self.refresh(engine)
        indexed: list[tuple[str, str, int]] = self._indexes.keys()
        same_kind = {a for m, a, d in indexed if m == modality.value and d == len(vector)}
        algorithms = [algorithm] if algorithm else sorted(same_kind)
        found: list[VectorCandidate] = []
        for name in algorithms:
            found += self._indexes.search(modality, name, vector, k=k)
        return sorted(found, key=lambda c: -c.similarity)[:k]
