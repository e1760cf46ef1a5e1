"""`make demo`: the whole course on a synthetic cohort, as a new user meets it.

HR imports the roster, learners take module 02's quiz (or test out with its
pre-test) in real kernels, the instructor grades with `netralitas nilai`, one
learner retakes, HR imports an attendance sheet and writes the report,
certificates and a verification, and the facilitator kit is built. Every step
is the real command (run in-process through netralitas.cli) or the package
function behind it; only the people are invented. Everything lands under
var/demo/ (git-ignored).
"""
from __future__ import annotations

import contextlib
import os
import random
import shutil
import sys
import time
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from .. import clock, paths
from ..assignments import pretest_id, quiz_id
from ..tables import ATTENDANCE
from .demo import UNITS, Person, make_cohort, take_quiz, write_roster
from ..grading.course import Course, Learner

MODULE = "02"
QUIZ, PRETEST = quiz_id(MODULE), pretest_id(MODULE)
SESSION_PLAN = "sesi_120"
BAD_ROW = ["19860900 201513 1 001", "Contoh NIP Salah", UNITS[0], "PNS"]  # invented, month 13: rejected


@dataclass
class StoryResult:
    root: Path
    course_root: Path
    people: list[Person]
    retaker: Person
    pretester: Person
    files: dict[str, Path] = field(default_factory=dict)
    codes: dict[str, int] = field(default_factory=dict)  # verification code -> exit status
    timings: dict[str, float] = field(default_factory=dict)


def write_demo_policy(path: Path) -> Path:
    """The repository's policy with two changes: only module 02 is required for
    a certificate (the demo runs one module; the default requires all nine), and
    a deadline 30 days after today on the agency's calendar, so the demo tells
    the same story on whatever day it runs."""
    text = paths.GRADING_DIR.joinpath("kebijakan.yaml").read_text(encoding="utf-8")
    for line, new in (("  modul_wajib: []", f'  modul_wajib: ["{MODULE}"]   # demo: hanya modul {MODULE} yang wajib'),
                      ("  tenggat: null", f"  tenggat: {clock.today() + timedelta(days=30)}   # demo: 30 hari lagi")):
        if line not in text:
            raise RuntimeError(f"grading/kebijakan.yaml no longer has {line.strip()!r}; update demo_story.py")
        text = text.replace(line, new)
    header = ("# Kebijakan khusus demo (dibuat `make demo`), dipakai lewat NETRALITAS_POLICY.\n"
              "# Sama dengan grading/kebijakan.yaml, kecuali modul wajib dan tenggat.\n")
    path.write_text(header + text, encoding="utf-8")
    return path


@contextlib.contextmanager
def policy_in_force(path: Path, key: Path | None = None):
    """NETRALITAS_POLICY (and the demo's own verification key, NETRALITAS_KUNCI)
    for this process and the nbgrader subprocesses, restored after."""
    from ..settings import overridden

    with overridden(policy=path, **({"key_file": key} if key else {})):
        yield


def show(path: Path) -> str:
    """A path as the user would type it from the repository (or where they are)."""
    for base in (Path.cwd(), paths.REPO_ROOT):
        try:
            return str(Path(path).resolve().relative_to(base.resolve()))
        except ValueError:
            pass
    return str(path)


def command(*args: str) -> int:
    """One `netralitas` command, echoed as typed, run in-process."""
    from ..cli import main as cli_main

    shown = [show(Path(a)) if os.path.isabs(a) else a for a in args]
    print(f"\n$ netralitas {' '.join(shown)}", flush=True)
    rc = cli_main(list(args))
    sys.stdout.flush()
    sys.stderr.flush()
    return rc


def write_attendance(path: Path, people: list[Person], jp: int, day: date) -> Path:
    """The facilitator's attendance sheet as typed into Excel (semicolons)."""
    rows = [f"{day.isoformat()};Sosialisasi Netralitas ASN ({SESSION_PLAN});{p.nip};{p.nama};{p.unit_kerja};{jp};{int(MODULE)}"
            for p in people]
    path.write_text(ATTENDANCE.header(";") + "\n" + "\n".join(rows) + "\n", encoding="utf-8")
    return path


def cast(n: int, seed: int) -> list[Person]:
    """The synthetic cohort; the first learner tests out, the second retakes."""
    if n < 4:
        raise ValueError("demo membutuhkan sedikitnya 4 peserta")
    people = make_cohort(n, seed)
    people[0].profile, people[1].profile, people[2].profile = "lulus_tes_awal", "mengulang", "sempurna"
    return people


def run_story(root: Path, n: int = 20, seed: int = 2024, log=print) -> StoryResult:
    """run_story with invented data declared (netralitas/invented.py): the roster accepts its
    invented NIPs and every report and certificate says CONTOH - DATA REKAAN."""
    from ..settings import overridden

    with overridden(invented_data="true"):
        return _run_story(root, n, seed, log)


