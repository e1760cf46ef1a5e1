"""Tamper evidence on a real graded course (the shared cycle: kuis_02 answered by
clicking, submitted, collected and autograded by nbgrader).

Certificates are issued on a copy of the course; each test copies that again,
tampers in one way an insider with file access could, and `netralitas periksa`
must exit non-zero naming the learner. The untouched copy passes.
"""
from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
from dataclasses import replace

import pytest

from netralitas.cli import main
from netralitas.report import register
from netralitas.report.archive import archive_root
from netralitas.report.codes import KEY_ENV
from netralitas.report.kebijakan import load_report_policy
from netralitas.report.pipeline import make_report

pytestmark = pytest.mark.slow

POLICY = replace(load_report_policy(), modul_wajib=("02",))  # only kuis_02 ran in the cycle


def _people(cycle, profile):
    return [p for p in cycle.people if p.profile == profile]


@pytest.fixture(scope="module")
def issued(cycle, tmp_path_factory):
    base = tmp_path_factory.mktemp("tamper") / "kursus"
    shutil.copytree(cycle.course.root, base, ignore=shutil.ignore_patterns("reports"))
    roster = cycle.course.root.parent / "roster.csv"
    assert main(["pegawai", str(roster), "--course", str(base), "--tanggal", "2026-01-01"]) == 0
    report, _ = make_report(base, policy=POLICY, with_items=False)
    codes = dict(zip(report.learners["nip"], report.learners["kode_verifikasi"]))
    assert all(codes[p.nip] for p in cycle.people if p.profile in ("sempurna", "lulus"))
    assert not codes[_people(cycle, "gagal")[0].nip]
    return base, codes


@pytest.fixture
def course(issued, tmp_path):
    base, codes = issued
    copy = tmp_path / "kursus"
    shutil.copytree(base, copy)
    return copy, codes


def periksa(root, capsys) -> tuple[int, str]:
    capsys.readouterr()
    status = main(["periksa", "--course", str(root)])
    return status, capsys.readouterr().out


def sql(root, statement: str, *args) -> int:
    with sqlite3.connect(root / "gradebook.db") as db:
        return db.execute(statement, args).rowcount


def test_untouched_course_passes_and_plain_sha256sum_agrees(course, cycle, capsys):
    root, _ = course
    status, out = periksa(root, capsys)
    assert status == 0, out
    assert "Semua pemeriksaan lulus." in out
    proc = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=archive_root(root),
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stdout + proc.stderr
    # Every submission the cycle graded is archived, with its answer record.
    metas = list((archive_root(root) / "kiriman").glob("*/kuis_02/*/meta.json"))
    assert len(metas) == len([p for p in cycle.people if p.profile != "tidak_mengirim"])
    assert list((archive_root(root) / "kebijakan").glob("*.yaml"))


def test_score_raised_then_certified_is_caught(course, cycle, capsys):
    root, _ = course
    cheat = _people(cycle, "gagal")[0]
    assert sql(root, "UPDATE netralitas_attempt SET score = max_score, passed = 1 WHERE student_id = ?",
               cheat.nip) == 1
    report, _ = make_report(root, policy=POLICY, with_items=False)
    code = report.learners.set_index("nip").loc[cheat.nip, "kode_verifikasi"]
    assert code  # the raised score does earn a certificate...
    status, out = periksa(root, capsys)
    assert status == 1
    lines = [x for x in out.splitlines() if cheat.nip in x]
    # ...but periksa recomputes it from what he sent, and the ledger row disagrees with his answers.
    assert any("dihitung ulang dari kiriman" in x and "skor di sertifikat" in x for x in lines), out
    assert any("skor di catatan percobaan" in x for x in lines), out


def test_score_lowered_after_issue_is_caught(course, cycle, capsys):
    root, codes = course
    victim = _people(cycle, "sempurna")[0]
    assert sql(root, "UPDATE netralitas_attempt SET score = 0, passed = 0 WHERE student_id = ?", victim.nip) == 1
    status, out = periksa(root, capsys)
    assert status == 1
    assert any(victim.nip in x and "diubah menjadi 0" in x for x in out.splitlines()), out


def test_attempt_deleted_is_caught(course, cycle, capsys):
    root, _ = course
    failed = _people(cycle, "gagal")[0]
    assert sql(root, "DELETE FROM netralitas_attempt WHERE student_id = ?", failed.nip) == 1
    status, out = periksa(root, capsys)
    assert status == 1
    assert any(failed.nip in x and "dihapus" in x for x in out.splitlines()), out


def test_deleting_the_attempt_behind_a_certificate_is_caught(course, cycle, capsys):
    root, _ = course
    holder = _people(cycle, "lulus")[0]
    sql(root, "DELETE FROM netralitas_attempt WHERE student_id = ?", holder.nip)
    status, out = periksa(root, capsys)
    assert status == 1
    assert any(holder.nip in x and "telah dihapus dari catatan percobaan" in x for x in out.splitlines()), out


