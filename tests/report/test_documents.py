"""Certificates and unit statements as PDF: text read back with pypdf, the page
rendered with pdfium and its QR code decoded with zxing; verify against the gradebook."""
from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

import pypdfium2 as pdfium
import pytest
import zxingcpp
from pypdf import PdfReader

from netralitas.cli import main
from netralitas.report import register
from netralitas.report.codes import KEY_ENV, KeyProblem, create_key, load_key, make_code
from netralitas.report.pipeline import certificate_people, make_report, write_certificates, write_statements

from .conftest import AS_OF, POLICY


def page_text(path) -> str:
    return " ".join(" ".join(page.extract_text().split()) for page in PdfReader(path).pages)


def qr_texts(path, scale: float = 2.5) -> list[str]:
    image = pdfium.PdfDocument(path)[0].render(scale=scale).to_pil()
    return [r.text for r in zxingcpp.read_barcodes(image) if r.format == zxingcpp.BarcodeFormat.QRCode]


@pytest.fixture(scope="module")
def certificates(cohort_report, tmp_path_factory):
    report, _ = cohort_report
    return report, write_certificates(report, tmp_path_factory.mktemp("sertifikat"))


def test_one_certificate_per_valid_certification(certificates):
    report, files = certificates
    people = certificate_people(report)
    assert len(files) == len(people) > 0
    assert not report.learners.loc[report.learners["perlu_sertifikasi_ulang"], "nip"].isin(
        [p.stem.removeprefix("sertifikat_") for p in files]).any()


def test_certificate_text_and_qr_code_read_back(certificates):
    report, files = certificates
    people = certificate_people(report).set_index("nip")
    for path in files[:3]:
        person = people.loc[path.stem.removeprefix("sertifikat_")]
        text = page_text(path)
        for expected in (person["nama"], person.name, person["unit_kerja"], f"Kode verifikasi: {person['kode_verifikasi']}",
                         f"Versi aturan: {person['versi_aturan']}", f"Jam pelajaran: {person['jp']:g} JP",
                         "Modul 09: Melapor dan Sanksi"):
            assert expected in text, expected
        assert qr_texts(path) == [person["kode_verifikasi"]]


def test_names_outside_latin1_print_and_scan(cohort_report, tmp_path):
    report, _ = cohort_report
    L = report.learners.copy()
    first = L.index[L["tersertifikasi"] & ~L["perlu_sertifikasi_ulang"]][0]
    L.loc[first, "nama"] = "Nguyễn Thị Ḥasanah"
    path = write_certificates(replace(report, learners=L), tmp_path, [L.loc[first, "nip"]])[0]
    assert "Nguyễn Thị Ḥasanah" in page_text(path)
    assert qr_texts(path) == [L.loc[first, "kode_verifikasi"]]


def test_unit_statement_lists_every_staff_member(cohort_report, tmp_path):
    report, _ = cohort_report
    files = write_statements(report, tmp_path)
    assert len(files) == report.learners["unit_kerja"].nunique()
    unit = "Inspektorat Daerah"
    text = page_text(tmp_path / "pernyataan_Inspektorat_Daerah.pdf")
    group = report.learners[report.learners["unit_kerja"] == unit]
    valid = int((group["tersertifikasi"] & ~group["perlu_sertifikasi_ulang"]).sum())
    assert f"sebanyak {valid} dari {len(group)} pegawai" in text
    assert all(nip in text for nip in group["nip"])
    # Title and signer from the unit master (grading/unit_kerja.yaml), never "Kepala <unit>".
    assert "Inspektur Daerah" in text and "Yusuf Hidayat" in text and f"Kepala {unit}" not in text
    assert "Sukamaju, 15 Januari 2027" in text


def test_codes_are_the_register_mac_and_need_the_key(cohort_course, cohort_report):
    root, _ = cohort_course
    report, _ = cohort_report
    person = certificate_people(report).iloc[0]
    entry = register.find(root, person["kode_verifikasi"])
    assert entry["nip"] == person["nip"] and entry["nomor"] == person["nomor_sertifikat"]
    assert register.find(root, person["kode_verifikasi"].lower().replace("-", " "))["nip"] == person["nip"]
    key = load_key()
    assert make_code(key, register.canonical(entry)) == person["kode_verifikasi"]
    assert make_code(b"kunci-lain-yang-juga-32-bita-panjangnya", register.canonical(entry)) != entry["kode"]
    # The entry holds the evidence: each module's counted attempt with its score and answer fingerprint.
    assert [m["modul"] for m in entry["modul"]] == report.required
    assert all(m["skor"] >= 0 and m["dikirim"].endswith("+00:00") for m in entry["modul"])
    assert entry["kebijakan"]["modul_wajib"] == report.required and entry["versi_perangkat"]
    assert entry["penerbit"] and entry["diterbitkan_pada"].endswith("+00:00")


