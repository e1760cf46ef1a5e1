"""HR commands: pegawai (roster import), hadir, laporan, sertifikat, verifikasi."""
from __future__ import annotations

import argparse
import shutil
import sys
from datetime import date
from pathlib import Path

from ..files import atomic_path
from .. import clock, paths


def _day(text: str) -> date:
    from ..dates import FORMS, parse_day

    day = parse_day(text)
    if day is None:
        raise argparse.ArgumentTypeError(f"{text!r} bukan tanggal ({FORMS})")
    return day


def _print_date_note(report) -> None:
    from .certification import date_note

    note = date_note(report)
    if note:
        print(f"Catatan: {note}", file=sys.stderr)


def _print_problems(problems, label: str) -> None:
    for p in problems:
        who = f" {p.nama}" if p.nama else ""
        print(f"{label} baris {p.line}{who} [{p.level}]: {p.reason}", file=sys.stderr)


def cmd_pegawai(args) -> int:
    from ..grading.course import Course
    from .history import import_roster
    from .roster import read_roster, rejected

    if not Path(args.course).is_dir():
        print(f"Folder kursus {Path(args.course).resolve()} tidak ada; periksa --course.", file=sys.stderr)
        return 2
    course = Course(Path(args.course).resolve())
    try:
        roster, problems = read_roster(Path(args.berkas))
    except (ValueError, OSError) as exc:
        print(f"Roster tidak dapat dibaca: {exc}", file=sys.stderr)
        return 2
    _print_problems(problems, "Roster")
    changes = import_roster(course.db_url(), roster, problems, Path(args.berkas).name, args.tanggal)
    for c in changes.itertuples():
        print(f"  {c.nip} {c.nama} ({c.unit_kerja}): {c.perubahan}")
    bad = rejected(problems)
    print(f"{len(roster)} pegawai diterima dan dimasukkan ke gradebook; {len(bad)} baris ditolak, "
          f"{len(problems) - len(bad)} catatan diragukan; {len(changes)} perubahan riwayat.")
    return 1 if bad and args.strict else 0


def cmd_hadir(args) -> int:
    from .attendance import read_attendance
    from .pipeline import ATTENDANCE_DIR
    from .sources import module_titles

    try:
        frame, problems = read_attendance(Path(args.berkas), set(module_titles()))
    except (ValueError, OSError) as exc:
        print(f"Daftar hadir tidak dapat dibaca: {exc}", file=sys.stderr)
        return 2
    _print_problems(problems, "Daftar hadir")
    if not Path(args.course).is_dir():
        print(f"Folder kursus {Path(args.course).resolve()} tidak ada; periksa --course.", file=sys.stderr)
        return 2
    target = Path(args.course).resolve() / ATTENDANCE_DIR
    target.mkdir(parents=True, exist_ok=True)
    saved, note = keep_attendance_file(Path(args.berkas), target)
    if note:
        print(note)
    if saved is None:
        return 0
    print(f"{len(frame)} kehadiran ({frame['jp'].sum():g} JP) dari {frame['sesi'].nunique()} sesi tercatat; "
          f"{len(problems)} baris bermasalah. Berkas disimpan sebagai {saved}.")
    return 0


def keep_attendance_file(source: Path, folder: Path) -> tuple[Path | None, str]:
    """Copy an attendance file in, never over another session's file of the same name:
    the same content is not imported twice; different content is kept beside it."""
    import hashlib

    digest = hashlib.sha256(source.read_bytes()).hexdigest()
    for old in sorted(folder.iterdir()):
        if old.is_file() and hashlib.sha256(old.read_bytes()).hexdigest() == digest:
            return None, f"Berkas ini sudah diimpor sebelumnya sebagai {old.name}; tidak diimpor dua kali."
    target, n, note = folder / source.name, 1, ""
    while target.exists():
        n += 1
        target = folder / f"{source.stem}_{n}{source.suffix}"
    if n > 1:
        note = (f"Sudah ada daftar hadir bernama {source.name} (sesi lain); berkas ini disimpan sebagai "
                f"{target.name} dan keduanya dihitung.")
    with atomic_path(target) as tmp:
        shutil.copy2(source, tmp)
    return target, note


class Stop(Exception):
    """A problem HR must fix first; the message is for them (Bahasa Indonesia)."""


