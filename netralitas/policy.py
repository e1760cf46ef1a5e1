"""Grading policy, read from grading/kebijakan.yaml (the one place to set it).

The whole file is one declared model (`Kebijakan`, unknown keys refused), read by one loader
(`load_policy`) with one error type (`PolicyError`, messages in Bahasa Indonesia: the file is
edited by course administrators). Every reader goes through here: the quiz notebooks, grading,
the facilitator kit (jp_menit), the HR report (section laporan, netralitas/report/kebijakan.py).
docs/KEBIJAKAN.md is generated from this model.
"""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from functools import lru_cache
from pathlib import Path
from typing import Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from . import paths
from .assignments import Kind, kind_of

POLICY_FILE = paths.GRADING_DIR / "kebijakan.yaml"

COUNTED = ("terbaik", "terakhir")
SHOW_KEY = ("setelah_lulus_atau_percobaan_terakhir", "selalu", "tidak_pernah")
DEFAULT_SHOW_KEY = SHOW_KEY[0]
# The zones zona_waktu may name, with the label shown after every time (netralitas/clock.py).
# Asia/Pontianak is WIB too (West Kalimantan).
ZONES = {"Asia/Jakarta": "WIB", "Asia/Pontianak": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}

Counted = Literal["terbaik", "terakhir"]
ShowKey = Literal["setelah_lulus_atau_percobaan_terakhir", "selalu", "tidak_pernah"]


class PolicyError(ValueError):
    """kebijakan.yaml holds a value the course cannot use (message in Bahasa Indonesia)."""


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class AttemptsRule(_Section):
    """An exception to the attempts rule (per jenis or per kuis): only what it changes."""
    maksimum: int | None = Field(None, ge=1, strict=True, description="kiriman paling banyak (bilangan bulat >= 1)")
    yang_dihitung: Counted | None = Field(None, description="kiriman yang dihitung: terbaik | terakhir")


class AttemptsSection(_Section):
    maksimum: int = Field(3, ge=1, strict=True, description="Berapa kali peserta boleh mengirim satu kuis "
                                                            "(bilangan bulat >= 1).")
    yang_dihitung: Counted = Field("terbaik", description="Kiriman yang dihitung: terbaik (nilai tertinggi; bila "
                                                          "sama, yang lebih awal) atau terakhir.")
    per_jenis: dict[Kind, AttemptsRule] = Field({}, description="Pengecualian per jenis penilaian "
                                                                "(kuis, tes_awal, ujian).")
    per_kuis: dict[str, AttemptsRule] = Field({}, description="Pengecualian per kuis, mis. {ujian_akhir: "
                                                              "{maksimum: 2}}.")


class FeedbackSection(_Section):
    tampilkan_jawaban_benar: ShowKey = Field(DEFAULT_SHOW_KEY, description="Kapan pilihan yang benar diperlihatkan "
                                             "pada soal yang dijawab salah.")
    per_jenis: dict[Kind, ShowKey] = Field({}, description="Pengecualian per jenis penilaian.")


class RulesVersionEntry(_Section):
    versi: str = Field(description="Nama versi aturan, mis. \"2024.1\".")
    berlaku_sejak: date = Field(description="Tanggal versi ini berlaku (YYYY-MM-DD).")
    keterangan: str = Field("", description="Aturan yang berubah.")

    @field_validator("versi", mode="before")
    @classmethod
    def _as_text(cls, value):
        return str(value) if isinstance(value, int | float) else value


