"""The whole course cycle on a synthetic, seeded cohort.

Same code paths as real use: nbgrader's own commands for every step, learners
answering in a real kernel by clicking the notebook's widgets, the report read
from the real gradebook. Only the people are invented.
"""
from __future__ import annotations

import json
import random
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from .. import paths
from ..content.loader import default_bank, load_quiz_items
from ..grading.batch import grade_and_report
from ..grading.course import Course, Learner
from .learner import work_through
from ..report.roster import read_roster
from .people import FIRST, LAST, make_nip

UNITS = ["Dinas Pendidikan", "Kecamatan Sukamaju", "Sekretariat Daerah"]
BUTTON_PROFILES = {"sempurna", "lulus", "gagal", "kosong"}

# What each synthetic learner does. Order matters only for reproducibility.
PROFILES = {
    "sempurna": "menjawab semua soal dengan benar",
    "lulus": "satu jawaban salah, tetap lulus",
    "gagal": "banyak jawaban salah",
    "kosong": "membuka kuis tetapi tidak memilih apa pun, lalu mengirim",
    "tidak_mengirim": "mengambil kuis tetapi tidak pernah mengirim",
    "rekaman_rusak": "berkas jawaban rusak sebelum dikirim",
    "pilihan_asing": "berkas jawaban diubah tangan: pilihan yang tidak ada",
    "tanpa_rekaman": "berkas jawaban terhapus sebelum dikirim",
    "mengulang": "lebih dari separuh jawaban salah pada percobaan pertama (lalu mengulang)",
    "lulus_tes_awal": "sudah menguasai modul: mengerjakan tes awal dengan benar, tanpa kuis",
}


@dataclass
class Person:
    nip: str
    nama: str
    unit_kerja: str
    status: str
    profile: str
    clicks: dict = field(default_factory=dict)
    submitted_by: str = ""


def make_cohort(n: int = 30, seed: int = 2024, profiles: list[str] | None = None) -> list[Person]:
    rng = random.Random(seed)
    weights = {"sempurna": 5, "lulus": 8, "gagal": 6, "kosong": 2, "tidak_mengirim": 4,
               "rekaman_rusak": 1, "pilihan_asing": 1, "tanpa_rekaman": 1}
    chosen = profiles or rng.choices(list(weights), weights=list(weights.values()), k=n)
    people, used = [], set()
    for i, profile in enumerate(chosen):
        status = rng.choices(["PNS", "PPPK", "PPNPN"], weights=[6, 3, 1])[0]
        nip = make_nip(rng, status) if status != "PPNPN" else f"NONASN-{i + 1:04d}"
        while nip in used:
            nip = make_nip(rng, status)
        used.add(nip)
        nama = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
        people.append(Person(nip, nama, UNITS[i % len(UNITS)], status, profile))
    return people


