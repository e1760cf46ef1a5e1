"""Unit master: the agency's unit kerja / OPD names with their aliases.

Rosters spell units many ways ("Dispendik", "dinas  pendidikan", "Kec. Sukamaju");
the report must group them as one unit, so names are matched on a folded key.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .. import paths

UNITS_FILE = paths.GRADING_DIR / "unit_kerja.yaml"


def fold(name: str) -> str:
    """Case, dots, commas and repeated spaces do not make another unit."""
    return re.sub(r"\s+", " ", re.sub(r"[.,]", " ", str(name or ""))).strip().casefold()


@dataclass(frozen=True)
class Signer:
    jabatan: str = ""      # e.g. "Sekretaris Daerah", "Camat Sukamaju" (never guessed from the unit name)
    nama: str = ""
    nip: str = ""


@dataclass(frozen=True)
class Unit:
    nama: str
    instansi: str
    penandatangan: Signer = Signer()


@dataclass(frozen=True)
class Agency:
    """Per instansi: who runs the course and signs certificates, and the place documents are signed."""
    nama: str
    penyelenggara: str = ""
    tempat: str = ""
    pejabat: Signer = Signer()


@dataclass
class UnitMaster:
    by_key: dict[str, Unit] = field(default_factory=dict)
    agencies: dict[str, Agency] = field(default_factory=dict)

    def agency(self, instansi: str) -> Agency:
        return self.agencies.get(instansi) or Agency(instansi)

    @property
    def empty(self) -> bool:
        return not self.by_key

    def lookup(self, name: str) -> Unit | None:
        return self.by_key.get(fold(name))

    def units(self) -> list[Unit]:
        return sorted(set(self.by_key.values()), key=lambda u: (u.instansi, u.nama))


def _signer(value, name: str) -> Signer:
    if value in (None, ""):
        return Signer()
    if not isinstance(value, dict) or not str(value.get("jabatan") or "").strip():
        raise ValueError(f"{name}: penandatangan/pejabat harus berisi jabatan (dan nama, nip)")
    return Signer(*(str(value.get(k) or "").strip() for k in ("jabatan", "nama", "nip")))


def load_units(path: Path | None = None) -> UnitMaster:
    """An absent file means no master: units are kept as written, without warnings."""
    path = Path(path or UNITS_FILE)
    if not path.exists():
        return UnitMaster()
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or []
    if not isinstance(data, list):
        raise ValueError(f"{path.name}: expected a list of {{instansi, unit}} mappings")
    master = UnitMaster()
    for block in data:
        instansi = str(block.get("instansi") or "").strip()
        if not instansi:
            raise ValueError(f"{path.name}: every block needs 'instansi'")
        master.agencies[instansi] = Agency(instansi, str(block.get("penyelenggara") or "").strip(),
                                           str(block.get("tempat") or "").strip(),
                                           _signer(block.get("pejabat_sertifikat"), path.name))
        for entry in block.get("unit") or []:
            entry = {"nama": entry} if isinstance(entry, str) else entry
            unit = Unit(str(entry["nama"]).strip(), instansi, _signer(entry.get("penandatangan"), path.name))
            for name in [unit.nama, *(entry.get("alias") or [])]:
                key = fold(name)
                if key in master.by_key and master.by_key[key] != unit:
                    raise ValueError(f"{path.name}: {name!r} names both {master.by_key[key].nama!r} "
                                     f"and {unit.nama!r}")
                master.by_key[key] = unit
    return master
