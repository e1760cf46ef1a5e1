"""Page images of the printed kit for the README (docs/kit_*.png).

Run after `make kit`: `.venv/bin/python -m netralitas.facilitator.images`; add
`--sesi` for a screenshot of the live session in Voila (needs Debian chromium).
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


def live_screenshot(path: Path, chromium: str = "/usr/bin/chromium") -> Path:
    """The first case of the 60-minute plan with a room's counts and its verdict, at 1280x800."""
    import time

    from playwright.sync_api import sync_playwright

    from .cli import serving_live_session

    with serving_live_session() as port:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=chromium, args=["--no-sandbox"])
            page = browser.new_page(viewport={"width": 1280, "height": 800})
            deadline = time.monotonic() + 60
            while True:
                try:
                    page.goto(f"http://127.0.0.1:{port}/", timeout=60000)
                    break
                except Exception:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(1)
            page.get_by_role("button", name="Mulai sesi").click(timeout=60000)
            counts = page.locator(".netralitas-hitung input")
            for n, value in enumerate(("12", "28")):
                counts.nth(n).fill(value)
                counts.nth(n).press("Enter")
            page.get_by_role("button", name="Tampilkan putusan").click()
            page.wait_for_timeout(800)
            page.screenshot(path=str(path))
            browser.close()
    return path


if __name__ == "__main__":
    for p in render(paths.REPO_ROOT / "facilitator_guide" / "cetak", paths.REPO_ROOT / "docs"):
        print(p.relative_to(paths.REPO_ROOT))
    if "--sesi" in sys.argv:
        print(live_screenshot(paths.REPO_ROOT / "docs" / "kit_sesi_langsung.png").relative_to(paths.REPO_ROOT))
    sys.exit(0)
