"""Per-item outcomes of one autograde batch, with the reason for every zero."""
from __future__ import annotations

from pathlib import Path

import nbformat
import pandas as pd

from .check import outcomes_from_notebook

COLUMNS = ["nip", "item", "reason", "chosen", "earned", "points", "detail"]


def batch_outcomes(course_root: Path, assignment_id: str) -> pd.DataFrame:
    """Every submitted learner appears: one row per item, or one row saying why
    the notebook could not be graded at all."""
    root = Path(course_root)
    rows = []
    for submitted in sorted((root / "submitted").glob(f"*/{assignment_id}")):
        nip = submitted.parent.name
        graded = sorted((root / "autograded" / nip / assignment_id).glob("*.ipynb"))
        if not graded:
            rows.append({"nip": nip, "item": "", "reason": "not_autograded", "earned": 0.0,
                         "detail": "nbgrader autograde did not produce a notebook (see its log)"})
            continue
        for path in graded:
            try:
                found = outcomes_from_notebook(nbformat.read(path, as_version=4))
            except Exception as exc:  # a broken file must not stop the batch
                found = [{"item": "", "reason": "unreadable", "earned": 0.0, "detail": str(exc)}]
            rows += [{"nip": nip, **o} for o in found]
    return pd.DataFrame(rows, columns=COLUMNS)
