"""The exchange inbound between two real unprivileged Linux accounts (root only).

Learner A (asn<NIP>) submits; learner B, another account, cannot list the
inbound nor delete or rename A's folder (inbound 1733, sticky). A still owns the
folder after submitting: an edit made after the first collect is caught and set
aside with its reason (fingerprint in the course folder)."""
from __future__ import annotations

import os
import pwd
import shutil
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from netralitas import paths
from netralitas.grading import collect as collecting
from netralitas.grading.course import INBOUND_MODE, Course, Learner
from netralitas.testing.people import invented_nip

pytestmark = [pytest.mark.slow]
ASSIGNMENT = "kuis_02"
NB = "kuis_02.ipynb"
# Invented ids (birth day 00 cannot be a real NIP); only the account names matter here.
NIP_A, NIP_B, NIP_TEMPLATE = invented_nip(1), invented_nip(2), invented_nip(3)
PYTHON = "/usr/bin/python3" if os.path.exists("/usr/bin/python3") else sys.executable

if os.geteuid() != 0 or not shutil.which("useradd"):
    pytest.skip("needs root and useradd (two real accounts)", allow_module_level=True)


def as_user(name: str, code: str, *args: str) -> subprocess.CompletedProcess:
    pw = pwd.getpwnam(name)
    return subprocess.run([PYTHON, "-c", code, *args], user=pw.pw_uid, group=pw.pw_gid, extra_groups=[],
                          cwd="/", env={"PATH": "/usr/bin:/bin", "LANG": "C.UTF-8"},
                          capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def setup():
    base = Path(tempfile.mkdtemp(prefix="netralitas_inbound_", dir="/tmp"))
    os.chmod(base, 0o755)
    made = []
    try:
        for nip in (NIP_A, NIP_B):
            name = f"asn{nip}"
            subprocess.run(["useradd", "-M", "-N", "-s", "/usr/sbin/nologin", name], check=True)
            made.append(name)
        course = Course.init(base / "kursus", exchange=base / "exchange")
        course.publish(ASSIGNMENT)
        inbound = course.exchange / paths.COURSE_ID / "inbound"
        Learner(base / "peserta", NIP_TEMPLATE, course).fetch(ASSIGNMENT)
        Learner(base / "peserta", NIP_TEMPLATE, course).submit(ASSIGNMENT)
        genuine = next(inbound.glob(f"{NIP_TEMPLATE}+{ASSIGNMENT}+*"))
        template = base / "contoh"
        shutil.move(genuine, template)
        for p in [template, *template.rglob("*")]:
            os.chmod(p, 0o755 if p.is_dir() else 0o644)
        stamp = (template / "timestamp.txt").read_text(encoding="utf-8").strip()
        name = f"{NIP_A}+{ASSIGNMENT}+{stamp}+a1b2c3"
        # A's own submission, made by A's account as nbgrader's submit leaves it
        done = as_user(f"asn{NIP_A}", "import os, shutil, sys; shutil.copytree(sys.argv[1], sys.argv[2]); "
                       "os.chmod(sys.argv[2], 0o777)", str(template), str(inbound / name))
        assert done.returncode == 0, done.stderr
        yield course, inbound, name
    finally:
        for name in made:
            subprocess.run(["userdel", name], check=False)
        shutil.rmtree(base, ignore_errors=True)


def test_inbound_is_write_only_and_sticky(setup):
    _, inbound, _ = setup
    mode = stat.S_IMODE(os.stat(inbound).st_mode)
    assert mode & 0o1777 == INBOUND_MODE, oct(mode)


def test_other_learner_cannot_list_delete_or_rename(setup):
    course, inbound, name = setup
    target = inbound / name
    tries = {
        "list": "import os, sys; os.listdir(sys.argv[1])",
        "rename": "import os, sys; os.rename(sys.argv[1] + '/' + sys.argv[2], sys.argv[1] + '/x')",
        "rename_over": "import os, sys; os.makedirs('/tmp/kosong_b', exist_ok=True); "
                       "os.rename(sys.argv[1] + '/' + sys.argv[2], '/tmp/kosong_b/x')",
    }
    for what, code in tries.items():
        done = as_user(f"asn{NIP_B}", code, str(inbound), name)
        assert done.returncode != 0 and "PermissionError" in done.stderr, (what, done.stderr)
    assert (target / NB).is_file()
    shutil.rmtree("/tmp/kosong_b", ignore_errors=True)


def test_edit_after_submit_is_set_aside(setup):
    course, inbound, name = setup
    first = collecting.collect(course.root, course.exchange, ASSIGNMENT)
    assert [s.name for s in first.graded] == [name], first.set_aside
    again = collecting.collect(course.root, course.exchange, ASSIGNMENT)
    assert [s.name for s in again.graded] == [name] and not again.set_aside
    # A edits the answers inside the folder already submitted, and puts its time back
    edit = ("import os, sys; p = sys.argv[1]; st = os.stat(p); "
            "open(p, 'a', encoding='utf-8').write(' '); os.utime(p, (st.st_atime, st.st_mtime))")
    done = as_user(f"asn{NIP_A}", edit, str(inbound / name / NB))
    assert done.returncode == 0, done.stderr
    late = collecting.collect(course.root, course.exchange, ASSIGNMENT)
    assert not late.graded
    assert [(s.name, s.code) for s in late.set_aside] == [(name, "diubah_setelah_kirim")]
    assert "diubah setelah dikirim" in late.set_aside[0].reason
    kept = late.set_aside[0].kept_at
    assert kept.parent == course.root / collecting.QUARANTINE_DIR / ASSIGNMENT and kept.is_dir()
    note = kept.with_name(kept.name + ".alasan.txt").read_text(encoding="utf-8")
    assert "diubah setelah dikirim" in note
