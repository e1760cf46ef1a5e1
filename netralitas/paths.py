"""Where things live. The package is used from a checkout (editable install)."""
from __future__ import annotations

from pathlib import Path

PACKAGE_DIR = Path(__file__).resolve().parent
BANK_DIR = PACKAGE_DIR / "content" / "bank"
REPO_ROOT = PACKAGE_DIR.parent

MODULES_DIR = REPO_ROOT / "modules"
QUIZZES_DIR = REPO_ROOT / "quizzes"
QUIZ_SOURCE_DIR = QUIZZES_DIR / "source"
QUIZ_BANK_DIR = QUIZZES_DIR / "bank"
GRADING_DIR = REPO_ROOT / "grading"

COURSE_ID = "netralitas-asn"
# Name of the answer record a quiz notebook writes next to itself.
ANSWER_RECORD = "jawaban.json"


def quiz_bank_dir() -> Path:
    """Quiz keys live on the instructor side only; a deployment may move them."""
    from .settings import settings

    return settings().quiz_bank or QUIZ_BANK_DIR
