"""The learner runtime: everything a learner's server and kernel may import.

Widgets (`widgets`), the answer record (`record`) and nbgrader's learner-side
exchange steps (`exchange`), plus the shared, key-free modules they read:
`netralitas.paths`, `netralitas.policy` and the teaching bank
(`netralitas.content`). Nothing here imports the instructor side (quiz bank
with keys, `netralitas.grading`, `netralitas.report`, `netralitas.facilitator`):
a learner's kernel runs this runtime from a learner site (`site.py`), a
non-editable copy that holds these files only, never the checkout.
"""
