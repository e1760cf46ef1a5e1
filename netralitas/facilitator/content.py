"""Facilitator-only content (bank/fasilitator/), validated against the bank.

Kept out of the scenario schema on purpose: nothing here changes what a module
or quiz loads. The entries are pydantic records like the bank's (content/schema.py:
frozen, unknown keys refused, each field described in docs/BANK_KONTEN.md); every
reference (module, scenario, regulation) is checked against the bank given as
validation context, and every message names the file, the entry and the field.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, ClassVar

import yaml
from pydantic import AfterValidator, BeforeValidator, Field, StrictBool, StrictInt, ValidationInfo, model_validator

from .. import paths
from ..content.loader import Bank
from ..content.schema import ContentError, LegalBasis, ModuleId, Record, Words, _items, _module_id

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


def _texts(least: int):
    """A list of at least `least` texts, each with its runs of spaces folded."""
    def check(value: Any, info: ValidationInfo) -> tuple[str, ...]:
        if not isinstance(value, list) or len(value) < least \
                or not all(isinstance(x, str) and x.strip() for x in value):
            raise ValueError(f"'{info.field_name}' needs a list of at least {least} text(s) "
                             "(quote items that contain \": \")")
        return tuple(" ".join(x.split()) for x in value)
    return Annotated[tuple[str, ...], BeforeValidator(check)]


def _bank(info: ValidationInfo) -> Bank | None:
    return (info.context or {}).get("bank")


def _cited(bases: tuple[LegalBasis, ...], info: ValidationInfo) -> tuple[LegalBasis, ...]:
    bank = _bank(info)
    for b in bases if bank else ():
        if b.regulasi not in bank.regulations:
            raise ValueError(f"dasar_hukum cites unknown regulasi {b.regulasi!r} (see regulasi.yaml)")
        if bank.regulations[b.regulasi].status == "dicabut":
            raise ValueError(f"{b.regulasi} is revoked; cite {bank.regulations[b.regulasi].diganti_oleh}")
    return bases


def _scenarios(ids: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
    bank = _bank(info)
    unknown = [i for i in ids if bank and i not in bank.scenarios]
    if unknown:
        raise ValueError(f"unknown scenario id(s) {unknown} (see bank/modul/)")
    return ids


def _modules(ids: tuple[str, ...], info: ValidationInfo) -> tuple[str, ...]:
    bank = _bank(info)
    unknown = [m for m in ids if bank and m not in bank.modules]
    if unknown:
        raise ValueError(f"unknown modul {unknown}")
    return ids


Bases = Annotated[tuple[LegalBasis, ...], AfterValidator(_cited)]
ScenarioIds = Annotated[tuple[str, ...], BeforeValidator(_items), AfterValidator(_scenarios)]
ModuleIds = Annotated[tuple[Annotated[str, BeforeValidator(_module_id)], ...], AfterValidator(_modules)]


def cite(bank: Bank, bases) -> list[str]:
    return bank.cite_bases(bases)


class Misconception(Record):
    """A belief staff hold that the rules contradict (fasilitator/modul/, `miskonsepsi:`)."""

    LABEL: ClassVar[str] = ""
    anggapan: Words = Field(description="Anggapan keliru, sebagaimana diucapkan peserta.")
    jawaban: Words = Field(description="Jawaban fasilitator.")
    dasar_hukum: Bases = Field(description="Dasar hukum jawaban (aturan yang masih berlaku).")
    skenario: ScenarioIds = Field((), description="Skenario bank yang membahasnya.")


class GreyCase(Record):
    """A case without one clear answer, for discussion (fasilitator/modul/, `kasus_abu_abu:`)."""

    LABEL: ClassVar[str] = ""
    judul: Words = Field(description="Judul kasus.")
    situasi: Words = Field(description="Situasi yang dibacakan.")
    arah_diskusi: Words = Field(description="Ke mana fasilitator mengarahkan diskusi.")
    dasar_hukum: Bases = Field(description="Dasar hukum yang dibahas.")
    skenario: ScenarioIds = Field((), description="Skenario bank yang terkait.")


class ModuleGuide(Record):
    """The facilitator's guide to one module (fasilitator/modul/NN_slug.yaml)."""

    LABEL: ClassVar[str] = ""
    modul: ModuleId = Field(description="Nomor modul (nama berkas sama dengan modulnya).")
    poin_bicara: _texts(3) = Field(description="Poin bicara (paling sedikit 3).")
    pertanyaan_diskusi: _texts(2) = Field(description="Pertanyaan diskusi (paling sedikit 2).")
    miskonsepsi: tuple[Misconception, ...] = Field((), description="Anggapan keliru (paling sedikit 2).")
    kasus_abu_abu: tuple[GreyCase, ...] = Field((), description="Kasus abu-abu (paling sedikit 1).")

    @model_validator(mode="after")
    def _enough(self) -> ModuleGuide:
        if len(self.miskonsepsi) < 2 or not self.kasus_abu_abu:
            raise ValueError("needs at least 2 miskonsepsi and 1 kasus_abu_abu")
        return self


