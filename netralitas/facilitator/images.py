"""Page images of the printed kit for the README (docs/kit_*.png).

Run after `make kit`: `.venv/bin/python -m netralitas.facilitator.images`.
"""
from __future__ import annotations

import sys
from pathlib import Path

from .. import paths

# (PDF in facilitator_guide/cetak, page index, image name, scale)
PAGES = [("salindia_02.pdf", 1, "kit_salindia.png", 1.1),
         ("salindia_02.pdf", 2, "kit_salindia_putusan.png", 1.1),
         ("handout_02.pdf", 0, "kit_handout.png", 1.1),
         ("pakta_integritas.pdf", 0, "kit_pakta.png", 1.1),
         ("daftar_hadir.pdf", 0, "kit_daftar_hadir.png", 1.0)]


def render(cetak: Path, out: Path) -> list[Path]:
    import pypdfium2 as pdfium

    out.mkdir(parents=True, exist_ok=True)
    written = []
    for pdf_name, page, image, scale in PAGES:
        pdf = pdfium.PdfDocument(str(cetak / pdf_name))
        path = out / image
        pdf[page].render(scale=scale).to_pil().convert("RGB").save(path, optimize=True)
        written.append(path)
        pdf.close()
    return written


if __name__ == "__main__":
    for p in render(paths.REPO_ROOT / "facilitator_guide" / "cetak", paths.REPO_ROOT / "docs"):
        print(p.relative_to(paths.REPO_ROOT))
    sys.exit(0)
