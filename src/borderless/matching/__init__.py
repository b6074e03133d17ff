"""Matching you can explain: compare names, birth dates and persons, with reasons.

Each comparison is a small pure function returning a score and the `Reason`s behind it, so a
screening hit can always be shown to the officer who must decide on it (see DESIGN.md,
principle 5: people decide). `matching.names` aligns name tokens across scripts and spellings,
`matching.dates` weighs birth-date evidence, and `matching.person` combines them into one
calibrated score.
"""
