"""A seeded synthetic cohort written straight into an nbgrader-shaped gradebook.

For the golden tests, the HR guide's pictures and the benchmark: nbgrader's own
Gradebook creates the schema; rows go in with executemany (nbgrader's API would
take hours for a million grades). Only the people and their answers are made up.
"""
from __future__ import annotations

import random
import sqlite3
import sys
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

import pandas as pd

from .. import paths
from ..assignments import is_pretest, pretest_id, quiz_id
from .people import FIRST, LAST, make_nip

UNITS = [("Dinas Pendidikan", 0.85), ("Dinas Kesehatan", 0.7), ("Sekretariat Daerah", 0.9),
         ("Kecamatan Sukamaju", 0.55), ("Inspektorat Daerah", 0.95), ("Puskesmas Sukamaju Timur", 0.6)]
INSTANSI = "Pemerintah Kabupaten Sukamaju"


@dataclass
class Cohort:
    db_url: str
    roster: pd.DataFrame
    n_grades: int


def make_roster(n: int, seed: int) -> pd.DataFrame:
    rng = random.Random(seed)
    rows, used = [], set()
    for i in range(n):
        status = rng.choices(["PNS", "PPPK", "PPNPN"], weights=[6, 3, 1])[0]
        nip = make_nip(rng, status, i, latest_year=None) if status != "PPNPN" else f"NONASN-{i + 1:06d}"
        while nip in used:
            nip = make_nip(rng, status, i + rng.randint(1, 10**6), latest_year=None)
        used.add(nip)
        unit = UNITS[i % len(UNITS)][0]
        rows.append({"nip": nip, "nama": f"{rng.choice(FIRST)} {rng.choice(LAST)}", "jabatan": "Pelaksana",
                     "unit_kerja": unit, "instansi": INSTANSI, "status": status,
                     "jenis_id": {"PNS": "NIP", "PPPK": "NI PPPK", "PPNPN": "ID instansi"}[status]})
    return pd.DataFrame(rows)


def create_schema(db_path: Path) -> str:
    from nbgrader.api import Gradebook

    from ..settings import prepend_path

    prepend_path(Path(sys.executable).parent)
    db_path = Path(db_path)
    db_path.parent.mkdir(parents=True, exist_ok=True)
    if db_path.exists():
        db_path.unlink()
    url = f"sqlite:///{db_path}"
    Gradebook(url, course_id=paths.COURSE_ID).close()
    return url


