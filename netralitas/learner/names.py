"""What a learner calls each assignment: "Kuis Modul 01", never "kuis_01".
Learner runtime (no quiz item, no instructor code)."""
from __future__ import annotations

from ..assignments import FINAL_EXAM, Kind, kind_of


def assignment_title(assignment_id: str) -> str:
    kind, module_id = kind_of(assignment_id)
    if kind == Kind.QUIZ:
        return f"Kuis Modul {module_id}"
    if kind == Kind.PRETEST:
        return f"Tes Awal Modul {module_id}"
    if assignment_id == FINAL_EXAM:
        return "Ujian Akhir"
    return "Ujian"