def test_issuing_again_reuses_the_entry(cohort_course, cohort_report):
    root, cohort = cohort_course
    before = register.read_lines(root)
    again, _ = make_report(root, db_url=cohort.db_url, as_of=AS_OF, policy=POLICY, with_items=False)
    assert len(register.read_lines(root)) == len(before)
    first, _ = cohort_report
    assert list(again.learners["kode_verifikasi"]) == list(first.learners["kode_verifikasi"])


def test_verify_command_genuine_unknown_expired_revoked(cohort_course, cohort_report, tmp_path, capsys):
    import shutil

    root, cohort = cohort_course
    copy = tmp_path / "kursus"
    shutil.copytree(root, copy)
    report, _ = cohort_report
    people = certificate_people(report)
    real, other = people.iloc[0], people.iloc[1]
    assert main(["verifikasi", real["kode_verifikasi"], "--course", str(copy)]) == 0
    out = capsys.readouterr().out
    assert out.startswith("SAH:") and real["nip"] in out and real["nama"] in out and "masih berlaku" in out
    code = real["kode_verifikasi"]
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert main(["verifikasi", forged, "--course", str(copy)]) == 1
    assert capsys.readouterr().out.startswith("TIDAK DIKENAL: kode")
    # Expired: the same register entry on a day after its validity (no clock needed: the day is a parameter).
    until = date.fromisoformat(register.find(copy, code)["berlaku_sampai"])
    late = register.verify(copy, code, load_key(), until + timedelta(days=1))
    assert late.status == "kedaluwarsa" and late.message.startswith("KEDALUWARSA:") and late.exit_code == 3
    assert register.verify(copy, code, load_key(), until).status == "sah"
    assert main(["cabut", other["kode_verifikasi"], "--alasan", "jawaban terbukti dikerjakan orang lain",
                 "--course", str(copy)]) == 0
    capsys.readouterr()
    assert main(["verifikasi", other["kode_verifikasi"], "--course", str(copy)]) == 4
    out = capsys.readouterr().out
    assert out.startswith("DICABUT:") and "dikerjakan orang lain" in out
    assert main(["verifikasi", code, "--course", str(copy)]) == 0  # revoking one leaves the others


def test_key_is_made_once_by_an_explicit_step(tmp_path, monkeypatch, capsys):
    course = tmp_path / "kursus"
    course.mkdir()
    path = tmp_path / "rahasia" / "kunci"
    monkeypatch.setenv(KEY_ENV, str(path))
    with pytest.raises(KeyProblem, match="tidak ditemukan"):
        load_key(course_root=course)
    assert not path.exists()                                  # a missing key is never replaced by a new one
    with pytest.raises(KeyProblem):
        make_report(course, db_url=f"sqlite:///{tmp_path / 'kosong.db'}")
    assert not path.exists()
    assert main(["kunci", "buat", "--course", str(course)]) == 0
    key = load_key(course_root=course)
    assert len(key) >= 32 and path.stat().st_mode & 0o077 == 0
    assert main(["kunci", "buat", "--course", str(course)]) == 2  # never twice
    assert load_key() == key
    inside = course / "kunci"
    with pytest.raises(KeyProblem, match="di dalam folder data"):
        create_key(inside, course_root=course)
    short = tmp_path / "pendek"
    short.write_text("ab" * 16 + "\n")
    with pytest.raises(KeyProblem, match="terlalu pendek"):
        load_key(short)
    capsys.readouterr()
    monkeypatch.setenv(KEY_ENV, str(tmp_path / "salah"))
    assert main(["verifikasi", "NA-AAAA-BBBB-CCCC-DDDD", "--course", str(course)]) == 2
    assert "kunci verifikasi tidak ditemukan" in capsys.readouterr().err


def test_another_user_cannot_read_the_key(tmp_path):
    import os
    import subprocess

    if os.geteuid() != 0:
        pytest.skip("needs root to run as a second user")
    path = create_key(tmp_path / "k" / "kunci")
    os.chmod(tmp_path, 0o755)
    os.chmod(path.parent, 0o755)  # even with an open folder, the file itself is the owner's
    proc = subprocess.run(["runuser", "-u", "nobody", "--", "cat", str(path)], capture_output=True, text=True)
    assert proc.returncode != 0 and proc.stdout == ""


def test_reports_stay_outside_git():
    import subprocess
    from netralitas import paths
    for private in ("reports/laporan_2026-01-01/laporan_netralitas.xlsx", "kehadiran/hadir.csv", "arsip/SHA256SUMS"):
        ignored = subprocess.run(["git", "check-ignore", "-q", str(paths.GRADING_DIR / private)], cwd=paths.REPO_ROOT)
        assert ignored.returncode == 0, private
