"""Hostile submissions through the exchange inbound (which every learner can
write), graded by `netralitas grade` on SQLite and on PostgreSQL: each bad
folder is set aside with its exact reason and kept, every other submission is
graded to the score its answer record earns, and the next run needs nothing
deleted by hand."""
from __future__ import annotations

import contextlib
import io
import os
import pwd
import re
import shutil
import subprocess
import uuid
from types import SimpleNamespace

import pandas as pd
import pytest
import sqlalchemy as sa
from nbgrader.api import Gradebook, MissingEntry

from netralitas import cli, paths, record
from netralitas.cells import neutralise_cell
from netralitas.grading.attempts import read_attempts
from netralitas.grading.collect import QUARANTINE_DIR, REASONS, now_utc
from netralitas.grading.course import Course, Learner

from ..fixtures import inbound as states

pytestmark = [pytest.mark.slow]
ASSIGNMENT = "kuis_02"
TEMPLATE, PERFECT = "199001002015000011", "199001002015000021"
IS_ROOT = os.geteuid() == 0


def nip_for(i: int) -> str:
    return f"19850202201{i:06d}1"


def live_markup(html: str) -> list[str]:
    """The learner's payload as live tags (escaped text is harmless)."""
    return re.findall(r"<script[^>]*>\s*alert\(|<img[^>]*\sonerror\s*=", html, flags=re.I)


def run_cli(*args) -> tuple[int, str]:
    out = io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(out):
        status = cli.main(list(args))
    return status, out.getvalue()


class Accounts:
    """Real Linux accounts for the owner cases (CI runs as root)."""

    def __init__(self):
        self.made: list[str] = []
        self.other_uid = self.make("nrt" + uuid.uuid4().hex[:8])

    def make(self, name: str) -> int:
        subprocess.run(["useradd", "-M", "-N", "-s", "/usr/sbin/nologin", name], check=True)
        self.made.append(name)
        return pwd.getpwnam(name).pw_uid

    def remove(self):
        for name in self.made:
            subprocess.run(["userdel", name], check=False)


@pytest.fixture(scope="module", params=["sqlite", "postgresql"])
def batch(request, tmp_path_factory, quiz_items):
    backend = request.param
    db_url = request.getfixturevalue("postgres").create_database("hostile_inbound") if backend == "postgresql" \
        else None
    root = tmp_path_factory.mktemp(f"hostile_inbound_{backend}")
    course = Course.init(root / "kursus", db_url=db_url)
    (course.root / ".rahasia").write_text("KUNCI-TANDA-TANGAN", encoding="utf-8")
    course.publish(ASSIGNMENT)
    inbound = course.exchange / paths.COURSE_ID / "inbound"

    genuine = {}
    for nip, right in ((TEMPLATE, 1), (PERFECT, len(quiz_items))):
        learner = Learner(root / "peserta" / nip, nip, course)
        folder = learner.fetch(ASSIGNMENT)
        for item in quiz_items[:right]:
            record.save_answer(folder / paths.ANSWER_RECORD, item.id, item.key)
        learner.submit(ASSIGNMENT)
        genuine[nip] = next(inbound.glob(f"{nip}+{ASSIGNMENT}+*"))
    accounts = Accounts() if IS_ROOT else None
    ctx = SimpleNamespace(now=now_utc().replace(tzinfo=None), genuine=[genuine[PERFECT]], items=quiz_items,
                          canary=root / "bocor.txt", other_uid=accounts.other_uid if accounts else None,
                          make_account=lambda nip: accounts.make(f"asn{nip}"))
    template = genuine[TEMPLATE]

    by_state, names = {}, {}
    for i, state in enumerate(states.EXPECTED):
        if state in states.OWNER_STATES and not IS_ROOT:
            continue
        nip = nip_for(i)
        before = set(os.listdir(inbound))
        state(inbound, template, nip, ctx)
        by_state[state.__name__] = nip
        names[state.__name__] = sorted(set(os.listdir(inbound)) - before)
    roster = [TEMPLATE, PERFECT] + [nip for s, nip in by_state.items() if s != "not_in_roster"]
    course.add_students([{"nip": x} for x in roster])
    status, output = run_cli("grade", ASSIGNMENT, "--course", str(course.root))
    first_set_aside = set_aside(course)
    second_status, second_output = run_cli("grade", ASSIGNMENT, "--course", str(course.root))
    result = SimpleNamespace(course=course, inbound=inbound, by_state=by_state, names=names, status=status,
                             output=output, second_status=second_status, second_output=second_output,
                             ctx=ctx, template=template, backend=backend, set_aside=first_set_aside)
    yield result
    if accounts:
        accounts.remove()


