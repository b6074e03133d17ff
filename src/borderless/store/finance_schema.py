"""Financial flows (issue 4) keep no tables of their own, on purpose.

Accounts and transactions are ordinary records (owned, disseminated, audited); the analytics
read their columns straight out of the record bodies with the caller's visibility applied
(`store.finance`) and cache the result per agency, purpose, day and data version in memory
(`services.finance.snapshot`). A side table of numeric columns would have to be kept in step
with every write path (record create/update/delete, imports, retention purges), all outside
this capability, for a gain measured as small: see docs/finance.md ("Why no side table").
"""

from borderless.store.schema import metadata

__all__ = ["metadata"]