def _run_story(root: Path, n: int = 20, seed: int = 2024, log=print) -> StoryResult:
    from ..build.notebooks import pretest_items
    from ..content.loader import default_bank, load_bank, load_quiz_items
    from ..facilitator.content import load_kit
    from ..facilitator.plans import plan_jp
    from .learner import work_through

    root = Path(root).resolve()
    if root.exists():
        shutil.rmtree(root)
    root.mkdir(parents=True)
    bank = default_bank()
    rng = random.Random(seed)
    people = cast(n, seed)
    pretester, retaker = people[0], people[1]
    today = clock.today()
    K = str(root / "kursus")
    command("kursus", "buat", K)
    course = Course(Path(K))
    result = StoryResult(root, course.root, people, retaker, pretester)
    files, t = result.files, time.perf_counter()

    def lap(name: str) -> None:
        nonlocal t
        result.timings[name] = time.perf_counter() - t
        t = time.perf_counter()

    files["kebijakan"] = write_demo_policy(root / "kebijakan_demo.yaml")
    # The demo's own key, outside its course folder, made by the explicit step an agency runs once.
    with policy_in_force(files["kebijakan"], key=root / "kunci" / "kunci_verifikasi"):
        command("kunci", "buat", "--kursus", K)
        print(f"\n== 1. BKPSDM mengimpor roster pegawai ({len(people)} orang + 1 baris salah ketik)")
        files["roster"] = root / "roster_pegawai.csv"
        write_roster(files["roster"], people, [BAD_ROW])
        command("pegawai", str(files["roster"]), "--kursus", K)
        lap("roster")

        print(f"\n== 2. Pengajar merilis Kuis {MODULE} dan Tes Awal {MODULE}; peserta mengerjakan di kernel Jupyter")
        course.publish(QUIZ)
        course.publish(PRETEST)
        homes = root / "peserta"
        take_quiz(course, homes, [pretester], PRETEST, pretest_items(bank, MODULE), rng, log)
        take_quiz(course, homes, people[1:], QUIZ, load_quiz_items(QUIZ, bank), rng, log)
        lap("learners")

        print("\n== 3. Pengajar menilai (collect, autograde, umpan balik) dengan nbgrader")
        command("nilai", QUIZ, "--kursus", K, "--mode", "record")
        command("nilai", PRETEST, "--kursus", K, "--mode", "record")
        lap("grade")

        print(f"\n== 4. {retaker.nama} belum lulus, membaca umpan balik, lalu mengirim ulang (percobaan 2)")
        learner = Learner(homes / retaker.nip, retaker.nip, course)
        files["umpan_balik_1"] = learner.fetch_feedback(QUIZ)[0]
        right = {i.id: i.key for i in load_quiz_items(QUIZ, bank)}
        work_through(homes / retaker.nip / QUIZ / f"{QUIZ}.ipynb", right)
        learner.submit(QUIZ)
        command("nilai", QUIZ, "--kursus", K, "--mode", "record")
        files["percobaan"] = course.root / "reports" / f"percobaan_{QUIZ}.csv"
        lap("retake")

        print(f"\n== 5. Daftar hadir sesi tatap muka ({SESSION_PLAN}) diimpor: JP ikut dihitung")
        kit = load_kit(load_bank())
        files["daftar_hadir"] = write_attendance(root / "daftar_hadir.csv", people[::2],
                                                 plan_jp(kit.plans[SESSION_PLAN]), today)
        command("hadir", str(files["daftar_hadir"]), "--kursus", K)

        print(f"\n== 6. Laporan BKPSDM, sertifikat, dan pemeriksaan keaslian (modul wajib: {MODULE}, "
              f"lihat {show(files['kebijakan'])})")
        files["laporan"] = root / "laporan"
        command("laporan", "--kursus", K, "--keluaran", str(files["laporan"]))
        files["sertifikat"] = files["laporan"] / "sertifikat"
        command("sertifikat", "--kursus", K, "--keluaran", str(files["sertifikat"]))
        real = issued_code(files["laporan"] / "per_pegawai.csv", retaker.nip)
        forged = real[:-1] + ("A" if real[-1] != "A" else "B")
        for code in (real, forged):
            result.codes[code] = command("verifikasi", code, "--kursus", K)
        lap("hr")

        print("\n== 7. Perangkat fasilitator: panduan, notebook sesi langsung, PDF cetak, kunci jawaban")
        files["kit"] = root / "kit"
        command("kit", "--panduan", str(files["kit"] / "panduan"), "--cetak", str(files["kit"] / "cetak"),
                "--kunci", str(files["kit"] / "kunci_jawaban"), "--sesi", SESSION_PLAN, "--tanggal", today.isoformat())
        lap("kit")
    return result


