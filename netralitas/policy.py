"""Grading policy, read from grading/kebijakan.yaml (the one place to set it).

Every reader goes through here, so a wrong value gets one clear message
(Bahasa Indonesia: the file is edited by course administrators).
"""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from . import paths
from .assignments import kind_of

POLICY_FILE = paths.GRADING_DIR / "kebijakan.yaml"


def policy_file(path: str | Path | None = None) -> Path:
    """The policy in force: an explicit path, else NETRALITAS_POLICY (a
    deployment's own file; nbgrader subprocesses inherit it), else the repo's."""
    from .settings import settings

    return Path(path or settings().policy or POLICY_FILE)

COUNTED = ("terbaik", "terakhir")
SHOW_KEY = ("setelah_lulus_atau_percobaan_terakhir", "selalu", "tidak_pernah")
DEFAULT_SHOW_KEY = SHOW_KEY[0]


class PolicyError(ValueError):
    """kebijakan.yaml holds a value the course cannot use."""


@lru_cache(maxsize=8)
def _load(path: Path) -> dict:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) if path.exists() else {}
    if data is not None and not isinstance(data, dict):
        raise PolicyError(f"{path.name}: isi berkas harus berupa pasangan kunci: nilai")
    return data or {}


def policy_data(path: str | Path | None = None) -> dict:
    """The whole policy file as parsed (cached per path)."""
    return _load(policy_file(path))


# The id scheme lives in netralitas/assignments.py; re-exported for the policy's callers.
assignment_kind = kind_of


def pass_mark(assignment_id: str | None = None, path: str | Path | None = None) -> float:
    data = _load(policy_file(path))
    mark = (data.get("per_kuis") or {}).get(assignment_id, data.get("batas_lulus", 0.8))
    mark = float(mark)
    if not 0 < mark <= 1:
        raise PolicyError(f"{policy_file(path).name}: batas lulus {mark} harus di antara 0 dan 1 (mis. 0.8)")
    return mark


# Scores are sums of float points: 0.1 + 0.2 style error must not fail a pass.
PASS_TOLERANCE = 1e-9


def passes(score, max_score, mark):
    """The pass rule, written once: score >= mark x max_score (numbers or
    pandas Series alike; with max_score 1 the score is a fraction)."""
    return score >= mark * max_score - PASS_TOLERANCE


@dataclass(frozen=True)
class Attempts:
    maximum: int
    counted: str  # one of COUNTED


def attempts(assignment_id: str, path: str | Path | None = None) -> Attempts:
    """Attempts policy of one assignment: the general rule, then the kind's
    exception (per_jenis), then the assignment's own (per_kuis)."""
    section = _load(policy_file(path)).get("percobaan") or {}
    if not isinstance(section, dict):
        raise PolicyError(f"{policy_file(path).name}: 'percobaan' harus berisi maksimum dan yang_dihitung")
    merged = {"maksimum": 3, "yang_dihitung": "terbaik"}
    merged.update({k: v for k, v in section.items() if k in merged})
    merged.update((section.get("per_jenis") or {}).get(assignment_kind(assignment_id)[0]) or {})
    merged.update((section.get("per_kuis") or {}).get(assignment_id) or {})
    maximum, counted = merged["maksimum"], merged["yang_dihitung"]
    if isinstance(maximum, bool) or not isinstance(maximum, int) or maximum < 1:
        raise PolicyError(f"{policy_file(path).name}: percobaan maksimum {maximum!r} untuk {assignment_id} "
                          "harus bilangan bulat 1 atau lebih")
    if counted not in COUNTED:
        raise PolicyError(f"{policy_file(path).name}: yang_dihitung {counted!r} untuk {assignment_id} harus "
                          f"salah satu dari: {', '.join(COUNTED)}")
    return Attempts(maximum, counted)


def show_correct_option(assignment_id: str | None = None, path: str | Path | None = None) -> str:
    """When feedback shows the correct option of an item not answered
    correctly: the general rule, or the assignment kind's exception (per_jenis)."""
    section = _load(policy_file(path)).get("umpan_balik") or {}
    if not isinstance(section, dict):
        raise PolicyError(f"{policy_file(path).name}: 'umpan_balik' harus berisi tampilkan_jawaban_benar")
    value = section.get("tampilkan_jawaban_benar", DEFAULT_SHOW_KEY)
    if assignment_id:
        value = (section.get("per_jenis") or {}).get(assignment_kind(assignment_id)[0], value)
    if value not in SHOW_KEY:
        raise PolicyError(f"{policy_file(path).name}: umpan_balik.tampilkan_jawaban_benar {value!r} harus salah "
                          f"satu dari: {', '.join(SHOW_KEY)}")
    return value
