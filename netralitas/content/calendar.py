"""Election calendar: the one place dates live, so scenarios speak of phases
(kampanye, masa tenang, ...) and the course stays current when dates change."""
from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from .. import paths
from .loader import Bank, _read_list
from .schema import ContentError

CALENDAR_PHASES = {
    "pendaftaran_calon": "Pendaftaran calon",
    "penetapan_calon": "Penetapan calon",
    "kampanye": "Masa kampanye",
    "masa_tenang": "Masa tenang",
    "hari_pemungutan": "Hari pemungutan suara",
    "rekapitulasi": "Rekapitulasi hasil",
}


@dataclass(frozen=True)
class Phase:
    fase: str
    mulai: date
    selesai: date
    keterangan: str = ""


@dataclass(frozen=True)
class Election:
    id: str
    nama: str
    dasar: str | None
    resmi: bool
    tahapan: tuple[Phase, ...]
    catatan: str = ""


def load_calendar(bank: Bank, path: Path | None = None) -> dict[str, Election]:
    path = Path(path or paths.BANK_DIR / "kalender.yaml")
    out = {}
    for d in _read_list(path):
        where = f"{path.name} [{d.get('pemilihan', '?')}]"
        phases = []
        for p in d.get("tahapan") or []:
            if p.get("fase") not in CALENDAR_PHASES:
                raise ContentError(f"{where}: unknown fase {p.get('fase')!r}")
            if not isinstance(p.get("mulai"), date) or not isinstance(p.get("selesai"), date):
                raise ContentError(f"{where} {p['fase']}: mulai/selesai must be dates (YYYY-MM-DD)")
            if p["mulai"] > p["selesai"]:
                raise ContentError(f"{where} {p['fase']}: mulai after selesai")
            phases.append(Phase(p["fase"], p["mulai"], p["selesai"], (p.get("keterangan") or "").strip()))
        election = Election(id=d["pemilihan"], nama=d["nama"], dasar=d.get("dasar"),
                            resmi=bool(d.get("resmi")), tahapan=tuple(phases),
                            catatan=(d.get("catatan") or "").strip())
        if election.dasar and election.dasar not in bank.regulations:
            raise ContentError(f"{where}: dasar {election.dasar!r} is not in regulasi.yaml")
        if election.resmi and not phases:
            raise ContentError(f"{where}: an official (resmi) election needs its dates")
        if election.id in out:
            raise ContentError(f"{where}: duplicate pemilihan id")
        out[election.id] = election
    return out


def phases_on(day: date, calendar: dict[str, Election]) -> list[tuple[Election, Phase]]:
    """Which phase of which official election a given day falls in."""
    return [(e, p) for e in calendar.values() if e.resmi for p in e.tahapan if p.mulai <= day <= p.selesai]
