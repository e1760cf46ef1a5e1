"""The answer record lives in the learner runtime (netralitas.learner.record);
grading reads it through this name too."""
from .learner.record import FORMAT, INVALID, LoadResult, load, now_iso, save_answer  # noqa: F401
