"""Grading a class: make check SOLUTIONS=, Gradescope's formats, the bundle."""
