"""Generates grading/laporan_hr.ipynb: one hidden code cell that shows the app.

Run `python -m netralitas.report.notebook` after changing this file; a test
checks the committed notebook is exactly this output (clean, no outputs).
"""
from __future__ import annotations

import sys

import nbformat
from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .. import paths
from ..build.notebooks import KERNEL, _hidden

NOTEBOOK = paths.GRADING_DIR / "laporan_hr.ipynb"

INTRO = """# Laporan BKPSDM: penyelesaian kursus Netralitas ASN

Untuk petugas kepegawaian (BKPSDM / unit kepegawaian). Tidak perlu menulis kode: buka notebook ini
dengan **Voilà** (atau klik menu **Run**, lalu **Menjalakan Semua Sel**), pilih unit kerja, modul,
dan periode, lalu tekan **Buat laporan**. Tautan **Unduh XLSX** muncul setelah laporan selesai.
Panduan lengkap: `grading/PANDUAN_BKPSDM.md`."""


def notebook_text() -> str:
    nb = new_notebook(cells=[
        new_markdown_cell(INTRO),
        _hidden(new_code_cell("from netralitas.report.app import app\n\napp();"), "Menampilkan formulir laporan"),
    ])
    for i, cell in enumerate(nb.cells):
        cell.id = f"laporan-hr-{i:03d}"
    nb.metadata.update(KERNEL)
    return nbformat.writes(nb) + "\n"


def main() -> int:
    NOTEBOOK.write_text(notebook_text(), encoding="utf-8")
    print(f"Ditulis: {NOTEBOOK}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
