"""Targeting rules: a small, safe expression language over traveller, booking and flight facts.

`language` parses rule text into an AST (never `eval`), `checks` refuses rules that would
single people out by nationality, ethnicity or religion, `evaluate` applies a rule to facts.
"""
