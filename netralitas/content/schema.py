"""Content model of the scenario bank, and its validation.

The bank is YAML written by people; every check here reports the file and the
item id so an author can fix it without reading Python.
"""
from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass
from typing import Any

VERDICTS = {
    "melanggar": "Melanggar",
    "tidak_melanggar": "Tidak melanggar",
    "tergantung": "Tergantung keadaan",
}
PHASES = {
    "sebelum_kampanye": "Sebelum masa kampanye",
    "kampanye": "Masa kampanye",
    "masa_tenang": "Masa tenang",
    "hari_pemungutan": "Hari pemungutan suara",
    "setelah_pemungutan": "Setelah pemungutan suara",
    "sepanjang_tahapan": "Sepanjang tahapan pemilihan",
}
ELECTIONS = {"pemilu": "Pemilu", "pilkada": "Pilkada", "keduanya": "Pemilu dan Pilkada"}
STAFF_KINDS = {"PNS", "PPPK", "PPNPN"}
LEVELS = {"dasar", "menengah", "lanjut"}
SANCTIONS = {
    "etik": "Pelanggaran kode etik (sanksi moral)",
    "disiplin_sedang": "Hukuman disiplin sedang",
    "disiplin_berat": "Hukuman disiplin berat",
    "ptdh": "Pemberhentian tidak dengan hormat",
    "pidana": "Tindak pidana pemilihan",
    "kontrak": "Sanksi sesuai perjanjian kerja (pegawai non-ASN)",
    "tidak_ada": "Tidak ada sanksi",
    "tergantung": "Bergantung pada hasil pemeriksaan",
}
REG_STATUS = {"berlaku", "dicabut", "tidak_pasti"}
KINDS = {"pilih_satu": "Pilih satu jawaban", "pilih_semua": "Pilih semua yang sesuai"}

# --- Additions of issue 19, declared here in one place -----------------------
# perilaku.yaml: the one table of behaviours and their sanction categories.
# Scenarios and quiz items name their behaviours (`perilaku: [PP94-5N-4]`) and
# their sanction category must be one the table gives; texts quote an entry
# with {perilaku:ID} or a whole group with {tabel_perilaku:GROUP}.
# ragu.yaml: facts the fact sheet marks [uncertain]; a text that relies on one
# carries {ragu:ID}, which the loader turns into a visible hedge.
# diajarkan_di (quiz items): what teaches the item, each entry a teaching
# scenario id ("S04-03") or a module part ("modul 04 bacaan").
MARKER = re.compile(r"\{(perilaku|tabel_perilaku|ragu):([A-Za-z0-9_.-]+)\}")
MODULE_PARTS = {"bacaan", "poin_kunci", "cek_mandiri"}
TEACHING_REF = re.compile(r"^(?:(?P<scenario>S\d{2}-\d{2})|modul (?P<module>\d{2}) (?P<part>[a-z_]+))$")
# Categories a scenario may carry without a behaviour behind it.
FREE_CATEGORIES = {"tidak_melanggar": {"tidak_ada"}, "tergantung": {"tergantung"}, "melanggar": set()}


class ContentError(ValueError):
    """The bank is malformed. Message is for content authors (English + ids)."""


# Minutes a module may take: the one declared bound (docs/BANK_KONTEN.md shows it).
MODULE_MINUTES = (15, 30)


def _known(d: dict, cls, where: str, add=(), drop=()) -> None:
    """Refuse keys the record does not declare (the dataclass fields are the declaration),
    naming file, item id and field, so a typo or a new key is never silently dropped."""
    if not isinstance(d, dict):
        raise ContentError(f"{where}: expected a mapping, got {type(d).__name__}")
    allowed = ({f.name for f in dataclasses.fields(cls)} - set(drop)) | set(add)
    unknown = sorted(set(d) - allowed)
    if unknown:
        raise ContentError(f"{where}: unknown field(s) {unknown} (typo? declared: {sorted(allowed)})")


def _ids(data: dict, key: str, where: str) -> tuple[str, ...]:
    value = data.get(key) or []
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(isinstance(x, str) and x.strip() for x in value):
        raise ContentError(f"{where}: '{key}' must be a list of ids")
    return tuple(x.strip() for x in value)


def _require(data: dict, key: str, where: str) -> Any:
    if key not in data or data[key] in (None, "", []):
        raise ContentError(f"{where}: missing required field '{key}'")
    return data[key]


def _text(data: dict, key: str, where: str) -> str:
    value = _require(data, key, where)
    if not isinstance(value, str):
        raise ContentError(f"{where}: field '{key}' must be text, got {type(value).__name__}")
    return value.strip()


