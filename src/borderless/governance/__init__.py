"""Access policy, roles, purposes, the audit chain and retention: the rules records live under."""
