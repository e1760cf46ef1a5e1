"""Keys never reach a file a learner can see."""
from __future__ import annotations

import html
import json

import pytest

from netralitas import paths

pytestmark = pytest.mark.slow


def key_markers(items) -> list[str]:
    """Strings that exist only where a key is: hidden-test code and each
    item's key argument, plus explanations that are shown only after grading."""
    markers = ["BEGIN HIDDEN TESTS", "score_item", "netralitas.grading"]
    markers += [f'key={json.dumps(i.key)}' for i in items]
    return markers


def readable(path) -> str:
    """File text as stored and as its format would show it: JSON strings
    unescaped (notebooks), HTML entities decoded (feedback pages)."""
    raw = path.read_text(encoding="utf-8", errors="replace")
    return "\n".join([raw, raw.replace('\\"', '"'), html.unescape(raw)])


def learner_visible(cycle) -> list:
    root = cycle.course.root
    files = list((root / "release").rglob("*"))
    files += list(cycle.course.exchange.rglob("*"))
    files += list((root / "feedback").rglob("*"))
    files += [p for home in (root.parent / "peserta").iterdir() for p in home.rglob("*")]
    files += list(paths.MODULES_DIR.rglob("*.ipynb"))
    return [f for f in files if f.is_file()]


def test_no_key_material_in_learner_visible_files(cycle, quiz_items):
    files = learner_visible(cycle)
    # What the scan covers: release, exchange (outbound, inbound, feedback), homes, modules.
    kinds = {f.suffix for f in files}
    assert {".ipynb", ".html", ".json"} <= kinds
    markers = key_markers(quiz_items)
    leaks = []
    for f in files:
        text = readable(f)
        leaks += [(str(f), m) for m in markers if m in text]
    assert leaks == []


def test_correct_options_reach_only_the_feedback_the_policy_allows(cycle):
    """The note naming the correct option ("Jawaban yang benar: ...") is in every
    autograded notebook with a missed item, but a learner-visible file may hold
    it only if it is the feedback page of a learner who passed or used their
    last attempt (default policy); release, exchange outbound, homes' quiz
    notebooks and everybody else's feedback never."""
    from netralitas.grading.check import REVEAL_HEAD
    from netralitas.grading.preprocessors import may_show_correct_option

    root, db_url = cycle.course.root, cycle.course.db_url()
    allowed, withheld = set(), []
    for person in cycle.people:
        pages = [f.read_text(encoding="utf-8") for f in (root / "feedback" / person.nip).rglob("*.html")]
        if may_show_correct_option(db_url, person.nip, "kuis_02"):
            allowed.update(pages)
        elif pages:
            withheld.append(person)
    # Not vacuous: some learners may see it, some may not, and those who may not did miss items.
    assert allowed and withheld
    for person in withheld:
        graded = root / "autograded" / person.nip / "kuis_02" / "kuis_02.ipynb"
        if graded.exists():
            assert REVEAL_HEAD in graded.read_text(encoding="utf-8")
    shown = leaks = 0
    for f in learner_visible(cycle):
        if REVEAL_HEAD in readable(f):
            raw = f.read_text(encoding="utf-8", errors="replace")
            if raw in allowed:
                shown += 1
            else:
                leaks += 1
                print("leak:", f)
    assert leaks == 0
    assert shown > 0  # the policy does show it to those who passed: the marker is the right one


def test_release_has_no_explanations_or_feedback_text(cycle, quiz_items):
    release = cycle.course.root / "release" / "kuis_02" / "kuis_02.ipynb"
    text = release.read_text(encoding="utf-8")
    for item in quiz_items:
        assert item.penjelasan[:60] not in text
        for option in item.pilihan:
            assert option.umpan_balik[:60] not in text


def test_scan_would_catch_a_leak(cycle, quiz_items):
    """The markers do occur in the instructor's source: the scan is not vacuous."""
    source = readable(paths.QUIZ_SOURCE_DIR / "kuis_02" / "kuis_02.ipynb")
    assert all(m in source for m in key_markers(quiz_items))
    autograded = readable(next((cycle.course.root / "autograded").rglob("*.ipynb")))
    assert all(m in autograded for m in key_markers(quiz_items)[:3])


def test_learner_runtime_package_holds_no_quiz_item(all_quiz_items):
    """Module notebooks load the package's bank at run time: it must hold no
    quiz item, or a curious learner could read keys from the kernel."""
    bank_text = "\n".join(p.read_text(encoding="utf-8") for p in (paths.BANK_DIR).rglob("*.yaml"))
    for item in all_quiz_items:
        assert item.id not in bank_text
        assert item.situasi[:80] not in bank_text


def test_no_answer_record_is_released(cycle):
    outbound = cycle.course.exchange / paths.COURSE_ID / "outbound"
    assert not list(outbound.rglob(paths.ANSWER_RECORD))
    assert not list((cycle.course.root / "release").rglob(paths.ANSWER_RECORD))
