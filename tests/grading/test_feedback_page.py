"""Feedback pages from the quiz's skeleton (feedbackpage.py) are byte for
byte the pages of the full sanitised exporter, for every verdict, standing
and feedback-policy case, and stay inert whatever text reaches them."""
from __future__ import annotations

import json
import re
import shutil

import pytest

from netralitas.grading.attempts import learner_standings
from netralitas.grading.check import REVEAL_HEAD, outcomes_from_notebook
from netralitas.grading.course import Course, Learner
from netralitas.grading.recordgrade import QuizGrader

from .test_feedback_policy import answer

pytestmark = pytest.mark.slow
ASSIGNMENT = "kuis_01"  # some of its items are on the final exam: their note is never shown
LEARNERS = {"199002002015011001": "all", "199002002015011002": "one", "199002002015011003": "none"}
STANDINGS = [None, {"passed": True, "attempts_used": 1, "maximum": 3, "exhausted": False},
             {"passed": False, "attempts_used": 2, "maximum": 3, "exhausted": False},
             {"passed": False, "attempts_used": 3, "maximum": 3, "exhausted": True},
             {"passed": False, "attempts_used": 0, "maximum": 3, "exhausted": False}]


def live_markup(html: str) -> list[str]:
    return re.findall(r"<script[^>]*>\s*alert\(|<img[^>]*\sonerror\s*=", html, flags=re.I)


@pytest.fixture(scope="module")
def graded(tmp_path_factory, bank):
    from netralitas.content.loader import load_quiz_items

    root = tmp_path_factory.mktemp("halaman_umpan_balik")
    items = load_quiz_items(ASSIGNMENT, bank)
    course = Course.init(root / "kursus")
    course.add_students([{"nip": x} for x in LEARNERS])
    course.publish(ASSIGNMENT)
    for nip, how in LEARNERS.items():
        learner = Learner(root / "peserta" / nip, nip, course)
        folder = learner.fetch(ASSIGNMENT)
        if how != "none":  # "none": no answer record at all
            answer(folder, items, right=len(items) if how == "all" else 1)
        learner.submit(ASSIGNMENT)
    run = course.grade(ASSIGNMENT)
    assert sorted(run.graded) == sorted(LEARNERS)
    grader = QuizGrader(course, ASSIGNMENT)
    exporter = grader.exporter()
    return course, grader, exporter, grader.pages(exporter)


def earned_of(grader, nip) -> dict:
    out = {}
    for name in grader.notebooks:
        path = grader.root / "autograded" / nip / ASSIGNMENT / f"{name}.ipynb"
        nb = json.loads(path.read_text(encoding="utf-8"))
        import nbformat

        out[name] = {f"nilai_{o['item']}": o["earned"] for o in outcomes_from_notebook(nbformat.from_dict(nb))}
    return out


def both(grader, exporter, pages, nip, reveal, standing) -> tuple[str, str]:
    results = earned_of(grader, nip)
    texts = []
    for use in (pages, None):
        (written,) = grader.feedback(exporter, nip, results, reveal, standing=standing, pages=use)
        texts.append(written.read_text(encoding="utf-8"))
    return texts[0], texts[1]


def test_skeleton_is_built(graded):
    _, grader, _, pages = graded
    assert pages and set(pages) == set(grader.notebooks)


@pytest.mark.parametrize("nip", sorted(LEARNERS))
def test_same_bytes_as_the_full_exporter(graded, nip):
    _, grader, exporter, pages = graded
    real = learner_standings(grader.db_url, ASSIGNMENT, [nip])[nip]
    for standing in [real, *STANDINGS]:
        for reveal in (False, True):
            fast, full = both(grader, exporter, pages, nip, reveal, standing)
            assert fast == full, (nip, reveal, standing)
            assert not live_markup(fast)
            assert (REVEAL_HEAD in fast) is (reveal and LEARNERS[nip] != "all")


def test_the_page_opens_with_the_quiz_title_not_the_how_to(graded):
    """Read inside the course home: no link back to it and no how to answer and send."""
    _, grader, exporter, pages = graded
    nip = sorted(LEARNERS)[0]
    real = learner_standings(grader.db_url, ASSIGNMENT, [nip])[nip]
    for page in both(grader, exporter, pages, nip, False, real):
        text = re.sub(r"<[^>]+>", " ", page)
        assert "Batas lulus 80%" in text and "Berisi" in text
        for gone in ("Kembali ke Beranda Kursus", "Cara memakai", "Kirim jawaban", "Tunggu beberapa detik"):
            assert gone not in text, gone


def test_hostile_text_stays_text_and_odd_shapes_take_the_full_exporter(graded):
    course, grader, exporter, pages = graded
    source = next(n for n, how in LEARNERS.items() if how == "one")
    fake = "199002002015011009"
    folder = grader.root / "autograded" / fake / ASSIGNMENT
    shutil.copytree(grader.root / "autograded" / source / ASSIGNMENT, folder)
    name = next(iter(grader.notebooks))
    path = folder / f"{name}.ipynb"
    nb = json.loads(path.read_text(encoding="utf-8"))
    payload = "<script>alert('x')</script><img src=x onerror=\"alert('y')\"> & 'kutip' \"ganda\"\n"
    for cell in nb["cells"]:
        for output in cell.get("outputs", []):
            if output["output_type"] == "stream":
                output["text"] = payload
            elif "text/plain" in output.get("data", {}) and output["output_type"] == "display_data":
                output["data"]["text/plain"] = REVEAL_HEAD + " " + payload
    path.write_text(json.dumps(nb), encoding="utf-8")
    results = earned_of(grader, source)
    standing = STANDINGS[3]
    assert pages[name].render(nb, results[name], True, {"score": 1, "max_score": 9}, {"title": "x"}) is not None
    texts = []
    for use in (pages, None):
        (written,) = grader.feedback(exporter, fake, results, True, standing=standing, pages=use)
        texts.append(written.read_text(encoding="utf-8"))
    fast, full = texts
    assert fast == full
    assert not live_markup(fast) and "&lt;script&gt;" in fast

    # A deleted grade cell, or terminal escapes in a message: the full exporter renders it.
    odd = json.loads(json.dumps(nb))
    odd["cells"] = [c for c in odd["cells"] if not (c["metadata"].get("nbgrader") or {}).get("grade")][:-1] \
        + odd["cells"][-1:]
    assert pages[name].render(odd, results[name], True, {"score": 0, "max_score": 9}, {"title": "x"}) is None
    escaped = json.loads(json.dumps(nb))
    next(o for c in escaped["cells"] for o in c.get("outputs", []) if o["output_type"] == "stream")["text"] = \
        "\x1b[31mmerah\x1b[0m\n"
    assert pages[name].render(escaped, results[name], True, {"score": 0, "max_score": 9}, {"title": "x"}) is None
    path.write_text(json.dumps(escaped), encoding="utf-8")
    (written,) = grader.feedback(exporter, fake, results, True, standing=standing, pages=pages)
    assert "merah" in written.read_text(encoding="utf-8")
