"""`netralitas` command line: build, demo, lab, grade; HR and facilitator commands come from their areas."""
from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from . import paths


def cmd_build(args) -> int:
    from .build.notebooks import build
    from .content.loader import load_bank

    stale = build(load_bank(), check=args.check)
    rel = [str(p.relative_to(paths.REPO_ROOT)) for p in stale]
    if args.check:
        if rel:
            print("Notebook tidak sesuai dengan bank konten; jalankan `make build`:\n  " + "\n  ".join(rel))
            return 1
        print("Semua notebook sesuai dengan bank konten.")
        return 0
    print("Diperbarui:\n  " + "\n  ".join(rel) if rel else "Tidak ada yang berubah.")
    return 0


def cmd_grade(args) -> int:
    from .grading.batch import grade_and_report
    from .grading.course import Course
    from .grading.parallel import parse_shard
    from .grading.pipeline import summary

    course = Course(Path(args.course).resolve())
    try:
        shard = parse_shard(args.shard) if args.shard else None
    except ValueError as exc:
        print(exc, file=sys.stderr)
        return 2
    outcomes, path, returncode = grade_and_report(course, args.assignment, workers=args.workers, shard=shard)
    run = outcomes.attrs["run"]
    if run.graded:
        # The course home shows each learner's certification status (report/status.py).
        from .report.status import publish_quietly

        publish_quietly(course.root, list(run.graded), lambda m: print(m, file=sys.stderr))
    print(summary(run))
    print(f"Rincian alasan per soal: {path}")
    zero = outcomes[outcomes["reason"] != "correct"]
    print(zero["keterangan"].value_counts().to_string() if len(zero) else "Semua soal benar.")
    failed = sorted(set(outcomes.loc[outcomes["reason"] == "not_autograded", "nip"]) & set(run.graded))
    if failed:
        print(f"{len(failed)} kiriman tidak dapat dinilai nbgrader (nilai 0, alasan not_autograded): "
              f"{', '.join(failed)}; log lengkap: {path.with_name(f'autograde_{args.assignment}.log')}",
              file=sys.stderr)
    # 0: every submission graded; 1: the batch finished but some were set aside
    # or could not be graded (listed above); 2: wrong arguments.
    return 1 if run.set_aside or failed else 0


def cmd_course_init(args) -> int:
    from .grading.course import Course

    course = Course.init(Path(args.dir), source=Path(args.source) if args.source else None)
    print(f"Folder kursus siap: {course.root}")
    return 0


def cmd_lab(args) -> int:
    from .grading.course import Course
    from .server import lab_command, lab_env, publish_stale, use_indonesian_ui
    from .settings import settings

    if settings().nip:
        return cmd_lab_learner(settings().nip, args.extra)
    course = Course(paths.GRADING_DIR)
    publish_stale(course)
    use_indonesian_ui()
    cmd = lab_command(paths.REPO_ROOT, extra=args.extra)
    print("Membuka JupyterLab: " + " ".join(cmd))
    return subprocess.call(cmd, env=lab_env(course.root), cwd=paths.REPO_ROOT)


def cmd_lab_learner(nip: str, extra: list[str]) -> int:
    """`make lab NETRALITAS_NIP=...`: one learner's server on their own folder (server.prepare_learner_lab)."""
    import os

    from .grading.course import Course
    from .server import prepare_learner_lab, publish_stale, use_indonesian_ui

    # Quizzes travel through an exchange outside the course folder, which stays closed to learners.
    exchange = paths.REPO_ROOT / "var" / "lab" / "exchange"
    from .settings import export

    export(exchange=exchange)
    exchange.parent.mkdir(parents=True, exist_ok=True)
    course = Course(paths.GRADING_DIR)
    publish_stale(course)
    os.chmod(exchange, 0o1777)
    use_indonesian_ui()
    lab = prepare_learner_lab(nip, course)
    # Grade on submit: the instructor's own process grades each submission as it
    # arrives (grading/service.py), so the learner sees the score without waiting for anyone.
    service = subprocess.Popen([sys.executable, "-m", "netralitas.grading.service", "--course", str(course.root),
                                "--exchange", str(exchange)])
    print(f"Folder peserta: {lab.root}. Penilaian otomatis berjalan (proses {service.pid}); "
          f"penilaian manual tetap: NETRALITAS_EXCHANGE={exchange} netralitas grade <kuis>")
    try:
        return subprocess.call(lab.command(extra=extra), env=lab.env, cwd=lab.root, **lab.popen_kwargs())
    finally:
        service.terminate()
        service.wait(timeout=30)


# Areas that bring their own subcommands: each module has register(subparsers).
# Keeping them out of this file lets each area own its command line; the demo (harness) registers
# itself the same way, so the runtime never imports the harness that drives it.
EXTENSIONS: list[str] = ["netralitas.report.cli", "netralitas.facilitator.cli", "netralitas.periksa",
                         "netralitas.grading.service", "netralitas.testing.cli"]


