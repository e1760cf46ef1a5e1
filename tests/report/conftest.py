"""A seeded synthetic cohort in an nbgrader-shaped gradebook, shared by the report tests."""
from __future__ import annotations

from datetime import date

import pytest

from netralitas.report.history import import_roster
from netralitas.report.kebijakan import ReportPolicy, RulesVersion
from netralitas.report.pipeline import ATTENDANCE_DIR, make_report
from netralitas.testing.synthetic import seed_gradebook

AS_OF = date(2027, 1, 15)
# Fixed here, not read from grading/kebijakan.yaml: goldens must not move when HR edits policy.
POLICY = ReportPolicy(tenggat=date(2026, 12, 31), tenggat_modul={"01": date(2026, 6, 30)}, jp_per_modul=1.0,
                      masa_berlaku_bulan=36,
                      versi_aturan=(RulesVersion("2024.1", date(2023, 10, 31), "UU 20/2023, PP 94/2021"),))
# Item ids that are not in the quiz bank, so goldens do not move when quiz titles are edited.
ITEMS = {f"{m:02d}": [f"X{m:02d}-{j:02d}" for j in range(1, 6)] for m in range(1, 10)}


@pytest.fixture(scope="session")
def cohort_course(tmp_path_factory):
    root = tmp_path_factory.mktemp("hr_cohort")
    cohort = seed_gradebook(root / "gradebook.db", n=60, seed=11, items=ITEMS)
    roster = cohort.roster.copy()
    roster.attrs["kolom"] = list(roster.columns)
    import_roster(cohort.db_url, roster, [], "sintetis", date(2024, 1, 1), sync_students=False)
    first = roster.iloc[0]
    (root / ATTENDANCE_DIR).mkdir()
    (root / ATTENDANCE_DIR / "hadir.csv").write_text(
        "Tanggal;Sesi;NIP;Nama;Unit Kerja;JP;Modul\n"
        f"2026-11-20;Sosialisasi 1;{first.nip};{first.nama};{first.unit_kerja};2;1,2\n"
        f"2026-11-20;Sosialisasi 1;;Tanpa NIP;{first.unit_kerja};2;\n"
        f"2026-11-20;Sosialisasi 1;NONASN-999999;Tamu Luar;{first.unit_kerja};2;\n", encoding="utf-8")
    return root, cohort


@pytest.fixture(scope="session")
def cohort_report(cohort_course):
    root, cohort = cohort_course
    return make_report(root, db_url=cohort.db_url, as_of=AS_OF, policy=POLICY)
