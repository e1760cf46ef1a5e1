"""The command line as HR and instructors use it."""
from __future__ import annotations

import shutil

import pytest

from nbgrader.api import Gradebook

from netralitas import paths
from netralitas.cli import main
from netralitas.grading.course import Course
from netralitas.report.workbook import read_report_csv

from .conftest import FIXTURES


def test_roster_import_adds_valid_rows_and_names_bad_lines(tmp_path, capsys, monkeypatch):
    """`netralitas pegawai`: valid and doubtful rows become gradebook students, bad lines are named."""
    monkeypatch.delenv("NETRALITAS_DB_URL", raising=False)
    course = Course.init(tmp_path / "kursus")
    roster = tmp_path / "roster.csv"
    shutil.copy(FIXTURES / "roster_messy.csv", roster)
    assert main(["pegawai", str(roster), "--course", str(course.root)]) == 0
    err = capsys.readouterr().err
    assert "Roster baris 4 " in err and "[ditolak]" in err and "baris 9 " in err and "NIP/ID ganda" in err
    with Gradebook(course.db_url(), course_id=paths.COURSE_ID) as gb:
        ids = {s.id for s in gb.students}
    assert {"198609002015051001", "198609002015052003", "NONASN-0007", "199001002021212001"} <= ids
    assert "198609002015131001" not in ids and len(ids) == 13  # rows 4-9 etc. rejected, doubtful kept
    assert main(["pegawai", str(roster), "--course", str(course.root), "--strict"]) == 1


def test_old_duplicate_commands_are_gone(capsys):
    """One command per job: `pegawai` imports the roster, `laporan` writes the report."""
    for old in ("roster", "report"):
        with pytest.raises(SystemExit):
            main([old, "x"])
        assert "kesalahan: argumen PERINTAH: pilihan tidak dikenal" in capsys.readouterr().err


def test_build_check_passes_on_the_committed_tree(capsys):
    assert main(["build", "--check"]) == 0
    assert "sesuai" in capsys.readouterr().out


@pytest.mark.slow
def test_demo_runs_the_whole_course_from_roster_to_kit(tmp_path, capsys, monkeypatch):
    """`make demo` on the smallest cohort: every step real, every promised file there."""
    import os

    from pypdf import PdfReader

    from netralitas.testing.demo_story import QUIZ, main as demo_main
    from netralitas.grading.attempts import read_attempts

    monkeypatch.delenv("NETRALITAS_POLICY", raising=False)
    result = demo_main(tmp_path / "demo", n=4)
    captured = capsys.readouterr()
    out, err = captured.out, captured.err
    assert "NETRALITAS_POLICY" not in os.environ  # the demo policy does not outlive the demo

    # Roster: 4 people on lines 2-5, the mistyped row on line 6, by number.
    assert "Roster baris 6 Contoh NIP Salah [ditolak]: bulan pengangkatan 13" in err
    assert "4 pegawai diterima" in out

    # The retaker: attempt 1 failed, attempt 2 passed and counts; the ledger says so.
    ledger = read_attempts(Course(result.course_root).db_url())
    mine = ledger[(ledger["student_id"] == result.retaker.nip) & (ledger["assignment"] == QUIZ)]
    assert mine.sort_values("attempt")[["attempt", "passed", "counted"]].values.tolist() == [
        [1, False, False], [2, True, True]]

    people = read_report_csv(result.files["laporan"] / "per_pegawai.csv").set_index("nip")
    assert people.loc[result.pretester.nip, "M02"] == "lulus tes awal"
    assert people.loc[result.pretester.nip, "tersertifikasi"] == "ya"
    assert float(people.loc[result.pretester.nip, "jp_tatap_muka"].replace(",", ".")) > 0  # attendance imported
    for name in ("laporan_netralitas.xlsx", "laporan_netralitas.html", "ringkasan_unit.csv"):
        assert (result.files["laporan"] / name).stat().st_size > 0

    code = people.loc[result.retaker.nip, "kode_verifikasi"]
    cert = result.files["sertifikat"] / f"sertifikat_{result.retaker.nip}.pdf"
    assert code in "".join(page.extract_text() for page in PdfReader(cert).pages).replace("\n", "")
    assert list(result.codes.values()) == [0, 1] and list(result.codes)[0] == code
    assert f"atas nama {result.retaker.nama}" in out and "SAH: sertifikat nomor" in out
    assert "TIDAK DIKENAL: kode" in out

    kit = result.files["kit"]
    assert (kit / "cetak" / "daftar_hadir.pdf").exists() and (kit / "kunci_jawaban" / "kunci_jawaban.csv").exists()
    assert (kit / "panduan" / "sesi_langsung.ipynb").exists()
    assert "== Ringkasan demo" in out and "percobaan 2: 9/9 lulus (dihitung)" in out


def test_commands_create_private_files(tmp_path):
    """A course folder made by the command line is its owner's only (personal data)."""
    import subprocess
    import sys

    course = tmp_path / "kursus"
    subprocess.run([sys.executable, "-m", "netralitas.cli", "course", "init", str(course)], check=True,
                   capture_output=True)
    made = [course, *course.rglob("*")]
    assert len(made) > 1
    assert [p for p in made if p.stat().st_mode & 0o077 and p.name != "exchange"] == []


def _parsers():
    """The top parser's subcommands: {verb: (aliases, parser)} without running anything."""
    import argparse

    import netralitas.cli as cli

    captured = {}
    real = argparse.ArgumentParser.parse_known_args

    def stop(self, args=None, namespace=None):
        captured["parser"] = self
        raise SystemExit(0)

    argparse.ArgumentParser.parse_known_args = stop
    try:
        with pytest.raises(SystemExit):
            cli.main([])
    finally:
        argparse.ArgumentParser.parse_known_args = real
    action = next(a for a in captured["parser"]._actions if isinstance(a, argparse._SubParsersAction))
    verbs = {}
    for name, parser in action.choices.items():
        verbs.setdefault(id(parser), []).append(name)
    return {names[0]: (names[1:], action.choices[names[0]]) for names in verbs.values()}


ENGLISH_FLAGS = {"--course", "--out", "--check", "--strict", "--dir", "--seed", "--workers", "--shard",
                 "--source", "--no-browser", "--n", "--help"}
ENGLISH_VERBS = {"build", "grade", "course", "init", "report", "roster"}


def test_help_lists_each_job_once_in_indonesian(capsys):
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    verbs = _parsers()
    listed = [line.split()[0] for line in out.splitlines() if line.startswith("    ") and not line.startswith("     ")]
    assert sorted(listed) == sorted(verbs) and len(listed) == len(set(listed))
    assert "pemakaian: netralitas" in out and "tampilkan bantuan" in out
    for verb, (aliases, parser) in verbs.items():
        assert verb not in ENGLISH_VERBS, verb
        assert set(aliases) <= ENGLISH_VERBS
        for action in parser._actions:
            if action.option_strings:
                assert action.option_strings[0] not in ENGLISH_FLAGS, (verb, action.option_strings)


def test_english_names_still_work(tmp_path, capsys):
    assert main(["build", "--check"]) == 0
    assert main(["course", "init", str(tmp_path / "k")]) == 0
    assert (tmp_path / "k" / "nbgrader_config.py").exists()
