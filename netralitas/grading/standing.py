"""The feedback page's verdict line: LULUS / BELUM LULUS, the score and the
attempts left. A Jinja filter (`kedudukan`) registered on the HTML exporter,
so every path that renders the feedback template (nbgrader's generate_feedback
and any in-process grader using the course config) says the same thing."""
from __future__ import annotations

from .. import policy
from ..learner.names import assignment_title

FILTERS = {"kedudukan": "netralitas.grading.standing.kedudukan"}


def kedudukan(info) -> dict:
    """{title, passed, mark, used, maximum, left} from resources["nbgrader"].

    passed is this submission's result (score against the pass mark); used
    and left come from the attempts ledger, which is written before feedback.
    Never raises: a feedback page without the attempts line beats no page."""
    info = dict(info or {})
    assignment = str(info.get("assignment") or "")
    out = {"title": assignment_title(assignment) if assignment else "Hasil kuis"}
    try:
        mark = policy.pass_mark(assignment or None)
        score, maximum = float(info.get("score") or 0), float(info.get("max_score") or 0)
        if maximum <= 0:
            return out  # nothing graded: no verdict rather than a wrong one
        out |= {"mark": mark, "passed": bool(policy.passes(score, maximum, mark))}
    except Exception:
        return out
    try:
        from .attempts import learner_standing

        # The one-process grader reads every learner's standing at once (recordgrade.py).
        standing = info.get("standing") or learner_standing(info["db_url"], info["student"], assignment)
        used, allowed = int(standing["attempts_used"]), int(standing["maximum"])
        if used:
            out |= {"used": used, "maximum": allowed, "left": max(allowed - used, 0)}
    except Exception:
        pass
    return out
