"""The whole chain (release, submit, grade, roster, report, verification) under
a faked clock, at the hours where UTC and the agency's calendar disagree.

Every step is its own process, as in real use, so the clock is faked for the
whole process tree with libfaketime (Debian's `faketime`, installed by `make
test`); time-machine cannot reach subprocesses. The machine's TZ is set far
from Indonesia, so a step that read the machine's calendar would be caught.
Each case runs entirely on the fake clock, so none of its dates expires.
"""
from __future__ import annotations

import os
import shutil
import subprocess
import sys
import textwrap
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from dateutil.relativedelta import relativedelta

from netralitas import paths
from netralitas.dates import long_day
from netralitas.report.workbook import read_report_csv

pytestmark = pytest.mark.slow

FAKETIME = shutil.which("faketime")
UTC = timezone.utc
NIP = "199001002015011001"   # invented (born January 1990, day 00), appointed January 2015: valid on every case's date

LEARNER = textwrap.dedent("""
    import sys
    from pathlib import Path
    from netralitas import paths, record
    from netralitas.content.loader import default_bank, load_quiz_items
    from netralitas.grading.course import Course, Learner

    root, home, nip = Path(sys.argv[1]), Path(sys.argv[2]), sys.argv[3]
    learner = Learner(home, nip, Course(root))
    folder = learner.fetch("kuis_02")
    for item in load_quiz_items("kuis_02", default_bank()):   # the clicks the widgets record
        record.save_answer(folder / paths.ANSWER_RECORD, item.id, next(o.id for o in item.pilihan if o.benar))
    learner.submit("kuis_02")
""")

# (submitted at, report and verification at, zone, agency day of the submission). The fake
# clock ticks from each step's start, so a submission lands a few seconds after its time.
CASES = {
    "WIB 23:58 (16:58 UTC), report after midnight WIB": (
        datetime(2026, 12, 7, 16, 58, 30, tzinfo=UTC), datetime(2026, 12, 7, 17, 6, tzinfo=UTC),
        "Asia/Jakarta", date(2026, 12, 7)),
    "WIB 00:01 (17:01 UTC): tomorrow in WIB, today in UTC": (
        datetime(2026, 12, 7, 17, 1, tzinfo=UTC), datetime(2026, 12, 7, 17, 8, tzinfo=UTC),
        "Asia/Jakarta", date(2026, 12, 8)),
    "WIB 06:30 on New Year (23:30 UTC on 31 December)": (
        datetime(2027, 12, 31, 23, 30, tzinfo=UTC), datetime(2027, 12, 31, 23, 37, tzinfo=UTC),
        "Asia/Jakarta", date(2028, 1, 1)),
    "WIB 00:30 on 29 February 2028": (
        datetime(2028, 2, 28, 17, 30, tzinfo=UTC), datetime(2028, 2, 28, 17, 37, tzinfo=UTC),
        "Asia/Jakarta", date(2028, 2, 29)),
    "WITA 00:01 (16:01 UTC)": (
        datetime(2026, 12, 7, 16, 1, tzinfo=UTC), datetime(2026, 12, 7, 16, 8, tzinfo=UTC),
        "Asia/Makassar", date(2026, 12, 8)),
    "WIT 23:30 (14:30 UTC), after every deadline in the repository": (
        datetime(2031, 6, 1, 14, 30, tzinfo=UTC), datetime(2031, 6, 1, 15, 5, tzinfo=UTC),
        "Asia/Jayapura", date(2031, 6, 1)),
}
LABEL = {"Asia/Jakarta": "WIB", "Asia/Makassar": "WITA", "Asia/Jayapura": "WIT"}


@pytest.fixture(scope="module")
def released(tmp_path_factory):
    """A course folder with kuis_02 generated and released (nothing in it is dated);
    each case works on its own copy."""
    if not FAKETIME:
        if os.environ.get("CI"):
            pytest.fail("faketime (Debian package) is missing; `make test` installs it")
        pytest.skip("faketime is not installed (apt-get install faketime)")
    from netralitas.grading.course import Course

    course = Course.init(tmp_path_factory.mktemp("clock_course") / "kursus")
    course.publish("kuis_02")
    return course.root


