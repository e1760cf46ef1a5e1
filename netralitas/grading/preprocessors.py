"""nbconvert preprocessors for what learners receive back."""
from __future__ import annotations

from nbconvert.preprocessors import Preprocessor
from traitlets import Bool

from .check import MIME

_WIDGET = "application/vnd.jupyter.widget-view+json"


class RedactForLearner(Preprocessor):
    """Feedback shows questions, the learner's result and the explanation only.

    Hidden tests carry the key: their source is removed here, before any
    template sees it. Other code and widget placeholders mean nothing to a
    learner and are dropped too.
    """

    # nbconvert registers preprocessors named in config as disabled; this one
    # guards the keys, so it is on unless explicitly switched off.
    enabled = Bool(True).tag(config=True)

    def preprocess_cell(self, cell, resources, index):
        if cell.cell_type != "code":
            return cell, resources
        cell.source = ""
        kept = []
        for output in cell.get("outputs", []):
            if output.get("output_type") == "execute_result":
                continue  # the bare points number; nbgrader shows the score itself
            data = output.get("data", {})
            if MIME in data or _WIDGET in data:
                continue
            kept.append(output)
        cell.outputs = kept
        cell.execution_count = None
        return cell, resources
