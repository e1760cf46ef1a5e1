"""The HR part of grading/kebijakan.yaml (section `laporan`), with defaults."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

import yaml

from ..policy import policy_file


@dataclass(frozen=True)
class RulesVersion:
    versi: str
    berlaku_sejak: date
    keterangan: str = ""


@dataclass(frozen=True)
class ReportPolicy:
    modul_wajib: tuple[str, ...] = ()          # empty: every module of the bank
    tenggat: date | None = None
    tenggat_modul: dict = field(default_factory=dict)
    periode_mulai: date | None = None
    periode_selesai: date | None = None
    jp_per_modul: float = 1.0
    masa_berlaku_bulan: int = 36
    versi_aturan: tuple[RulesVersion, ...] = ()

    def with_period(self, mulai: date | None, selesai: date | None) -> "ReportPolicy":
        return replace(self, periode_mulai=mulai or self.periode_mulai,
                       periode_selesai=selesai or self.periode_selesai)

    def deadline(self, module: str) -> date | None:
        return self.tenggat_modul.get(module, self.tenggat)

    def rules_version_on(self, day: date) -> RulesVersion | None:
        in_force = [v for v in self.versi_aturan if v.berlaku_sejak <= day]
        return max(in_force, key=lambda v: v.berlaku_sejak) if in_force else None


def _date(value, key: str) -> date | None:
    if value in (None, ""):
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as exc:
        raise ValueError(f"kebijakan.yaml laporan.{key}: {value!r} bukan tanggal YYYY-MM-DD") from exc


def load_report_policy(path: Path | None = None) -> ReportPolicy:
    # The same file as the rest of the policy (NETRALITAS_POLICY names a deployment's own).
    path = policy_file(path)
    data = (yaml.safe_load(path.read_text(encoding="utf-8")) or {}) if path.exists() else {}
    d = data.get("laporan") or {}
    versions = tuple(sorted((RulesVersion(str(v["versi"]), _date(v["berlaku_sejak"], "versi_aturan"),
                                          str(v.get("keterangan") or "")) for v in d.get("versi_aturan") or []),
                            key=lambda v: v.berlaku_sejak))
    return ReportPolicy(
        modul_wajib=tuple(str(m).zfill(2) for m in d.get("modul_wajib") or ()),
        tenggat=_date(d.get("tenggat"), "tenggat"),
        tenggat_modul={str(k).zfill(2): _date(v, f"tenggat_modul.{k}") for k, v in (d.get("tenggat_modul") or {}).items()},
        periode_mulai=_date(d.get("periode_mulai"), "periode_mulai"),
        periode_selesai=_date(d.get("periode_selesai"), "periode_selesai"),
        jp_per_modul=float(d.get("jp_per_modul", 1)),
        masa_berlaku_bulan=int(d.get("masa_berlaku_bulan", 36)),
        versi_aturan=versions,
    )
