"""Tables that cross the course's boundary, declared once: what comes in (roster, attendance
sheet) and what goes out (the sheets of the HR report). Each column: name, type, the heading
people read or type (Bahasa Indonesia), and what it means.

The readers (report/roster.py, report/attendance.py), the printed attendance sheet and the demo
take their headings from here; docs/TABEL.md is generated from it and a test holds the report's
sheets to it, so a new column cannot appear without a meaning.
"""
from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

Type = Literal["teks", "NIP/ID", "tanggal", "waktu UTC", "angka", "bilangan bulat", "ya/tidak", "persen", "daftar"]


class Column(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str = Field(description="column name in files and code")
    label: str = Field(description="heading as people read or type it")
    type: Type
    meaning: str
    required: bool = Field(False, description="an input file without it is refused")
    aliases: tuple[str, ...] = Field((), description="other headings accepted on input (case and spaces ignored)")


class Table(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    title: str
    direction: Literal["masuk", "keluar"]
    about: str
    columns: tuple[Column, ...]

    @property
    def names(self) -> list[str]:
        return [c.name for c in self.columns]

    @property
    def labels(self) -> list[str]:
        return [c.label for c in self.columns]

    @property
    def required(self) -> tuple[str, ...]:
        return tuple(c.name for c in self.columns if c.required)

    def header(self, sep: str = ";") -> str:
        return sep.join(self.labels)

    def headings(self) -> dict[str, str]:
        """Every accepted heading (lower case) -> column name, for readers of input files."""
        out = {}
        for c in self.columns:
            for heading in (c.name, c.name.replace("_", " "), c.label, *c.aliases):
                out[heading.lower()] = c.name
        return out


def _c(name, label, type_, meaning, required=False, aliases=()) -> Column:
    return Column(name=name, label=label, type=type_, meaning=meaning, required=required, aliases=aliases)


ROSTER = Table(name="roster", title="Roster pegawai", direction="masuk",
               about="CSV (`,` atau `;`, UTF-8 dengan/tanpa BOM) atau XLSX dari BKPSDM; `netralitas pegawai BERKAS`.",
               columns=(
    _c("nip", "NIP", "NIP/ID", "NIP 18 digit (PNS), NI PPPK, atau nomor identitas dari instansi untuk pegawai "
       "non-ASN; spasi dan tanda kutip Excel dibuang.", True,
       ("nip/nik", "nip / nik", "nip/ni pppk", "id pegawai")),
    _c("nama", "Nama", "teks", "Nama lengkap pegawai.", True, ("nama lengkap", "nama pegawai")),
    _c("jabatan", "Jabatan", "teks", "Jabatan pegawai (boleh kosong)."),
    _c("unit_kerja", "Unit Kerja", "teks", "Unit kerja atau perangkat daerah; singkatan dibakukan lewat "
       "daftar unit (mis. Dispendik menjadi Dinas Pendidikan).", True,
       ("unit kerja/opd", "unit kerja / opd", "opd", "perangkat daerah")),
    _c("instansi", "Instansi", "teks", "Instansi induk (boleh kosong).", aliases=("instansi induk",)),
    _c("status", "Status", "teks", "PNS, CPNS, PPPK, PPPK paruh waktu, atau Non-ASN (PPNPN, honorer).", True,
       ("status kepegawaian", "jenis pegawai")),
    _c("email", "Email", "teks", "Alamat surel (boleh kosong).", aliases=("e-mail", "surel")),
    # Excel exports keep NIK apart from NIP: a non-ASN row has only its NIK.
    _c("nik", "NIK", "NIP/ID", "Nomor induk kependudukan; dipakai bila baris non-ASN hanya punya NIK.",
       aliases=("no ktp", "nomor induk kependudukan")),
))

ATTENDANCE = Table(name="daftar_hadir", title="Daftar hadir sesi tatap muka", direction="masuk",
                   about="CSV atau XLSX yang diisi fasilitator (lembar cetak `make kit`); `netralitas hadir BERKAS`. "
                         "Kehadiran dihitung sebagai JP.",
                   columns=(
    _c("tanggal", "Tanggal", "tanggal", "Hari sesi: YYYY-MM-DD atau DD/MM/YYYY.", True),
    _c("sesi", "Sesi", "teks", "Nama sesi atau rencana sesi (mis. sesi_120).", True),
    _c("nip", "NIP", "NIP/ID", "NIP atau ID pegawai, seperti di roster.", True, ("nip/nik", "id pegawai")),
    _c("nama", "Nama", "teks", "Nama peserta (untuk pesan bila NIP salah)."),
    _c("unit_kerja", "Unit Kerja", "teks", "Unit kerja peserta.", aliases=("unit kerja / opd", "opd")),
    _c("jp", "JP", "angka", "Jam pelajaran yang diakui untuk sesi ini.", True),
    _c("modul", "Modul", "daftar", "Modul yang dibahas, mis. \"1, 2\" atau \"01,02\" (boleh kosong)."),
))

# --- the HR report (netralitas laporan) ----------------------------------------------------------
# Headings and meanings of report columns live in the report's data dictionary (report/kamus.py,
# shipped as the "Kamus data" sheet); this module adds each column's type and which sheet has which
# columns. "M{m}" / "selesai_M{m}" stand for one column per required module (M01, M02, ...).
_TYPES: dict[str, Type] = {
    "unit_kerja": "teks", "instansi": "teks", "nama": "teks", "nip": "NIP/ID", "jenis_id": "teks", "status": "teks",
    "jabatan": "teks", "modul_selesai": "bilangan bulat", "M{m}": "teks", "tersertifikasi": "ya/tidak",
    "tanggal_sertifikasi": "tanggal", "versi_aturan": "teks", "berlaku_sampai": "tanggal",
    "perlu_sertifikasi_ulang": "ya/tidak", "jp_daring": "angka", "jp_tatap_muka": "angka", "jp": "angka",
    "nilai_rata": "persen", "nilai_rata_tes_awal": "persen", "terlambat": "ya/tidak", "nomor_sertifikat": "teks",
    "kode_verifikasi": "teks", "jumlah_pegawai": "bilangan bulat", "non_asn": "bilangan bulat",
    "sudah_mulai": "bilangan bulat", "perlu_ulang": "bilangan bulat", "selesai_M{m}": "bilangan bulat",
    "persen_tersertifikasi": "persen", "modul": "teks", "judul": "teks", "mencoba": "bilangan bulat",
    "selesai": "bilangan bulat", "lulus_tes_awal": "bilangan bulat", "persen_lulus": "persen",
    "dinilai_dari_kuis": "bilangan bulat", "modul_belum_selesai": "daftar", "tenggat": "tanggal",
    "hari_terlambat": "bilangan bulat", "alasan_ulang": "teks", "peringkat": "bilangan bulat", "item": "teks",
    "dijawab": "bilangan bulat", "salah": "bilangan bulat", "persen_salah": "persen", "bulan": "teks",
    "tersertifikasi_baru": "bilangan bulat", "tersertifikasi_kumulatif": "bilangan bulat", "assignment": "teks",
    "jenis": "teks", "percobaan": "bilangan bulat", "dikirim": "waktu UTC", "skor": "angka", "skor_maks": "angka",
    "nilai": "persen", "lulus": "ya/tidak", "dihitung": "ya/tidak", "versi_konten": "teks", "sidik_jawaban": "teks",
    "berkas": "teks", "baris": "bilangan bulat", "tingkat": "teks", "alasan": "teks", "kiriman": "bilangan bulat",
    "terakhir": "tanggal", "keterangan": "teks", "isi": "teks",
}


def _out(name: str) -> Column:
    from .report import kamus

    template = {"M{m}": kamus.MODULE_COLUMN, "selesai_M{m}": kamus.MODULE_DONE}.get(name)
    label, meaning = template if template else kamus.COLUMNS[name]
    return _c(name, label, _TYPES[name], meaning)


def _sheet(name: str, about: str, columns: list[str]) -> Table:
    return Table(name=name, title=name, direction="keluar", about=about, columns=tuple(_out(c) for c in columns))


REPORT_SHEETS: dict[str, Table] = {t.name: t for t in (
    _sheet("Ringkasan per unit", "Satu baris per unit kerja; unit dengan persen tersertifikasi terendah di atas "
           "(ringkasan_unit.csv).",
           ["unit_kerja", "instansi", "jumlah_pegawai", "non_asn", "sudah_mulai", "tersertifikasi", "terlambat",
            "perlu_ulang", "selesai_M{m}", "persen_tersertifikasi"]),
    _sheet("Per modul", "Satu baris per modul wajib (per_modul.csv).",
           ["modul", "judul", "mencoba", "selesai", "lulus_tes_awal", "persen_lulus", "nilai_rata",
            "nilai_rata_tes_awal", "dinilai_dari_kuis"]),
    _sheet("Per pegawai", "Satu baris per pegawai di roster (per_pegawai.csv).",
           ["unit_kerja", "nama", "nip", "jenis_id", "status", "jabatan", "modul_selesai", "M{m}", "tersertifikasi",
            "tanggal_sertifikasi", "versi_aturan", "berlaku_sampai", "perlu_sertifikasi_ulang", "jp_daring",
            "jp_tatap_muka", "jp", "nilai_rata", "terlambat", "nomor_sertifikat", "kode_verifikasi"]),
    _sheet("Belum selesai", "Pegawai yang belum tersertifikasi (belum_selesai.csv).",
           ["unit_kerja", "nama", "nip", "status", "modul_selesai", "modul_belum_selesai", "terlambat"]),
    _sheet("Terlambat", "Pegawai yang melewati tenggat.",
           ["unit_kerja", "nama", "nip", "status", "modul_belum_selesai", "tenggat", "hari_terlambat"]),
    _sheet("Perlu sertifikasi ulang", "Sertifikat yang harus diulang.",
           ["unit_kerja", "nama", "nip", "tanggal_sertifikasi", "versi_aturan", "berlaku_sampai", "alasan_ulang"]),
    _sheet("Soal sering salah", "Soal yang paling sering dijawab salah, per unit kerja.",
           ["unit_kerja", "peringkat", "item", "modul", "judul", "dijawab", "salah", "persen_salah"]),
    _sheet("Tren bulanan", "Penyelesaian per bulan.",
           ["bulan", "modul_selesai", "tersertifikasi_baru", "tersertifikasi_kumulatif"]),
    _sheet("Bukti audit", "Setiap kiriman dari catatan percobaan, untuk pemeriksa (bukti_audit.csv).",
           ["unit_kerja", "nama", "nip", "modul", "assignment", "jenis", "percobaan", "dikirim", "skor", "skor_maks",
            "nilai", "lulus", "dihitung", "versi_konten", "sidik_jawaban"]),
    _sheet("Masalah data", "Baris roster dan daftar hadir yang ditolak atau diragukan, dengan nomor barisnya.",
           ["berkas", "baris", "nip", "nama", "tingkat", "alasan"]),
    _sheet("Tidak ada di roster", "Kiriman dari NIP yang tidak ada di roster.", ["nip", "kiriman", "terakhir"]),
    _sheet("Keterangan", "Tanggal, periode, modul wajib, tenggat, dan catatan data pribadi.", ["keterangan", "isi"]),
)}


def sheet_columns(sheet: str, modules: list[str]) -> list[str]:
    """The columns a report sheet has for these required modules, in order."""
    out = []
    for c in REPORT_SHEETS[sheet].names:
        out += [c.replace("{m}", m) for m in modules] if "{m}" in c else [c]
    return out