def gradebook_score(course, nip) -> float | None:
    with Gradebook(course.db_url(), course_id=paths.COURSE_ID) as gb:
        try:
            return gb.find_submission(ASSIGNMENT, nip).score
        except MissingEntry:
            return None


def outcomes(course) -> pd.DataFrame:
    return pd.read_csv(course.root / "reports" / f"penilaian_{ASSIGNMENT}.csv", dtype=str).fillna("")


def set_aside(course) -> pd.DataFrame:
    return pd.read_csv(course.root / "reports" / f"disisihkan_{ASSIGNMENT}.csv", dtype=str).fillna("")


CASES = [s.__name__ for s in states.EXPECTED]


def test_there_are_at_least_forty_distinct_cases():
    assert len(CASES) == len(set(CASES)) >= 40


@pytest.mark.parametrize("state", CASES)
def test_each_state(batch, state, quiz_items):
    if state not in batch.by_state:
        pytest.skip("owner cases need real accounts (root), as in CI")
    expected = next(v for k, v in states.EXPECTED.items() if k.__name__ == state)
    nip = batch.by_state[state]
    quarantine = batch.course.root / QUARANTINE_DIR / ASSIGNMENT
    if expected[0] == "aside":
        code = expected[1]
        assert len(batch.names[state]) == 1
        name = batch.names[state][0]
        listed = batch.set_aside
        row = listed[listed["kiriman"] == neutralise_cell(name)]  # the CSV is spreadsheet-safe
        assert len(row) == 1, (state, listed["kiriman"].tolist())
        assert row["kode"].iloc[0] == code
        assert row["alasan"].iloc[0] == REASONS[code]
        assert REASONS[code] in batch.output
        # kept, never deleted, and out of the way of the next run
        assert os.path.lexists(quarantine / name) and not os.path.lexists(batch.inbound / name)
        assert (quarantine / f"{name}.alasan.txt").read_text(encoding="utf-8").startswith(REASONS[code])
        assert gradebook_score(batch.course, nip) is None
        return
    _, score, reasons = expected
    assert gradebook_score(batch.course, nip) == score
    rows = outcomes(batch.course)
    mine = dict(zip(rows.loc[rows["nip"] == nip, "item"], rows.loc[rows["nip"] == nip, "reason"]))
    for index, reason in reasons.items():
        assert mine[quiz_items[index].id] == reason, (state, index)
    ledger = read_attempts(batch.course.db_url(), ASSIGNMENT)
    assert ledger.loc[ledger["student_id"] == nip, "score"].tolist()[-1:] == [score]


def test_genuine_learners_are_graded_beside_the_hostile_ones(batch, quiz_items):
    assert gradebook_score(batch.course, TEMPLATE) == 1.0
    assert gradebook_score(batch.course, PERFECT) == float(len(quiz_items))


def test_the_cli_says_how_many_were_graded_and_set_aside(batch):
    aside = sum(1 for s in batch.by_state if next(v for k, v in states.EXPECTED.items()
                                                 if k.__name__ == s)[0] == "aside")
    aside += sum(1 for s in states.ALSO_ASIDE if s.__name__ in batch.by_state)
    graded = sum(1 for s in batch.by_state if s not in {k.__name__ for k, v in states.EXPECTED.items()
                                                     if v[0] == "aside"}) + 2
    assert batch.status == 1  # finished, but not everything could be graded
    assert f"{graded} kiriman dinilai, {aside} kiriman disisihkan (dikarantina)." in batch.output


def test_the_next_run_needs_nothing_deleted_by_hand(batch):
    assert batch.second_status == 0, batch.second_output
    assert "0 kiriman dinilai, 0 kiriman disisihkan" in batch.second_output


def test_no_owner_warning_on_genuine_submissions(batch):
    log = (batch.course.root / "reports" / f"autograde_{ASSIGNMENT}.log").read_text(encoding="utf-8")
    assert "check_owner" not in log and "Skipping existing" not in log


def test_learner_code_never_ran_and_no_secret_reached_feedback(batch):
    assert not batch.ctx.canary.exists()
    for page in (batch.course.root / "feedback").rglob("*.html"):
        text = page.read_text(encoding="utf-8")
        assert "KUNCI-TANDA-TANGAN" not in text
        assert not live_markup(text)


def test_feedback_of_the_script_learner_is_inert(batch):
    nip = batch.by_state["notebook_with_script_and_onerror"]
    pages = list((batch.course.root / "feedback" / nip / ASSIGNMENT).glob("*.html"))
    assert pages
    text = pages[0].read_text(encoding="utf-8")
    assert not live_markup(text)
    # Feedback is built from the released quiz and the answer record: the
    # learner's own markdown never reaches it.
    assert "skrip-jahat" not in text and "gambar-jahat" not in text
    assert "Nilai: 1 dari" in text


