"""Facilitator-only content (bank/fasilitator/), validated against the bank.

Kept out of the scenario schema on purpose: nothing here changes what a module
or quiz loads. Every reference (module, scenario, regulation) is checked, and
every message names the file and the entry so an author can fix it.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import yaml

from .. import paths
from ..content.loader import Bank
from ..content.schema import ContentError, LegalBasis

KIT_DIR = paths.BANK_DIR / "fasilitator"
# The words a careful answer uses when the rules are not settled.
ASK_BKPSDM = "BKPSDM"


def _read(path: Path):
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except FileNotFoundError as exc:
        raise ContentError(f"{path.name}: file missing") from exc
    except yaml.YAMLError as exc:
        raise ContentError(f"{path.name}: not valid YAML: {exc}") from exc


def _text(d: dict, key: str, where: str) -> str:
    value = d.get(key)
    if not isinstance(value, str) or not value.strip():
        raise ContentError(f"{where}: missing text field '{key}'")
    return " ".join(value.split())


def _texts(d: dict, key: str, where: str, least: int = 1) -> tuple[str, ...]:
    value = d.get(key) or []
    if not isinstance(value, list) or len(value) < least or not all(isinstance(x, str) and x.strip() for x in value):
        raise ContentError(f"{where}: '{key}' needs a list of at least {least} text(s) (quote items that contain \": \")")
    return tuple(" ".join(x.split()) for x in value)


def _bases(d: dict, bank: Bank, where: str, required: bool = True) -> tuple[LegalBasis, ...]:
    raw = d.get("dasar_hukum") or []
    if required and not raw:
        raise ContentError(f"{where}: missing 'dasar_hukum'")
    out = []
    for b in raw:
        reg = (b or {}).get("regulasi")
        if reg not in bank.regulations:
            raise ContentError(f"{where}: dasar_hukum cites unknown regulasi {reg!r} (see regulasi.yaml)")
        if bank.regulations[reg].status == "dicabut":
            raise ContentError(f"{where}: {reg} is revoked; cite {bank.regulations[reg].diganti_oleh}")
        out.append(LegalBasis(regulasi=reg, pasal=str(b.get("pasal") or "").strip()))
    return tuple(out)


def _scenario_ids(d: dict, key: str, bank: Bank, where: str) -> tuple[str, ...]:
    ids = tuple(str(x) for x in d.get(key) or ())
    unknown = [i for i in ids if i not in bank.scenarios]
    if unknown:
        raise ContentError(f"{where}: unknown scenario id(s) {unknown} (see bank/modul/)")
    return ids


def cite(bank: Bank, bases) -> list[str]:
    return bank.cite_bases(bases)


@dataclass(frozen=True)
class Misconception:
    anggapan: str
    jawaban: str
    dasar_hukum: tuple[LegalBasis, ...]
    skenario: tuple[str, ...]


@dataclass(frozen=True)
class GreyCase:
    judul: str
    situasi: str
    arah_diskusi: str
    dasar_hukum: tuple[LegalBasis, ...]
    skenario: tuple[str, ...]


@dataclass(frozen=True)
class ModuleGuide:
    modul: str
    poin_bicara: tuple[str, ...]
    pertanyaan_diskusi: tuple[str, ...]
    miskonsepsi: tuple[Misconception, ...]
    kasus_abu_abu: tuple[GreyCase, ...]


@dataclass(frozen=True)
class Faq:
    id: str
    pertanyaan: str
    jawaban: str
    dasar_hukum: tuple[LegalBasis, ...]
    skenario: tuple[str, ...]
    tanyakan_bkpsdm: bool


@dataclass(frozen=True)
class Part:
    judul: str
    menit: int
    cara: str
    modul: tuple[str, ...]
    skenario: tuple[str, ...]
    jeda: bool


@dataclass(frozen=True)
class SessionPlan:
    id: str
    judul: str
    durasi_menit: int
    sasaran: str
    tujuan: tuple[str, ...]
    bagian: tuple[Part, ...]

    @property
    def scenarios(self) -> list[str]:
        return [s for p in self.bagian for s in p.skenario]

    @property
    def modules(self) -> list[str]:
        return sorted({m for p in self.bagian for m in p.modul})

    @property
    def learning_minutes(self) -> int:
        """Face-to-face minutes that count toward JP (breaks excluded)."""
        return sum(p.menit for p in self.bagian if not p.jeda)


@dataclass(frozen=True)
class Texts:
    ikrar_pembuka: str
    ikrar: tuple[str, ...]
    pakta_pembuka: str
    pakta: tuple[str, ...]


@dataclass(frozen=True)
class Kit:
    modules: dict[str, ModuleGuide]
    faq: tuple[Faq, ...]
    plans: dict[str, SessionPlan]
    texts: Texts


def _module_guide(path: Path, bank: Bank) -> ModuleGuide:
    # Markers ({perilaku:..}, {ragu:..}) read as in the modules.
    d = bank.expand(_read(path), path.name)
    if not isinstance(d, dict):
        raise ContentError(f"{path.name}: expected a mapping")
    module_id = str(d.get("modul") or "").zfill(2)
    if module_id not in bank.modules:
        raise ContentError(f"{path.name}: unknown modul {d.get('modul')!r}")
    if path.stem != bank.modules[module_id].name:
        raise ContentError(f"{path.name}: file must be named {bank.modules[module_id].name}.yaml")
    where = f"fasilitator/modul/{path.name}"
    misc = []
    for i, m in enumerate(d.get("miskonsepsi") or [], start=1):
        w = f"{where} miskonsepsi #{i}"
        misc.append(Misconception(_text(m, "anggapan", w), _text(m, "jawaban", w),
                                  _bases(m, bank, w), _scenario_ids(m, "skenario", bank, w)))
    grey = []
    for i, g in enumerate(d.get("kasus_abu_abu") or [], start=1):
        w = f"{where} kasus_abu_abu #{i}"
        grey.append(GreyCase(_text(g, "judul", w), _text(g, "situasi", w), _text(g, "arah_diskusi", w),
                             _bases(g, bank, w), _scenario_ids(g, "skenario", bank, w)))
    if len(misc) < 2 or not grey:
        raise ContentError(f"{where}: needs at least 2 miskonsepsi and 1 kasus_abu_abu")
    return ModuleGuide(module_id, _texts(d, "poin_bicara", where, 3), _texts(d, "pertanyaan_diskusi", where, 2),
                       tuple(misc), tuple(grey))


def _faq(d: dict, bank: Bank, i: int) -> Faq:
    where = f"fasilitator/tanya_jawab.yaml #{i} [{d.get('id', '?')}]"
    ask = d.get("tanyakan_bkpsdm", False)
    if not isinstance(ask, bool):
        raise ContentError(f"{where}: 'tanyakan_bkpsdm' must be true or false")
    answer = _text(d, "jawaban", where)
    if ask and ASK_BKPSDM not in answer:
        raise ContentError(f"{where}: the rules are marked uncertain, so the answer must send the reader to BKPSDM")
    return Faq(_text(d, "id", where), _text(d, "pertanyaan", where), answer, _bases(d, bank, where),
               _scenario_ids(d, "skenario", bank, where), ask)


def _plan(d: dict, bank: Bank) -> SessionPlan:
    where = f"fasilitator/sesi.yaml [{d.get('id', '?')}]"
    parts = []
    for i, p in enumerate(d.get("bagian") or [], start=1):
        w = f"{where} bagian #{i}"
        minutes = p.get("menit")
        if not isinstance(minutes, int) or minutes <= 0:
            raise ContentError(f"{w}: 'menit' must be a positive whole number")
        modules = tuple(str(m).zfill(2) for m in p.get("modul") or ())
        unknown = [m for m in modules if m not in bank.modules]
        if unknown:
            raise ContentError(f"{w}: unknown modul {unknown}")
        parts.append(Part(_text(p, "judul", w), minutes, _text(p, "cara", w), modules,
                          _scenario_ids(p, "skenario", bank, w), bool(p.get("jeda", False))))
    total = d.get("durasi_menit")
    if sum(p.menit for p in parts) != total:
        raise ContentError(f"{where}: parts add up to {sum(p.menit for p in parts)} minutes, "
                           f"durasi_menit says {total}")
    plan = SessionPlan(_text(d, "id", where), _text(d, "judul", where), total, _text(d, "sasaran", where),
                       _texts(d, "tujuan", where, 2), tuple(parts))
    if len(set(plan.scenarios)) != len(plan.scenarios):
        raise ContentError(f"{where}: a scenario is used twice")
    return plan


def load_kit(bank: Bank, kit_dir: Path | None = None) -> Kit:
    kit_dir = Path(kit_dir or KIT_DIR)
    guides = {}
    for path in sorted((kit_dir / "modul").glob("*.yaml")):
        g = _module_guide(path, bank)
        guides[g.modul] = g
    missing = sorted(set(bank.modules) - set(guides))
    if missing:
        raise ContentError(f"fasilitator/modul/: no facilitator guide for module(s) {missing}")
    faq_raw = bank.expand(_read(kit_dir / "tanya_jawab.yaml"), "tanya_jawab.yaml")
    if not isinstance(faq_raw, list):
        raise ContentError("tanya_jawab.yaml: expected a YAML list")
    faq = tuple(_faq(d, bank, i) for i, d in enumerate(faq_raw, start=1))
    if len({f.id for f in faq}) != len(faq):
        raise ContentError("tanya_jawab.yaml: duplicate id")
    plans_raw = bank.expand(_read(kit_dir / "sesi.yaml"), "sesi.yaml")
    if not isinstance(plans_raw, list):
        raise ContentError("sesi.yaml: expected a YAML list")
    plans = {p.id: p for p in (_plan(d, bank) for d in plans_raw)}
    t = bank.expand(_read(kit_dir / "naskah.yaml") or {}, "naskah.yaml")
    texts = Texts(_text(t, "ikrar_pembuka", "naskah.yaml"), _texts(t, "ikrar", "naskah.yaml", 4),
                  _text(t, "pakta_pembuka", "naskah.yaml"), _texts(t, "pakta", "naskah.yaml", 3))
    return Kit(guides, faq, plans, texts)
