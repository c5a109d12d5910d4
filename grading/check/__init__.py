"""Checking task files against the text: make check, make mutants."""
