"""Content model of the bank, declared once as pydantic models, and its validation.

The bank is YAML written by people. Every record is a frozen model that refuses keys it does not
declare (`extra="forbid"`); each field says what it means (`Field(description=...)`, shown in the
generated docs/BANK_KONTEN.md). A mistake is reported as a ContentError naming the file, the item
id and the field, in English, so an author can fix it without reading Python.
"""
from __future__ import annotations

import re
import typing
from typing import Annotated, Any, ClassVar, Literal

from pydantic import (AfterValidator, BaseModel, BeforeValidator, ConfigDict, Field, StrictBool, StrictStr,
                      ValidationError, ValidationInfo, field_validator, model_validator)

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
STAFF_KINDS = ("PNS", "PPPK", "PPNPN")
LEVELS = ("dasar", "menengah", "lanjut")
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
REG_STATUS = ("berlaku", "dicabut", "tidak_pasti")
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


# --- field types: how a value written in YAML becomes a field ---------------------------------

def _scalar_text(value: Any) -> Any:
    """Numbers written bare in YAML (`nomor: 7`, `pasal: 5`) read as text; anything else is left
    for the type check."""
    return str(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else value


def _items(value: Any) -> Any:
    """A list of short texts, each stripped (numbers read as text)."""
    if isinstance(value, list):
        return tuple(str(_scalar_text(x)).strip() if isinstance(x, (str, int, float)) else x for x in value)
    return value


def _id_list(value: Any, info: ValidationInfo) -> tuple[str, ...]:
    """One id or a list of ids (`perilaku: PP94-5N-4` or `[PP94-5N-4, ...]`)."""
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)) or not all(isinstance(x, str) and x.strip() for x in value):
        raise ValueError(f"'{info.field_name}' must be a list of ids")
    return tuple(x.strip() for x in value)


def _module_id(value: Any) -> Any:
    """`modul: 2`, `modul: "02"` -> "02"."""
    return str(value).zfill(2) if isinstance(value, (str, int)) and not isinstance(value, bool) else value


def _regex(value: str, info: ValidationInfo) -> str:
    try:
        re.compile(value)
    except re.error as exc:
        raise ValueError(f"'{info.field_name}' is not a valid regular expression: {exc}") from exc
    return value


def _choices(values) -> Any:
    """The declared values as a Literal type (the page lists them; a wrong one is named)."""
    return Literal[tuple(values)]


Text = Annotated[StrictStr, AfterValidator(str.strip)]
# Text read with its line breaks and runs of spaces folded into one space.
Words = Annotated[StrictStr, AfterValidator(lambda v: " ".join(v.split()))]
# Text where YAML may give a bare number.
Code = Annotated[StrictStr, BeforeValidator(_scalar_text), AfterValidator(str.strip)]
Texts = Annotated[tuple[str, ...], BeforeValidator(_items)]
Ids = Annotated[tuple[str, ...], BeforeValidator(_id_list)]
ModuleId = Annotated[StrictStr, BeforeValidator(_module_id)]
Pattern = Annotated[StrictStr, AfterValidator(_regex)]


def _empty(value: Any) -> bool:
    return value is None or value == "" or value == []


class Record(BaseModel):
    """A bank record: frozen, refuses undeclared keys. A key left empty (`x:`, `""`, `[]`) counts
    as not given, so a required one is reported missing and an optional one takes its default."""

    model_config = ConfigDict(extra="forbid", frozen=True)
    # How a top-level record names itself in messages: "[S02-01]", "[modul 02]".
    LABEL: ClassVar[str] = "[{id}]"

    @model_validator(mode="before")
    @classmethod
    def _drop_empty(cls, data: Any) -> Any:
        if isinstance(data, dict):
            return {k: v for k, v in data.items() if not _empty(v)}
        return data

    @classmethod
    def from_dict(cls, d: Any, where: str, context: dict | None = None) -> typing.Self:
        """The record read from one YAML mapping; `where` names the file (and what holds it);
        `context` reaches the validators that check references (e.g. {"bank": bank})."""
        item = d.get("id", "?") if isinstance(d, dict) else "?"
        where = f"{where} {cls.LABEL.format(id=item)}" if cls.LABEL else where
        if not isinstance(d, dict):
            raise ContentError(f"{where}: expected a mapping, got {type(d).__name__}")
        try:
            return cls.model_validate(d, context=context)
        except ValidationError as exc:
            raise ContentError(explain(exc, cls, where)) from None