def test_formgrader_view_is_sanitised(batch):
    """The instructor's formgrader renders with the course's exporter config."""
    from nbconvert.exporters import HTMLExporter
    from nbgrader.server_extensions.formgrader import handlers

    config = batch.course.config()
    config.HTMLExporter.template_name = "formgrade"
    config.HTMLExporter.template_file = "index.html.j2"
    config.HTMLExporter.extra_template_basedirs = [handlers.template_path]
    nip = batch.by_state["notebook_with_script_and_onerror"]
    # The autograded copy holds no learner markdown at all; the sanitiser is
    # shown working on the learner's own notebook, rendered the same way.
    graded = batch.course.root / "submitted" / nip / ASSIGNMENT / states.NB
    resources = {"assignment_id": ASSIGNMENT, "notebook_id": "kuis_02", "submission_id": "x", "index": 0,
                 "total": 1, "base_url": "", "student": nip, "last_name": "", "first_name": "",
                 "notebook_path": str(graded)}  # what the formgrader's handler passes
    html, _ = HTMLExporter(config=config).from_filename(str(graded), resources=resources)
    assert not live_markup(html)
    assert "skrip-jahat" in html  # the markdown is there, inert


def test_formula_answers_are_text_in_the_csv(batch, quiz_items):
    rows = outcomes(batch.course)
    nip = batch.by_state["record_formula_answers"]
    chosen = rows.loc[rows["nip"] == nip, "chosen"].tolist()
    assert "'=HYPERLINK(\"http://contoh.invalid\",\"klik\")" in chosen
    assert {"'+1+1", "'@SUM(A1)", "'-2"} <= set(chosen)
    assert not any(c[:1] in "=+-@" for c in rows["chosen"] if c)


def test_ties_and_resubmissions_are_attempts_in_order(batch):
    ledger = read_attempts(batch.course.db_url(), ASSIGNMENT).set_index("student_id")
    assert ledger.loc[batch.by_state["two_submissions_same_time"], "attempt"] == 2
    assert ledger.loc[batch.by_state["older_and_newer_submission"], "attempt"] == 2
    # the set-aside future folder is no attempt
    assert ledger.loc[batch.by_state["future_submission_beside_a_real_one"], "attempt"] == 1


def test_a_resubmission_reusing_an_old_timestamp_is_a_new_attempt(batch, quiz_items):
    """Run after the batch: a new folder whose name and timestamp.txt repeat the
    first submission's time, with better answers."""
    nip = batch.by_state["intact"]
    first = next(n for n in batch.names["intact"])
    again = batch.inbound / (first.rsplit("+", 1)[0] + "+ULANG")
    shutil.copytree(batch.inbound / first, again)
    states.answers(again, {i.id: i.key for i in quiz_items[:4]})
    status, output = run_cli("grade", ASSIGNMENT, "--course", str(batch.course.root))
    assert status == 0, output
    rows = read_attempts(batch.course.db_url(), ASSIGNMENT)
    mine = rows[rows["student_id"] == nip]
    assert mine["attempt"].tolist() == [1, 2] and mine["score"].tolist() == [1.0, 4.0]
    assert mine["submitted_at"].is_unique
    assert gradebook_score(batch.course, nip) == 4.0
    assert run_cli("periksa", "--course", str(batch.course.root))[0] == 0


def test_periksa_names_each_learner_whose_ledger_disagrees(batch):
    status, output = run_cli("periksa", "--course", str(batch.course.root))
    assert status == 0, output
    nip = batch.by_state["extra_files_and_folders"]
    engine = sa.create_engine(batch.course.db_url())
    with engine.begin() as conn:
        conn.execute(sa.text("update netralitas_attempt set score = score + 5 where student_id = :s"), {"s": nip})
    engine.dispose()
    status, output = run_cli("periksa", "--course", str(batch.course.root))
    assert status == 1
    assert f"peserta {nip}: {ASSIGNMENT}: nilai di buku percobaan 6 berbeda dari gradebook 1" in output
    with engine.begin() as conn:
        conn.execute(sa.text("update netralitas_attempt set score = score - 5 where student_id = :s"), {"s": nip})
    engine.dispose()
    assert run_cli("periksa", "--course", str(batch.course.root))[0] == 0


def test_a_future_submission_no_longer_blocks_later_ones(batch):
    nip = batch.by_state["future_submission_beside_a_real_one"]
    assert gradebook_score(batch.course, nip) == 3.0
    listed = batch.set_aside
    assert listed.loc[listed["nip"] == nip, "kode"].tolist() == ["waktu_masa_depan"]
