"""The HR part of grading/kebijakan.yaml (section `laporan`) as the report uses it.

The keys, their types and defaults are declared once, in netralitas/policy.py (ReportSection)."""
from __future__ import annotations

from dataclasses import dataclass, field, replace
from datetime import date
from pathlib import Path

from ..policy import load_policy


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


def load_report_policy(path: Path | None = None) -> ReportPolicy:
    """Section `laporan` of the policy in force (NETRALITAS_POLICY names a deployment's own),
    read through the one policy model."""
    d = load_policy(path).laporan
    return ReportPolicy(
        modul_wajib=d.modul_wajib,
        tenggat=d.tenggat,
        tenggat_modul=dict(d.tenggat_modul),
        periode_mulai=d.periode_mulai,
        periode_selesai=d.periode_selesai,
        jp_per_modul=float(d.jp_per_modul),
        masa_berlaku_bulan=d.masa_berlaku_bulan,
        versi_aturan=tuple(sorted((RulesVersion(v.versi, v.berlaku_sejak, v.keterangan) for v in d.versi_aturan),
                                  key=lambda v: v.berlaku_sejak)),
    )
