"""1:N nearest-neighbour search over biometric templates: ranked candidates, never a match.

A border officer's question is "whose templates look most like this capture?", and the honest
answer is a short ranked list with cosine similarities for a human (or a later, stricter 1:1
comparison) to judge. Nothing here decides that two templates are the same person: `search`
returns `VectorCandidate`s, best first, and a threshold only trims the list.

Templates are only comparable within one (modality, algorithm, dimension): a face vector from
one vendor's network means nothing next to another vendor's, even at equal length. So there is
one index per such key, held by a `VectorIndexes` registry.

Two index kinds sit behind one small Protocol, `NeighbourIndex`, so callers do not care which
they hold:

* `ExactVectorIndex` — a float32 matrix and one matrix-vector product per query. Exact, simple,
  and fast enough for small indexes (a 5,000 x 128 product is well under 0.1 ms); it is also
  the oracle the tests and the benchmark measure recall against.
* `VectorIndex` — an approximate HNSW graph (usearch, Apache-2.0) for large indexes, where a
  scan per query grows past the in-process target (p50 <= 5 ms): ~1.5 ms at 100k x 128 on
  2 cores, ~7 ms at 300k, while HNSW stays at ~2 ms (see benchmarks/vectors.py).

The registry picks the kind: an index starts exact and is rebuilt as HNSW once it holds
`EXACT_LIMIT` (5,000) vectors. It never goes back, so an index hovering around the limit does
not rebuild again and again.

Vectors are normalised to unit length on insert and on query, so cosine similarity is a dot
product (HNSW uses the inner-product metric and similarity = 1 - distance). Wrong dimensions,
NaN or infinite values and zero vectors are `InputError`s that name the expected dimension.

Record ids are strings; HNSW libraries key vectors by integers, so `VectorIndex` keeps a two-way
mapping. Removal marks the vector deleted in the graph (searches skip it); adding an id that is
already present replaces its vector.

Thread safety: every index has a readers-writer lock. Any number of searches (and saves) run
at once, for example from the API's thread pool; a write (add, add_many chunk, remove) waits
for running searches and holds new ones back until it is done, so a search sees a write
entirely or not at all. Writers are preferred, so a steady stream of searches cannot starve an
update. `add_many` applies large batches in chunks of `WRITE_CHUNK` rows and releases the lock
between chunks, so that a bulk build does not stall searches for its whole duration.

Persistence: `save(path)` writes one self-describing file (header with ids, then the vectors or
the serialised graph) to a temporary file in the same folder, fsyncs it and renames it over
`path`, so a crash leaves the old index or the new one, never half of one.
"""

from __future__ import annotations

import hashlib
import os
import struct
import tempfile
import threading
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, ClassVar, Literal, Protocol, TypeAlias, runtime_checkable

import numpy as np
import numpy.typing as npt
import orjson
from usearch.compiled import MetricKind as _MetricKind
from usearch.index import Index as _UsearchIndex

from borderless.domain.codes import Modality
from borderless.errors import FormatError, InputError

EXACT_LIMIT = 5_000
"""Vectors at which the registry switches an index from exact to HNSW.

Below it an exact scan costs well under a millisecond, is always right, and needs no graph
build (HNSW inserts ~2,500 vectors/s on 2 cores). Above it the scan grows linearly (~7 ms at
300k x 128) while HNSW grows with log n. The limit is deliberately low so that every index of
real size is exercised as HNSW from early on; pass `exact_limit` to the registry to change it.
"""

WRITE_CHUNK = 16_384
"""Rows `add_many` inserts per write-lock hold, so searches interleave with a bulk build."""

MIN_DIMENSION = 8
MAX_DIMENSION = 4096  # the bounds `BiometricBody.vector` accepts
MAX_K = 1_000

Float32Array: TypeAlias = npt.NDArray[np.float32]
VectorLike: TypeAlias = Sequence[float] | npt.NDArray[np.floating[Any]]
MatrixLike: TypeAlias = Sequence[Sequence[float]] | npt.NDArray[np.floating[Any]]
IndexKind = Literal["exact", "hnsw"]

_MAGIC = b"BLVECIDX"
_FORMAT_VERSION = 1
_PREAMBLE = struct.Struct("<8sIQ")  # magic, format version, header length


@dataclass(frozen=True, slots=True)
class VectorCandidate:
    """One search result: a record whose template resembles the query, and how much.

    `similarity` is the cosine similarity in [-1, 1]. It is evidence for a human to weigh, not
    an identification.
    """

    record_id: str
    similarity: float


