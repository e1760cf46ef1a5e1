"""The assignment id scheme, declared once: which ids exist and what each one means.

    kuis_NN       the quiz of module NN (kind "kuis")
    tes_awal_NN   the pre-test of module NN: pass it and module NN counts as done (kind "tes_awal")
    ujian_akhir   the final exam over every module (kind "ujian")

Any other id (a deployment's own nbgrader assignment) is of kind "ujian" with no module, as it
always was. Nothing else in the code spells these prefixes; it asks this module.
"""
from __future__ import annotations

import re
from enum import StrEnum

from pydantic import BaseModel, ConfigDict, Field


class Kind(StrEnum):
    """Kinds of assignment, as the policy file (per_jenis) and the attempts ledger name them."""

    QUIZ = "kuis"
    PRETEST = "tes_awal"
    EXAM = "ujian"


FINAL_EXAM = "ujian_akhir"
MODULE_ID = re.compile(r"\d{2}")
_MODULAR = re.compile(rf"({Kind.QUIZ.value}|{Kind.PRETEST.value})_(\d{{2}})")


class Assignment(BaseModel):
    """One assignment id, parsed."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    kind: Kind = Field(description="kuis, tes_awal or ujian")
    module: str | None = Field(None, pattern=r"^\d{2}$", description="two-digit module id; None for an exam")
    name: str = Field(FINAL_EXAM, description="the exam's own id (only for kind ujian)")

    @classmethod
    def parse(cls, assignment_id: str | None) -> Assignment:
        m = _MODULAR.fullmatch(assignment_id or "")
        if m:
            return cls(kind=Kind(m.group(1)), module=m.group(2))
        return cls(kind=Kind.EXAM, name=assignment_id or FINAL_EXAM)

    @property
    def id(self) -> str:
        return f"{self.kind.value}_{self.module}" if self.module else self.name

    @property
    def is_modular(self) -> bool:
        """Counts towards one module's completion (a quiz or a pre-test)."""
        return self.kind in (Kind.QUIZ, Kind.PRETEST)


def quiz_id(module_id: str) -> str:
    return Assignment(kind=Kind.QUIZ, module=module_id).id


def pretest_id(module_id: str) -> str:
    return Assignment(kind=Kind.PRETEST, module=module_id).id


def kind_of(assignment_id: str | None) -> tuple[str, str | None]:
    """('kuis' | 'tes_awal' | 'ujian', module id or None): the form the ledger stores."""
    a = Assignment.parse(assignment_id)
    return a.kind.value, a.module


def is_pretest(assignment_id: str | None) -> bool:
    return Assignment.parse(assignment_id).kind is Kind.PRETEST


MODULAR_KINDS = (Kind.QUIZ.value, Kind.PRETEST.value)
