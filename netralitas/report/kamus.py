"""The data dictionary of the HR report: every column defined once.

Column code -> (heading HR reads, meaning). XLSX headings come from here, the
"Kamus data" sheet and kamus_data.csv shipped with every report are made from
here, and a test checks that every column of every sheet is defined.
"""
from __future__ import annotations

import pandas as pd

MODULE_COLUMN = ("Modul {m}", "Hasil modul {m}: lulus kuis, lulus tes awal, belum lulus (mengirim tetapi belum "
                 "lulus), atau belum mulai.")
MODULE_DONE = ("Selesai modul {m}", "Jumlah pegawai unit ini yang telah menyelesaikan modul {m}.")

COLUMNS: dict[str, tuple[str, str]] = {
    "unit_kerja": ("Unit kerja", "Unit kerja / OPD pegawai menurut roster yang dipakai laporan."),
    "instansi": ("Instansi", "Instansi induk unit kerja."),
    "nama": ("Nama", "Nama pegawai menurut roster."),
    "nip": ("NIP / ID", "NIP (PNS), NI PPPK, atau ID instansi/NIK untuk non-ASN; selalu teks."),
    "jenis_id": ("Jenis ID", "NIP, NI PPPK, NIK, atau ID instansi."),
    "status": ("Status", "PNS, PPPK, atau PPNPN (non-ASN)."),
    "jabatan": ("Jabatan", "Jabatan menurut roster."),
    "jumlah_pegawai": ("Jumlah pegawai", "Pegawai unit ini di roster per tanggal laporan."),
    "non_asn": ("Non-ASN", "Pegawai unit ini berstatus PPNPN (non-ASN)."),
    "sudah_mulai": ("Sudah mulai", "Pegawai yang mengirim sedikitnya satu kuis atau tes awal modul wajib berisi "
                                   "jawaban, atau hadir di sesi tatap muka. Kiriman kosong (tanpa jawaban) tidak "
                                   "dihitung sebagai mulai."),
    "tersertifikasi": ("Tersertifikasi", "Telah menyelesaikan semua modul wajib dalam periode (ya/tidak; di "
                                         "ringkasan: jumlah pegawai)."),
    "terlambat": ("Terlambat", "Belum menyelesaikan sedikitnya satu modul wajib setelah tenggatnya (per "
                               "pegawai: ya/tidak; di ringkasan: jumlah pegawai)."),
    "perlu_ulang": ("Perlu sertifikasi ulang", "Tersertifikasi, tetapi masa berlaku habis atau versi aturan baru "
                                               "berlaku."),
    "persen_tersertifikasi": ("% tersertifikasi", "Tersertifikasi dibagi jumlah pegawai, dalam persen."),
    "modul": ("Modul", "Nomor modul (teks dua angka, mis. 02); 'ujian' untuk ujian akhir."),
    "judul": ("Judul", "Judul modul atau soal."),
    "mencoba": ("Mencoba", "Pegawai yang mengirim sedikitnya satu kuis atau tes awal modul ini."),
    "selesai": ("Selesai", "Pegawai yang menyelesaikan modul ini (lulus kuis atau lulus tes awal)."),
    "lulus_tes_awal": ("Lulus tes awal", "Pegawai yang menyelesaikan modul ini lewat tes awal, tanpa kuis."),
    "persen_lulus": ("% lulus", "Selesai dibagi mencoba, dalam persen."),
    "nilai_rata": ("Nilai rata-rata", "Per modul: rata-rata nilai (0-100) percobaan kuis yang dihitung, tanpa "
                                      "tes awal (lihat kolom tes awal). Per pegawai: rata-rata nilai percobaan yang "
                                      "menyelesaikan setiap modulnya (kuis atau tes awal)."),
    "nilai_rata_tes_awal": ("Nilai rata-rata tes awal", "Rata-rata nilai (0-100) tes awal yang dihitung, "
                                                         "terpisah dari kuis."),
    "dinilai_dari_kuis": ("Dinilai dari kuis", "Pegawai yang percobaan kuisnya dihitung untuk modul ini."),
    "modul_selesai": ("Modul selesai", "Jumlah modul wajib yang selesai (per pegawai: sampai tanggal laporan; "
                                       "di tren bulanan: pada bulan itu)."),
    "tanggal_sertifikasi": ("Tanggal sertifikasi", "Hari (kalender instansi) modul wajib terakhir selesai."),
    "versi_aturan": ("Versi aturan", "Versi aturan yang berlaku pada tanggal sertifikasi."),
    "berlaku_sampai": ("Berlaku sampai", "Hari terakhir sertifikat berlaku."),
    "perlu_sertifikasi_ulang": ("Perlu sertifikasi ulang", "Masa berlaku habis atau versi aturan baru berlaku."),
    "jp_daring": ("JP daring", "Jam pelajaran dari modul yang selesai daring."),
    "jp_tatap_muka": ("JP tatap muka", "Jam pelajaran dari daftar hadir sesi tatap muka."),
    "jp": ("JP total", "JP daring ditambah JP tatap muka."),
    "nomor_sertifikat": ("Nomor sertifikat", "Nomor sertifikat di register sertifikat (kosong: belum terbit)."),
    "kode_verifikasi": ("Kode verifikasi", "Kode tercetak di sertifikat; diperiksa dengan `netralitas "
                                           "verifikasi` atau halaman verifikasi."),
    "modul_belum_selesai": ("Modul belum selesai", "Modul wajib yang belum selesai."),
    "tenggat": ("Tenggat", "Tenggat modul yang paling awal terlewati."),
    "hari_terlambat": ("Hari terlambat", "Hari sejak tenggat itu sampai tanggal laporan."),
    "alasan_ulang": ("Alasan", "Mengapa sertifikasi perlu diulang."),
    "peringkat": ("Peringkat", "Urutan soal yang paling sering salah di unit ini (1 = paling sering)."),
    "item": ("Soal", "Nomor soal di bank kuis."),
    "dijawab": ("Dijawab", "Kiriman terakhir yang dinilai untuk soal ini. Kiriman tanpa berkas jawaban, dengan "
                           "berkas rusak, atau tanpa jawaban sama sekali tidak dihitung."),
    "salah": ("Salah", "Dari yang dijawab, berapa yang salah."),
    "persen_salah": ("% salah", "Salah dibagi dijawab, dalam persen."),
    "bulan": ("Bulan", "Bulan kalender instansi (YYYY-MM)."),
    "tersertifikasi_baru": ("Tersertifikasi baru", "Pegawai yang tersertifikasi pada bulan ini."),
    "tersertifikasi_kumulatif": ("Tersertifikasi kumulatif", "Jumlah tersertifikasi sampai akhir bulan ini."),
    "assignment": ("Kuis", "Nama kuis atau tes di nbgrader (mis. kuis_02, tes_awal_02)."),
    "jenis": ("Jenis", "kuis, tes_awal, atau ujian."),
    "percobaan": ("Percobaan ke", "Urutan kiriman pegawai untuk kuis ini."),
    "dikirim": ("Dikirim", "Waktu kiriman, kalender dan zona waktu instansi."),
    "skor": ("Skor", "Poin yang diperoleh."),
    "skor_maks": ("Skor maksimum", "Poin maksimum kuis."),
    "nilai": ("Nilai", "Skor dibagi skor maksimum, 0-100."),
    "lulus": ("Lulus", "Nilai mencapai batas lulus kebijakan."),
    "dihitung": ("Dihitung", "Percobaan ini yang dihitung menurut kebijakan percobaan."),
    "versi_konten": ("Versi konten", "Sidik isi kuis yang dikerjakan."),
    "sidik_jawaban": ("Sidik jawaban", "sha256 jawaban yang dikirim (sama dengan di register sertifikat)."),
    "berkas": ("Berkas", "roster atau daftar hadir."),
    "baris": ("Baris", "Nomor baris di berkas itu seperti terlihat di Excel (judul kolom = 1)."),
    "tingkat": ("Tingkat", "ditolak (tidak dipakai) atau diragukan (dipakai, periksa)."),
    "alasan": ("Alasan", "Masalah yang ditemukan."),
    "kiriman": ("Kiriman", "Jumlah kiriman dari NIP yang tidak ada di roster."),
    "terakhir": ("Kiriman terakhir", "Tanggal kiriman terakhir."),
    "keterangan": ("Keterangan", "Ketentuan yang dipakai laporan ini."),
    "isi": ("Isi", "Nilai ketentuan itu."),
    "email": ("E-mail", "Alamat e-mail menurut roster, untuk pengingat."),
    "hari_lagi": ("Hari lagi", "Hari dari tanggal laporan sampai tanggal yang dimaksud."),
}


def describe(column: str) -> tuple[str, str]:
    if column in COLUMNS:
        return COLUMNS[column]
    for prefix, template in (("selesai_M", MODULE_DONE), ("M", MODULE_COLUMN)):
        rest = column.removeprefix(prefix)
        if column.startswith(prefix) and rest.isdigit():
            return template[0].format(m=rest), template[1].format(m=rest)
    raise KeyError(f"column {column!r} is not in the data dictionary (report/kamus.py)")


def heading(column: str) -> str:
    return describe(column)[0]


def code_for(headings: list[str], columns: list[str]) -> dict[str, str]:
    return {heading(c): c for c in columns}


def dictionary(tables: dict[str, pd.DataFrame]) -> pd.DataFrame:
    rows = [(sheet, col, *describe(col)) for sheet, frame in tables.items() for col in frame.columns]
    return pd.DataFrame(rows, columns=["lembar", "kolom", "judul_kolom", "arti"])
