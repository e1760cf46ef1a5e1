"""Grading policy, read from grading/kebijakan.yaml (the one place to set it).

Every reader goes through here, so a wrong value gets one clear message
(Bahasa Indonesia: the file is edited by course administrators).
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import yaml

from . import paths

POLICY_FILE = paths.GRADING_DIR / "kebijakan.yaml"

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


def assignment_kind(assignment_id: str) -> tuple[str, str | None]:
    """('kuis' | 'tes_awal' | 'ujian', module number or None) from the assignment id."""
    m = re.fullmatch(r"(kuis|tes_awal)_(\d{2})", assignment_id or "")
    if m:
        return m.group(1), m.group(2)
    return "ujian", None


def pass_mark(assignment_id: str | None = None, path: Path = POLICY_FILE) -> float:
    data = _load(Path(path))
    mark = (data.get("per_kuis") or {}).get(assignment_id, data.get("batas_lulus", 0.8))
    mark = float(mark)
    if not 0 < mark <= 1:
        raise PolicyError(f"{Path(path).name}: batas lulus {mark} harus di antara 0 dan 1 (mis. 0.8)")
    return mark


@dataclass(frozen=True)
class Attempts:
    maximum: int
    counted: str  # one of COUNTED


def attempts(assignment_id: str, path: Path = POLICY_FILE) -> Attempts:
    """Attempts policy of one assignment: the general rule, then the kind's
    exception (per_jenis), then the assignment's own (per_kuis)."""
    section = _load(Path(path)).get("percobaan") or {}
    if not isinstance(section, dict):
        raise PolicyError(f"{Path(path).name}: 'percobaan' harus berisi maksimum dan yang_dihitung")
    merged = {"maksimum": 3, "yang_dihitung": "terbaik"}
    merged.update({k: v for k, v in section.items() if k in merged})
    merged.update((section.get("per_jenis") or {}).get(assignment_kind(assignment_id)[0]) or {})
    merged.update((section.get("per_kuis") or {}).get(assignment_id) or {})
    maximum, counted = merged["maksimum"], merged["yang_dihitung"]
    if isinstance(maximum, bool) or not isinstance(maximum, int) or maximum < 1:
        raise PolicyError(f"{Path(path).name}: percobaan maksimum {maximum!r} untuk {assignment_id} "
                          "harus bilangan bulat 1 atau lebih")
    if counted not in COUNTED:
        raise PolicyError(f"{Path(path).name}: yang_dihitung {counted!r} untuk {assignment_id} harus "
                          f"salah satu dari: {', '.join(COUNTED)}")
    return Attempts(maximum, counted)


def show_correct_option(path: Path = POLICY_FILE) -> str:
    """When feedback shows the correct option of a wrongly answered item."""
    section = _load(Path(path)).get("umpan_balik") or {}
    value = section.get("tampilkan_jawaban_benar", DEFAULT_SHOW_KEY) if isinstance(section, dict) else None
    if value not in SHOW_KEY:
        raise PolicyError(f"{Path(path).name}: umpan_balik.tampilkan_jawaban_benar {value!r} harus salah "
                          f"satu dari: {', '.join(SHOW_KEY)}")
    return value
