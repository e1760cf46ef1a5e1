"""Certificates and unit statements as PDF: text read back with pypdf, the page
rendered with pdfium and its QR code decoded with zxing; verify against the gradebook."""
from __future__ import annotations

from dataclasses import replace

import pypdfium2 as pdfium
import pytest
import zxingcpp
from pypdf import PdfReader

from netralitas.cli import main
from netralitas.report.codes import find_code, load_secret, make_code
from netralitas.report.pipeline import certificate_people, make_report, write_certificates, write_statements

from .conftest import AS_OF, SECRET


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
    assert f"Kepala {unit}" in text and "NIP ....." in text


def test_codes_need_the_key_and_match_the_claim(cohort_report):
    report, _ = cohort_report
    person = certificate_people(report).iloc[0]
    assert find_code(report.learners, person["kode_verifikasi"])["nip"] == person["nip"]
    assert find_code(report.learners, person["kode_verifikasi"].lower().replace("-", " "))["nip"] == person["nip"]
    claim = f"{person['nip']}|{person['tanggal_sertifikasi'].isoformat()}|{person['versi_aturan']}|01,02,03,04,05,06,07,08,09"
    assert make_code(SECRET, claim) == person["kode_verifikasi"]
    assert find_code(report.learners, make_code(b"kunci-lain", claim)) is None       # forged without the key
    later = claim.replace(person["tanggal_sertifikasi"].isoformat(), "2030-01-01")
    assert find_code(report.learners, make_code(SECRET, later)) is None               # claim not in the gradebook


def test_verify_command_accepts_real_and_rejects_forged(cohort_course, monkeypatch, capsys):
    root, cohort = cohort_course
    monkeypatch.setenv("NETRALITAS_DB_URL", cohort.db_url)
    monkeypatch.setenv("NETRALITAS_RAHASIA", "kunci-dari-lingkungan")
    report, _ = make_report(root, as_of=AS_OF, with_items=False)
    real = certificate_people(report).iloc[0]
    args = ["--course", str(root), "--per-tanggal", AS_OF.isoformat()]
    assert main(["verifikasi", real["kode_verifikasi"], *args]) == 0
    out = capsys.readouterr().out
    assert out.startswith("SAH:") and real["nip"] in out and "masih berlaku" in out
    code = real["kode_verifikasi"]
    forged = code[:-1] + ("A" if code[-1] != "A" else "B")
    assert main(["verifikasi", forged, *args]) == 1
    assert capsys.readouterr().out.startswith("TIDAK SAH")
    expired = report.learners[report.learners["perlu_sertifikasi_ulang"]].iloc[0]
    assert main(["verifikasi", expired["kode_verifikasi"], *args]) == 0
    assert "perlu sertifikasi ulang" in capsys.readouterr().out


def test_secret_is_made_once_private_and_outside_git(tmp_path, monkeypatch):
    monkeypatch.delenv("NETRALITAS_RAHASIA", raising=False)
    first = load_secret(tmp_path)
    assert load_secret(tmp_path) == first and len(first) == 64
    assert (tmp_path / ".rahasia").stat().st_mode & 0o077 == 0
    import subprocess
    from netralitas import paths
    for private in (".rahasia", "reports/laporan_2026-01-01/laporan_netralitas.xlsx", "kehadiran/hadir.csv"):
        ignored = subprocess.run(["git", "check-ignore", "-q", str(paths.GRADING_DIR / private)], cwd=paths.REPO_ROOT)
        assert ignored.returncode == 0, private
