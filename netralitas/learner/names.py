"""What a learner calls each assignment: "Kuis Modul 01", never "kuis_01".
Learner runtime (no quiz item, no instructor code)."""
from __future__ import annotations

from ..policy import assignment_kind

FINAL_EXAM = "ujian_akhir"


def assignment_title(assignment_id: str) -> str:
    kind, module_id = assignment_kind(assignment_id)
    if kind == "kuis":
        return f"Kuis Modul {module_id}"
    if kind == "tes_awal":
        return f"Tes Awal Modul {module_id}"
    if assignment_id == FINAL_EXAM:
        return "Ujian Akhir"
    return "Ujian"