class ReportSection(_Section):
    modul_wajib: tuple[str, ...] = Field((), description="Modul wajib untuk sertifikat; kosong = semua modul "
                                                         "di bank konten.")
    tenggat: date | None = Field(None, description="Tenggat penyelesaian (YYYY-MM-DD); yang belum tersertifikasi "
                                                   "sesudahnya masuk daftar terlambat.")
    tenggat_modul: dict[str, date] = Field({}, description="Tenggat per modul, mis. {\"01\": 2026-09-30}.")
    periode_mulai: date | None = Field(None, description="Awal periode penyelesaian yang dihitung (kosong = sejak "
                                                         "awal).")
    periode_selesai: date | None = Field(None, description="Akhir periode penyelesaian yang dihitung (kosong = "
                                                           "sampai hari ini).")
    jp_per_modul: float = Field(1.0, ge=0, description="JP yang diakui untuk setiap modul yang selesai daring.")
    masa_berlaku_bulan: int = Field(36, ge=1, strict=True, description="Masa berlaku sertifikat paling lama, dalam "
                                                                       "bulan.")
    versi_aturan: tuple[RulesVersionEntry, ...] = Field((), description="Versi aturan yang diajarkan; sertifikat "
                                                        "versi lama wajib diulang setelah versi baru berlaku.")

    @field_validator("modul_wajib", mode="before")
    @classmethod
    def _module_ids(cls, value):
        return tuple(str(m).zfill(2) for m in value) if isinstance(value, list | tuple) else value

    @field_validator("tenggat_modul", mode="before")
    @classmethod
    def _module_keys(cls, value):
        return {str(k).zfill(2): v for k, v in value.items()} if isinstance(value, dict) else value


class Kebijakan(_Section):
    """grading/kebijakan.yaml as a whole."""
    batas_lulus: float = Field(0.8, gt=0, le=1, description="Batas lulus bawaan untuk semua kuis, sebagai pecahan "
                                                            "(0.8 = 80%).")
    per_kuis: dict[str, float] = Field({}, description="Batas lulus per kuis, mis. {ujian_akhir: 0.75}.")
    jp_menit: int = Field(45, ge=10, le=120, strict=True, description="Lama satu jam pelajaran (JP), dalam menit.")
    zona_waktu: str = Field("Asia/Jakarta", description="Zona waktu instansi untuk semua tanggal: Asia/Jakarta "
                            "(WIB), Asia/Pontianak (WIB), Asia/Makassar (WITA), Asia/Jayapura (WIT).")
    percobaan: AttemptsSection = Field(AttemptsSection(), description="Berapa kali boleh mengirim, dan kiriman "
                                                                      "mana yang dihitung.")
    umpan_balik: FeedbackSection = Field(FeedbackSection(), description="Umpan balik setelah penilaian.")
    laporan: ReportSection = Field(ReportSection(), description="Laporan BKPSDM dan sertifikat.")

    @field_validator("zona_waktu")
    @classmethod
    def _zone(cls, value: str) -> str:
        if value not in ZONES:
            raise ValueError(f"{value!r} bukan zona waktu Indonesia; pilih salah satu dari: "
                             + ", ".join(f"{z} ({label})" for z, label in ZONES.items()))
        return value

    @field_validator("per_kuis")
    @classmethod
    def _marks(cls, value: dict[str, float]) -> dict[str, float]:
        for quiz, mark in value.items():
            if not 0 < mark <= 1:
                raise ValueError(f"batas lulus {quiz} {mark:g} harus di antara 0 dan 1 (mis. 0.8)")
        return value


def policy_file(path: str | Path | None = None) -> Path:
    """The policy in force: an explicit path, else NETRALITAS_POLICY (a
    deployment's own file; nbgrader subprocesses inherit it), else the repo's."""
    from .settings import settings

    return Path(path or settings().policy or POLICY_FILE)


_TYPES = {
    "extra_forbidden": "kunci tidak dikenal (salah ketik?)",
    "missing": "wajib diisi",
    "int_type": "harus bilangan bulat",
    "int_parsing": "harus bilangan bulat",
    "int_from_float": "harus bilangan bulat",
    "float_type": "harus angka",
    "float_parsing": "harus angka",
    "bool_type": "harus ya/tidak (true/false)",
    "string_type": "harus teks",
    "dict_type": "harus berisi pasangan kunci: nilai",
    "model_type": "harus berisi pasangan kunci: nilai",
    "model_attributes_type": "harus berisi pasangan kunci: nilai",
    "list_type": "harus berupa daftar",
    "tuple_type": "harus berupa daftar",
    "date_type": "bukan tanggal YYYY-MM-DD",
    "date_parsing": "bukan tanggal YYYY-MM-DD",
    "date_from_datetime_parsing": "bukan tanggal YYYY-MM-DD",
    "date_from_datetime_inexact": "bukan tanggal YYYY-MM-DD",
}


