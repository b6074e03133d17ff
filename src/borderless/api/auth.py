"""Bearer tokens, remembered for a few seconds per server process.

Looking a token up is a database round trip (about 0.7 ms with SQLite), paid on every request;
a frontline search costs only a few ms itself. A worker therefore keeps the principal behind a
token for `ttl` seconds (`Settings.auth_cache_s`). The bound this puts on revocation: revoking a
token, or disabling a user, through this API clears the cache of the worker that handled it, so
it refuses the token on the next request; every other process (the other workers, a revocation
made with the CLI) refuses it at most `ttl` seconds later. `ttl = 0` turns the cache off.

Only successful look-ups are remembered: an unknown token always reaches the database.
"""

from __future__ import annotations

import time
from collections.abc import Callable

from borderless.domain.agencies import Principal

MAX_ENTRIES = 10_000  # distinct tokens kept per process; beyond that the cache starts afresh


class TokenCache:
    """Token hash -> principal, each entry good for `ttl` seconds of `clock`."""

    def __init__(self, ttl: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.ttl = ttl
        self._clock = clock
        self._entries: dict[str, tuple[float, Principal]] = {}
        # bumped by `clear`: a look-up that started before a revocation must not be stored
        self.generation = 0

    def get(self, token_hash: str) -> Principal | None:
        entry = self._entries.get(token_hash)
        if entry is None:
            return None
        expires, principal = entry
        if self._clock() >= expires:
            self._entries.pop(token_hash, None)
            return None
        return principal

    def put(self, token_hash: str, principal: Principal, generation: int) -> None:
        """Remember a look-up made while the cache was at `generation` (if it still is)."""
        if self.ttl <= 0 or generation != self.generation:
            return
        if len(self._entries) >= MAX_ENTRIES:
            self._entries.clear()
        self._entries[token_hash] = (self._clock() + self.ttl, principal)

    def clear(self) -> None:
        """Forget every token: called after a revocation or a user's change in this process."""
        self.generation += 1
        self._entries.clear()
