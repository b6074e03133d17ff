"""Vector indexes: the exact index is exact, HNSW finds what it should, and both behave alike.

Templates are generated like the demo world's faces: random 128-d unit vectors, with planted
second captures (base + noise 0.012, cosine ~0.98) of some of them.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import numpy as np
import numpy.typing as npt
import pytest

from borderless.errors import FormatError, InputError
from borderless.index.vectors import (
    ExactVectorIndex,
    NeighbourIndex,
    VectorCandidate,
    VectorIndex,
    VectorIndexes,
    load_index,
)

DIM = 128
NOISE = 0.012
BASES = 1900
PLANTED = 100

Matrix = npt.NDArray[np.float64]
IndexClass = type[ExactVectorIndex] | type[VectorIndex]


def _unit(matrix: Matrix) -> Matrix:
    normalised: Matrix = matrix / np.linalg.norm(matrix, axis=-1, keepdims=True)
    return normalised


def _capture(rng: np.random.Generator, base: Matrix) -> Matrix:
    """Another capture of the same faces: base plus a little noise."""
    return _unit(base + rng.standard_normal(base.shape) * NOISE)


class World:
    """2,000 templates: 1,900 faces, and second captures of the first 100 of them."""

    def __init__(self, seed: int = 11) -> None:
        self.rng = np.random.default_rng(seed)
        bases = _unit(self.rng.standard_normal((BASES, DIM)))
        self.bases = bases
        self.duplicates = _capture(self.rng, bases[:PLANTED])
        self.ids = [f"face-{i}" for i in range(BASES)] + [f"again-{i}" for i in range(PLANTED)]
        self.matrix = np.vstack([bases, self.duplicates])


@pytest.fixture(scope="module")
def world() -> World:
    return World()


@pytest.fixture(scope="module")
def exact(world: World) -> ExactVectorIndex:
    index = ExactVectorIndex(DIM)
    index.add_many(world.ids, world.matrix)
    return index


@pytest.fixture(scope="module")
def hnsw(world: World) -> VectorIndex:
    index = VectorIndex(DIM, threads=1)  # a parallel build is not deterministic; this one is
    index.add_many(world.ids, world.matrix)
    return index


def _fresh(kind: IndexClass, world: World, count: int = 300) -> NeighbourIndex:
    index = kind(DIM)
    index.add_many(world.ids[:count], world.matrix[:count])
    return index


def _ids(candidates: list[VectorCandidate]) -> list[str]:
    return [candidate.record_id for candidate in candidates]


KINDS = [pytest.param(ExactVectorIndex, id="exact"), pytest.param(VectorIndex, id="hnsw")]


# --- exactness and recall ----------------------------------------------------------------------


def test_exact_index_matches_brute_force(world: World, exact: ExactVectorIndex) -> None:
    queries = _unit(world.rng.standard_normal((25, DIM)) * 3.0)  # any norm: queries normalised
    for query in queries:
        scores = world.matrix @ query
        expected = np.argsort(-scores)[:10]
        found = exact.search(query * 7.5, k=10, min_similarity=-1.0)
        assert _ids(found) == [world.ids[i] for i in expected]
        assert [c.similarity for c in found] == pytest.approx(scores[expected], abs=1e-5)
        assert all(-1.0 <= c.similarity <= 1.0 for c in found)


def test_exact_index_threshold_and_small_k(exact: ExactVectorIndex, world: World) -> None:
    found = exact.search(world.bases[3], k=5, min_similarity=0.5)
    assert _ids(found) == ["face-3", "again-3"]
    assert found[0].similarity == pytest.approx(1.0, abs=1e-6)
    assert 0.95 < found[1].similarity < 0.995
    small = ExactVectorIndex(DIM)
    small.add_many(world.ids[:3], world.matrix[:3])
    assert len(small.search(world.bases[0], k=10, min_similarity=-1.0)) == 3
    assert ExactVectorIndex(DIM).search(world.bases[0]) == []


def test_hnsw_recall_at_10_against_exact(
    world: World, exact: ExactVectorIndex, hnsw: VectorIndex
) -> None:
    queries = np.vstack(
        [
            _unit(world.rng.standard_normal((150, DIM))),  # unknown travellers
            _capture(world.rng, world.bases[PLANTED : PLANTED + 50]),  # known faces
        ]
    )
    hits = 0
    for query in queries:
        truth = set(_ids(exact.search(query, k=10, min_similarity=-1.0)))
        hits += len(truth & set(_ids(hnsw.search(query, k=10, min_similarity=-1.0))))
    assert hits / (10 * len(queries)) >= 0.95


def test_hnsw_finds_every_planted_duplicate_first(world: World, hnsw: VectorIndex) -> None:
    new_captures = _capture(world.rng, world.bases[:PLANTED])
    for i in range(PLANTED):
        pair = {f"face-{i}", f"again-{i}"}
        assert set(_ids(hnsw.search(world.duplicates[i], k=2))) == pair
        top = hnsw.search(new_captures[i], k=1)
        assert _ids(top)[0] in pair
        assert top[0].similarity > 0.9


def test_hnsw_similarities_are_exact_for_what_it_returns(world: World, hnsw: VectorIndex) -> None:
    query = world.duplicates[7]
    for candidate in hnsw.search(query, k=10, min_similarity=-1.0):
        row = world.ids.index(candidate.record_id)
        assert candidate.similarity == pytest.approx(float(world.matrix[row] @ query), abs=1e-5)


# --- changes -----------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_remove_and_re_add(kind: IndexClass, world: World) -> None:
    index = _fresh(kind, world)
    assert len(index) == 300
    assert index.remove("face-5") is True
    assert index.remove("face-5") is False
    assert "face-5" not in index
    assert len(index) == 299
    assert "face-5" not in _ids(index.search(world.bases[5], k=20, min_similarity=-1.0))

    index.add("face-5", world.bases[5])
    assert _ids(index.search(world.bases[5], k=1)) == ["face-5"]

    index.add("face-5", world.bases[6])  # re-adding replaces the vector
    assert len(index) == 300
    found = index.search(world.bases[6], k=2)
    assert set(_ids(found)) == {"face-5", "face-6"}
    assert all(c.similarity == pytest.approx(1.0, abs=1e-5) for c in found)
    assert "face-5" not in _ids(index.search(world.bases[5], k=1))

    index.add_many(["face-5", "face-9999"], world.bases[[5, 7]])  # replace and add in bulk
    assert len(index) == 301
    assert _ids(index.search(world.bases[5], k=1)) == ["face-5"]


@pytest.mark.parametrize("kind", KINDS)
def test_export_returns_unit_vectors(kind: IndexClass, world: World) -> None:
    index = _fresh(kind, world, count=20)
    index.remove("face-3")
    ids, vectors = index.export()
    assert sorted(ids) == sorted(world.ids[i] for i in range(20) if i != 3)
    assert sorted(index.record_ids()) == sorted(ids)
    for record_id, vector in zip(ids, vectors, strict=True):
        assert np.allclose(vector, world.matrix[world.ids.index(record_id)], atol=1e-6)


# --- persistence -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_save_load_round_trip(kind: IndexClass, world: World, tmp_path: Path) -> None:
    index = _fresh(kind, world)
    index.remove("face-1")
    index.add("face-2", world.bases[200])
    path = tmp_path / "node" / "faces.vec"
    index.save(path)
    index.save(path)  # replacing an existing file works too
    assert [p.name for p in path.parent.iterdir()] == ["faces.vec"]  # no temporary left

    for loaded in (load_index(path), kind.load(path)):
        assert type(loaded) is kind
        assert len(loaded) == len(index)
        assert loaded.dimension == DIM
        for query in world.matrix[:40]:
            assert loaded.search(query, k=10, min_similarity=-1.0) == index.search(
                query, k=10, min_similarity=-1.0
            )
    loaded = load_index(path)
    loaded.add("face-1", world.bases[1])  # the loaded index keeps working
    assert _ids(loaded.search(world.bases[1], k=1)) == ["face-1"]
    assert _ids(loaded.search(world.bases[200], k=2)) in (
        ["face-2", "face-200"],
        ["face-200", "face-2"],
    )


def test_load_rejects_other_files(tmp_path: Path) -> None:
    path = tmp_path / "junk.vec"
    path.write_bytes(b"not an index at all, just some text")
    with pytest.raises(FormatError, match="not a Borderless vector index"):
        load_index(path)
    ExactVectorIndex(DIM).save(path)
    with pytest.raises(FormatError, match="expected an hnsw index"):
        VectorIndex.load(path)


# --- errors ------------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_bad_vectors_are_input_errors(kind: IndexClass, world: World) -> None:
    index = _fresh(kind, world, count=10)
    with pytest.raises(InputError, match="expected a 128-dimensional template, got 64"):
        index.add("x", world.bases[0][:64])
    with pytest.raises(InputError, match="expected a 128-dimensional template, got 129"):
        index.search(np.append(world.bases[0], 1.0))
    nan = world.bases[0].copy()
    nan[3] = np.nan
    with pytest.raises(InputError, match="128-dimensional template must not contain NaN"):
        index.add("x", nan)
    with pytest.raises(InputError, match="NaN or infinity"):
        index.search(np.full(DIM, np.inf))
    with pytest.raises(InputError, match="all zeros"):
        index.add("x", [0.0] * DIM)
    bad_rows = world.matrix[:3].copy()
    bad_rows[2, 0] = np.nan
    with pytest.raises(InputError, match="row 2"):
        index.add_many(["a", "b", "c"], bad_rows)
    with pytest.raises(InputError, match="128-dimensional"):
        index.add_many(["a"], world.matrix[:1, :100])
    with pytest.raises(InputError, match="distinct"):
        index.add_many(["a", "a"], world.matrix[:2])
    with pytest.raises(InputError, match="k must be"):
        index.search(world.bases[0], k=0)
    assert len(index) == 10  # nothing half-applied
    with pytest.raises(InputError, match="8 to 4096"):
        kind(4)


# --- registry ----------------------------------------------------------------------------------


def test_registry_switches_to_hnsw_at_the_limit(world: World, tmp_path: Path) -> None:
    registry = VectorIndexes(exact_limit=50)
    for i in range(49):
        registry.add("face", "demo-face-v1", world.ids[i], world.matrix[i])
    faces = registry.get("face", "demo-face-v1", DIM)
    assert faces is not None
    assert faces.kind == "exact"
    registry.add("face", "demo-face-v1", world.ids[49], world.matrix[49])
    faces = registry.get("face", "demo-face-v1", DIM)
    assert faces is not None
    assert faces.kind == "hnsw"
    assert len(faces) == 50
    registry.add_many("face", "demo-face-v1", world.ids[50:120], world.matrix[50:120])
    assert _ids(registry.search("face", "demo-face-v1", world.bases[100], k=1)) == ["face-100"]

    big = VectorIndexes(exact_limit=50)
    big.add_many("fingerprint", "minutiae-x", world.ids[:60], world.matrix[:60])
    fingerprints = big.get("fingerprint", "minutiae-x", DIM)
    assert fingerprints is not None
    assert fingerprints.kind == "hnsw"


def test_registry_keeps_algorithms_apart(world: World, tmp_path: Path) -> None:
    registry = VectorIndexes()
    registry.add_many("face", "vendor-a", world.ids[:10], world.matrix[:10])
    registry.add("face", "vendor-b", "other", world.bases[0][:64])
    assert _ids(registry.search("face", "vendor-a", world.bases[0], k=1)) == ["face-0"]
    assert registry.search("face", "vendor-c", world.bases[0]) == []
    assert registry.search("fingerprint", "vendor-a", world.bases[0]) == []
    with pytest.raises(InputError, match="vendor-b have 64 dimensions, not 128"):
        registry.search("face", "vendor-b", world.bases[0])
    with pytest.raises(InputError, match="unknown biometric modality"):
        registry.search("iris", "vendor-a", world.bases[0])

    registry.add("face", "vendor-b", "face-0", world.bases[0][:64])  # re-made by another algorithm
    assert "face-0" not in _ids(registry.search("face", "vendor-a", world.bases[0], k=10))
    assert len(registry) == 11
    assert registry.remove("face-0") is True
    assert registry.remove("face-0") is False
    assert len(registry) == 10

    registry.save(tmp_path / "vectors")
    loaded = VectorIndexes.load(tmp_path / "vectors")
    assert loaded.keys() == registry.keys()
    assert len(loaded) == 10
    assert loaded.search("face", "vendor-a", world.bases[3]) == registry.search(
        "face", "vendor-a", world.bases[3]
    )
    assert loaded.remove("face-3") is True
    assert len(VectorIndexes.load(tmp_path / "nothing-here")) == 0


# --- concurrency -------------------------------------------------------------------------------


def _hammer(
    search: Callable[[Matrix], list[VectorCandidate]], world: World, write: Callable[[], None]
) -> None:
    """Four threads search while `write` runs; any exception in any thread fails the test."""
    errors: list[BaseException] = []
    stop = threading.Event()

    def searching(seed: int) -> None:
        rng = np.random.default_rng(seed)
        try:
            while not stop.is_set():
                row = int(rng.integers(0, 200))
                found = search(world.matrix[row])
                assert found
        except BaseException as error:  # collected, asserted empty below
            errors.append(error)

    threads = [threading.Thread(target=searching, args=(seed,)) for seed in range(4)]
    for thread in threads:
        thread.start()
    try:
        write()
    finally:
        stop.set()
        for thread in threads:
            thread.join()
    assert errors == []


@pytest.mark.parametrize("kind", KINDS)
def test_concurrent_searches_and_writes(kind: IndexClass, world: World) -> None:
    index = _fresh(kind, world, count=200)

    def write() -> None:
        for i in range(200, 600):
            index.add(world.ids[i], world.matrix[i])
            if i % 7 == 0:
                index.remove(world.ids[i - 1])
        index.add_many(world.ids[600:1200], world.matrix[600:1200])

    _hammer(lambda query: index.search(query, k=5, min_similarity=-1.0), world, write)
    assert len(index) == 1200 - len([i for i in range(200, 600) if i % 7 == 0])


def test_concurrent_searches_while_the_registry_switches(world: World) -> None:
    registry = VectorIndexes(exact_limit=400)
    registry.add_many("face", "demo-face-v1", world.ids[:200], world.matrix[:200])

    def write() -> None:
        for i in range(200, 800):
            registry.add("face", "demo-face-v1", world.ids[i], world.matrix[i])

    _hammer(
        lambda query: registry.search("face", "demo-face-v1", query, min_similarity=-1.0),
        world,
        write,
    )
    faces = registry.get("face", "demo-face-v1", DIM)
    assert faces is not None
    assert faces.kind == "hnsw"
    assert len(faces) == 800
