"""Session plans in jam pelajaran (JP), with the minutes per JP from the policy file."""
from __future__ import annotations

from .. import policy
from .content import SessionPlan

def jp_minutes() -> int:
    """Minutes per JP (grading/kebijakan.yaml `jp_menit`; 45 when not set)."""
    return policy.load_policy().jp_menit


def plan_jp(plan: SessionPlan) -> int:
    """Whole JP earned: face-to-face minutes (breaks excluded) rounded down."""
    return plan.learning_minutes // jp_minutes()


def jp_note(plan: SessionPlan) -> str:
    minutes, per = plan.learning_minutes, jp_minutes()
    rest = minutes - plan_jp(plan) * per
    text = (f"{plan_jp(plan)} JP: {minutes} menit tatap muka"
            + (f" (tanpa {plan.durasi_menit - minutes} menit istirahat)" if minutes != plan.durasi_menit else "")
            + f", dengan 1 JP = {per} menit")
    return text + (f"; sisa {rest} menit tidak dihitung." if rest else ".")
