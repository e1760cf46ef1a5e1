"""The report as HR reads it: XLSX sheets with Indonesian headings, and CSV for other systems.

Files are written to a temporary name and renamed, so a half-written workbook
never replaces a good one.
"""
from __future__ import annotations

from datetime import date
from pathlib import Path

import pandas as pd

from ..files import atomic_path
from .. import clock
from ..cells import neutralise_cell
from ..invented import MARK, active as invented_data
from .certification import Report
from .roster import RosterProblem, problems_frame

YES, NO = "ya", "tidak"


def _readable(frame: pd.DataFrame, keep_dates: bool = False) -> pd.DataFrame:
    """Booleans as ya/tidak, missing as blank; dates as YYYY-MM-DD text, or
    (keep_dates, for XLSX) as real date cells; stored (UTC) times on the
    agency's clock with its zone named, next to days on the same calendar."""
    out = frame.copy()
    zone = clock.agency_zone()
    for col in out.columns:
        s = out[col]
        if isinstance(s.dtype, pd.DatetimeTZDtype):
            out[col] = (s.dt.tz_convert(zone.key).dt.strftime("%Y-%m-%d %H:%M:%S") + f" {clock.zone_label(zone)}").fillna("")
        elif pd.api.types.is_datetime64_any_dtype(s):
            out[col] = s.dt.date.where(s.notna(), "") if keep_dates else s.dt.strftime("%Y-%m-%d").fillna("")
        elif s.dtype == bool:
            out[col] = s.map({True: YES, False: NO})
        elif s.dtype == object and not keep_dates:
            out[col] = s.map(lambda v: v.isoformat() if isinstance(v, date) else v)
        if out[col].dtype == object:
            out[col] = out[col].map(lambda v: "" if v is None else v)
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
    ] + ([("Data rekaan", MARK)] if invented_data() else []), columns=["keterangan", "isi"])
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
    return out  # as computed; each writer makes them readable its own way


# Columns that are identifiers: text in every spreadsheet, never numbers (a NIP
# must not become 1,97601E+17, module "02" must not become 2).
TEXT_COLUMNS = {"nip", "modul", "item", "kode_verifikasi", "nomor_sertifikat", "baris_nip"}
DICTIONARY_SHEET = "Kamus data"


def _texty(s: pd.Series) -> bool:
    return s.dtype == object or pd.api.types.is_string_dtype(s)


def _xlsx_frame(frame: pd.DataFrame) -> pd.DataFrame:
    out = _readable(frame, keep_dates=True)
    for col in out.columns:
        if _texty(out[col]):
            out[col] = out[col].map(neutralise_cell).astype(object)
    return out


def write_xlsx(path: Path, tables: dict[str, pd.DataFrame]) -> Path:
    """Readable Indonesian headings (kamus.py), real date cells, identifiers as
    text, a filter on every header row and the header frozen; plus the data dictionary."""
    from openpyxl.utils import get_column_letter

    from .kamus import dictionary, heading

    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    tables = {**tables, DICTIONARY_SHEET: dictionary(tables)}
    with pd.ExcelWriter(tmp, engine="openpyxl") as xl:
        for name, frame in tables.items():
            data = _xlsx_frame(frame) if name != DICTIONARY_SHEET else frame
            if name != DICTIONARY_SHEET:
                data.columns = [heading(c) for c in frame.columns]
            else:
                data.columns = ["Lembar", "Kolom (kode)", "Judul kolom", "Arti"]
            data.to_excel(xl, sheet_name=name[:31], index=False)
            ws = xl.sheets[name[:31]]
            ws.freeze_panes = "A2"
            ws.auto_filter.ref = f"A1:{get_column_letter(max(1, len(frame.columns)))}{len(frame) + 1}"
            for i, col in enumerate(frame.columns, start=1):
                letter = get_column_letter(i)
                values = frame[col].head(200)
                width = max([len(str(data.columns[i - 1]))] + [len(str(v)) for v in values]) + 2
                ws.column_dimensions[letter].width = min(width, 60)
                is_date = pd.api.types.is_datetime64_any_dtype(frame[col]) and \
                    not isinstance(frame[col].dtype, pd.DatetimeTZDtype)
                is_date = is_date or (frame[col].dtype == object and values.map(
                    lambda v: isinstance(v, date)).any())
                if is_date or col in TEXT_COLUMNS:
                    for (cell,) in ws.iter_rows(min_row=2, min_col=i, max_col=i):
                        if is_date and isinstance(cell.value, (date, pd.Timestamp)):
                            cell.number_format = "DD/MM/YYYY"
                        elif col in TEXT_COLUMNS:
                            cell.number_format = "@"
                            if cell.value is not None and not isinstance(cell.value, str):
                                cell.value = str(cell.value)
    tmp.replace(path)
    return path


CSV_NAMES = {"Ringkasan per unit": "ringkasan_unit.csv", "Per modul": "per_modul.csv",
             "Per pegawai": "per_pegawai.csv", "Belum selesai": "belum_selesai.csv", "Bukti audit": "bukti_audit.csv",
             "Masalah data": "masalah_data.csv"}


def _text_cell(value):
    """An identifier Excel would turn into a number, as a text formula Excel shows verbatim."""
    if isinstance(value, str) and value.isdigit():
        return f'="{value}"'
    return value


def write_csvs(outdir: Path, tables: dict[str, pd.DataFrame], names: dict[str, str] | None = None) -> dict[str, Path]:
    """CSV as Indonesian-locale Excel opens it: semicolons, decimal comma, UTF-8
    with BOM, identifiers as text. Column names are the codes of the data
    dictionary (kamus_data.csv, written alongside)."""
    from .kamus import dictionary

    files = {}
    for sheet, name in {**(names or CSV_NAMES), DICTIONARY_SHEET: "kamus_data.csv"}.items():
        if sheet == DICTIONARY_SHEET:
            frame = dictionary(tables)
        else:
            frame = _readable(tables[sheet])
            for col in frame.columns:
                if _texty(frame[col]):
                    frame[col] = frame[col].map(neutralise_cell)
                if col in TEXT_COLUMNS:
                    frame[col] = frame[col].map(lambda v: _text_cell(str(v)) if v != "" else v)
        path = Path(outdir) / name
        with atomic_path(path) as tmp:
            frame.to_csv(tmp, index=False, sep=";", decimal=",", encoding="utf-8-sig")
        files[f"csv:{name}"] = path
    return files


def read_report_csv(path: Path) -> pd.DataFrame:
    """A CSV written by write_csvs back as plain text per column code (tests, scripts)."""
    frame = pd.read_csv(path, sep=";", dtype=str, keep_default_na=False, encoding="utf-8-sig")
    return frame.apply(lambda s: s.str.replace(r'^="(.*)"$', r"\1", regex=True))


def read_workbook(path: Path) -> dict[str, pd.DataFrame]:
    """The XLSX back as text per column code (headings mapped through its own Kamus data sheet)."""
    book = pd.read_excel(path, sheet_name=None, dtype=str, keep_default_na=False)
    kamus = book.pop(DICTIONARY_SHEET)
    out = {}
    for name, frame in book.items():
        rows = kamus[kamus["Lembar"].str[:31] == name]
        frame.columns = list(rows["Kolom (kode)"]) if len(rows) == len(frame.columns) else frame.columns
        out[name] = frame.apply(lambda s: s.str.replace(r"^(\d{4}-\d{2}-\d{2}) 00:00:00$", r"\1", regex=True))
    return out
