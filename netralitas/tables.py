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

# --- the HR report (netralitas laporan): one column dictionary, and the columns of each sheet ---
# "M{m}" / "selesai_M{m}" stand for one column per required module (M01, M02, ...).
_OUT = {c.name: c for c in (
    _c("unit_kerja", "Unit kerja", "teks", "Unit kerja pegawai menurut roster yang berlaku per tanggal laporan."),
    _c("instansi", "Instansi", "teks", "Instansi induk."),
    _c("nama", "Nama", "teks", "Nama pegawai."),
    _c("nip", "NIP/ID", "NIP/ID", "NIP, NI PPPK, atau ID non-ASN."),
    _c("jenis_id", "Jenis ID", "teks", "NIP, NI PPPK, atau ID instansi (non-ASN)."),
    _c("status", "Status", "teks", "PNS, PPPK, atau PPNPN (non-ASN)."),
    _c("jabatan", "Jabatan", "teks", "Jabatan menurut roster."),
    _c("modul_selesai", "Modul selesai", "bilangan bulat", "Banyaknya modul wajib yang selesai (lulus kuis atau "
       "lulus tes awal)."),
    _c("M{m}", "Status modul", "teks", "Status modul wajib itu: lulus kuis, lulus tes awal, belum lulus, atau "
       "belum mulai."),
    _c("tersertifikasi", "Tersertifikasi", "ya/tidak", "Semua modul wajib selesai dalam periode."),
    _c("tanggal_sertifikasi", "Tanggal sertifikasi", "tanggal", "Hari modul wajib terakhir selesai (kalender "
       "instansi)."),
    _c("versi_aturan", "Versi aturan", "teks", "Versi aturan yang berlaku pada tanggal sertifikasi."),
    _c("berlaku_sampai", "Berlaku sampai", "tanggal", "Akhir masa berlaku sertifikat: sehari sebelum tahapan "
       "pemilihan berikutnya dimulai, paling lama masa_berlaku_bulan bulan kalender."),
    _c("perlu_sertifikasi_ulang", "Perlu sertifikasi ulang", "ya/tidak", "Sertifikat kedaluwarsa atau terbit di "
       "bawah versi aturan lama."),
    _c("jp_daring", "JP daring", "angka", "JP dari modul yang selesai daring (jp_per_modul per modul)."),
    _c("jp_tatap_muka", "JP tatap muka", "angka", "JP dari daftar hadir sesi tatap muka."),
    _c("jp", "JP", "angka", "Jumlah JP daring dan tatap muka."),
    _c("nilai_rata", "Nilai rata-rata", "persen", "Rata-rata nilai yang dihitung (0-100)."),
    _c("terlambat", "Terlambat", "ya/tidak", "Belum tersertifikasi setelah tenggat (di ringkasan: banyaknya "
       "pegawai)."),
    _c("nomor_sertifikat", "Nomor sertifikat", "teks", "Nomor urut sertifikat di register (mis. NA/2026/000005)."),
    _c("kode_verifikasi", "Kode verifikasi", "teks", "Kode pada sertifikat, diperiksa dengan `netralitas "
       "verifikasi KODE`."),
    _c("jumlah_pegawai", "Jumlah pegawai", "bilangan bulat", "Pegawai di roster unit ini."),
    _c("non_asn", "Non-ASN", "bilangan bulat", "Pegawai non-ASN (PPNPN) di unit ini."),
    _c("sudah_mulai", "Sudah mulai", "bilangan bulat", "Pegawai yang sudah mengirim sedikitnya satu penilaian."),
    _c("perlu_ulang", "Perlu ulang", "bilangan bulat", "Pegawai yang perlu sertifikasi ulang."),
    _c("selesai_M{m}", "Selesai modul", "bilangan bulat", "Pegawai unit ini yang menyelesaikan modul itu."),
    _c("persen_tersertifikasi", "Persen tersertifikasi", "persen", "Tersertifikasi dibagi jumlah pegawai (0-100)."),
    _c("modul", "Modul", "teks", "Nomor modul (dua angka); `ujian` untuk ujian akhir."),
    _c("judul", "Judul", "teks", "Judul modul atau soal."),
    _c("mencoba", "Mencoba", "bilangan bulat", "Pegawai yang mengirim kuis atau tes awal modul ini."),
    _c("selesai", "Selesai", "bilangan bulat", "Pegawai yang menyelesaikan modul ini."),
    _c("lulus_tes_awal", "Lulus tes awal", "bilangan bulat", "Yang menyelesaikan modul lewat tes awal."),
    _c("persen_lulus", "Persen lulus", "persen", "Selesai dibagi mencoba (0-100)."),
    _c("dinilai_dari_kuis", "Dinilai dari kuis", "bilangan bulat", "Pegawai yang nilai rata-ratanya dihitung dari "
       "kuis (bukan tes awal)."),
    _c("modul_belum_selesai", "Modul belum selesai", "daftar", "Modul wajib yang belum selesai."),
    _c("tenggat", "Tenggat", "tanggal", "Tenggat yang terlewati."),
    _c("hari_terlambat", "Hari terlambat", "bilangan bulat", "Hari sejak tenggat sampai tanggal laporan."),
    _c("alasan_ulang", "Alasan", "teks", "Mengapa sertifikasi perlu diulang."),
    _c("peringkat", "Peringkat", "bilangan bulat", "Urutan soal menurut persen salah di unit ini."),
    _c("item", "Soal", "teks", "ID soal bank kuis (mis. K02-03)."),
    _c("dijawab", "Dijawab", "bilangan bulat", "Berapa kali soal ini dijawab."),
    _c("salah", "Salah", "bilangan bulat", "Berapa kali dijawab salah."),
    _c("persen_salah", "Persen salah", "persen", "Salah dibagi dijawab (0-100)."),
    _c("bulan", "Bulan", "teks", "Bulan kalender instansi (YYYY-MM)."),
    _c("tersertifikasi_baru", "Tersertifikasi baru", "bilangan bulat", "Pegawai yang tersertifikasi pada bulan ini."),
    _c("tersertifikasi_kumulatif", "Tersertifikasi kumulatif", "bilangan bulat", "Jumlah sampai bulan ini."),
    _c("assignment", "Penilaian", "teks", "ID penilaian: kuis_NN, tes_awal_NN, atau ujian_akhir."),
    _c("jenis", "Jenis", "teks", "kuis, tes_awal, atau ujian."),
    _c("percobaan", "Percobaan", "bilangan bulat", "Kiriman ke berapa (1 = pertama)."),
    _c("dikirim", "Dikirim", "waktu UTC", "Saat kiriman diterima (YYYY-MM-DDTHH:MM:SSZ)."),
    _c("skor", "Skor", "angka", "Skor kiriman."),
    _c("skor_maks", "Skor maksimum", "angka", "Skor tertinggi yang mungkin."),
    _c("nilai", "Nilai", "persen", "Skor dibagi skor maksimum (0-100)."),
    _c("lulus", "Lulus", "ya/tidak", "Nilai mencapai batas lulus penilaian ini."),
    _c("dihitung", "Dihitung", "ya/tidak", "Kiriman inilah yang dihitung menurut aturan percobaan."),
    _c("versi_konten", "Versi konten", "teks", "Sidik isi notebook yang dikerjakan (bank konten saat itu)."),
    _c("sidik_jawaban", "Sidik jawaban", "teks", "SHA-256 berkas jawaban peserta (bukti untuk pemeriksa)."),
    _c("berkas", "Berkas", "teks", "Berkas masukan: roster atau daftar hadir."),
    _c("baris", "Baris", "bilangan bulat", "Nomor baris di berkas itu (baris 1 = judul kolom)."),
    _c("tingkat", "Tingkat", "teks", "ditolak (tidak dipakai) atau diragukan (dipakai, periksa)."),
    _c("alasan", "Alasan", "teks", "Apa yang salah dan cara memperbaikinya."),
    _c("kiriman", "Kiriman", "bilangan bulat", "Kiriman dari NIP yang tidak ada di roster."),
    _c("terakhir", "Terakhir", "tanggal", "Kiriman terakhirnya."),
    _c("keterangan", "Keterangan", "teks", "Nama keterangan laporan."),
)}
# "nilai" is both an audit column (percent) and the value column of the Keterangan sheet.
_NILAI_KETERANGAN = _c("nilai", "Nilai", "teks", "Isi keterangan itu.")


