"""Score quiz notebooks from the answer record without starting a kernel.

The generated hidden test of every item is one literal call,
`score_item("K02-01", key=..., options=..., ...)`. This preprocessor takes the
place of nbgrader's Execute in `autograde`: it reads that call (as data, never
eval), scores the item in-process with the same function the kernel would
run, and writes the same outputs (stdout message, outcome payload, points as
the result) so nbgrader's own SaveAutoGrades records the same grade. A
notebook with a grade cell of another shape is refused, never executed: grading
runs no code (pipeline.py).
"""
from __future__ import annotations

import ast
from pathlib import Path

from nbformat import NotebookNode
from nbgrader.preprocessors import NbGraderPreprocessor
from nbgrader.utils import is_grade

from ..paths import ANSWER_RECORD
from .check import MIME, REVEAL_FLAG, evaluate

_ARGS = ("item_id", "key", "options", "points", "feedback", "basis")


def new_output(output_type: str, data=None, **fields) -> NotebookNode:
    """nbformat.v4.new_output without its per-output JSON-schema validation
    (four outputs per grade cell; the whole notebook is validated when
    written and once more when its feedback page is exported)."""
    output = NotebookNode(output_type=output_type)
    if output_type == "stream":
        output.name, output.text = "stdout", ""
    else:  # display_data, execute_result
        output.metadata, output.data = NotebookNode(), NotebookNode()
        if output_type == "execute_result":
            output.execution_count = None
    output.update(fields)
    if data is not None:
        output.data = data
    return output


def score_outputs(score, message: str, payload, reveal: str | None, n: int) -> list:
    """What a graded cell shows, the same for both graders: the message, the
    note naming the key (kept only per the feedback policy), the outcome
    payload, and the points as the cell's result (what SaveAutoGrades reads)."""
    return [
        new_output("stream", name="stdout", text=message + "\n"),
        *([new_output("display_data", data={"text/plain": reveal}, metadata={REVEAL_FLAG: True})]
          if reveal else []),
        new_output("display_data", data={MIME: payload}),
        new_output("execute_result", data={"text/plain": repr(score)}, execution_count=n),
    ]


def parse_call(source: str) -> dict | None:
    """Arguments of the cell's single score_item call, or None if the cell is
    anything else (then it must really run)."""
    try:
        body = ast.parse(source).body
    except SyntaxError:
        return None
    *head, last = body or [None]
    imports_ok = all(isinstance(n, ast.ImportFrom) and n.module == "netralitas.grading.check"
                     for n in head)
    if not (imports_ok and isinstance(last, ast.Expr) and isinstance(last.value, ast.Call)
            and isinstance(last.value.func, ast.Name) and last.value.func.id == "score_item"):
        return None
    call = last.value
    try:
        args = dict(zip(_ARGS, (ast.literal_eval(a) for a in call.args)))
        args.update({k.arg: ast.literal_eval(k.value) for k in call.keywords})
    except (ValueError, TypeError, SyntaxError):
        return None
    allowed = set(_ARGS) | {"multi"}
    return args if set(_ARGS) <= set(args) <= allowed else None


class ScoreFromRecord(NbGraderPreprocessor):

    def preprocess(self, nb, resources):
        folder = Path(resources.get("metadata", {}).get("path") or ".")
        graded = [c for c in nb.cells if c.cell_type == "code" and is_grade(c)]
        calls = [parse_call(c.source) for c in graded]
        if any(call is None for call in calls):
            raise ValueError("NotGeneratedQuiz: a grade cell is not a generated score_item call; "
                             "record mode executes nothing, so this notebook is not graded")
        for n, (cell, call) in enumerate(zip(graded, calls), start=1):
            earned, message, payload, reveal = evaluate(**call, record_path=folder / ANSWER_RECORD)
            cell.outputs = score_outputs(earned, message, payload, reveal, n)
            cell.execution_count = n
        return nb, resources