def plan_clicks(person: Person, items, rng: random.Random) -> dict[str, str]:
    """The options this person clicks, by profile."""
    right = {i.id: i.key for i in items}
    wrong = {i.id: next(o.id for o in i.pilihan if not o.benar) for i in items}
    if person.profile in ("kosong", "tanpa_rekaman"):
        return {}
    if person.profile == "sempurna":
        return dict(right)
    if person.profile == "lulus":
        miss = rng.choice(list(right))
        return {k: (wrong[k] if k == miss else v) for k, v in right.items()}
    if person.profile == "mengulang":
        first_half = set(list(right)[: len(right) // 2 + 1])
        return {k: (wrong[k] if k in first_half else v) for k, v in right.items()}
    if person.profile == "gagal":
        return {k: (wrong[k] if rng.random() < 0.6 else right[k]) for k in right}
    return dict(right)  # lulus_tes_awal, rekaman_rusak / pilihan_asing / tidak_mengirim: tampered later or not sent


def tamper(person: Person, folder: Path) -> None:
    record_path = folder / paths.ANSWER_RECORD
    if person.profile == "rekaman_rusak":
        record_path.write_text('{"answers": {"K02-01": {"opti', encoding="utf-8")
    elif person.profile == "pilihan_asing":
        data = json.loads(record_path.read_text(encoding="utf-8"))
        first = sorted(data["answers"])[0]
        data["answers"][first]["option"] = "z"
        record_path.write_text(json.dumps(data), encoding="utf-8")
    elif person.profile == "tanpa_rekaman":
        record_path.unlink(missing_ok=True)


def write_roster(path: Path, people: list[Person], extra_rows: list[list[str]] = ()) -> None:
    """As Indonesian Excel saves it: semicolons, UTF-8 with BOM."""
    lines = ["NIP;Nama;Unit Kerja;Status"]
    lines += [f"{p.nip};{p.nama};{p.unit_kerja};{'Non-ASN' if p.status == 'PPNPN' else p.status}"
              for p in people]
    lines += [";".join(r) for r in extra_rows]
    path.write_text("\ufeff" + "\n".join(lines) + "\n", encoding="utf-8")


def take_quiz(course: Course, homes: Path, people: list[Person], assignment_id: str, items, rng: random.Random,
              log=print) -> int:
    """Every person fetches the quiz, clicks per profile in a real kernel and
    (unless tidak_mengirim) submits. Returns how many submitted."""
    submitted = 0
    for n, person in enumerate(people, start=1):
        learner = Learner(homes / person.nip, person.nip, course)
        folder = learner.fetch(assignment_id)
        person.clicks = plan_clicks(person, items, rng)
        # Half of those who send untouched answers use the notebook's own
        # "Kirim jawaban" button (pressed twice when it warns about blanks);
        # the rest submit from the Assignments panel.
        by_button = person.profile in BUTTON_PROFILES and n % 2 == 0
        presses = 2 if len(person.clicks) < len(items) else 1
        press = [f"kirim-{assignment_id}"] * presses if by_button else []
        work_through(folder / f"{assignment_id}.ipynb", person.clicks, press=press)
        tamper(person, folder)
        person.submitted_by = "tombol" if by_button else ("panel" if person.profile != "tidak_mengirim" else "")
        if person.profile != "tidak_mengirim":
            if not by_button:
                learner.submit(assignment_id)
            submitted += 1
        log(f"  peserta {n:2d}/{len(people)} {person.nip:<18} {person.profile}")
    return submitted


@dataclass
class CycleResult:
    course: Course
    people: list[Person]
    outcomes_path: Path
    feedback: dict[str, list[Path]]
    timings: dict[str, float]
    n_graded: int


def run_cycle(root: Path, people: list[Person], assignment_id: str = "kuis_02", seed: int = 2024,
              extra_roster_rows: list[list[str]] = (), log=print, db_url: str | None = None) -> CycleResult:
    """run_cycle with invented data declared (netralitas/invented.py): the roster accepts its
    invented NIPs and every report and certificate says CONTOH - DATA REKAAN."""
    from ..settings import overridden

    with overridden(invented_data="true"):
        return _run_cycle(root, people, assignment_id, seed, extra_roster_rows, log, db_url)


def _run_cycle(root: Path, people: list[Person], assignment_id: str = "kuis_02", seed: int = 2024,
               extra_roster_rows: list[list[str]] = (), log=print, db_url: str | None = None) -> CycleResult:
    root = Path(root).resolve()
    if root.exists():
        shutil.rmtree(root)
    rng = random.Random(seed)
    timings: dict[str, float] = {}
    items = load_quiz_items(assignment_id, default_bank())

    course = Course.init(root / "kursus", db_url=db_url)
    roster_path = root / "roster.csv"
    write_roster(roster_path, people, extra_roster_rows)
    roster, problems = read_roster(roster_path)
    for p in problems:
        log(f"Roster {roster_path.name} baris {p.line} ditolak: {p.reason}")
    course.add_students(roster.to_dict("records"))

    t = time.perf_counter()
    course.publish(assignment_id)
    timings["publish"] = time.perf_counter() - t
    log(f"Kuis {assignment_id} dibuat dan dirilis ke exchange: {course.exchange}")

    t = time.perf_counter()
    submitted = take_quiz(course, root / "peserta", people, assignment_id, items, rng, log)
    timings["learners"] = time.perf_counter() - t

    t = time.perf_counter()
    _, outcomes_path, _ = grade_and_report(course, assignment_id)
    timings["grade"] = time.perf_counter() - t

    feedback = {}
    for person in people:
        if person.profile != "tidak_mengirim":
            learner = Learner(root / "peserta" / person.nip, person.nip, course)
            feedback[person.nip] = learner.fetch_feedback(assignment_id)

    return CycleResult(course, people, outcomes_path, feedback, timings, submitted)