def _model_at(cls: type[BaseModel], path: tuple) -> type[BaseModel]:
    """The nested record class at a location (`("pilihan", 0)` -> Option)."""
    for part in path:
        if isinstance(part, str) and part in cls.model_fields:
            annotation = cls.model_fields[part].annotation
            for candidate in (annotation, *typing.get_args(annotation)):
                if isinstance(candidate, type) and issubclass(candidate, BaseModel):
                    cls = candidate
                    break
    return cls


def _where(path: tuple) -> str:
    """`("pilihan", 0)` -> " pilihan #1", `("sanksi",)` -> " sanksi"."""
    out = ""
    for part in path:
        out += f" #{part + 1}" if isinstance(part, int) else f" {part}"
    return out


def _say(error: dict, field: str) -> str:
    kind, value = error["type"], error.get("input")
    if kind == "missing":
        return f"missing required field '{field}'"
    if kind == "bool_type":
        return f"'{field}' must be true or false"
    if kind == "string_type":
        return f"field '{field}' must be text, got {type(value).__name__}"
    if kind == "literal_error":
        return f"'{field}' is {value!r}; allowed: {error['ctx']['expected']}"
    if kind in ("model_type", "model_attributes_type", "dict_type"):
        return f"'{field}' must be a mapping, got {type(value).__name__}"
    if kind in ("tuple_type", "list_type"):
        return f"'{field}' must be a list, got {type(value).__name__}"
    if kind == "value_error":
        return str(error["ctx"]["error"])
    return f"'{field}': {error['msg']} (got {value!r})"


def explain(exc: ValidationError, cls: type[BaseModel], where: str) -> str:
    """One message per mistake, each naming the place (file, item id, nested part) and the field;
    unknown keys first, grouped by the record that holds them."""
    unknown: dict[tuple, list[str]] = {}
    lines = []
    for error in exc.errors():
        loc = tuple(error["loc"])
        if error["type"] == "extra_forbidden":
            unknown.setdefault(loc[:-1], []).append(str(loc[-1]))
            continue
        # the field: the last key that names a field of the record holding it
        j = max((i for i, part in enumerate(loc)
                 if isinstance(part, str) and part in _model_at(cls, loc[:i]).model_fields), default=None)
        if j is None:  # a check of the whole top-level record
            path, field = (), ""
        elif error["type"] == "value_error" and isinstance(loc[-1], int):  # a check of a record in a list
            path, field = loc, ""
        else:
            path, field = loc[:j], loc[j] + _where(loc[j + 1:])
        lines.append(f"{where}{_where(path)}: {_say(error, field)}")
    found = [f"{where}{_where(path)}: unknown field(s) {sorted(names)} (typo? declared: "
             f"{sorted(_model_at(cls, path).model_fields)})" for path, names in unknown.items()]
    return "; ".join(found + lines)


# --- records ----------------------------------------------------------------------------------

class Regulation(Record):
    """A rule the course cites (regulasi.yaml)."""

    id: Text = Field(description="Kode aturan yang dirujuk entri lain, mis. PP-94-2021.")
    jenis: Text = Field(description="Jenis peraturan, mis. UU, PP, SKB.")
    nomor: Code = Field(description="Nomor peraturan.")
    tahun: int = Field(description="Tahun terbit.")
    judul: Text = Field(description="Judul lengkap peraturan.")
    singkatan: Text = Field(description="Sebutan singkat yang dibaca peserta, mis. PP 94/2021.")
    status: _choices(REG_STATUS) = Field(description="Status aturan: berlaku, dicabut, atau tidak_pasti.")
    diganti_oleh: Text | None = Field(None, description="Kode aturan pengganti (untuk aturan yang dicabut).")
    catatan: Text = Field("", description="Catatan untuk penulis/fasilitator.")
    ragu: Code = Field("", description="Kode fakta di ragu.yaml: setiap kutipan aturan ini membawa catatan "
                                       "\"belum pasti\" itu.")
    sumber: Texts = Field((), description="Kunci tabel sumber lembar fakta (S38, ...) atau berkas pasal.")