class Faq(Record):
    """A question staff ask, answered (fasilitator/tanya_jawab.yaml)."""

    id: Words = Field(description="Kode pertanyaan.")
    pertanyaan: Words = Field(description="Pertanyaan, sebagaimana diajukan pegawai.")
    jawaban: Words = Field(description="Jawaban (memuat BKPSDM bila tanyakan_bkpsdm).")
    dasar_hukum: Bases = Field(description="Dasar hukum jawaban.")
    skenario: ScenarioIds = Field((), description="Skenario bank yang terkait.")
    tanyakan_bkpsdm: StrictBool = Field(False, description="Aturannya belum pasti: jawaban harus mengarahkan "
                                                           "pembaca ke BKPSDM.")

    @model_validator(mode="after")
    def _uncertain_sends_to_bkpsdm(self) -> Faq:
        if self.tanyakan_bkpsdm and ASK_BKPSDM not in self.jawaban:
            raise ValueError("the rules are marked uncertain, so the answer must send the reader to BKPSDM")
        return self


class Part(Record):
    """One part of a session plan (fasilitator/sesi.yaml, `bagian:`)."""

    LABEL: ClassVar[str] = ""
    judul: Words = Field(description="Judul bagian.")
    menit: StrictInt = Field(gt=0, description="Lama bagian dalam menit (bilangan bulat positif).")
    cara: Words = Field(description="Cara menjalankannya.")
    modul: ModuleIds = Field((), description="Modul yang dibahas.")
    skenario: ScenarioIds = Field((), description="Skenario yang dibahas (setiap skenario sekali per sesi).")
    jeda: StrictBool = Field(False, description="Jeda: tidak dihitung dalam JP.")


class SessionPlan(Record):
    """A face-to-face session plan (fasilitator/sesi.yaml)."""

    id: Words = Field(description="Kode rencana, mis. sesi_60.")
    judul: Words = Field(description="Judul rencana.")
    durasi_menit: StrictInt = Field(description="Lama sesi dalam menit (jumlah menit semua bagian).")
    sasaran: Words = Field(description="Sasaran peserta.")
    tujuan: _texts(2) = Field(description="Tujuan sesi (paling sedikit 2).")
    bagian: tuple[Part, ...] = Field((), description="Bagian sesi, berurutan.")

    @model_validator(mode="after")
    def _adds_up(self) -> SessionPlan:
        total = sum(p.menit for p in self.bagian)
        if total != self.durasi_menit:
            raise ValueError(f"parts add up to {total} minutes, durasi_menit says {self.durasi_menit}")
        if len(set(self.scenarios)) != len(self.scenarios):
            raise ValueError("a scenario is used twice")
        return self

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


class Texts(Record):
    """The pledge and the integrity pact read aloud (fasilitator/naskah.yaml)."""

    LABEL: ClassVar[str] = ""
    ikrar_pembuka: Words = Field(description="Kalimat pembuka ikrar.")
    ikrar: _texts(4) = Field(description="Butir ikrar (paling sedikit 4).")
    pakta_pembuka: Words = Field(description="Kalimat pembuka pakta integritas.")
    pakta: _texts(3) = Field(description="Butir pakta (paling sedikit 3).")


@dataclass(frozen=True)
class Kit:
    modules: dict[str, ModuleGuide]
    faq: tuple[Faq, ...]
    plans: dict[str, SessionPlan]
    texts: Texts


KIT_RECORDS = (ModuleGuide, Misconception, GreyCase, Faq, SessionPlan, Part, Texts)


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
    return ModuleGuide.from_dict(d, f"fasilitator/modul/{path.name}", {"bank": bank})


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
    faq = tuple(Faq.from_dict(d, f"fasilitator/tanya_jawab.yaml #{i}", {"bank": bank})
                for i, d in enumerate(faq_raw, start=1))
    if len({f.id for f in faq}) != len(faq):
        raise ContentError("tanya_jawab.yaml: duplicate id")
    plans_raw = bank.expand(_read(kit_dir / "sesi.yaml"), "sesi.yaml")
    if not isinstance(plans_raw, list):
        raise ContentError("sesi.yaml: expected a YAML list")
    plans = {p.id: p for p in (SessionPlan.from_dict(d, "fasilitator/sesi.yaml", {"bank": bank})
                               for d in plans_raw)}
    texts = Texts.from_dict(bank.expand(_read(kit_dir / "naskah.yaml") or {}, "naskah.yaml"), "naskah.yaml")
    return Kit(guides, faq, plans, texts)
