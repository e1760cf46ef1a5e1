"""Documents an inspector accepts: certificate number, organiser, signing official,
QR with the verification link, the verification page, unit statements from the unit
master, and the signed report manifest."""
from __future__ import annotations

import json
import threading
import urllib.error
import urllib.request
from dataclasses import replace

import pandas as pd
import pytest

from netralitas.cli import main
from netralitas.report.codes import load_key
from netralitas.report.pipeline import certificate_people, write_certificates, write_report_files, write_statements
from netralitas.report.verify_page import make_server

from .test_documents import page_text, qr_texts

BASE = "https://kursus.contoh.go.id/verifikasi"


def test_certificate_carries_number_organiser_official_and_a_link(cohort_report, tmp_path):
    report, _ = cohort_report
    person = certificate_people(report).iloc[0]
    path = write_certificates(report, tmp_path, [person["nip"]], base_url=BASE)[0]
    text = page_text(path)
    for expected in (f"Nomor: {person['nomor_sertifikat']}", "diselenggarakan oleh Badan Kepegawaian",
                     "Kepala BKPSDM Kabupaten Sukamaju", "Drs. Bambang Wicaksono", "NIP 197005001995031002",
                     "pindai kode QR", f"{BASE}/"):
        assert expected in text, expected
    assert qr_texts(path) == [f"{BASE}/?kode={person['kode_verifikasi']}"]


def test_unit_names_are_text_not_markup(cohort_report, tmp_path):
    report, _ = cohort_report
    L = report.learners.copy()
    hostile = "Bagian <b>Umum</b> & Perlengkapan <font size=40>"
    L.loc[L["unit_kerja"] == "Dinas Kesehatan", "unit_kerja"] = hostile
    L.loc[L.index[0], "nama"] = "Ani <i>&amp;</i>"
    files = write_statements(replace(report, learners=L), tmp_path, "800.1/{n}/BKPSDM/2027")
    path = next(p for p in files if "Bagian" in p.name)
    text = page_text(path)
    assert hostile in text and "Nomor: 800.1/" in text
    # No master entry for this unit: a blank title line, never a made-up "Kepala <unit>".
    assert "Kepala Bagian" not in text and "Pimpinan unit kerja" in text


@pytest.fixture
def page(cohort_course):
    root, _ = cohort_course
    server = make_server(root, port=0, prefix="/services/verifikasi/")
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}/services/verifikasi/"
    server.shutdown()
    server.server_close()


def get(url: str) -> tuple[int, str]:
    try:
        with urllib.request.urlopen(url, timeout=10) as r:
            return r.status, r.read().decode("utf-8")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read().decode("utf-8")


def test_verification_page_shows_only_what_the_certificate_shows(page, cohort_report):
    from urllib.parse import quote

    report, _ = cohort_report
    person = certificate_people(report).iloc[0]
    status, body = get(page + "?kode=" + quote(person["kode_verifikasi"].lower()))
    assert status == 200 and "<b>SAH</b>" in body and person["nama"] in body and person["nomor_sertifikat"] in body
    # Not the score, not the answers' fingerprint, not the issuer's account.
    assert "skor" not in body.lower() and "sidik" not in body.lower() and "penerbit" not in body.lower()
    status, body = get(page + "?kode=" + quote("<script>alert(1)</script>" + "A" * 5000))
    assert status == 200 and "TIDAK DIKENAL" in body and "<script>" not in body
    status, body = get(page)
    assert status == 200 and 'name="kode"' in body and "SAH" not in body
    assert get(page.replace("/services/verifikasi/", "/lain/"))[0] == 404


def test_report_manifest_is_signed_and_catches_an_edited_workbook(cohort_course, cohort_report, tmp_path, capsys):
    import subprocess

    root, _ = cohort_course
    report, sources = cohort_report
    out = tmp_path / "laporan"
    files = write_report_files(report, sources, out, key=load_key())
    manifest = json.loads(files["manifest"].read_text(encoding="utf-8"))
    assert set(manifest["berkas"]) == {p.name for k, p in files.items() if k != "manifest"}
    assert manifest["per_tanggal"] == report.as_of.isoformat() and manifest["kebijakan"]["modul_wajib"]
    assert subprocess.run(["sha256sum", "--quiet", "-c", "SHA256SUMS"], cwd=out).returncode == 0
    capsys.readouterr()
    assert main(["verifikasi", "--laporan", str(out), "--course", str(root)]) == 0
    assert capsys.readouterr().out.startswith("SAH: laporan per tanggal")
    # Someone edits a figure in the workbook they pass on.
    book = pd.read_excel(files["xlsx"], sheet_name=None)
    first = next(iter(book))
    book[first].iloc[0, 1] = "diubah"
    with pd.ExcelWriter(files["xlsx"]) as xl:
        for name, frame in book.items():
            frame.to_excel(xl, sheet_name=name, index=False)
    assert main(["verifikasi", "--laporan", str(out), "--course", str(root)]) == 1
    assert "DIUBAH: laporan_netralitas.xlsx" in capsys.readouterr().out
    # ...or rewrites the manifest to match: the signature no longer does.
    manifest["berkas"]["laporan_netralitas.xlsx"] = "0" * 64
    files["manifest"].write_text(json.dumps(manifest), encoding="utf-8")
    assert main(["verifikasi", "--laporan", str(out), "--course", str(root)]) == 1
    assert "tanda tangan manifes tidak cocok" in capsys.readouterr().out


def test_certificate_and_statement_text_goldens(cohort_report, tmp_path, update_goldens):
    """The words on the new documents, as a PDF reader extracts them (code and number masked:
    they come from the register)."""
    import re

    from .test_report_golden import compare_golden
    from .conftest import AS_OF

    report, _ = cohort_report
    L = report.learners.copy()
    L["tanggal_terbit"] = AS_OF  # the day of issue is the day the test runs otherwise
    report = replace(report, learners=L)
    person = certificate_people(report).iloc[0]
    cert = write_certificates(report, tmp_path, [person["nip"]], base_url=BASE)[0]
    statement = [p for p in write_statements(report, tmp_path, "800.1/{n}/BKPSDM/2027")
                 if p.name == "pernyataan_Kecamatan_Sukamaju.pdf"][0]

    def masked(text: str) -> str:
        text = re.sub(r"NA(-[A-Z2-7]{4}){4}", "NA-KODE", text)
        return re.sub(r"NA/\d{4}/\d{6}", "NA/TAHUN/NOMOR", text) + "\n"

    compare_golden("sertifikat_teks.txt", masked(page_text(cert)), update_goldens)
    compare_golden("pernyataan_unit_teks.txt", masked(page_text(statement)), update_goldens)