def _choice(data: dict, key: str, allowed, where: str) -> str:
    value = _require(data, key, where)
    if value not in allowed:
        raise ContentError(f"{where}: '{key}' is {value!r}; allowed: {sorted(allowed)}")
    return value


@dataclass(frozen=True)
class Regulation:
    id: str
    jenis: str
    nomor: str
    tahun: int
    judul: str
    singkatan: str
    status: str
    diganti_oleh: str | None = None
    catatan: str = ""
    ragu: str = ""  # id in ragu.yaml: every citation of this rule carries that hedge
    sumber: tuple[str, ...] = ()  # keys of the fact sheet's source table (S38, ...) or seed article files

    @classmethod
    def from_dict(cls, d: dict, where: str) -> "Regulation":
        where = f"{where} [{d.get('id', '?') if isinstance(d, dict) else '?'}]"
        _known(d, cls, where)
        return cls(
            id=_text(d, "id", where),
            jenis=_text(d, "jenis", where),
            nomor=str(_require(d, "nomor", where)),
            tahun=int(_require(d, "tahun", where)),
            judul=_text(d, "judul", where),
            singkatan=_text(d, "singkatan", where),
            status=_choice(d, "status", REG_STATUS, where),
            diganti_oleh=d.get("diganti_oleh"),
            catatan=(d.get("catatan") or "").strip(),
            ragu=str(d.get("ragu") or "").strip(),
            sumber=tuple(str(x) for x in d.get("sumber") or ()),
        )


@dataclass(frozen=True)
class Behaviour:
    """One row of the behaviour table (perilaku.yaml)."""
    id: str
    kelompok: str
    uraian: str
    regulasi: str = dataclasses.field(metadata={"yaml": "dasar_hukum.regulasi"})
    pasal: str = dataclasses.field(metadata={"yaml": "dasar_hukum.pasal"})
    kategori: tuple[str, ...]
    keterangan: str
    sumber: tuple[str, ...] = ()

    @classmethod
    def from_dict(cls, d: dict, where: str) -> "Behaviour":
        where = f"{where} [{d.get('id', '?') if isinstance(d, dict) else '?'}]"
        _known(d, cls, where, add={"dasar_hukum"}, drop={"regulasi", "pasal"})
        categories = _ids(d, "kategori", where)
        if not categories or not set(categories) <= set(SANCTIONS):
            raise ContentError(f"{where}: kategori {list(categories)} must be within {sorted(SANCTIONS)}")
        basis = _require(d, "dasar_hukum", where)
        if not isinstance(basis, dict) or set(basis) - {"regulasi", "pasal"}:
            raise ContentError(f"{where}: dasar_hukum must be {{regulasi, pasal}} (quote a pasal that has commas)")
        return cls(id=_text(d, "id", where), kelompok=_text(d, "kelompok", where), uraian=_text(d, "uraian", where),
                   regulasi=_text(basis, "regulasi", where), pasal=str(basis.get("pasal") or "").strip(),
                   kategori=categories, keterangan=" ".join(_text(d, "keterangan", where).split()),
                   sumber=tuple(str(x) for x in d.get("sumber") or ()))


@dataclass(frozen=True)
class UncertainFact:
    """A fact the fact sheet marks [uncertain] (ragu.yaml); `pola` finds texts relying on it.

    `lindung` is the hedge a reader sees."""
    id: str
    fakta: str
    lindung: str
    pola: str
    singkat: str = ""
    kecuali: str = ""  # texts matching this rely on another fact instead (e.g. CLTN for passive attendance)

    @classmethod
    def from_dict(cls, d: dict, where: str) -> "UncertainFact":
        where = f"{where} [{d.get('id', '?') if isinstance(d, dict) else '?'}]"
        _known(d, cls, where)
        pattern, unless = _text(d, "pola", where), str(d.get("kecuali") or "")
        for key, value in (("pola", pattern), ("kecuali", unless)):
            try:
                re.compile(value)
            except re.error as exc:
                raise ContentError(f"{where}: '{key}' is not a valid regular expression: {exc}") from exc
        return cls(id=_text(d, "id", where), fakta=_text(d, "fakta", where),
                   lindung=" ".join(_text(d, "lindung", where).split()), pola=pattern,
                   singkat=" ".join(str(d.get("singkat") or "").split()), kecuali=unless)

    def relied_on_by(self, text: str) -> bool:
        return bool(re.search(self.pola, text, re.I)) and not (self.kecuali and re.search(self.kecuali, text))

    @property
    def hedge(self) -> str:
        return f"(Belum pasti: {self.lindung})"


