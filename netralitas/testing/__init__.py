"""Drivers for the demo and the tests (not part of the learner runtime)."""