def _report(args, with_items=True):
    from .codes import KeyProblem
    from .pipeline import make_report

    try:
        return _make(make_report, args, with_items)
    except (ValueError, OSError, KeyProblem) as exc:
        raise Stop(f"Laporan tidak dapat dibuat: {exc}") from exc


def _make(make_report, args, with_items):
    return make_report(Path(args.course).resolve(), roster_path=Path(args.roster) if args.roster else None,
                       as_of=args.per_tanggal, units=args.unit, modules=args.modul,
                       dari=getattr(args, "dari", None), sampai=getattr(args, "sampai", None), with_items=with_items)


def cmd_laporan(args) -> int:
    try:
        return _cmd_laporan(args)
    except Stop as exc:
        print(exc, file=sys.stderr)
        return 2


def _cmd_laporan(args) -> int:
    from .pipeline import default_outdir, write_report_files

    report, sources = _report(args)
    _print_date_note(report)
    _print_problems(sources.roster_problems, "Roster")
    _print_problems(sources.attendance_problems, "Daftar hadir")
    out = Path(args.out) if args.out else default_outdir(Path(args.course).resolve(), report.as_of)
    from .codes import load_key

    key = load_key(course_root=Path(args.course).resolve())
    files = write_report_files(report, sources, out, tuple(args.format.split(",")), key=key,
                               course_root=Path(args.course).resolve())
    if args.per_unit:
        from .pipeline import make_report, unit_file_name

        for unit in sorted(report.learners["unit_kerja"].unique()):
            args.unit = [unit]
            part, part_sources = _make(make_report, args, True)
            folder = out / "per_unit" / unit_file_name(unit)
            unit_files = write_report_files(part, part_sources, folder, tuple(args.format.split(",")), key=key,
                                            suffix=f"_{unit_file_name(unit)}", course_root=Path(args.course).resolve())
            print(f"{unit}: {unit_files.get('xlsx') or folder}")
    print(report.units.drop(columns=[c for c in report.units if c.startswith("selesai_M")]).to_string(index=False))
    for label, path in files.items():
        print(f"{label}: {path}")
    return 0


def cmd_pengingat(args) -> int:
    try:
        return _cmd_pengingat(args)
    except Stop as exc:
        print(exc, file=sys.stderr)
        return 2


def _cmd_pengingat(args) -> int:
    from .pipeline import reminders
    from .workbook import write_csvs, write_xlsx

    if args.hari < 0:
        raise Stop("--hari harus 0 atau lebih")
    report, _ = _report(args, with_items=False)
    lists = reminders(report, args.hari)
    out = Path(args.out) if args.out else (Path(args.course).resolve() / "reports"
                                           / f"pengingat_{report.as_of.isoformat()}")
    out.mkdir(parents=True, exist_ok=True)
    write_xlsx(out / "pengingat.xlsx", lists)
    write_csvs(out, lists, names={"Akan kedaluwarsa": "akan_kedaluwarsa.csv", "Tenggat dekat": "tenggat_dekat.csv"})
    for name, frame in lists.items():
        no_mail = int((frame["email"].fillna("") == "").sum())
        print(f"{name} dalam {args.hari} hari: {len(frame)} pegawai"
              + (f" ({no_mail} tanpa e-mail di roster)" if no_mail else ""))
    print(f"Berkas: {out / 'pengingat.xlsx'}")
    return 0


def cmd_sertifikat(args) -> int:
    try:
        return _cmd_sertifikat(args)
    except Stop as exc:
        print(exc, file=sys.stderr)
        return 2


def _cmd_sertifikat(args) -> int:
    from .pipeline import default_outdir, write_certificates, write_statements

    report, _ = _report(args, with_items=False)
    _print_date_note(report)
    out = Path(args.out) if args.out else default_outdir(Path(args.course).resolve(), report.as_of) / "sertifikat"
    certs = write_certificates(report, out, args.nip)
    statements = write_statements(report, out, args.nomor_surat or "") if not args.tanpa_pernyataan else []
    print(f"{len(certs)} sertifikat dan {len(statements)} surat pernyataan unit ditulis ke {out}")
    from .status import publish

    root = Path(args.course).resolve()
    shown = set(report.learners["nip"])
    published = publish(root, [n for n in (args.nip or sorted(shown)) if n in shown], report=report)
    print(f"Status sertifikat diterbitkan ke Beranda Kursus {len(published)} peserta.")
    return 0


