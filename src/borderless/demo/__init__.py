"""Synthetic multi-country demo world with ground truth (for the demo node, tests, benchmarks)."""

from borderless.demo.world import WorldFiles, WorldSpec, generate_world

__all__ = ["WorldFiles", "WorldSpec", "generate_world"]