@dataclass(frozen=True)
class SelfCheck:
    """A true/false statement for the module's short self-check."""
    pernyataan: str
    benar: bool
    penjelasan: str


@dataclass(frozen=True)
class Module:
    id: str
    slug: str
    judul: str
    durasi_menit: int = dataclasses.field(metadata={"batas": MODULE_MINUTES})
    tujuan: tuple[str, ...]
    bacaan: str
    poin_kunci: tuple[str, ...]
    catatan_fasilitator: tuple[str, ...] = ()
    cek_mandiri: tuple[SelfCheck, ...] = ()

    @property
    def name(self) -> str:
        """File stem shared by the module notebook and its quiz: '02_foto_...'."""
        return f"{self.id}_{self.slug}"

    @property
    def quiz_id(self) -> str:
        from ..assignments import quiz_id

        return quiz_id(self.id)

    @classmethod
    def from_dict(cls, d: dict, where: str) -> "Module":
        where = f"{where} [modul {d.get('id', '?') if isinstance(d, dict) else '?'}]"
        _known(d, cls, where)
        minutes = int(_require(d, "durasi_menit", where))
        low, high = MODULE_MINUTES
        if not low <= minutes <= high:
            raise ContentError(f"{where}: durasi_menit {minutes} outside {low}..{high}")
        return cls(
            id=str(_require(d, "id", where)).zfill(2),
            slug=_text(d, "slug", where),
            judul=_text(d, "judul", where),
            durasi_menit=minutes,
            tujuan=tuple(str(x).strip() for x in _require(d, "tujuan", where)),
            bacaan=_text(d, "bacaan", where),
            poin_kunci=tuple(str(x).strip() for x in _require(d, "poin_kunci", where)),
            catatan_fasilitator=tuple(str(x).strip() for x in d.get("catatan_fasilitator") or ()),
            cek_mandiri=tuple(cls._self_check(c, f"{where} cek_mandiri #{i + 1}")
                              for i, c in enumerate(d.get("cek_mandiri") or ())),
        )

    @staticmethod
    def _self_check(c: dict, where: str) -> SelfCheck:
        _known(c, SelfCheck, where)
        if not isinstance(c.get("benar"), bool):
            raise ContentError(f"{where}: 'benar' must be true or false")
        return SelfCheck(_text(c, "pernyataan", where), c["benar"], _text(c, "penjelasan", where))


# Verdict on an option: for an action ("Apa yang sebaiknya dilakukan?") the
# verdict on doing it; an option that is itself a verdict ("Melanggar",
# "Tidak melanggar, karena ...") claims that verdict; `tidak_berlaku` is for
# options that are not conduct at all (a reporting channel, a sanction).
OPTION_VERDICTS = {**VERDICTS, "tidak_berlaku": "Bukan tindakan yang dinilai"}
_CLAIM = re.compile(r"^(tidak melanggar|melanggar|tergantung)\b", re.IGNORECASE)


@dataclass(frozen=True)
class Option:
    id: str
    teks: str
    benar: bool
    umpan_balik: str
    putusan: str = ""

    @property
    def verdict_note(self) -> str:
        """'Tindakan ini: melanggar.' for an action option; empty otherwise."""
        if _CLAIM.match(self.teks) or self.putusan in ("", "tidak_berlaku"):
            return ""
        return f"Tindakan ini: {VERDICTS[self.putusan].lower()}."

    @classmethod
    def from_dict(cls, o: dict, where: str) -> "Option":
        _known(o, cls, where)
        if not isinstance(o.get("benar"), bool):
            raise ContentError(f"{where}: 'benar' must be true or false")
        text = _text(o, "teks", where)
        claim = _CLAIM.match(text)
        if o.get("putusan") is not None:
            verdict = _choice(o, "putusan", OPTION_VERDICTS, where)
        elif claim:
            verdict = claim.group(1).lower().replace(" ", "_")
        else:
            raise ContentError(f"{where}: option '{text[:40]}' is an action: give its 'putusan' "
                               f"({', '.join(sorted(OPTION_VERDICTS))})")
        return cls(id=_text(o, "id", where), teks=text, benar=o["benar"],
                   umpan_balik=_text(o, "umpan_balik", where), putusan=verdict)


@dataclass(frozen=True)
class LegalBasis:
    regulasi: str
    pasal: str = ""


@dataclass(frozen=True)
class Sanction:
    kategori: str
    keterangan: str
    penjatuh: str