@pytest.mark.parametrize("edit", ["skor", "unit_kerja", "hapus_baris"])
def test_register_entry_edited_is_caught(course, cycle, capsys, edit):
    root, codes = course
    path = register.register_path(root)
    lines = path.read_text(encoding="utf-8").splitlines()
    holder = _people(cycle, "lulus")[0]
    n = next(i for i, x in enumerate(lines) if json.loads(x)["nip"] == holder.nip)
    entry = json.loads(lines[n])
    if edit == "skor":
        entry["modul"][0]["skor"] = entry["modul"][0]["skor_maks"]
    elif edit == "unit_kerja":
        entry["unit_kerja"] = "Unit Lain"
    if edit == "hapus_baris":
        del lines[n]
        named = json.loads(lines[n])["nip"] if n < len(lines) else None
    else:
        lines[n] = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
        named = holder.nip
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    status, out = periksa(root, capsys)
    assert status == 1
    if named:
        assert any(named in x and ("tanda tangan" in x or "rantai putus" in x) for x in out.splitlines()), out
    if edit != "hapus_baris":
        capsys.readouterr()
        assert main(["verifikasi", codes[holder.nip], "--course", str(root)]) == 5
        assert capsys.readouterr().out.startswith("TIDAK SAH: catatan register")


def test_archived_answers_edited_are_caught(course, cycle, capsys):
    root, _ = course
    holder = _people(cycle, "lulus")[0]
    record = next((archive_root(root) / "kiriman" / holder.nip / "kuis_02").glob("*/jawaban.json"))
    data = json.loads(record.read_text(encoding="utf-8"))
    first = next(iter(data["answers"]))
    data["answers"][first]["option"] = "zz"
    record.write_text(json.dumps(data), encoding="utf-8")
    status, out = periksa(root, capsys)
    assert status == 1
    assert "berubah sejak diarsipkan" in out
    assert any(holder.nip in x and "sidik jawaban" in x for x in out.splitlines()), out
    proc = subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=archive_root(root),
                          capture_output=True, text=True)
    assert proc.returncode != 0 and "jawaban.json" in proc.stdout


def test_key_missing_is_an_error_naming_every_holder(course, cycle, capsys, monkeypatch, tmp_path):
    root, codes = course
    monkeypatch.setenv(KEY_ENV, str(tmp_path / "tidak_ada"))
    status, out = periksa(root, capsys)
    assert status == 1
    assert "kunci verifikasi tidak ditemukan" in out
    for p in cycle.people:
        if codes[p.nip]:
            assert any(p.nip in x and "tanpa kunci" in x for x in out.splitlines()), p.profile
    assert main(["laporan", "--course", str(root), "--out", str(tmp_path / "laporan")]) == 2
    assert not (tmp_path / "tidak_ada").exists()   # no new key made behind HR's back


def test_certificates_verify_after_transfer_departure_and_policy_change(course, cycle, capsys, tmp_path,
                                                                        monkeypatch):
    root, codes = course
    holder, mover = _people(cycle, "sempurna")[0], _people(cycle, "lulus")[0]
    roster = tmp_path / "roster_baru.csv"
    # holder left (not in the new roster); mover transferred to another unit.
    roster.write_text("NIP;Nama;Unit Kerja;Status\n"
                      f"{mover.nip};{mover.nama};Badan Kepegawaian dan Pengembangan SDM;PNS\n", encoding="utf-8")
    assert main(["pegawai", str(roster), "--course", str(root)]) == 0
    stricter = tmp_path / "kebijakan.yaml"
    stricter.write_text("batas_lulus: 1.0\n", encoding="utf-8")
    monkeypatch.setenv("NETRALITAS_POLICY", str(stricter))
    for person in (holder, mover):
        capsys.readouterr()
        assert main(["verifikasi", codes[person.nip], "--course", str(root)]) == 0, person.profile
        out = capsys.readouterr().out
        assert out.startswith("SAH:") and person.nama in out


def test_register_cut_short_after_a_report_is_caught(course, cycle, capsys, tmp_path):
    root, _ = course
    assert main(["laporan", "--course", str(root), "--format", "csv"]) == 0
    path = register.register_path(root)
    lines = path.read_text(encoding="utf-8").splitlines()
    last = json.loads(lines[-1])
    path.write_text("\n".join(lines[:-1]) + "\n", encoding="utf-8")  # the chain of what is left is intact
    status, out = periksa(root, capsys)
    assert status == 1
    assert "baris terakhir dihapus" in out, out
    capsys.readouterr()
    assert main(["verifikasi", last["kode"], "--course", str(root)]) == 1   # and its holder's code is unknown