def _sheet(name: str, about: str, columns: list[str], override: dict[str, Column] | None = None) -> Table:
    override = override or {}
    return Table(name=name, title=name, direction="keluar", about=about,
                 columns=tuple(override.get(c, _OUT[c]) for c in columns))


REPORT_SHEETS: dict[str, Table] = {t.name: t for t in (
    _sheet("Ringkasan per unit", "Satu baris per unit kerja; unit dengan persen tersertifikasi terendah di atas "
           "(ringkasan_unit.csv).",
           ["unit_kerja", "instansi", "jumlah_pegawai", "non_asn", "sudah_mulai", "tersertifikasi", "terlambat",
            "perlu_ulang", "selesai_M{m}", "persen_tersertifikasi"]),
    _sheet("Per modul", "Satu baris per modul wajib (per_modul.csv).",
           ["modul", "judul", "mencoba", "selesai", "lulus_tes_awal", "persen_lulus", "nilai_rata",
            "dinilai_dari_kuis"]),
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
    _sheet("Keterangan", "Tanggal, periode, modul wajib, tenggat, dan catatan data pribadi.", ["keterangan", "nilai"],
           {"nilai": _NILAI_KETERANGAN}),
)}


def sheet_columns(sheet: str, modules: list[str]) -> list[str]:
    """The columns a report sheet has for these required modules, in order."""
    out = []
    for c in REPORT_SHEETS[sheet].names:
        out += [c.replace("{m}", m) for m in modules] if "{m}" in c else [c]
    return out