def cmd_verifikasi(args) -> int:
    try:
        return _cmd_verifikasi(args)
    except Stop as exc:
        print(exc, file=sys.stderr)
        return 2


def _cmd_verifikasi(args) -> int:
    from .codes import KeyProblem, load_key
    from .register import verify

    root = Path(args.course).resolve()
    if not root.is_dir():
        raise Stop(f"Folder kursus {root} tidak ada; periksa --course.")
    try:
        key = load_key(course_root=root)
    except KeyProblem as exc:
        raise Stop(f"Verifikasi tidak dapat dilakukan: {exc}") from exc
    if args.laporan:
        from .manifest import verify_manifest

        ok, lines = verify_manifest(Path(args.laporan), key)
        print("\n".join(lines))
        return 0 if ok else 1
    if not args.kode:
        raise Stop("Beri kode verifikasi (mis. NA-XXXX-XXXX-XXXX-XXXX) atau --laporan FOLDER.")
    verdict = verify(root, args.kode, key, _today())
    print(verdict.message)
    return verdict.exit_code


def _today() -> date:
    return clock.today()


def cmd_kunci(args) -> int:
    from .codes import KeyProblem, create_key, key_path

    if args.aksi == "lokasi":
        path = key_path()
        print(f"{path} ({'ada' if path.is_file() else 'belum ada'})")
        return 0
    try:
        path = create_key(course_root=Path(args.course).resolve())
    except KeyProblem as exc:
        print(exc, file=sys.stderr)
        return 2
    print(f"Kunci verifikasi dibuat di {path} (hanya dapat dibaca pemiliknya). Simpan salinannya di tempat "
          "aman: tanpa kunci ini sertifikat yang sudah terbit tidak dapat diperiksa.")
    return 0


def cmd_cabut(args) -> int:
    from .codes import KeyProblem, load_key
    from .register import revoke

    root = Path(args.course).resolve()
    try:
        entry = revoke(root, load_key(course_root=root), args.kode, args.alasan)
    except (KeyProblem, LookupError) as exc:
        print(f"Sertifikat tidak dapat dicabut: {exc}", file=sys.stderr)
        return 2
    print(f"Sertifikat {entry['kode_dicabut']} ({entry['nama']}, {entry['nip']}) dicabut: {entry['alasan']}")
    return 0


def cmd_halaman(args) -> int:
    from .verify_page import make_server

    root = Path(args.course).resolve()
    if not root.is_dir():
        print(f"Folder kursus {root} tidak ada; periksa --course.", file=sys.stderr)
        return 2
    server = make_server(root, args.host, args.port)
    print(f"Halaman verifikasi di http://{args.host}:{server.server_address[1]}/ (Ctrl+C untuk berhenti)")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


def _common(p, filters: bool = True) -> None:
    p.add_argument("--kursus", "--course", dest="course", metavar="FOLDER", default=str(paths.GRADING_DIR), help="folder kursus (bawaan: grading/)")
    p.add_argument("--roster", help="pakai berkas roster ini, bukan roster tercatat di gradebook")
    p.add_argument("--per-tanggal", type=_day, default=None, help="tanggal laporan YYYY-MM-DD (bawaan: hari ini menurut zona_waktu kebijakan)")
    p.add_argument("--unit", action="append", help="hanya unit kerja ini (boleh diulang)")
    p.add_argument("--modul", action="append", help="hanya modul ini, mis. 02 (boleh diulang)")
    if filters:
        p.add_argument("--dari", type=_day, help="awal periode penyelesaian (YYYY-MM-DD)")
        p.add_argument("--sampai", type=_day, help="akhir periode penyelesaian (YYYY-MM-DD)")