def run_at(when: datetime, args: list[str], env: dict, cwd: Path) -> subprocess.CompletedProcess:
    # An offset from the real clock, not "@YYYY-MM-DD ...": faketime reads an absolute time in
    # the process's TZ, which is deliberately not the agency's (or UTC) here.
    offset = (when - datetime.now(UTC)).total_seconds()
    return subprocess.run([FAKETIME, "-f", f"{offset:+.3f}", *args], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.mark.parametrize("case", list(CASES))
def test_chain_counts_the_submission_on_the_agency_day(case, released, tmp_path):
    from netralitas.grading.course import Course

    submitted, later, zone, day = CASES[case]
    policy = tmp_path / "kebijakan.yaml"
    text = (paths.GRADING_DIR / "kebijakan.yaml").read_text(encoding="utf-8")
    text = text.replace("zona_waktu: Asia/Jakarta", f"zona_waktu: {zone}")
    text = text.replace("  modul_wajib: []", '  modul_wajib: ["02"]')
    policy.write_text(text, encoding="utf-8")
    env = {**os.environ, "TZ": "America/Los_Angeles", "NETRALITAS_POLICY": str(policy),
           "NETRALITAS_RAHASIA": "kunci-uji-jam", "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}"}
    env.pop("NETRALITAS_DB_URL", None)
    env.pop("NETRALITAS_EXCHANGE", None)
    shutil.copytree(released, tmp_path / "kursus")
    course = Course(tmp_path / "kursus")
    netralitas = [sys.executable, "-m", "netralitas.cli"]

    def step(when, args, cwd=course.root):
        proc = run_at(when, args, env, cwd)
        assert proc.returncode == 0, f"{args[2:4]} at {when}: exit {proc.returncode}\n{proc.stdout}\n{proc.stderr}"
        return proc

    roster = tmp_path / "roster.csv"
    roster.write_text(f"NIP;Nama;Unit Kerja;Status\n{NIP};Rekaan Uji Jam;Dinas Pendidikan;PNS\n", encoding="utf-8")
    # The roster is imported two days earlier, so a report dated the day before can be built.
    step(submitted - timedelta(days=2), netralitas + ["pegawai", str(roster), "--course", str(course.root)])
    step(submitted, [sys.executable, "-c", LEARNER, str(course.root), str(tmp_path / "home"), NIP])
    step(submitted + timedelta(minutes=2), netralitas + ["grade", "kuis_02", "--course", str(course.root)])

    out = tmp_path / "laporan"
    report = step(later, netralitas + ["laporan", "--course", str(course.root), "--out", str(out), "--format", "csv"])
    learners = read_report_csv(out / "per_pegawai.csv").set_index("nip")
    person = learners.loc[NIP]
    assert person["tersertifikasi"] == "ya", report.stdout + report.stderr
    assert person["tanggal_sertifikasi"] == day.isoformat()
    # Valid 36 months (the policy's masa_berlaku_bulan; no election in the calendar after these dates).
    assert person["berlaku_sampai"] == (day + relativedelta(months=36)).isoformat()
    evidence = read_report_csv(out / "bukti_audit.csv").set_index("nip")
    # Shown on the agency's clock with its zone; the fake clock ticks, so seconds vary.
    shown = evidence.loc[NIP, "dikirim"]
    assert shown.startswith(submitted.astimezone(ZoneInfo(zone)).strftime("%Y-%m-%d %H:")), shown
    assert shown.endswith(f" {LABEL[zone]}"), shown

    verdict = step(later, netralitas + ["verifikasi", person["kode_verifikasi"], "--course", str(course.root)])
    assert verdict.stdout.startswith("SAH:") and f"selesai {long_day(day)}," in verdict.stdout

    # A report dated the day before says why it counts nobody, instead of bare zeros.
    early = step(later, netralitas + ["laporan", "--course", str(course.root), "--out", str(tmp_path / "awal"),
                                      "--format", "csv", "--per-tanggal", (day - timedelta(days=1)).isoformat()])
    assert (f"belum ada penyelesaian per {(day - timedelta(days=1)).isoformat()} {LABEL[zone]}: 1 kiriman"
            in early.stderr), early.stderr
    assert f"kiriman terakhir {day.isoformat()} {LABEL[zone]}" in early.stderr
