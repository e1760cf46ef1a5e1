"""`netralitas kit`: everything a facilitator needs, from the bank, in one command.

Committed (drift-checked with --check): the Markdown guide and the live-session
notebook under facilitator_guide/. Git-ignored: printable PDFs in
facilitator_guide/cetak/ and the answer key in grading/kunci_jawaban/ (the
instructor's side, never under facilitator_guide/).
"""
from __future__ import annotations

from pathlib import Path

from nbformat.v4 import new_code_cell, new_markdown_cell, new_notebook

from .. import paths
from ..build.notebooks import _finish, _hidden, render
from ..content.loader import Bank
from ..files import write_changed
from . import answer_key, guide
from .content import Kit

GUIDE_DIR = paths.REPO_ROOT / "facilitator_guide"
PRINT_DIR = GUIDE_DIR / "cetak"
LIVE_NOTEBOOK = "sesi_langsung.ipynb"


def live_notebook():
    cells = [
        new_markdown_cell(
            "# Sesi langsung: kasus di layar proyektor\n\n"
            "Tidak perlu menulis kode. Di JupyterLab klik menu **Run**, lalu **Menjalakan Semua Sel** "
            "(*Run All Cells*); di Voila (`make sesi`) aplikasi tampil sendiri. Bekerja tanpa internet."),
        _hidden(new_code_cell("from netralitas.facilitator.live import sesi_langsung\nsesi = sesi_langsung()"),
                "Aplikasi sesi langsung"),
    ]
    return _finish(new_notebook(cells=cells), "sesi")


def committed_targets(bank: Bank, kit: Kit, guide_dir: Path | None = None) -> dict[Path, str]:
    guide_dir = Path(guide_dir or GUIDE_DIR)
    out = guide.targets(bank, kit, guide_dir)
    out[guide_dir / LIVE_NOTEBOOK] = render(live_notebook())
    return out


def write(targets: dict[Path, str], check: bool = False) -> list[Path]:
    """Write the files that differ; with check=True write nothing. Returns those that differ."""
    return write_changed(targets, check)


def build_kit(bank: Bank, kit: Kit, guide_dir: Path | None = None, print_dir: Path | None = None,
              key_dir: Path | None = None, session: str | None = None, date: str = "") -> dict[str, list[Path]]:
    """Guide + notebook (committed), PDFs (print_dir), answer key (key_dir)."""
    from .printables import build_printables

    guide_files = write(committed_targets(bank, kit, guide_dir))
    key_targets = answer_key.targets(bank, key_dir)
    write(key_targets)
    pdfs = build_printables(bank, kit, Path(print_dir or PRINT_DIR), session=session, date=date)
    return {"panduan": guide_files, "cetak": pdfs, "kunci": list(key_targets)}
