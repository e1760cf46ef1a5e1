"""The exchange inbound between two real unprivileged Linux accounts (root only).

Learner A (asn<NIP>) submits with the course's submit, run as A's own account;
learner B, another account, cannot list the inbound nor delete or rename A's
folder (inbound 1733, sticky), nor add, delete, rename or change anything inside
it (nbgrader's own submit leaves it 0777; the course's closes it: 0755, files
0644). A still owns the folder after submitting: an edit made after the first
collect is caught and set aside with its reason (fingerprint in the course
folder), and a submission still writable by others is set aside too."""
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
from netralitas.learner import exchange as _exchange  # noqa: F401 (imported before dropping to A's uid)
from netralitas.learner import submit as _submit  # noqa: F401
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


def run_as(name: str, step) -> None:
    """step() in a child process running as the account `name` (everything it
    needs imported here first: the account cannot read this interpreter's files)."""
    import nbgrader.apps.baseapp  # noqa: F401
    import nbgrader.auth  # noqa: F401
    import nbgrader.coursedir  # noqa: F401
    import nbgrader.exchange.default.submit  # noqa: F401

    pw = pwd.getpwnam(name)
    pid = os.fork()
    if pid == 0:  # pragma: no cover (the child)
        code = 1
        try:
            os.setgroups([])
            os.setgid(pw.pw_gid)
            os.setuid(pw.pw_uid)
            os.umask(0o022)
            step()
            code = 0
        except BaseException as exc:
            print(f"as {name}: {exc!r}", file=sys.stderr)
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0, f"step as {name} failed"


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
        home = base / "peserta_a"
        learner = Learner(home, NIP_A, course)
        learner.fetch(ASSIGNMENT)
        pw = pwd.getpwnam(f"asn{NIP_A}")
        for p in [home, *home.rglob("*")]:
            os.lchown(p, pw.pw_uid, pw.pw_gid)
        # A's own submission, made by A's account through the course's submit
        run_as(f"asn{NIP_A}", lambda: learner.submit(ASSIGNMENT))
        name = next(inbound.glob(f"{NIP_A}+{ASSIGNMENT}+*")).name
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


def modes(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): oct(stat.S_IMODE(os.lstat(p).st_mode)) for p in [folder, *folder.rglob("*")]}


def test_submission_folder_is_closed_to_other_accounts(setup):
    """B knows the name of A's folder: B can add, delete, rename or change nothing in it."""
    course, inbound, name = setup
    target = inbound / name
    assert target.stat().st_uid == pwd.getpwnam(f"asn{NIP_A}").pw_uid
    before = modes(target)
    assert before["."] == "0o755" and set(before) >= {".", NB, "timestamp.txt", "submission_secret.txt"}
    assert {m for rel, m in before.items() if rel != "."} == {"0o644"}, before
    tries = {
        "add": "import sys; open(sys.argv[1] + '/tambahan.txt', 'w').write('x')",
        "delete": "import os, sys; os.unlink(sys.argv[1] + '/' + sys.argv[2])",
        "rename": "import os, sys; os.rename(sys.argv[1] + '/' + sys.argv[2], sys.argv[1] + '/lain.ipynb')",
        "overwrite": "import sys; open(sys.argv[1] + '/' + sys.argv[2], 'a').write(' ')",
        "chmod": "import os, sys; os.chmod(sys.argv[1], 0o777)",
        "mkdir": "import os, sys; os.mkdir(sys.argv[1] + '/sub')",
    }
    for what, code in tries.items():
        done = as_user(f"asn{NIP_B}", code, str(target), NB)
        assert done.returncode != 0 and "PermissionError" in done.stderr, (what, done.stderr)
    assert modes(target) == before


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


def test_submission_writable_by_others_is_set_aside(setup):
    """A folder left as stock nbgrader's submit leaves it (0777), or with a file
    others may write: set aside with its reason, never graded."""
    course, inbound, name = setup
    stamp = name.split("+")[2]
    opened = {f"{NIP_A}+{ASSIGNMENT}+{stamp}+terbuka": "os.chmod(sys.argv[2], 0o777)",
              f"{NIP_A}+{ASSIGNMENT}+{stamp}+grup": f"os.chmod(sys.argv[2] + '/{NB}', 0o664)"}
    source = inbound.parent.parent / "contoh_rilis"  # the released notebook, readable by A
    shutil.copytree(course.root / "release" / ASSIGNMENT, source, dirs_exist_ok=True)
    for p in [source, *source.rglob("*")]:
        os.chmod(p, 0o755 if p.is_dir() else 0o644)
    for folder, loosen in opened.items():
        make = ("import os, shutil, sys; shutil.copytree(sys.argv[1], sys.argv[2]); "
                "open(sys.argv[2] + '/timestamp.txt', 'w').write(sys.argv[3]); "
                "open(sys.argv[2] + '/submission_secret.txt', 'w').write('r' * 128); " + loosen)
        done = as_user(f"asn{NIP_A}", make, str(source), str(inbound / folder), stamp)
        assert done.returncode == 0, done.stderr
    result = collecting.collect(course.root, course.exchange, ASSIGNMENT)
    aside = {s.name: s for s in result.set_aside if s.name in opened}
    assert {n: s.code for n, s in aside.items()} == {n: "dapat_ditulis_akun_lain" for n in opened}
    assert not {s.name for s in result.graded} & set(opened)
    assert aside[f"{NIP_A}+{ASSIGNMENT}+{stamp}+terbuka"].detail == "folder 777"
    assert aside[f"{NIP_A}+{ASSIGNMENT}+{stamp}+grup"].detail == f"{NB} 664"
    for s in aside.values():
        assert "dapat ditulis oleh akun lain" in s.reason
        assert s.kept_at.with_name(s.kept_at.name + ".alasan.txt").read_text(encoding="utf-8").startswith(s.reason)
