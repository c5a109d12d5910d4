"""The lab: research on the models and on the grading tools.

None of it runs on students' code. The reproduction of the task's runs
and its analyses (reproduce/), the gallery and the latent explorer, where
the training time goes (performance/), and how similarity's rule was
chosen and timed (similarity/). It builds on tools/ and grading/; nothing
imports it.
"""
