"""Process settings for a node that serves searches.

Matching keeps large caches of analysed names and token comparisons (hundreds of thousands of
small objects). CPython's default collector walks all of them in every full collection, which
made one search in a hundred take 400+ ms instead of 20-90 ms (`benchmarks/find.py`, 20,000
persons, p99 471 -> 81 ms). Collections run less often; the caches hold no reference cycles, so
nothing is lost by collecting rarely. A server also freezes what exists once it has started
(modules, settings, the node), which no collection then needs to walk again.
"""

from __future__ import annotations

import gc

GEN0_THRESHOLD = 100_000  # allocations between young collections (CPython's default: 700)
GEN1_THRESHOLD = 50
GEN2_THRESHOLD = 100


def tune_garbage_collector(*, serving: bool) -> None:
    if serving:
        gc.freeze()
    gc.set_threshold(GEN0_THRESHOLD, GEN1_THRESHOLD, GEN2_THRESHOLD)
