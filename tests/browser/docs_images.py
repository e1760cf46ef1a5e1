"""Copy the key screenshots of the browser journeys into docs/ (README, docs/PERAMBAN.md).

    make screenshots      # runs tests/browser, then this
"""
from __future__ import annotations

import shutil
import sys

from netralitas import paths

from .conftest import SCREENSHOTS

DOCS = paths.REPO_ROOT / "docs"
KEY = {
    # The learner's course home (issue 17): each screen at laptop and phone size.
    "home_journey/02_laptop_01_beranda.png": "peramban/beranda_laptop.png",
    "home_journey/01_ponsel_01_beranda.png": "peramban/beranda_ponsel.png",
    "home_journey/03_laptop_02_modul.png": "peramban/beranda_modul_laptop.png",
    "home_journey/13_ponsel_02_modul.png": "peramban/beranda_modul_ponsel.png",
    "home_journey/05_laptop_04_nilai_di_kuis.png": "peramban/beranda_nilai_di_kuis_laptop.png",
    "home_journey/14_ponsel_03_kuis.png": "peramban/beranda_kuis_ponsel.png",
    "home_journey/08_laptop_07_sertifikat_di_beranda.png": "peramban/beranda_sertifikat_laptop.png",
    "home_journey/11_ponsel_07_sertifikat_di_beranda.png": "peramban/beranda_sertifikat_ponsel.png",
    "home_journey/09_laptop_08_hasil_di_beranda.png": "peramban/beranda_hasil_laptop.png",
    "home_journey/12_ponsel_08_hasil_di_beranda.png": "peramban/beranda_hasil_ponsel.png",
    "learner_journey/02_modul_terbuka.png": "peramban/modul_terbuka.png",
    "learner_journey/04_umpan_balik_tepat.png": "modul_jupyterlab.png",
    "learner_journey/09_kuis_terkirim.png": "kuis_jupyterlab.png",
    "learner_journey/10_umpan_balik_diambil.png": "peramban/umpan_balik_diambil.png",
    "learner_journey/11_umpan_balik_kuis.png": "peramban/umpan_balik_kuis.png",
    "module_layout[ponsel]/02_pilihan_panjang.png": "peramban/modul_ponsel.png",
    "facilitator_live_session/07_kasus_3_putusan.png": "peramban/sesi_langsung.png",
    "hr_report_filter_and_download/02_laporan_satu_unit.png": "peramban/laporan_hr.png",
    "hr_report_layout[ponsel]/01_formulir.png": "peramban/laporan_hr_ponsel.png",
}


def main() -> int:
    missing = [src for src in KEY if not (SCREENSHOTS / src).exists()]
    if missing:
        print("Screenshots missing (run the browser tests first): " + ", ".join(missing), file=sys.stderr)
        return 1
    for src, dst in KEY.items():
        (DOCS / dst).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(SCREENSHOTS / src, DOCS / dst)
        print(f"docs/{dst}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
