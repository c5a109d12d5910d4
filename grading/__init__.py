"""The grading product: what runs on students' code, and the graders' commands.

make check of one solution (check/) or of a class (grade/), the comparison
for copies (similarity/), and the readers of what students hand in
(submitted.py, gradescope_export.py). Everything a submission can reach is
in this folder: it is the security surface. It imports the shared ground
(tools/) and nothing of the lab (lab/).
"""
