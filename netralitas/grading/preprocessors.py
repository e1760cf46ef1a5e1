"""nbconvert preprocessors for what learners receive back."""
from __future__ import annotations

from pathlib import Path

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from ..assignments import FINAL_EXAM as EXAM
from .check import INTRO_ID, MIME, REVEAL_FLAG, intro_for_feedback

_WIDGET = "application/vnd.jupyter.widget-view+json"


def may_show_correct_option(db_url: str | None, student_id: str | None, assignment_id: str | None) -> bool:
    """The feedback policy (grading/kebijakan.yaml, umpan_balik) for one learner:
    always, never, or once they passed or used their last attempt (per the
    attempts ledger). Without a ledger entry the answer stays hidden."""
    from .. import policy
    from .attempts import learner_standing

    rule = policy.show_correct_option(assignment_id)
    if rule in ("selalu", "tidak_pernah"):
        return rule == "selalu"
    if not (db_url and student_id and assignment_id):
        return False
    standing = learner_standing(db_url, student_id, assignment_id)
    return standing["passed"] or standing["exhausted"]



def exam_grade_ids(source_dir: str | Path | None) -> set[str]:
    """grade ids of the final exam's items, read from its source notebook: an
    item that is on the exam never has its correct option shown, in any
    feedback (a module quiz shares it), so passing a quiz reveals no exam key."""
    import json

    path = Path(source_dir or "") / EXAM / f"{EXAM}.ipynb"
    if not source_dir or not path.is_file():
        return set()
    cells = json.loads(path.read_text(encoding="utf-8")).get("cells", [])
    return {c["metadata"]["nbgrader"]["grade_id"] for c in cells
            if (c.get("metadata", {}).get("nbgrader") or {}).get("grade")}


def reveal_by_learner(db_url: str, assignment_id: str, learners) -> dict[str, bool]:
    """may_show_correct_option for many learners with one ledger read."""
    from .. import policy
    from .attempts import read_attempts

    rule = policy.show_correct_option(assignment_id)
    if rule in ("selalu", "tidak_pernah"):
        return dict.fromkeys(learners, rule == "selalu")
    maximum = policy.attempts(assignment_id).maximum
    ledger = read_attempts(db_url, assignment_id)
    out = {}
    for student_id in learners:
        rows = ledger[ledger["student_id"] == student_id]
        out[student_id] = bool(rows["passed"].any() or (len(rows) and rows["attempt"].max() >= maximum))
    return out


class RedactForLearner(Preprocessor):
    """Feedback shows questions, the learner's result and the explanation only.

    The quiz's opening cell keeps its title and what the quiz is, without the
    link back to the home and the how-to (check.intro_for_feedback).

    Hidden tests carry the key: their source is removed here, before any
    template sees it. Other code and widget placeholders mean nothing to a
    learner and are dropped too. The note naming the correct option stays
    only when the feedback policy allows it for this learner.
    """

    # nbconvert registers preprocessors named in config as disabled; this one
    # guards the keys, so it is on unless explicitly switched off.
    enabled = Bool(True).tag(config=True)

    def preprocess(self, nb, resources):
        info = resources.get("nbgrader") or {}
        # The one-process grader (recordgrade.py) reads every learner's standing at once.
        self._reveal = info["reveal"] if "reveal" in info else may_show_correct_option(
            info.get("db_url"), info.get("student"), info.get("assignment"))
        self._exam_items = exam_grade_ids(self.config.CourseDirectory.get("source_directory"))
        return super().preprocess(nb, resources)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type == "markdown" and (cell.metadata.get("nbgrader") or {}).get("grade_id") == INTRO_ID:
            cell.source = intro_for_feedback(cell.source)
        if cell.cell_type != "code":
            return cell, resources
        cell.source = ""
        grade_id = (cell.metadata.get("nbgrader") or {}).get("grade_id")
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "execute_result":
                continue  # the bare points number; nbgrader shows the score itself
            data = output.get("data", {})
            if MIME in data or _WIDGET in data:
                continue
            if (output.get("metadata") or {}).get(REVEAL_FLAG) and (
                    not getattr(self, "_reveal", False) or grade_id in getattr(self, "_exam_items", ())):
                continue
            kept.append(output)
        cell.outputs = kept
        cell.execution_count = None
        return cell, resources