def seed_gradebook(db_path: Path, n: int = 60, modules: list[str] | None = None, items: dict[str, list[str]] | None = None,
                   seed: int = 2024, start: datetime = datetime(2024, 3, 1), days: int = 900,
                   attempt_rate: float | None = None, pretest: str | None = "01",
                   roster: pd.DataFrame | None = None, ledger: bool = False) -> Cohort:
    """Learners answer kuis_NN (and a pre-test tes_awal_<pretest>); items per quiz
    are scored cells named nilai_<item>. Unit diligence decides who attempts.
    ledger=True also writes each submission to the attempts ledger, as
    `netralitas grade` does."""
    from ..grading.check import GRADE_ID_PREFIX

    rng = random.Random(seed)
    modules = modules or [f"{i:02d}" for i in range(1, 10)]
    items = items or {m: [f"K{m}-{j:02d}" for j in range(1, 6)] for m in modules}
    roster = make_roster(n, seed) if roster is None else roster
    url = create_schema(db_path)
    diligence = dict(UNITS)

    assignments = [(quiz_id(m), m) for m in modules] + ([(pretest_id(pretest), pretest)] if pretest else [])
    a_rows, nb_rows, cell_rows, gc_rows = [], [], [], []
    cells: dict[str, list[tuple[str, str]]] = {}
    for k, (name, m) in enumerate(assignments):
        aid, nbid = f"a{k:031d}", f"n{k:031d}"
        a_rows.append((aid, name, None, paths.COURSE_ID))
        nb_rows.append((nbid, name, aid, None))
        cells[name] = []
        for j, item in enumerate(items[m]):
            cid = f"c{k:015d}{j:016d}"
            cell_rows.append((cid, f"{GRADE_ID_PREFIX}{item}", nbid, "GradeCell"))
            gc_rows.append((cid, 1.0, "code"))
            cells[name].append((cid, item))
    from ..policy import pass_mark
    marks = {name: pass_mark(name) for name, _ in assignments}
    # Per-item difficulty: some scenarios are missed far more often.
    hard = {item: rng.choice([0.02, 0.04, 0.06, 0.12, 0.3]) for m in modules for item in items[m]}

    if ledger:
        import sqlalchemy as sa

        from ..grading.attempts import attempt_table
        engine = sa.create_engine(url)
        attempt_table.metadata.create_all(engine)
        engine.dispose()
    con = sqlite3.connect(db_path)
    n_grades = 0
    try:
        con.execute("PRAGMA journal_mode=OFF")
        con.execute("PRAGMA synchronous=OFF")
        con.execute("INSERT OR IGNORE INTO course (id) VALUES (?)", (paths.COURSE_ID,))
        con.executemany("INSERT INTO assignment VALUES (?,?,?,?)", a_rows)
        con.executemany("INSERT INTO notebook VALUES (?,?,?,?)", nb_rows)
        con.executemany("INSERT INTO base_cell VALUES (?,?,?,?)", cell_rows)
        con.executemany("INSERT INTO grade_cells VALUES (?,?,?)", gc_rows)
        con.executemany("INSERT INTO student VALUES (?,?,?,?,?)",
                        [(r.nip, r.nama, "", None, None) for r in roster.itertuples()])
        sa_rows, sn_rows, g_rows, l_rows = [], [], [], []

        def flush():
            if l_rows:
                con.executemany("INSERT INTO netralitas_attempt (student_id, assignment, submitted_at, attempt, kind, "
                                "module, graded_at, score, max_score, passed, counted, content_version, "
                                "answers_fingerprint) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)", l_rows)
            l_rows.clear()
            con.executemany("INSERT INTO submitted_assignment VALUES (?,?,?,?,?)", sa_rows)
            con.executemany("INSERT INTO submitted_notebook VALUES (?,?,?,?,?)", sn_rows)
            con.executemany("INSERT INTO grade VALUES (?,?,?,?,?,?,?)", g_rows)
            sa_rows.clear(), sn_rows.clear(), g_rows.clear()

        seq = 0
        for r in roster.itertuples():
            rate = attempt_rate if attempt_rate is not None else diligence.get(r.unit_kerja, 0.7)
            skill = rng.random()
            day0 = start + timedelta(days=rng.randint(0, days))
            for k, (name, m) in enumerate(assignments):
                if is_pretest(name):
                    if skill < 0.7 or rng.random() > 0.6:
                        continue
                elif rng.random() > rate ** 0.3:
                    continue
                seq += 1
                said, snid = f"s{seq:031x}", f"t{seq:031x}"
                when = day0 + timedelta(days=k * rng.randint(0, 9), minutes=rng.randint(0, 600))
                sa_rows.append((said, f"a{k:031d}", r.nip, when.strftime("%Y-%m-%d %H:%M:%S.%f"), None))
                sn_rows.append((snid, said, f"n{k:031d}", False, 0.0))
                score = 0.0
                for cid, item in cells[name]:
                    right = rng.random() > hard[item] * (1.3 - skill)
                    score += right
                    n_grades += 1
                    g_rows.append((f"g{n_grades:031x}", snid, cid, 1.0 if right else 0.0, None, None, False))
                if ledger:
                    stamp = when.strftime("%Y-%m-%d %H:%M:%S.%f")
                    total = float(len(cells[name]))
                    l_rows.append((r.nip, name, stamp, 1, name.rsplit("_", 1)[0], m, stamp, score, total,
                                   score >= marks[name] * total - 1e-9, True, "sintetis", f"{seq:064x}"))
            if len(g_rows) >= 100_000:  # bounded memory at any cohort size
                flush()
        flush()
        con.commit()
    finally:
        con.close()
    return Cohort(url, roster, n_grades)
