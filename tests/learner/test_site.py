"""The learner runtime is separate from the instructor side: what it imports,
and what the learner site a learner's kernel runs from contains."""
from __future__ import annotations

import subprocess
import sys

import pytest

from netralitas import paths
from netralitas.learner.site import INSTRUCTOR_PREFIXES, InstructorImport, build_site, learner_modules

# Text that only a quiz source carries (quiz item ids are checked as well;
# teaching scenarios carry their answers by design: feedback is immediate).
KEY_MARKERS = ["BEGIN HIDDEN TESTS", "score_item("]


def quiz_item_ids(all_quiz_items) -> set[str]:
    return {item.id for item in all_quiz_items}


def test_learner_runtime_imports_no_instructor_code():
    modules = learner_modules(paths.REPO_ROOT)
    assert "netralitas.learner.widgets" in modules and "netralitas.learner.record" in modules
    assert not [m for m in modules if m.startswith(INSTRUCTOR_PREFIXES)]


def test_an_instructor_import_in_the_runtime_is_caught(tmp_path):
    """A function-level import of grading code (as the widgets once had) fails the check."""
    import shutil

    shutil.copytree(paths.PACKAGE_DIR, tmp_path / "netralitas", ignore=shutil.ignore_patterns("__pycache__"))
    widgets = tmp_path / "netralitas" / "learner" / "widgets.py"
    widgets.write_text(widgets.read_text(encoding="utf-8")
                       + "\n\ndef _leak():\n    from ..grading.course import Course\n", encoding="utf-8")
    with pytest.raises(InstructorImport, match="netralitas.grading"):
        learner_modules(tmp_path)


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    return build_site(tmp_path_factory.mktemp("site") / "site")


def test_learner_site_holds_no_quiz_item_and_no_instructor_code(site, all_quiz_items):
    ids = quiz_item_ids(all_quiz_items)
    files = [p for p in site.rglob("*") if p.is_file()]
    assert len(files) > 10
    for path in files:
        text = path.read_text(encoding="utf-8", errors="replace")
        assert not [m for m in KEY_MARKERS if m in text], path
        assert not [i for i in ids if i in text], path
    packages = {p.relative_to(site).parts[1] for p in site.glob("netralitas/*")}
    assert packages.isdisjoint({"grading", "report", "facilitator", "build", "testing"})
    assert (site / "grading" / "kebijakan.yaml").exists()  # the attempts rule the button shows


def test_the_key_scan_is_not_vacuous(all_quiz_items):
    """The same scan finds the keys on the instructor side."""
    ids = quiz_item_ids(all_quiz_items)
    bank = "".join(p.read_text(encoding="utf-8") for p in paths.QUIZ_BANK_DIR.glob("*.yaml"))
    source = (paths.QUIZ_SOURCE_DIR / "kuis_02" / "kuis_02.ipynb").read_text(encoding="utf-8")
    assert ids and all(i in bank for i in ids)
    assert "BEGIN HIDDEN TESTS" in source and "score_item(" in source


def test_kernel_on_the_learner_site_cannot_import_grading_even_beside_an_editable_install(site, tmp_path):
    """This interpreter has the checkout installed editable; on the learner
    site the runtime comes from the site, and grading code is not importable."""
    code = """
import netralitas, netralitas.learner.widgets
print(netralitas.__file__)
try:
    import netralitas.grading.course
    print("GRADING")
except ImportError:
    print("TIDAK_ADA")
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"}, check=True).stdout.split()
    assert out[0].startswith(str(site)) and out[1] == "TIDAK_ADA"


def test_the_learner_site_loads_the_teaching_bank_with_its_tables(site, tmp_path):
    """The bank's markers ({perilaku:..}, {ragu:..}) need perilaku.yaml and ragu.yaml on the site."""
    code = """
from netralitas.content.loader import load_bank
bank = load_bank()
print(len(bank.scenarios), len(bank.behaviours), len(bank.uncertain), "{ragu:" in bank.modules["07"].bacaan)
"""
    out = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True,
                         env={"PYTHONPATH": str(site), "PATH": "/usr/bin:/bin"})
    assert out.returncode == 0, out.stderr[-2000:]
    scenarios, behaviours, uncertain, raw = out.stdout.split()
    assert int(scenarios) >= 60 and int(behaviours) >= 30 and int(uncertain) >= 5 and raw == "False"