class _Help(argparse.HelpFormatter):
    def add_usage(self, usage, actions, groups, prefix=None):
        return super().add_usage(usage, actions, groups, prefix="pemakaian: " if prefix is None else prefix)


class Parser(argparse.ArgumentParser):
    """One user language: verbs and flags in Bahasa Indonesia (English names kept as aliases),
    and argparse's own help line in Bahasa Indonesia too."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("add_help", False)
        kwargs.setdefault("formatter_class", _Help)
        super().__init__(*args, **kwargs)
        self._positionals.title, self._optionals.title = "argumen", "pilihan"
        self.add_argument("-h", "--bantuan", "--help", action="help", help="tampilkan bantuan ini lalu keluar")

    # argparse's messages, in the user's language (the rest of each message names the argument).
    MESSAGES = (("the following arguments are required:", "argumen wajib belum diberikan:"),
                ("unrecognized arguments:", "argumen tidak dikenal:"), ("invalid choice:", "pilihan tidak dikenal:"),
                ("(choose from", "(pilih dari"), ("expected one argument", "perlu satu nilai"),
                ("invalid int value:", "bukan bilangan bulat:"), ("invalid float value:", "bukan angka:"),
                ("argument ", "argumen "))

    def error(self, message: str):
        for english, indonesian in self.MESSAGES:
            message = message.replace(english, indonesian)
        self.print_usage(sys.stderr)
        self.exit(2, f"{self.prog}: kesalahan: {message}\n")


def main(argv: list[str] | None = None) -> int:
    import importlib
    import os

    parser = Parser(prog="netralitas", description="Kursus Netralitas ASN: satu perintah untuk setiap pekerjaan "
                                                   "(nama Inggris dalam kurung tetap diterima).")
    sub = parser.add_subparsers(dest="command", required=True, metavar="PERINTAH", title="perintah")

    p = sub.add_parser("bangun", aliases=["build"], help="bangun notebook modul dan kuis dari bank konten")
    p.add_argument("--periksa", "--check", dest="check", action="store_true", help="hanya periksa, jangan menulis")
    p.set_defaults(func=cmd_build)

    p = sub.add_parser("lab", help="buka JupyterLab pada kursus (argumen lain diteruskan ke jupyter lab)")
    p.set_defaults(func=cmd_lab)

    p = sub.add_parser("nilai", aliases=["grade"], help="kumpulkan, nilai otomatis, dan kirim umpan balik satu kuis")
    p.add_argument("assignment", metavar="kuis", help="id penilaian, mis. kuis_02, tes_awal_02, ujian_akhir")
    # Only record mode grades: no learner code runs (netralitas/grading/pipeline.py says why).
    p.add_argument("--mode", choices=["record"], default="record",
                   help="record: nilai dihitung dari berkas jawaban tanpa menjalankan kode peserta")
    p.add_argument("--kursus", "--course", dest="course", metavar="FOLDER", default=str(paths.GRADING_DIR),
                   help="folder kursus (bawaan: grading/)")
    p.add_argument("--pekerja", "--workers", dest="workers", metavar="N", type=int, default=1,
                   help="jumlah proses penilai paralel, masing-masing untuk kelompok peserta sendiri")
    p.add_argument("--bagian", "--shard", dest="shard", metavar="i/n", help="i/n: hanya peserta bagian i dari n (beberapa mesin, gradebook "
                                   "PostgreSQL dan exchange bersama; lihat docs/SKALA.md)")
    p.set_defaults(func=cmd_grade)

    p = sub.add_parser("kursus", aliases=["course"], help="kelola folder kursus nbgrader")
    csub = p.add_subparsers(dest="action", required=True)
    pi = csub.add_parser("buat", aliases=["init"], help="buat folder kursus baru")
    pi.add_argument("dir", metavar="folder")
    pi.add_argument("--sumber", "--source", dest="source", metavar="FOLDER", help="folder sumber kuis (bawaan: quizzes/source)")
    pi.set_defaults(func=cmd_course_init)

    for name in EXTENSIONS:
        importlib.import_module(name).register(sub)

    args, extra = parser.parse_known_args(argv)
    if extra and args.command != "lab":
        parser.error(f"argumen tidak dikenal: {' '.join(extra)}")
    args.extra = extra
    # Course folders, gradebooks, reports and certificates hold personal data:
    # whatever a command creates is its owner's only (never loosens a stricter umask).
    before = os.umask(0o077)
    os.umask(before | 0o077)
    try:
        return args.func(args)
    finally:
        os.umask(before)


if __name__ == "__main__":
    sys.exit(main())
