"""Shared test helpers that are big and specific to one area. Not test files: test files import from here
(or tests/factories.py), never from one another (tests/test_layout.py)."""