@dataclass(frozen=True)
class Scenario:
    id: str
    modul: str
    judul: str
    fase: str
    pemilihan: str
    berlaku_untuk: tuple[str, ...]
    peran: str
    tingkat: str
    situasi: str
    pertanyaan: str
    pilihan: tuple[Option, ...]
    putusan: str
    tergantung_pada: str | None
    penjelasan: str
    dasar_hukum: tuple[LegalBasis, ...]
    sanksi: Sanction
    jenis: str = "pilih_satu"
    perilaku: tuple[str, ...] = ()
    diajarkan_di: tuple[str, ...] = ()

    @property
    def multi(self) -> bool:
        return self.jenis == "pilih_semua"

    @property
    def key(self) -> str:
        """Id of the correct option; for pilih_semua the sorted ids joined by commas
        (the same form the answer record stores)."""
        return ",".join(sorted(o.id for o in self.pilihan if o.benar))

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.pilihan if o.id == option_id), None)

    @classmethod
    def from_dict(cls, d: dict, where: str) -> "Scenario":
        where = f"{where} [{d.get('id', '?') if isinstance(d, dict) else '?'}]"
        _known(d, cls, where)
        options = []
        for i, o in enumerate(_require(d, "pilihan", where)):
            options.append(Option.from_dict(o, f"{where} pilihan #{i + 1}"))
        if not 2 <= len(options) <= 5:
            raise ContentError(f"{where}: needs 2..5 options, has {len(options)}")
        ids = [o.id for o in options]
        if len(set(ids)) != len(ids):
            raise ContentError(f"{where}: duplicate option ids {ids}")
        kind = d.get("jenis") or "pilih_satu"
        if kind not in KINDS:
            raise ContentError(f"{where}: 'jenis' is {kind!r}; allowed: {sorted(KINDS)}")
        n_right = sum(o.benar for o in options)
        if kind == "pilih_satu" and n_right != 1:
            raise ContentError(f"{where}: exactly one option must have benar: true")
        if kind == "pilih_semua" and not 1 <= n_right < len(options):
            raise ContentError(f"{where}: pilih_semua needs at least one right and one wrong option")

        verdict = _choice(d, "putusan", VERDICTS, where)
        depends = (d.get("tergantung_pada") or "").strip() or None
        if verdict == "tergantung" and not depends:
            raise ContentError(f"{where}: putusan 'tergantung' needs 'tergantung_pada'")
        applies = tuple(_require(d, "berlaku_untuk", where))
        if not set(applies) <= STAFF_KINDS:
            raise ContentError(f"{where}: berlaku_untuk {applies} not within {sorted(STAFF_KINDS)}")
        for i, b in enumerate(_require(d, "dasar_hukum", where)):
            _known(b, LegalBasis, f"{where} dasar_hukum #{i + 1}")
        bases = tuple(
            LegalBasis(regulasi=_text(b, "regulasi", where), pasal=str(b.get("pasal") or "").strip())
            for b in _require(d, "dasar_hukum", where)
        )
        s = _require(d, "sanksi", where)
        _known(s, Sanction, f"{where} sanksi")
        sanction = Sanction(
            kategori=_choice(s, "kategori", SANCTIONS, f"{where} sanksi"),
            keterangan=_text(s, "keterangan", f"{where} sanksi"),
            penjatuh=_text(s, "penjatuh", f"{where} sanksi"),
        )
        taught = _ids(d, "diajarkan_di", where)
        bad = [t for t in taught if not TEACHING_REF.match(t) or
               (TEACHING_REF.match(t)["part"] and TEACHING_REF.match(t)["part"] not in MODULE_PARTS)]
        if bad:
            raise ContentError(f"{where}: diajarkan_di {bad}: use a scenario id (S04-03) or "
                               f"'modul NN <part>' with part in {sorted(MODULE_PARTS)}")
        return cls(
            id=_text(d, "id", where),
            modul=str(_require(d, "modul", where)).zfill(2),
            judul=_text(d, "judul", where),
            fase=_choice(d, "fase", PHASES, where),
            pemilihan=_choice(d, "pemilihan", ELECTIONS, where),
            berlaku_untuk=applies,
            peran=_text(d, "peran", where),
            tingkat=_choice(d, "tingkat", LEVELS, where),
            situasi=_text(d, "situasi", where),
            pertanyaan=_text(d, "pertanyaan", where),
            pilihan=tuple(options),
            putusan=verdict,
            tergantung_pada=depends,
            penjelasan=_text(d, "penjelasan", where),
            dasar_hukum=bases,
            sanksi=sanction,
            jenis=kind,
            perilaku=_ids(d, "perilaku", where),
            diajarkan_di=taught,
        )
