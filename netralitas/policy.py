"""Grading policy, read from grading/kebijakan.yaml (the one place to set it)."""
from __future__ import annotations

from functools import lru_cache
from pathlib import Path

import yaml

from . import paths

POLICY_FILE = paths.GRADING_DIR / "kebijakan.yaml"


@lru_cache(maxsize=4)
def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    return data or {}


def pass_mark(assignment_id: str | None = None, path: Path = POLICY_FILE) -> float:
    data = _load(Path(path))
    mark = (data.get("per_kuis") or {}).get(assignment_id, data.get("batas_lulus", 0.8))
    mark = float(mark)
    if not 0 < mark <= 1:
        raise ValueError(f"{Path(path).name}: batas lulus {mark} harus di antara 0 dan 1 (mis. 0.8)")
    return mark