def _message(error: dict) -> str:
    """One pydantic error in the words of the file's editor."""
    kind, ctx = error["type"], error.get("ctx") or {}
    if kind == "value_error":
        return str(ctx.get("error", error["msg"]))
    if kind in ("literal_error", "enum"):
        expected = str(ctx.get("expected", "")).replace("'", "").replace(" or ", ", ")
        return f"harus salah satu dari: {expected}"
    bounds = {"greater_than": "lebih dari", "greater_than_equal": "paling sedikit", "less_than": "kurang dari",
              "less_than_equal": "paling banyak"}
    if kind in bounds:
        limit = next(iter(ctx.values()), "")
        if kind == "greater_than_equal" and isinstance(error.get("input"), int):
            return f"harus bilangan bulat {limit} atau lebih"
        text = f"harus {bounds[kind]} {limit}"
        return text + " (tulis sebagai pecahan, mis. 0.8 untuk 80%; harus di antara 0 dan 1)" \
            if error["loc"][-1:] == ("batas_lulus",) else text
    return _TYPES.get(kind, error["msg"])


def _where(loc: tuple) -> str:
    return ".".join(str(x) for x in loc if not (isinstance(x, str) and x.startswith("function-")))


def _validate(data, name: str) -> Kebijakan:
    if data is None:
        data = {}
    if not isinstance(data, dict):
        raise PolicyError(f"{name}: isi berkas harus berupa pasangan kunci: nilai")
    try:
        return Kebijakan.model_validate(data)
    except ValidationError as exc:
        wrong = "; ".join(f"{_where(e['loc'])} {e.get('input')!r}: {_message(e)}" if e["type"] != "extra_forbidden"
                          else f"{_where(e['loc'])}: {_message(e)}" for e in exc.errors())
        raise PolicyError(f"{name}: {wrong}") from None


@lru_cache(maxsize=16)
def _read(path: Path, stamp: tuple[int, int] | None) -> Kebijakan:
    if stamp is None:
        return Kebijakan()
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise PolicyError(f"{path.name}: bukan YAML yang sah ({exc})") from None
    return _validate(data, path.name)


def load_policy(path: str | Path | None = None) -> Kebijakan:
    """The policy in force (see policy_file), checked whole; read again when the file changes."""
    path = policy_file(path)
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except FileNotFoundError:
        stamp = None
    return _read(path, stamp)


# The id scheme lives in netralitas/assignments.py; re-exported for the policy's callers.
assignment_kind = kind_of


def pass_mark(assignment_id: str | None = None, path: str | Path | None = None) -> float:
    p = load_policy(path)
    return float(p.per_kuis.get(assignment_id, p.batas_lulus)) if assignment_id else p.batas_lulus


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
    section = load_policy(path).percobaan
    maximum, counted = section.maksimum, section.yang_dihitung
    for rule in (section.per_jenis.get(Kind(kind_of(assignment_id)[0])), section.per_kuis.get(assignment_id)):
        if rule is not None:
            maximum = rule.maksimum if rule.maksimum is not None else maximum
            counted = rule.yang_dihitung or counted
    return Attempts(maximum, counted)


def show_correct_option(assignment_id: str | None = None, path: str | Path | None = None) -> str:
    """When feedback shows the correct option of an item not answered
    correctly: the general rule, or the assignment kind's exception (per_jenis)."""
    section = load_policy(path).umpan_balik
    if assignment_id:
        return section.per_jenis.get(Kind(kind_of(assignment_id)[0]), section.tampilkan_jawaban_benar)
    return section.tampilkan_jawaban_benar