class LegalBasis(Record):
    """One legal basis: a rule of regulasi.yaml and, where it matters, its article."""

    LABEL: ClassVar[str] = ""
    regulasi: Text = Field(description="Kode aturan di regulasi.yaml.")
    pasal: Code = Field("", description="Pasal/huruf/angka yang dirujuk, mis. Pasal 5 huruf n.")


_BASIS_KEYS = set(LegalBasis.model_fields)


class Behaviour(Record):
    """One row of the behaviour table (perilaku.yaml)."""

    id: Text = Field(description="Kode perbuatan yang dirujuk skenario dan soal (`perilaku:`) dan penanda "
                                 "{perilaku:ID}.")
    kelompok: Text = Field(description="Kelompok tabel (penanda {tabel_perilaku:KELOMPOK} mengutip satu kelompok).")
    uraian: Text = Field(description="Perbuatan, sebagaimana dikutip dalam teks.")
    dasar_hukum: LegalBasis = Field(description="Aturan dan pasal yang melarang perbuatan ini "
                                                "({regulasi, pasal}; pasal yang berkoma diberi tanda kutip).")
    kategori: Ids = Field(description="Kategori sanksi yang diberikan tabel (nilai `kategori` pada Sanction).")
    keterangan: Words = Field(description="Kategori sanksi dalam kata-kata, sebagaimana dikutip.")
    sumber: Texts = Field((), description="Kunci tabel sumber lembar fakta.")

    @field_validator("dasar_hukum", mode="before")
    @classmethod
    def _basis_mapping(cls, value: Any) -> Any:
        if not isinstance(value, dict) or set(value) - _BASIS_KEYS:
            raise ValueError("dasar_hukum must be {regulasi, pasal} (quote a pasal that has commas)")
        return value

    @field_validator("kategori")
    @classmethod
    def _known_categories(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        if not value or not set(value) <= set(SANCTIONS):
            raise ValueError(f"kategori {list(value)} must be within {sorted(SANCTIONS)}")
        return value

    @property
    def regulasi(self) -> str:
        return self.dasar_hukum.regulasi

    @property
    def pasal(self) -> str:
        return self.dasar_hukum.pasal


class UncertainFact(Record):
    """A fact the fact sheet marks [uncertain] (ragu.yaml); `pola` finds texts relying on it.

    `lindung` is the hedge a reader sees."""

    id: Text = Field(description="Kode fakta, dipakai penanda {ragu:ID} dan `ragu:` di regulasi.yaml.")
    fakta: Text = Field(description="Fakta yang belum pasti, sebagaimana ditulis lembar fakta.")
    lindung: Words = Field(description="Kalimat \"belum pasti\" yang dibaca peserta.")
    pola: Annotated[Pattern, AfterValidator(str.strip)] = Field(
        description="Ekspresi reguler yang menemukan teks yang bergantung pada fakta ini.")
    singkat: Annotated[Code, AfterValidator(lambda v: " ".join(v.split()))] = Field(
        "", description="Catatan pendek untuk kutipan aturan (bila kosong: `lindung`).")
    kecuali: Annotated[StrictStr, BeforeValidator(_scalar_text), AfterValidator(_regex)] = Field(
        "", description="Ekspresi reguler: teks yang cocok bergantung pada fakta lain.")

    def relied_on_by(self, text: str) -> bool:
        return bool(re.search(self.pola, text, re.I)) and not (self.kecuali and re.search(self.kecuali, text))

    @property
    def hedge(self) -> str:
        return f"(Belum pasti: {self.lindung})"


class SelfCheck(Record):
    """A true/false statement for the module's short self-check."""

    LABEL: ClassVar[str] = ""
    pernyataan: Text = Field(description="Pernyataan yang dinilai peserta benar atau salah.")
    benar: StrictBool = Field(description="Apakah pernyataan itu benar (true/false).")
    penjelasan: Text = Field(description="Penjelasan yang tampil setelah peserta menjawab.")


def _minutes(value: int) -> int:
    low, high = MODULE_MINUTES
    if not low <= value <= high:
        raise ValueError(f"durasi_menit {value} outside {low}..{high}")
    return value


class Module(Record):
    """A module: its reading and key points (the `modul:` part of modul/NN_slug.yaml)."""

    LABEL: ClassVar[str] = "[modul {id}]"
    id: ModuleId = Field(description="Nomor modul dua angka, mis. 02.")
    slug: Text = Field(description="Bagian nama berkas setelah nomor (berkas: NN_slug.yaml, notebook NN_slug.ipynb).")
    judul: Text = Field(description="Judul modul.")
    durasi_menit: Annotated[int, AfterValidator(_minutes)] = Field(
        description="Lama belajar dalam menit.", json_schema_extra={"batas": MODULE_MINUTES})
    tujuan: Texts = Field(description="Tujuan belajar.")
    bacaan: Text = Field(description="Bacaan modul (Markdown; boleh memuat penanda {perilaku:..}, "
                                     "{tabel_perilaku:..}, {ragu:..}).")
    poin_kunci: Texts = Field(description="Poin kunci di akhir bacaan.")
    catatan_fasilitator: Texts = Field((), description="Catatan untuk fasilitator (tidak tampil bagi peserta).")
    cek_mandiri: tuple[SelfCheck, ...] = Field((), description="Cek mandiri benar/salah.")

    @property
    def name(self) -> str:
        """File stem shared by the module notebook and its quiz: '02_foto_...'."""
        return f"{self.id}_{self.slug}"

    @property
    def quiz_id(self) -> str:
        from ..assignments import quiz_id

        return quiz_id(self.id)


# Verdict on an option: for an action ("Apa yang sebaiknya dilakukan?") the
# verdict on doing it; an option that is itself a verdict ("Melanggar",
# "Tidak melanggar, karena ...") claims that verdict; `tidak_berlaku` is for
# options that are not conduct at all (a reporting channel, a sanction).
OPTION_VERDICTS = {**VERDICTS, "tidak_berlaku": "Bukan tindakan yang dinilai"}
_CLAIM = re.compile(r"^(tidak melanggar|melanggar|tergantung)\b", re.IGNORECASE)


class Option(Record):
    """One answer option of a scenario or quiz item."""

    LABEL: ClassVar[str] = ""
    id: Text = Field(description="Huruf pilihan, mis. a.")
    teks: Text = Field(description="Teks pilihan. Pilihan yang diawali \"Melanggar\", \"Tidak melanggar\" atau "
                                   "\"Tergantung\" menyatakan putusannya sendiri.")
    benar: StrictBool = Field(description="Apakah pilihan ini benar (true/false).")
    umpan_balik: Text = Field(description="Umpan balik bagi peserta yang memilihnya.")
    putusan: _choices(OPTION_VERDICTS) = Field(
        description="Putusan atas tindakan dalam pilihan; tidak_berlaku bila bukan perbuatan yang dinilai. Pilihan "
                    "yang diawali putusan tidak perlu mengisinya.", json_schema_extra={"wajib": "bila tindakan"})

    @model_validator(mode="before")
    @classmethod
    def _claimed_verdict(cls, data: Any) -> Any:
        """An option that is itself a verdict claims it; an action must say its verdict."""
        if isinstance(data, dict) and _empty(data.get("putusan")) and isinstance(data.get("teks"), str) \
                and data["teks"].strip():
            text = data["teks"].strip()
            claim = _CLAIM.match(text)
            if not claim:
                raise ValueError(f"option '{text[:40]}' is an action: give its 'putusan' "
                                 f"({', '.join(sorted(OPTION_VERDICTS))})")
            return {**data, "putusan": claim.group(1).lower().replace(" ", "_")}
        return data

    @property
    def verdict_note(self) -> str:
        """'Tindakan ini: melanggar.' for an action option; empty otherwise."""
        if _CLAIM.match(self.teks) or self.putusan in ("", "tidak_berlaku"):
            return ""
        return f"Tindakan ini: {VERDICTS[self.putusan].lower()}."


class Sanction(Record):
    """The sanction a scenario or quiz item teaches."""

    LABEL: ClassVar[str] = ""
    kategori: _choices(SANCTIONS) = Field(description="Kategori sanksi.")
    keterangan: Text = Field(description="Sanksi dalam kata-kata bagi peserta.")
    penjatuh: Text = Field(description="Siapa yang menjatuhkan sanksi, mis. PPK.")


class Scenario(Record):
    """A teaching scenario (modul/NN_slug.yaml, `skenario:`) or a quiz item with its key (quizzes/bank/)."""

    id: Text = Field(description="Kode skenario (mis. S02-01) atau soal kuis (berawalan K, nomor modul, nomor soal).")
    modul: ModuleId = Field(description="Nomor modul yang memuatnya.")
    judul: Text = Field(description="Judul singkat.")
    fase: _choices(PHASES) = Field(description="Tahapan pemilihan tempat kasus terjadi.")
    pemilihan: _choices(ELECTIONS) = Field(description="Pemilu, Pilkada, atau keduanya.")
    berlaku_untuk: tuple[_choices(STAFF_KINDS), ...] = Field(description="Pegawai yang dituju: PNS, PPPK, PPNPN.")
    peran: Text = Field(description="Peran tokoh dalam kasus.")
    tingkat: _choices(LEVELS) = Field(description="Tingkat kesulitan.")
    situasi: Text = Field(description="Situasi yang dibaca peserta.")
    pertanyaan: Text = Field(description="Pertanyaan kepada peserta.")
    pilihan: tuple[Option, ...] = Field(description="2 sampai 5 pilihan jawaban.")
    putusan: _choices(VERDICTS) = Field(description="Putusan atas kasus.")
    tergantung_pada: Text | None = Field(None, description="Keadaan yang menentukan putusan (wajib bila "
                                                           "putusan tergantung).")
    penjelasan: Text = Field(description="Penjelasan setelah menjawab.")
    dasar_hukum: tuple[LegalBasis, ...] = Field(description="Dasar hukum (satu atau lebih).")
    sanksi: Sanction = Field(description="Sanksi yang diajarkan.")
    jenis: _choices(KINDS) = Field("pilih_satu", description="pilih_satu (satu jawaban benar) atau pilih_semua "
                                                             "(semua yang sesuai).")
    perilaku: Ids = Field((), description="Kode perbuatan di perilaku.yaml (wajib bila putusan melanggar); "
                                          "kategori sanksi harus yang diberikan tabel.")
    diajarkan_di: Ids = Field((), description="Soal kuis: yang mengajarkannya, kode skenario (S04-03) atau "
                                              "'modul NN bagian' (bacaan, poin_kunci, cek_mandiri).")

    @field_validator("tergantung_pada")
    @classmethod
    def _blank_is_none(cls, value: str | None) -> str | None:
        return value or None

    @field_validator("diajarkan_di")
    @classmethod
    def _teaching_refs(cls, value: tuple[str, ...]) -> tuple[str, ...]:
        bad = [t for t in value if not TEACHING_REF.match(t) or
               (TEACHING_REF.match(t)["part"] and TEACHING_REF.match(t)["part"] not in MODULE_PARTS)]
        if bad:
            raise ValueError(f"diajarkan_di {bad}: use a scenario id (S04-03) or "
                             f"'modul NN <part>' with part in {sorted(MODULE_PARTS)}")
        return value

    @model_validator(mode="after")
    def _consistent(self) -> Scenario:
        options = self.pilihan
        if not 2 <= len(options) <= 5:
            raise ValueError(f"needs 2..5 options, has {len(options)}")
        ids = [o.id for o in options]
        if len(set(ids)) != len(ids):
            raise ValueError(f"duplicate option ids {ids}")
        n_right = sum(o.benar for o in options)
        if self.jenis == "pilih_satu" and n_right != 1:
            raise ValueError("exactly one option must have benar: true")
        if self.jenis == "pilih_semua" and not 1 <= n_right < len(options):
            raise ValueError("pilih_semua needs at least one right and one wrong option")
        if self.putusan == "tergantung" and not self.tergantung_pada:
            raise ValueError("putusan 'tergantung' needs 'tergantung_pada'")
        return self

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
