"""Comparing a class's submissions for copies: evidence for a grader."""
