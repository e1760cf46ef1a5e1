"""From real nbgrader grades (the shared course cycle: kuis_02 answered by clicking,
submitted, autograded) to the HR report, certificates and verification."""
from __future__ import annotations

from dataclasses import replace

import pytest

from netralitas import clock
from netralitas.cli import main
from netralitas.report import register
from netralitas.report.kebijakan import load_report_policy
from netralitas.report.pipeline import make_report, write_certificates, write_report_files
from netralitas.report.workbook import read_report_csv, read_workbook

from .test_documents import qr_texts

pytestmark = pytest.mark.slow

PASSING = {"sempurna", "lulus"}
SUBMITTED_NOT_PASSING = {"gagal", "kosong", "rekaman_rusak", "tanpa_rekaman"}
NO_ANSWERS = {"tidak_mengirim", "kosong", "rekaman_rusak", "tanpa_rekaman"}


@pytest.fixture(scope="module")
def hr_report(cycle, tmp_path_factory):
    course = cycle.course
    roster = course.root.parent / "roster.csv"
    assert main(["pegawai", str(roster), "--course", str(course.root), "--tanggal", "2026-01-01"]) == 0
    # Only kuis_02 ran in the cycle: certify on module 02 alone.
    policy = replace(load_report_policy(), modul_wajib=("02",))
    report, sources = make_report(course.root, as_of=clock.today(), policy=policy)
    files = write_report_files(report, sources, tmp_path_factory.mktemp("laporan_e2e"))
    return report, sources, files


def test_roster_import_reported_the_bad_rows(cycle, hr_report, capsys):
    report, _, _ = hr_report
    assert set(report.learners["nip"]) == {p.nip for p in cycle.people}


def test_module_status_follows_the_real_grades(cycle, hr_report, quiz_items):
    from netralitas.policy import pass_mark

    from ..grading.test_cycle import expected_score
    report, _, _ = hr_report
    L = report.learners.set_index("nip")
    for person in cycle.people:
        passes = expected_score(person, quiz_items) >= pass_mark("kuis_02") * len(quiz_items) - 1e-9
        expected = ("belum mulai" if person.profile == "tidak_mengirim" else
                    "lulus kuis" if passes else "belum lulus")
        assert person.profile not in PASSING or expected == "lulus kuis"
        assert person.profile not in SUBMITTED_NOT_PASSING or expected == "belum lulus"
        assert L.loc[person.nip, "M02"] == expected, person.profile
        assert L.loc[person.nip, "tersertifikasi"] == (expected == "lulus kuis")
    assert report.units["jumlah_pegawai"].sum() == len(cycle.people)


def test_units_count_the_cohort(cycle, hr_report, quiz_items):
    """Per unit: everyone on the roster, who started, who completed module 02 (ported from the old
    `netralitas report`)."""
    from netralitas.policy import pass_mark

    from ..grading.test_cycle import expected_score
    _, _, files = hr_report
    summary = read_report_csv(files["csv:ringkasan_unit.csv"]).astype({"jumlah_pegawai": int, "sudah_mulai": int,
                                                                       "selesai_M02": int, "tersertifikasi": int})
    n = len(quiz_items)
    expected = {}
    for p in cycle.people:
        e = expected.setdefault(p.unit_kerja, {"jumlah_pegawai": 0, "sudah_mulai": 0, "selesai_M02": 0})
        e["jumlah_pegawai"] += 1
        # Started = sent answers: an empty submission, or one whose answer file is gone or broken, is not.
        e["sudah_mulai"] += p.profile not in NO_ANSWERS
        e["selesai_M02"] += expected_score(p, quiz_items) >= pass_mark("kuis_02") * n - 1e-9
    got = summary.set_index("unit_kerja")[["jumlah_pegawai", "sudah_mulai", "selesai_M02"]].to_dict("index")
    assert got == expected
    for _, row in summary.iterrows():
        percent = float(row["persen_tersertifikasi"].replace(",", "."))
        assert percent == round(100 * row["tersertifikasi"] / row["jumlah_pegawai"], 1)


def test_report_from_a_roster_file_lists_its_bad_rows_by_line(cycle, tmp_path):
    """`laporan --roster FILE`: the rejected rows of that file are in the workbook with their line
    (ported from the old `netralitas report`), and nobody on the roster is dropped."""
    course = cycle.course
    policy = replace(load_report_policy(), modul_wajib=("02",))
    report, sources = make_report(course.root, roster_path=course.root.parent / "roster.csv", as_of=clock.today(),
                                  policy=policy)
    files = write_report_files(report, sources, tmp_path, ("xlsx",))
    sheets = read_workbook(files["xlsx"])
    problems = sheets["Masalah data"][sheets["Masalah data"]["berkas"] == "roster"].reset_index(drop=True)
    first_bad_line = len(cycle.people) + 2  # header is line 1
    assert problems["baris"].tolist() == [str(first_bad_line), str(first_bad_line + 1)]
    assert "bulan pengangkatan" in problems["alasan"][0]
    assert "notasi ilmiah" in problems["alasan"][1]
    assert len(sheets["Per pegawai"]) == len(cycle.people)


def test_audit_evidence_comes_from_the_ledger(cycle, hr_report):
    report, _, files = hr_report
    ev = read_report_csv(files["csv:bukti_audit.csv"])
    submitted = {p.nip for p in cycle.people if p.profile != "tidak_mengirim"}
    assert set(ev["nip"]) == submitted
    assert ev["sidik_jawaban"].str.fullmatch(r"[0-9a-f]{64}").all()
    assert ev["versi_konten"].notna().all()
    # Stored in UTC, shown on the agency's clock with its zone (WIB here), like the completion dates.
    assert ev["dikirim"].str.fullmatch(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2} WIB").all()
    assert (ev["percobaan"] == "1").all()
    # Same answers, same fingerprint: the two perfect learners clicked the same keys.
    perfect = [p.nip for p in cycle.people if p.profile == "sempurna"]
    assert ev.set_index("nip").loc[perfect, "sidik_jawaban"].nunique() == 1


def test_item_analysis_counts_only_submissions_with_answers(cycle, hr_report):
    """One who sent no answer file did not answer wrongly: "dijawab" counts submissions with answers."""
    report, sources, _ = hr_report
    items = sources.input.items
    answered = {p.nip for p in cycle.people if p.profile not in NO_ANSWERS}
    units = {p.nip: p.unit_kerja for p in cycle.people}
    for row in report.items.itertuples():
        people = set(items.loc[items["item"] == row.item, "student_id"]) & answered
        assert row.dijawab == sum(units[n] == row.unit_kerja for n in people), row


def test_item_analysis_names_real_quiz_items(hr_report):
    report, _, _ = hr_report
    assert len(report.items) and report.items["item"].str.match(r"K02-\d\d").all()
    assert (report.items["judul"] != "").all()


def test_certificate_from_real_grades_scans_and_verifies(cycle, hr_report, tmp_path):
    report, _, _ = hr_report
    files = write_certificates(report, tmp_path)
    assert len(files) == int(report.learners["tersertifikasi"].sum()) >= sum(p.profile in PASSING for p in cycle.people)
    code = qr_texts(files[0])[0]
    assert register.find(cycle.course.root, code)["nip"] == files[0].stem.removeprefix("sertifikat_")