@runtime_checkable
class NeighbourIndex(Protocol):
    """What callers need from an index, exact or approximate."""

    kind: ClassVar[IndexKind]

    @property
    def dimension(self) -> int: ...

    def __len__(self) -> int: ...

    def __contains__(self, record_id: object) -> bool: ...

    def add(self, record_id: str, vector: VectorLike) -> None: ...

    def add_many(self, ids: Sequence[str], matrix: MatrixLike) -> None: ...

    def remove(self, record_id: str) -> bool: ...

    def search(
        self, vector: VectorLike, k: int = 10, min_similarity: float = 0.0
    ) -> list[VectorCandidate]: ...

    def record_ids(self) -> list[str]: ...

    def export(self) -> tuple[list[str], Float32Array]: ...

    def save(self, path: Path) -> None: ...


# --- validation --------------------------------------------------------------------------------


def _check_dimension(dimension: int) -> int:
    if not MIN_DIMENSION <= dimension <= MAX_DIMENSION:
        raise InputError(
            f"a template has {MIN_DIMENSION} to {MAX_DIMENSION} dimensions, not {dimension}"
        )
    return dimension


def unit_vector(vector: VectorLike, dimension: int) -> Float32Array:
    """`vector` as a float32 unit vector, or an `InputError` that names the expected dimension.

    Normalising in float64 first keeps the result accurate for vectors with large or tiny
    norms; the stored and compared form is float32, which is ample for similarities.
    """
    try:
        array = np.asarray(vector, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InputError(f"a template must be {dimension} numbers: {error}") from None
    if array.ndim != 1 or array.shape[0] != dimension:
        got = array.shape[0] if array.ndim == 1 else f"shape {array.shape}"
        raise InputError(f"expected a {dimension}-dimensional template, got {got}")
    if not np.isfinite(array).all():
        raise InputError(f"a {dimension}-dimensional template must not contain NaN or infinity")
    norm = float(np.linalg.norm(array))
    if norm == 0.0:
        raise InputError("a template of all zeros has no direction to compare")
    return (array / norm).astype(np.float32)


def unit_rows(matrix: MatrixLike, dimension: int) -> Float32Array:
    """Each row of `matrix` as a float32 unit vector (vectorised `unit_vector`)."""
    try:
        array = np.asarray(matrix, dtype=np.float64)
    except (TypeError, ValueError) as error:
        raise InputError(f"templates must be rows of {dimension} numbers: {error}") from None
    if array.ndim != 2 or array.shape[1] != dimension:
        raise InputError(
            f"expected rows of {dimension}-dimensional templates, got shape {array.shape}"
        )
    finite = np.isfinite(array).all(axis=1)
    if not finite.all():
        row = int(np.argmin(finite))
        raise InputError(f"template row {row} ({dimension}-d) contains NaN or infinity")
    norms = np.linalg.norm(array, axis=1, keepdims=True)
    if (norms == 0.0).any():
        row = int(np.argmin(norms[:, 0]))
        raise InputError(f"template row {row} is all zeros and has no direction to compare")
    units: Float32Array = (array / norms).astype(np.float32)
    return units


def _check_ids(ids: Sequence[str], rows: int) -> list[str]:
    listed = list(ids)
    if len(listed) != rows:
        raise InputError(f"{len(listed)} record ids for {rows} templates")
    if any(not isinstance(i, str) or not i for i in listed):
        raise InputError("record ids must be non-empty strings")
    if len(set(listed)) != len(listed):
        raise InputError("record ids in one batch must be distinct")
    return listed


def _check_query(k: int, min_similarity: float) -> None:
    if not 1 <= k <= MAX_K:
        raise InputError(f"k must be between 1 and {MAX_K}, not {k}")
    if not -1.0 <= min_similarity <= 1.0:
        raise InputError(f"min_similarity must be between -1 and 1, not {min_similarity}")


def _candidates(
    ids: Sequence[str], similarities: npt.NDArray[np.floating[Any]], min_similarity: float
) -> list[VectorCandidate]:
    """Candidates above the threshold, clipped to [-1, 1] (float32 rounding can overshoot)."""
    return [
        VectorCandidate(record_id, min(1.0, max(-1.0, float(similarity))))
        for record_id, similarity in zip(ids, similarities, strict=True)
        if similarity >= min_similarity
    ]


# --- locking -----------------------------------------------------------------------------------


class ReadWriteLock:
    """Many readers or one writer, writers preferred. Not re-entrant.

    A plain lock would serialise searches, which spend most of their time in numpy or usearch
    with the GIL released and so do run in parallel.
    """

    def __init__(self) -> None:
        self._condition = threading.Condition(threading.Lock())
        self._readers = 0
        self._writing = False
        self._writers_waiting = 0

    @contextmanager
    def reading(self) -> Iterator[None]:
        with self._condition:
            while self._writing or self._writers_waiting:
                self._condition.wait()
            self._readers += 1
        try:
            yield
        finally:
            with self._condition:
                self._readers -= 1
                if self._readers == 0:
                    self._condition.notify_all()

    @contextmanager
    def writing(self) -> Iterator[None]:
        with self._condition:
            self._writers_waiting += 1
            try:
                while self._writing or self._readers:
                    self._condition.wait()
            finally:
                self._writers_waiting -= 1
            self._writing = True
        try:
            yield
        finally:
            with self._condition:
                self._writing = False
                self._condition.notify_all()


# --- persistence -------------------------------------------------------------------------------


def _replace_file(path: Path, parts: Sequence[bytes | bytearray]) -> None:
    """Write `parts` to a temporary sibling of `path`, fsync it, then rename it over `path`.

    The rename is atomic on POSIX and Windows, so readers (and a restart after a crash) see
    the old file or the new one, never a torn one.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    descriptor, temporary = tempfile.mkstemp(prefix=f".{path.name}.", dir=path.parent)
    try:
        with os.fdopen(descriptor, "wb") as stream:
            for part in parts:
                stream.write(part)
            stream.flush()
            os.fsync(stream.fileno())
        os.replace(temporary, path)
    except BaseException:
        Path(temporary).unlink(missing_ok=True)
        raise
    if hasattr(os, "O_DIRECTORY"):  # make the rename itself durable (POSIX)
        folder = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(folder)
        finally:
            os.close(folder)


def _write_index(path: Path, header: dict[str, Any], payload: bytes | bytearray) -> None:
    """One index file: preamble (magic, format version, header length), JSON header, payload."""
    header_bytes = orjson.dumps(header)
    preamble = _PREAMBLE.pack(_MAGIC, _FORMAT_VERSION, len(header_bytes))
    _replace_file(path, [preamble, header_bytes, payload])


def _read(path: Path) -> tuple[dict[str, Any], memoryview]:
    """The header and payload of an index file, or a `FormatError` saying what is wrong."""
    data = path.read_bytes()
    if len(data) < _PREAMBLE.size:
        raise FormatError(path, None, "too short to be a vector index")
    magic, version, header_length = _PREAMBLE.unpack_from(data)
    if magic != _MAGIC:
        raise FormatError(path, None, "not a Borderless vector index")
    if version != _FORMAT_VERSION:
        raise FormatError(path, None, f"vector index format {version} is not supported")
    start = _PREAMBLE.size
    try:
        header = orjson.loads(data[start : start + header_length])
    except orjson.JSONDecodeError as error:
        raise FormatError(path, "header", str(error)) from None
    if not isinstance(header, dict):
        raise FormatError(path, "header", "not an object")
    return header, memoryview(data)[start + header_length :]


def load_index(path: Path) -> NeighbourIndex:
    """Load an index saved by either kind, choosing the class from the file's header."""
    header, payload = _read(path)
    kind = header.get("kind")
    if kind == ExactVectorIndex.kind:
        return ExactVectorIndex._from_parts(path, header, payload)
    if kind == VectorIndex.kind:
        return VectorIndex._from_parts(path, header, payload)
    raise FormatError(path, "header", f"unknown index kind {kind!r}")


# --- exact -------------------------------------------------------------------------------------


class ExactVectorIndex:
    """Exact cosine search: one float32 matrix, one matrix-vector product per query.

    Rows are kept dense (removal moves the last row into the gap), so a search is a single
    BLAS call over `matrix[:n]` and a partial sort of the scores.
    """

    kind: ClassVar[IndexKind] = "exact"

    def __init__(self, dimension: int) -> None:
        self._dimension = _check_dimension(dimension)
        self._matrix: Float32Array = np.empty((0, dimension), dtype=np.float32)
        self._ids: list[str] = []
        self._rows: dict[str, int] = {}
        self._lock = ReadWriteLock()

    @property
    def dimension(self) -> int:
        return self._dimension

    def __len__(self) -> int:
        return len(self._ids)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._rows

    def _reserve(self, rows: int, used: int) -> None:
        """Room for `rows` rows, keeping the first `used`; grows geometrically (amortised O(1))."""
        if rows <= self._matrix.shape[0]:
            return
        grown = np.empty((max(rows, 2 * self._matrix.shape[0], 64), self._dimension), np.float32)
        grown[:used] = self._matrix[:used]
        self._matrix = grown

    def add(self, record_id: str, vector: VectorLike) -> None:
        """Insert a template, or replace the one `record_id` already has."""
        if not isinstance(record_id, str) or not record_id:
            raise InputError("a record id must be a non-empty string")
        unit = unit_vector(vector, self._dimension)
        with self._lock.writing():
            row = self._rows.get(record_id)
            if row is None:
                row = len(self._ids)
                self._reserve(row + 1, row)
                self._ids.append(record_id)
                self._rows[record_id] = row
            self._matrix[row] = unit

    def add_many(self, ids: Sequence[str], matrix: MatrixLike) -> None:
        """Insert or replace many templates at once; one row of `matrix` per id."""
        units = unit_rows(matrix, self._dimension)
        listed = _check_ids(ids, units.shape[0])
        for start in range(0, len(listed), WRITE_CHUNK):
            with self._lock.writing():
                self._add_rows(listed[start : start + WRITE_CHUNK], units[start:][:WRITE_CHUNK])

    def _add_rows(self, ids: list[str], units: Float32Array) -> None:
        rows = np.empty(len(ids), dtype=np.int64)
        used = fresh = len(self._ids)
        for position, record_id in enumerate(ids):
            row = self._rows.get(record_id)
            if row is None:
                row = fresh
                fresh += 1
                self._rows[record_id] = row
                self._ids.append(record_id)
            rows[position] = row
        self._reserve(fresh, used)
        self._matrix[rows] = units

    def remove(self, record_id: str) -> bool:
        """Forget a template; False when the id was not indexed."""
        with self._lock.writing():
            row = self._rows.pop(record_id, None)
            if row is None:
                return False
            last = len(self._ids) - 1
            if row != last:
                moved = self._ids[last]
                self._matrix[row] = self._matrix[last]
                self._ids[row] = moved
                self._rows[moved] = row
            self._ids.pop()
            return True

    def search(
        self, vector: VectorLike, k: int = 10, min_similarity: float = 0.0
    ) -> list[VectorCandidate]:
        """The `k` most similar templates with similarity >= `min_similarity`, best first."""
        _check_query(k, min_similarity)
        query = unit_vector(vector, self._dimension)
        with self._lock.reading():
            count = len(self._ids)
            if count == 0:
                return []
            scores = self._matrix[:count] @ query
            if k < count:
                top = np.argpartition(-scores, k - 1)[:k]
                order = top[np.argsort(-scores[top], kind="stable")]
            else:
                order = np.argsort(-scores, kind="stable")
            ids = [self._ids[row] for row in order]
        return _candidates(ids, scores[order], min_similarity)

    def record_ids(self) -> list[str]:
        with self._lock.reading():
            return list(self._ids)

    def export(self) -> tuple[list[str], Float32Array]:
        """All ids and their unit vectors (a copy), e.g. to build an HNSW index from them."""
        with self._lock.reading():
            return list(self._ids), self._matrix[: len(self._ids)].copy()

    def save(self, path: Path) -> None:
        """Persist atomically: a temporary file in the same folder, renamed over `path`."""
        with self._lock.reading():
            count = len(self._ids)
            header = {"kind": self.kind, "dimension": self._dimension, "ids": self._ids}
            payload = np.ascontiguousarray(self._matrix[:count], dtype="<f4").tobytes()
            _write_index(path, header, payload)

    @classmethod
    def load(cls, path: Path) -> ExactVectorIndex:
        header, payload = _read(path)
        if header.get("kind") != cls.kind:
            raise FormatError(path, "header", f"expected an {cls.kind} index")
        return cls._from_parts(path, header, payload)

    @classmethod
    def _from_parts(
        cls, path: Path, header: dict[str, Any], payload: memoryview
    ) -> ExactVectorIndex:
        dimension, ids = _header_fields(path, header)
        if len(payload) != len(ids) * dimension * 4:
            raise FormatError(path, "vectors", "size does not match the ids and dimension")
        index = cls(dimension)
        matrix = np.frombuffer(payload, dtype="<f4").reshape(len(ids), dimension)
        index._matrix = matrix.astype(np.float32, copy=True)
        index._ids = list(ids)
        index._rows = {record_id: row for row, record_id in enumerate(ids)}
        if len(index._rows) != len(ids):
            raise FormatError(path, "header", "duplicate record ids")
        return index


def _header_fields(path: Path, header: dict[str, Any]) -> tuple[int, list[str]]:
    dimension = header.get("dimension")
    ids = header.get("ids")
    if not isinstance(dimension, int) or not MIN_DIMENSION <= dimension <= MAX_DIMENSION:
        raise FormatError(path, "header", f"bad dimension {dimension!r}")
    if not isinstance(ids, list) or not all(isinstance(i, str) for i in ids):
        raise FormatError(path, "header", "ids must be a list of strings")
    return dimension, ids


# --- approximate (HNSW) ------------------------------------------------------------------------


class _Hnsw:
    """The few usearch calls we use, typed, so the rest of the module never touches usearch.

    Inner-product metric on unit vectors (= cosine, without usearch normalising again), float32
    storage so that reported similarities match the exact index to ~1e-6.
    """

    def __init__(
        self, dimension: int, connectivity: int, expansion_add: int, expansion_search: int
    ) -> None:
        self._index = _UsearchIndex(
            ndim=dimension,
            metric=_MetricKind.IP,
            dtype="f32",
            connectivity=connectivity,
            expansion_add=expansion_add,
            expansion_search=expansion_search,
        )

    def __len__(self) -> int:
        return len(self._index)

    def add(self, keys: npt.NDArray[np.uint64], vectors: Float32Array, threads: int) -> None:
        self._index.add(keys, vectors, threads=threads)

    def remove(self, keys: npt.NDArray[np.uint64]) -> None:
        self._index.remove(keys)

    def search(
        self, query: Float32Array, count: int
    ) -> tuple[npt.NDArray[np.uint64], npt.NDArray[np.float32]]:
        """Keys and distances (1 - similarity) of up to `count` neighbours, nearest first."""
        matches = self._index.search(query, count, threads=1)  # one query: no thread pool
        return np.asarray(matches.keys, dtype=np.uint64), np.asarray(
            matches.distances, dtype=np.float32
        )

    def vectors(self, keys: npt.NDArray[np.uint64]) -> Float32Array:
        found = self._index.get(keys, dtype="f32")  # one row per key, all present
        return np.vstack(found).astype(np.float32, copy=False)  # type: ignore[arg-type]

    def to_bytes(self) -> bytes | bytearray:
        data = self._index.save()
        assert data is not None  # saving without a path returns the buffer
        return data

    def load_bytes(self, payload: memoryview) -> None:
        self._index.load(payload)

    @property
    def memory_usage(self) -> int:
        return int(self._index.memory_usage)


class VectorIndex:
    """Approximate cosine search over an HNSW graph (usearch), for indexes too big to scan.

    `connectivity` (HNSW's M), `expansion_add` (efConstruction) and `expansion_search` (ef)
    trade memory, build time and latency for recall. The defaults (16, 128, 256) were chosen
    with benchmarks/vectors.py on demo-world-like templates (300k, 2 cores): every other
    capture of a known face (similarity ~0.98) was found and ranked first, at p50 ~2 ms;
    with ef=128 the search is twice as fast but missed 1 in ~150 mates. A missed mate is a
    missed hit on a wanted person, so the budget (p50 <= 5 ms) goes to recall. The tail of
    the top-10 — impostors at similarity ~0.3 — is only partly the exact one (recall@10
    ~0.5): random 128-d vectors are the worst case for a graph index, and those candidates
    would not be acted on anyway. Where the exact list matters, use `ExactVectorIndex`.

    `threads` is for bulk inserts (0: all cores). A parallel build is not deterministic;
    `threads=1` gives the same graph, and so the same results, every time.

    Record ids map to consecutive integer keys; a removed vector is only marked deleted in the
    graph (searches skip it), and re-adding an id replaces its vector under the same key.
    Rebuild from `export()` after heavy churn to drop the tombstones.
    """

    kind: ClassVar[IndexKind] = "hnsw"

    def __init__(
        self,
        dimension: int,
        *,
        connectivity: int = 16,
        expansion_add: int = 128,
        expansion_search: int = 256,
        threads: int = 0,
    ) -> None:
        self._dimension = _check_dimension(dimension)
        self._settings = {
            "connectivity": connectivity,
            "expansion_add": expansion_add,
            "expansion_search": expansion_search,
        }
        self._threads = threads  # for bulk inserts; 0 = all cores
        self._graph = _Hnsw(dimension, connectivity, expansion_add, expansion_search)
        self._keys: dict[str, int] = {}
        self._ids: dict[int, str] = {}
        self._next_key = 0
        self._lock = ReadWriteLock()

    @property
    def dimension(self) -> int:
        return self._dimension

    @property
    def memory_usage(self) -> int:
        """Bytes the graph and its vectors occupy (usearch's own count)."""
        return self._graph.memory_usage

    def __len__(self) -> int:
        return len(self._keys)

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._keys

    def add(self, record_id: str, vector: VectorLike) -> None:
        """Insert a template, or replace the one `record_id` already has."""
        if not isinstance(record_id, str) or not record_id:
            raise InputError("a record id must be a non-empty string")
        unit = unit_vector(vector, self._dimension)
        with self._lock.writing():
            self._add_rows([record_id], unit.reshape(1, -1), threads=1)

    def add_many(self, ids: Sequence[str], matrix: MatrixLike) -> None:
        """Insert or replace many templates; usearch builds the graph on all cores."""
        units = unit_rows(matrix, self._dimension)
        listed = _check_ids(ids, units.shape[0])
        for start in range(0, len(listed), WRITE_CHUNK):
            with self._lock.writing():
                self._add_rows(
                    listed[start : start + WRITE_CHUNK],
                    units[start:][:WRITE_CHUNK],
                    threads=self._threads,
                )

    def _add_rows(self, ids: list[str], units: Float32Array, threads: int) -> None:
        keys = np.empty(len(ids), dtype=np.uint64)
        replaced: list[int] = []
        for position, record_id in enumerate(ids):
            key = self._keys.get(record_id)
            if key is None:
                key = self._next_key
                self._next_key += 1
                self._keys[record_id] = key
                self._ids[key] = record_id
            else:
                replaced.append(key)
            keys[position] = key
        if replaced:
            self._graph.remove(np.asarray(replaced, dtype=np.uint64))
        self._graph.add(keys, units, threads)

    def remove(self, record_id: str) -> bool:
        """Forget a template (marked deleted in the graph); False when it was not indexed."""
        with self._lock.writing():
            key = self._keys.pop(record_id, None)
            if key is None:
                return False
            del self._ids[key]
            self._graph.remove(np.asarray([key], dtype=np.uint64))
            return True

    def search(
        self, vector: VectorLike, k: int = 10, min_similarity: float = 0.0
    ) -> list[VectorCandidate]:
        """About the `k` most similar templates with similarity >= `min_similarity`, best first.

        Approximate: a true neighbour may occasionally be missed, never a wrong one invented;
        similarities are exact for the candidates returned.
        """
        _check_query(k, min_similarity)
        query = unit_vector(vector, self._dimension)
        with self._lock.reading():
            if not self._keys:
                return []
            keys, distances = self._graph.search(query, k)
            ids = [self._ids[int(key)] for key in keys]
        return _candidates(ids, 1.0 - distances, min_similarity)

    def record_ids(self) -> list[str]:
        with self._lock.reading():
            return list(self._keys)

    def export(self) -> tuple[list[str], Float32Array]:
        """All ids and their stored unit vectors (a copy), e.g. to rebuild without tombstones."""
        with self._lock.reading():
            ids = list(self._keys)
            keys = np.fromiter(self._keys.values(), dtype=np.uint64, count=len(ids))
            if not ids:
                return ids, np.empty((0, self._dimension), dtype=np.float32)
            return ids, self._graph.vectors(keys)

    def save(self, path: Path) -> None:
        """Persist atomically: a temporary file in the same folder, renamed over `path`.

        The serialised graph is built in memory first (about the index's own size again).
        """
        with self._lock.reading():
            header = {
                "kind": self.kind,
                "dimension": self._dimension,
                **self._settings,
                "next_key": self._next_key,
                "ids": list(self._keys),
                "keys": list(self._keys.values()),
            }
            _write_index(path, header, self._graph.to_bytes())

    @classmethod
    def load(cls, path: Path) -> VectorIndex:
        header, payload = _read(path)
        if header.get("kind") != cls.kind:
            raise FormatError(path, "header", f"expected an {cls.kind} index")
        return cls._from_parts(path, header, payload)

    @classmethod
    def _from_parts(cls, path: Path, header: dict[str, Any], payload: memoryview) -> VectorIndex:
        dimension, ids = _header_fields(path, header)
        keys = header.get("keys")
        numbers = {
            name: header.get(name)
            for name in ("next_key", "connectivity", "expansion_add", "expansion_search")
        }
        if not isinstance(keys, list) or len(keys) != len(ids):
            raise FormatError(path, "header", "keys must be a list as long as ids")
        if not all(isinstance(value, int) for value in [*keys, *numbers.values()]):
            raise FormatError(path, "header", "keys and index settings must be integers")
        settings: dict[str, int] = {name: int(value or 0) for name, value in numbers.items()}
        index = cls(
            dimension,
            connectivity=settings["connectivity"],
            expansion_add=settings["expansion_add"],
            expansion_search=settings["expansion_search"],
        )
        try:
            index._graph.load_bytes(payload)
        except (RuntimeError, ValueError) as error:
            raise FormatError(path, "graph", str(error)) from None
        if len(index._graph) != len(ids):
            raise FormatError(path, "graph", "vector count does not match the ids")
        index._keys = dict(zip(ids, keys, strict=True))
        index._ids = dict(zip(keys, ids, strict=True))
        index._next_key = settings["next_key"]
        if len(index._keys) != len(ids) or len(index._ids) != len(ids):
            raise FormatError(path, "header", "duplicate record ids or keys")
        return index


# --- registry ----------------------------------------------------------------------------------

IndexKey: TypeAlias = tuple[str, str, int]
"""(modality, algorithm, dimension): templates are comparable only within one key."""

_MANIFEST = "indexes.json"


def _length(vector: VectorLike) -> int:
    shape = np.shape(vector)
    if len(shape) != 1:
        raise InputError(f"expected one template (a flat list of numbers), got shape {shape}")
    return int(shape[0])


class VectorIndexes:
    """One index per (modality, algorithm, dimension), each exact or HNSW as its size warrants.

    A new index is exact, and becomes HNSW when it reaches `exact_limit` vectors (an
    `add_many` that creates an index with at least that many starts as HNSW). It stays HNSW
    if it later shrinks, so an index hovering around the limit is not rebuilt back and forth.

    Writes go through the registry (not through an index it hands out), one at a time under
    the registry's lock: that is what lets it swap an exact index for an HNSW one without
    losing a concurrent write. Searches take no registry lock: the table of indexes is
    replaced, never changed in place, so a search reads a consistent table, and one that
    started on the exact index just before a swap finishes on it, unchanged.
    """

    def __init__(self, *, exact_limit: int = EXACT_LIMIT) -> None:
        self.exact_limit = exact_limit
        self._indexes: dict[IndexKey, NeighbourIndex] = {}  # copy-on-write
        self._where: dict[str, IndexKey] = {}
        self._write = threading.Lock()

    @staticmethod
    def key(modality: Modality | str, algorithm: str, dimension: int) -> IndexKey:
        """The index key, validated: a known modality, an algorithm name, 8..4096 dimensions."""
        try:
            modality_value = Modality(modality).value
        except ValueError:
            raise InputError(f"unknown biometric modality {modality!r}") from None
        if not algorithm:
            raise InputError("a template needs the name of the algorithm that made it")
        return modality_value, algorithm, _check_dimension(dimension)

    def get(
        self, modality: Modality | str, algorithm: str, dimension: int
    ) -> NeighbourIndex | None:
        """The index for a key, to read (search, len); write through the registry instead."""
        return self._indexes.get(self.key(modality, algorithm, dimension))

    def keys(self) -> list[IndexKey]:
        return sorted(self._indexes)

    def __len__(self) -> int:
        return sum(len(index) for index in self._indexes.values())

    def __contains__(self, record_id: object) -> bool:
        return record_id in self._where

    def _put(self, key: IndexKey, index: NeighbourIndex) -> None:
        self._indexes = {**self._indexes, key: index}

    def _index_for(self, key: IndexKey, size: int) -> NeighbourIndex:
        index = self._indexes.get(key)
        if index is None:
            index = VectorIndex(key[2]) if size >= self.exact_limit else ExactVectorIndex(key[2])
            self._put(key, index)
        return index

    def _grown(self, key: IndexKey) -> None:
        """Replace an exact index that reached the limit with an HNSW one holding the same."""
        index = self._indexes[key]
        if index.kind == ExactVectorIndex.kind and len(index) >= self.exact_limit:
            graph = VectorIndex(key[2])
            graph.add_many(*index.export())
            self._put(key, graph)

    def _forget_elsewhere(self, record_id: str, key: IndexKey) -> None:
        """A record has one template: drop the one it had under another key, if any."""
        previous = self._where.get(record_id)
        if previous is not None and previous != key:
            self._indexes[previous].remove(record_id)
            del self._where[record_id]

    def add(
        self, modality: Modality | str, algorithm: str, record_id: str, vector: VectorLike
    ) -> None:
        """Index a record's template, replacing the one it had (under any key)."""
        if not isinstance(record_id, str) or not record_id:
            raise InputError("a record id must be a non-empty string")
        key = self.key(modality, algorithm, _length(vector))
        unit = unit_vector(vector, key[2])  # validate before touching any index
        with self._write:
            self._forget_elsewhere(record_id, key)
            self._index_for(key, 1).add(record_id, unit)
            self._where[record_id] = key
            self._grown(key)

    def add_many(
        self, modality: Modality | str, algorithm: str, ids: Sequence[str], matrix: MatrixLike
    ) -> None:
        """Bulk-index templates of one key (one row per id), replacing what the ids had."""
        shape = np.shape(matrix)
        if len(shape) != 2:
            raise InputError(f"expected a matrix of templates, got shape {shape}")
        key = self.key(modality, algorithm, int(shape[1]))
        units = unit_rows(matrix, key[2])  # validate before touching any index
        listed = _check_ids(ids, units.shape[0])
        with self._write:
            for record_id in listed:
                self._forget_elsewhere(record_id, key)
            self._index_for(key, len(listed)).add_many(listed, units)
            self._where.update(dict.fromkeys(listed, key))
            self._grown(key)

    def remove(self, record_id: str) -> bool:
        """Forget a record's template; False when it had none indexed."""
        with self._write:
            key = self._where.pop(record_id, None)
            return key is not None and self._indexes[key].remove(record_id)

    def search(
        self,
        modality: Modality | str,
        algorithm: str,
        vector: VectorLike,
        k: int = 10,
        min_similarity: float = 0.0,
    ) -> list[VectorCandidate]:
        """Candidates among templates of the same modality and algorithm, best first.

        An algorithm with no templates yet gives an empty list; one whose templates have
        another length is an `InputError` naming the length expected.
        """
        key = self.key(modality, algorithm, _length(vector))
        indexes = self._indexes
        index = indexes.get(key)
        if index is None:
            known = sorted(d for m, a, d in indexes if (m, a) == key[:2])
            if known:
                expected = " or ".join(str(d) for d in known)
                raise InputError(
                    f"{key[0]} templates of {algorithm} have {expected} dimensions, not {key[2]}"
                )
            return []
        return index.search(vector, k, min_similarity)

    @staticmethod
    def _file_name(key: IndexKey) -> str:
        """A safe, stable file name (algorithm names may hold any character)."""
        digest = hashlib.sha256(orjson.dumps(list(key))).hexdigest()[:16]
        return f"{key[0]}-{key[2]}-{digest}.vec"

    def save(self, directory: Path) -> None:
        """Write every index, then the manifest naming them; each file replaced atomically.

        The manifest is written last, so a crash midway leaves the previous manifest, which
        names only complete files (an index file replaced meanwhile is complete too).
        """
        with self._write:
            manifest = []
            for key, index in sorted(self._indexes.items()):
                name = self._file_name(key)
                index.save(directory / name)
                manifest.append({"modality": key[0], "algorithm": key[1], "file": name})
            payload = orjson.dumps({"exact_limit": self.exact_limit, "indexes": manifest})
            _replace_file(directory / _MANIFEST, [payload])

    @classmethod
    def load(cls, directory: Path) -> VectorIndexes:
        """The registry saved in `directory`; an empty one when nothing was saved there."""
        path = directory / _MANIFEST
        if not path.exists():
            return cls()
        try:
            manifest = orjson.loads(path.read_bytes())
            registry = cls(exact_limit=int(manifest["exact_limit"]))
            entries = [(e["modality"], e["algorithm"], e["file"]) for e in manifest["indexes"]]
        except (orjson.JSONDecodeError, KeyError, TypeError, ValueError) as error:
            raise FormatError(path, None, f"bad manifest: {error}") from None
        for modality, algorithm, name in entries:
            index = load_index(directory / Path(name).name)  # never outside `directory`
            key = cls.key(modality, algorithm, index.dimension)
            registry._put(key, index)
            registry._where.update(dict.fromkeys(index.record_ids(), key))
        return registry
