"""Candidate retrieval: blocking keys and vector indexes."""