def register(sub) -> None:
    p = sub.add_parser("pegawai", help="impor roster pegawai (CSV/XLSX) dengan riwayat, ke gradebook")
    p.add_argument("berkas")
    p.add_argument("--kursus", "--course", dest="course", metavar="FOLDER", default=str(paths.GRADING_DIR),
                   help="folder kursus (bawaan: grading/)")
    p.add_argument("--tanggal", type=_day, default=None,
                   help="roster berlaku sejak YYYY-MM-DD (bawaan: hari ini menurut zona_waktu kebijakan)")
    p.add_argument("--ketat", "--strict", dest="strict", action="store_true", help="keluar dengan status 1 bila ada baris ditolak")
    p.set_defaults(func=cmd_pegawai)

    p = sub.add_parser("hadir", help="impor daftar hadir sesi tatap muka (JP)")
    p.add_argument("berkas")
    p.add_argument("--kursus", "--course", dest="course", metavar="FOLDER", default=str(paths.GRADING_DIR), help="folder kursus (bawaan: grading/)")
    p.set_defaults(func=cmd_hadir)

    p = sub.add_parser("laporan", help="laporan BKPSDM: XLSX, HTML bergrafik, CSV")
    _common(p)
    p.add_argument("--keluaran", "--out", dest="out", metavar="FOLDER", help="folder keluaran (bawaan: <kursus>/reports/laporan_<tanggal>)")
    p.add_argument("--format", default="xlsx,html,csv", help="xlsx,html,csv")
    p.add_argument("--per-unit", action="store_true",
                   help="juga satu laporan per unit kerja (per_unit/<unit>/laporan_netralitas_<unit>.xlsx)")
    p.set_defaults(func=cmd_laporan)

    p = sub.add_parser("pengingat", help="daftar pengingat dengan e-mail: sertifikat yang akan kedaluwarsa dan "
                                         "tenggat yang dekat dalam N hari")
    _common(p, filters=False)
    p.add_argument("--hari", type=int, default=30, help="dalam berapa hari (bawaan: 30)")
    p.add_argument("--keluaran", "--out", dest="out", metavar="FOLDER",
                   help="folder keluaran (bawaan: <kursus>/reports/pengingat_<tanggal>)")
    p.set_defaults(func=cmd_pengingat)

    p = sub.add_parser("sertifikat", help="sertifikat PDF per pegawai dan surat pernyataan per unit")
    _common(p)
    p.add_argument("--nip", action="append", help="hanya pegawai ini (boleh diulang)")
    p.add_argument("--keluaran", "--out", dest="out", metavar="FOLDER", help="folder keluaran")
    p.add_argument("--tanpa-pernyataan", action="store_true", help="jangan buat surat pernyataan unit")
    p.add_argument("--nomor-surat", help="nomor surat pernyataan; {n} diganti nomor urut unit, "
                                         "mis. \"800.1/{n}/BKPSDM/2026\"")
    p.set_defaults(func=cmd_sertifikat)

    p = sub.add_parser("verifikasi", help="periksa kode verifikasi sertifikat terhadap register sertifikat "
                                          "(atau --laporan FOLDER: keaslian berkas laporan)")
    p.add_argument("kode", nargs="?")
    p.add_argument("--kursus", "--course", dest="course", metavar="FOLDER", default=str(paths.GRADING_DIR), help="folder kursus (bawaan: grading/)")
    p.add_argument("--laporan", help="folder laporan yang diperiksa terhadap manifesnya")
    p.set_defaults(func=cmd_verifikasi)

    p = sub.add_parser("kunci", help="kunci verifikasi sertifikat: buat (sekali saja) atau tunjukkan lokasinya")
    p.add_argument("aksi", choices=["buat", "lokasi"])
    p.add_argument("--kursus", "--course", dest="course", metavar="FOLDER", default=str(paths.GRADING_DIR),
                   help="folder kursus (kunci tidak boleh disimpan di dalamnya)")
    p.set_defaults(func=cmd_kunci)

    p = sub.add_parser("halaman-verifikasi", help="layani halaman verifikasi sertifikat (tanpa terminal; "
                                                  "di JupyterHub sebagai layanan)")
    p.add_argument("--kursus", "--course", dest="course", metavar="FOLDER", default=str(paths.GRADING_DIR))
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8090)
    p.set_defaults(func=cmd_halaman)

    p = sub.add_parser("cabut", help="cabut sertifikat yang sudah terbit (dicatat di register)")
    p.add_argument("kode")
    p.add_argument("--alasan", required=True)
    p.add_argument("--kursus", "--course", dest="course", metavar="FOLDER", default=str(paths.GRADING_DIR))
    p.set_defaults(func=cmd_cabut)
