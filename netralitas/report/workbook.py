"""The report as HR reads it: XLSX sheets with Indonesian headings, and CSV for other systems.

Files are written to a temporary name and renamed, so a half-written workbook
never replaces a good one.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from .. import clock
from .certification import Report
from .roster import RosterProblem, problems_frame

YES, NO = "ya", "tidak"


def _readable(frame: pd.DataFrame) -> pd.DataFrame:
    """Booleans as ya/tidak, dates as YYYY-MM-DD, missing as blank; stored (UTC)
    times on the agency's clock with its zone named, next to days on the same calendar."""
    out = frame.copy()
    zone = clock.agency_zone()
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            out[col] = (s.dt.tz_convert(zone.key).dt.strftime("%Y-%m-%d %H:%M:%S") + f" {clock.zone_label(zone)}").fillna("")
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.dt.strftime("%Y-%m-%d").fillna("")
        elif s.dtype == bool:
            out[col] = s.map({True: YES, False: NO})
        elif s.dtype == object:
            out[col] = s.map(lambda v: v.isoformat() if isinstance(v, date) else v)
    return out


def learner_sheet(report: Report) -> pd.DataFrame:
    cols = (["unit_kerja", "nama", "nip", "jenis_id", "status", "jabatan", "modul_selesai"]
            + [f"M{m}" for m in report.required]
            + ["tersertifikasi", "tanggal_sertifikasi", "versi_aturan", "berlaku_sampai", "perlu_sertifikasi_ulang",
               "jp_daring", "jp_tatap_muka", "jp", "nilai_rata", "terlambat"])
    cols += [c for c in ("nomor_sertifikat", "kode_verifikasi") if c in report.learners]
    return report.learners[cols]


def not_completed_sheet(report: Report) -> pd.DataFrame:
    from .certification import _joined

    s = report.status[~report.status["selesai"]]
    missing = _joined(s, "nip", "modul").rename("modul_belum_selesai")
    out = report.learners[~report.learners["tersertifikasi"]][["unit_kerja", "nama", "nip", "status", "modul_selesai"]]
    out = out.merge(missing, left_on="nip", right_index=True, how="left")
    out["terlambat"] = out["nip"].isin(set(report.overdue["nip"]))
    return out.reset_index(drop=True)


def sheets(report: Report, roster_problems: list[RosterProblem] = (),
           attendance_problems: list[RosterProblem] = ()) -> dict[str, pd.DataFrame]:
    problems = pd.concat([problems_frame(list(roster_problems)).assign(berkas="roster"),
                          problems_frame(list(attendance_problems)).assign(berkas="daftar hadir")],
                         ignore_index=True)[["berkas", "baris", "nip", "nama", "tingkat", "alasan"]]
    p = report.policy
    info = pd.DataFrame([
        ("Per tanggal", report.as_of.isoformat()),
        ("Periode", f"{p.periode_mulai or 'awal'} s.d. {p.periode_selesai or report.as_of}"),
        ("Modul wajib", ", ".join(report.required)),
        ("Tenggat", str(p.tenggat or "-")),
        ("JP per modul daring", f"{p.jp_per_modul:g}"),
        ("Versi aturan berlaku", (p.rules_version_on(report.as_of).versi if p.rules_version_on(report.as_of) else "-")),
        ("Jumlah pegawai", str(len(report.learners))),
        ("Data pribadi", "Berisi NIP dan nama: simpan di folder terbatas, jangan dikirim lewat grup pesan."),
    ], columns=["keterangan", "nilai"])
    out = {
        "Ringkasan per unit": report.units,
        "Per modul": report.modules,
        "Per pegawai": learner_sheet(report),
        "Belum selesai": not_completed_sheet(report),
        "Terlambat": report.overdue,
        "Perlu sertifikasi ulang": report.recertify,
        "Soal sering salah": report.items,
        "Tren bulanan": report.trend,
        "Bukti audit": report.evidence.sort_values(["unit_kerja", "nama", "nip", "modul", "percobaan"],
                                                   kind="stable").reset_index(drop=True),
        "Masalah data": problems,
        "Tidak ada di roster": report.not_in_roster,
        "Keterangan": info,
    }
    return {name: _readable(frame) for name, frame in out.items()}


def write_xlsx(path: Path, tables: dict[str, pd.DataFrame]) -> Path:
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
        for name, frame in tables.items():
            frame.to_excel(xl, sheet_name=name[:31], index=False)
            ws = xl.sheets[name[:31]]
            ws.freeze_panes = "A2"
            for i, col in enumerate(frame.columns, start=1):
                width = max([len(str(col))] + [len(str(v)) for v in frame[col].head(200)]) + 2
                ws.column_dimensions[ws.cell(1, i).column_letter].width = min(width, 60)
    tmp.replace(path)
    return path


def write_csvs(outdir: Path, tables: dict[str, pd.DataFrame]) -> dict[str, Path]:
    names = {"Ringkasan per unit": "ringkasan_unit.csv", "Per modul": "per_modul.csv",
             "Per pegawai": "per_pegawai.csv", "Belum selesai": "belum_selesai.csv", "Bukti audit": "bukti_audit.csv"}
    files = {}
    for sheet, name in names.items():
        path = Path(outdir) / name
        tmp = path.with_name(name + ".tmp")
        tables[sheet].to_csv(tmp, index=False)
        tmp.replace(path)
        files[f"csv:{name}"] = path
    return files
