"""The HR notebook: generated clean, runs headless, its button writes the XLSX and offers it."""
from __future__ import annotations

import base64
import os

import nbformat
import pytest

from netralitas.report.app import ReportApp
from netralitas.report.notebook import NOTEBOOK, notebook_text

from .conftest import AS_OF


def test_committed_notebook_is_generated_and_clean():
    assert NOTEBOOK.read_text(encoding="utf-8") == notebook_text(), "run: python -m netralitas.report.notebook"
    nb = nbformat.read(NOTEBOOK, as_version=4)
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")


def test_button_writes_the_workbook_and_offers_it(cohort_course, monkeypatch):
    root, cohort = cohort_course
    monkeypatch.delenv("NETRALITAS_DB_URL", raising=False)
    ui = ReportApp(root, today=AS_OF)
    labels = {ui.units.description, ui.modules.description, ui.start.description, ui.end.description,
              ui.button.description}
    assert labels == {"Unit kerja", "Modul", "Dari tanggal (hh/bb/tttt)", "Sampai tanggal (hh/bb/tttt)",
                      "Buat laporan"}
    assert "Dinas Pendidikan" in ui.units.options and len(ui.modules.options) == 9
    ui.units.value = ("Dinas Pendidikan", "Dinas Kesehatan")
    ui.modules.value = ("02",)
    files = {}
    ui.button.on_click(lambda _: files.update({"done": True}))
    ui.button.click()
    assert files == {"done": True}
    assert "Unduh XLSX" in ui.result.value and "Dinas Kesehatan" in ui.result.value
    xlsx = next((root / "reports").glob("laporan_*/laporan_netralitas.xlsx"))
    encoded = ui.result.value.split("base64,")[1].split('"')[0]
    assert base64.b64decode(encoded) == xlsx.read_bytes()
    assert "20 pegawai" in ui.status.value


@pytest.mark.slow
def test_notebook_runs_in_a_real_kernel(cohort_course):
    from nbclient import NotebookClient

    root, _ = cohort_course
    nb = nbformat.read(NOTEBOOK, as_version=4)
    env_before = dict(os.environ)
    os.environ["NETRALITAS_KURSUS"] = str(root)
    try:
        NotebookClient(nb, timeout=120, kernel_name="python3").execute()
    finally:
        os.environ.clear()
        os.environ.update(env_before)
    outputs = [o for c in nb.cells if c.cell_type == "code" for o in c.outputs]
    assert not [o for o in outputs if o.output_type == "error"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outputs)


def test_report_date_pdf_download_and_code_check(cohort_course, cohort_report, monkeypatch):
    import io
    import zipfile

    from netralitas.report.pipeline import certificate_people

    root, _ = cohort_course
    monkeypatch.delenv("NETRALITAS_DB_URL", raising=False)
    ui = ReportApp(root, today=AS_OF)
    assert ui.as_of.value == AS_OF and ui.as_of.description == "Per tanggal (hh/bb/tttt)"
    ui.units.value = ("Inspektorat Daerah",)
    ui.certs.value = True
    ui.button.click()
    assert "Unduh sertifikat dan surat pernyataan (ZIP)" in ui.result.value
    encoded = ui.result.value.split('class="unduh-pdf"')[1].split("base64,")[1].split('"')[0]
    names = zipfile.ZipFile(io.BytesIO(base64.b64decode(encoded))).namelist()
    assert "pernyataan_Inspektorat_Daerah.pdf" in names and any(n.startswith("sertifikat_") for n in names)
    report, _ = cohort_report
    ui.code.value = certificate_people(report).iloc[0]["kode_verifikasi"].lower()
    ui.check.click()
    assert ui.verdict.value.count("SAH:") == 1 and certificate_people(report).iloc[0]["nama"] in ui.verdict.value
    ui.code.value = "<b>NA-AAAA</b>"
    ui.check.click()
    assert "TIDAK DIKENAL" in ui.verdict.value and "<b>NA" not in ui.verdict.value