def issued_code(per_pegawai_csv: Path, nip: str) -> str:
    """The verification code printed on this person's certificate, from the report."""
    from ..report.workbook import read_report_csv

    rows = read_report_csv(per_pegawai_csv)
    nip_col = next(c for c in rows.columns if c.lower().startswith("nip"))
    code = rows.loc[rows[nip_col] == nip, "kode_verifikasi"].dropna()
    if code.empty:
        raise RuntimeError(f"no certificate code for {nip} in {per_pegawai_csv}")
    return code.iloc[0]


def summary(result: StoryResult) -> list[str]:
    from ..grading.attempts import read_attempts

    f = result.files
    ledger = read_attempts(Course(result.course_root).db_url())
    mine = ledger[(ledger["student_id"] == result.retaker.nip) & (ledger["assignment"] == QUIZ)]
    tries = "; ".join(f"percobaan {int(r.attempt)}: {r.score:g}/{r.max_score:g} "
                      f"{'lulus' if r.passed else 'belum lulus'}{' (dihitung)' if r.counted else ''}"
                      for r in mine.sort_values("attempt").itertuples())
    pre = ledger[(ledger["student_id"] == result.pretester.nip) & (ledger["assignment"] == PRETEST)]
    certs = sorted(f["sertifikat"].glob("sertifikat_*.pdf"))
    retaker_cert = [c for c in certs if c.stem.endswith(result.retaker.nip.replace(" ", "_"))]
    units = sorted(f["sertifikat"].glob("pernyataan_*.pdf"))
    real, forged = list(result.codes)
    lines = [
        "",
        "== Ringkasan demo",
        f"Peserta sintetis: {len(result.people)} di {len(UNITS)} unit kerja; modul wajib demo: {MODULE}.",
        f"{result.retaker.nama} ({result.retaker.nip}): {tries}.",
        f"{result.pretester.nama} ({result.pretester.nip}): tes awal {PRETEST} "
        + ("lulus: modul selesai tanpa kuis." if len(pre) and bool(pre["passed"].iloc[0]) else "tidak lulus."),
        f"Sertifikat terbit: {len(certs)}; surat pernyataan unit: {len(units)}.",
        f"Verifikasi: {real} -> {'SAH' if result.codes[real] == 0 else 'TIDAK SAH'}; "
        f"{forged} (dipalsukan) -> {'SAH' if result.codes[forged] == 0 else 'TIDAK DIKENAL'}.",
        "",
        "Berkas yang dihasilkan:",
        *(f"  {label:<36}{where}" for label, where in [
            ("roster pegawai (masukan)", show(f["roster"])),
            ("kebijakan demo (NETRALITAS_POLICY)", show(f["kebijakan"])),
            ("gradebook nbgrader", show(result.course_root / "gradebook.db")),
            ("alasan nilai per soal", show(result.course_root / "reports" / f"penilaian_{QUIZ}.csv")),
            ("catatan percobaan (bukti audit)", show(f["percobaan"])),
            ("umpan balik peserta (contoh)", show(f["umpan_balik_1"])),
            ("daftar hadir (masukan)", show(f["daftar_hadir"])),
            ("laporan BKPSDM (XLSX)", show(f["laporan"] / "laporan_netralitas.xlsx")),
            ("laporan BKPSDM (HTML bergrafik)", show(f["laporan"] / "laporan_netralitas.html")),
            ("laporan BKPSDM (CSV)", f"{show(f['laporan'])}/*.csv"),
            (f"sertifikat {result.retaker.nama}", show(retaker_cert[0]) if retaker_cert else "-"),
            ("surat pernyataan unit", f"{show(f['sertifikat'])}/pernyataan_*.pdf"),
            ("panduan fasilitator", show(f["kit"] / "panduan")),
            ("bahan cetak (daftar hadir, dll.)", show(f["kit"] / "cetak")),
            ("kunci jawaban (hanya pengajar)", show(f["kit"] / "kunci_jawaban")),
        ]),
        "",
        "Waktu: " + ", ".join(f"{k} {v:.1f} s" for k, v in result.timings.items())
        + f"; total {sum(result.timings.values()):.1f} s",
    ]
    return lines


def main(root: Path | None = None, n: int = 20, seed: int = 2024) -> StoryResult:
    root = Path(root or paths.REPO_ROOT / "var" / "demo")
    print(f"Demo kursus Netralitas ASN: {n} peserta sintetis (NIP dan nama rekaan, seed {seed}) di {show(root)}")
    result = run_story(root, n, seed)
    print("\n".join(summary(result)))
    return result
