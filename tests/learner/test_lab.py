"""`make lab NETRALITAS_NIP=...` started by an administrator (root): the
learner's server runs as the learner's own Linux account on their own folder
and the learner site. Each attack of issue 15 is tried from that server (file
browser API, kernel) and as a second learner's account (filesystem), and fails;
the keys are shown to be on the instructor side, so the scans are not vacuous."""
from __future__ import annotations

import contextlib
import json
import os
import pwd
import shutil
import signal
import subprocess
import sys
import tempfile
from pathlib import Path

import pytest

from netralitas import paths
from netralitas.accounts import account_name
from netralitas.testing.hub import HubUser, pids_of_uid

pytestmark = pytest.mark.slow

# Invented learners: NIPs whose birth date cannot exist (month 13, month 00).
NIP_A, NIP_B = "196513002000011003", "199000002015011004"
QUIZ = "kuis_02"


class LabClient(HubUser):
    """HubUser's kernel and contents calls against a plain server with a token."""

    def __init__(self, server):
        import requests

        self.base, self.token, self.timeout = server.base, server.token, 60
        self.name = "peserta"
        self.http = requests.Session()

    def url(self, path: str) -> str:
        return f"{self.base}/{path.lstrip('/')}"


@pytest.fixture(scope="module")
def lab(tmp_path_factory):
    from netralitas.grading.course import Course
    from netralitas.server import prepare_learner_lab, start_learner_lab

    from netralitas.testing.hub import HUB_PYTHON

    if os.geteuid() != 0 or not shutil.which("useradd") or not HUB_PYTHON.exists():
        if os.environ.get("CI"):
            pytest.fail("CI runs as root with make hub-deps: the learner lab must be tested with real accounts")
        pytest.skip("needs root, useradd and hub/.venv (make hub-deps)")
    base = Path(tempfile.mkdtemp(prefix="netralitas-lab-"))
    os.chmod(base, 0o711)
    course = Course.init(tmp_path_factory.mktemp("kursus"), exchange=base / "exchange")
    course.publish(QUIZ)
    os.chmod(base / "exchange", 0o1777)
    server = None
    try:
        learner = prepare_learner_lab(NIP_A, course, lab_dir=base, log=lambda *_: None)
        other = prepare_learner_lab(NIP_B, course, lab_dir=base, log=lambda *_: None)
        server = start_learner_lab(learner)
        yield {"server": server, "learner": learner, "other": other, "course": course, "base": base,
               "client": LabClient(server)}
    finally:
        if server is not None:
            server.stop()
        for nip in (NIP_A, NIP_B):
            with contextlib.suppress(KeyError):
                uid = pwd.getpwnam(account_name(nip)).pw_uid
                for pid in pids_of_uid(uid):
                    with contextlib.suppress(ProcessLookupError):
                        os.kill(pid, signal.SIGKILL)
                subprocess.run(["userdel", "--remove", account_name(nip)], capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def run_as(name: str, code: str, site: Path) -> str:
    entry = pwd.getpwnam(name)
    from netralitas.testing.hub import HUB_PYTHON

    proc = subprocess.run(["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--init-groups", "--",
                           str(HUB_PYTHON), "-c", code], cwd="/", capture_output=True, text=True, timeout=300,
                          env={"PATH": "/usr/bin:/bin", "HOME": entry.pw_dir, "PYTHONPATH": str(site)})
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def kernel(client):
    r = client.post("api/kernels", json={"name": "python3"})
    r.raise_for_status()
    return r.json()["id"]


def test_server_runs_as_the_learner_on_their_own_folder(lab):
    learner, client = lab["learner"], lab["client"]
    assert learner.root == Path(pwd.getpwnam(account_name(NIP_A)).pw_dir)
    assert learner.root.stat().st_mode & 0o077 == 0
    listing = {x["name"] for x in client.get("api/contents/").json()["content"]}
    assert "modules" in listing and not listing & {"quizzes", "grading", "netralitas", "hub"}
    k = kernel(client)
    out = client.execute(k, "import os, netralitas\nprint(os.getuid(), netralitas.__file__)")
    client.shutdown_kernel(k)
    uid, where = out["stdout"].split()
    assert int(uid) == pwd.getpwnam(account_name(NIP_A)).pw_uid and where.startswith(str(learner.site))


def test_learner_fetches_and_submits_through_the_exchange_as_their_account(lab):
    client = lab["client"]
    k = kernel(client)
    code = f"""
from pathlib import Path
from netralitas.learner.exchange import run_exchange
home = Path.home()
run_exchange("FetchAssignment", {QUIZ!r}, home)
run_exchange("Submit", {QUIZ!r}, home)
print(sorted(p.name for p in (home / {QUIZ!r}).iterdir()))
"""
    out = client.execute(k, code)
    client.shutdown_kernel(k)
    assert out["status"] == "ok", out
    inbound = lab["course"].exchange / paths.COURSE_ID / "inbound"
    sent = [p for p in inbound.iterdir() if p.name.startswith(f"{NIP_A}+{QUIZ}+")]
    assert len(sent) == 1 and sent[0].stat().st_uid == pwd.getpwnam(account_name(NIP_A)).pw_uid
    # the course's submit closes the folder (nbgrader's own leaves it 0777)
    assert sent[0].stat().st_mode & 0o777 == 0o755
    assert {p.stat().st_mode & 0o777 for p in sent[0].rglob("*") if p.is_file()} == {0o644}


def test_no_key_through_the_file_browser_api(lab):
    client = lab["client"]
    for path in ["%2e%2e", "%2e%2e/%2e%2e", "..%2f..", f"%2e%2e%2f{account_name(NIP_B)}"]:
        assert client.get(f"api/contents/{path}").status_code in (400, 403, 404), path
    k = kernel(client)
    links = {"bank": paths.QUIZ_BANK_DIR, "sumber": paths.QUIZ_SOURCE_DIR, "kursus": lab["course"].root,
             "lain": lab["other"].root}
    code = "import os\n" + "".join(f"os.symlink({str(t)!r}, os.path.expanduser('~/{n}'))\n" for n, t in links.items())
    assert client.execute(k, code)["status"] == "ok"
    client.shutdown_kernel(k)
    for target in [f"bank/{QUIZ}.yaml", f"sumber/{QUIZ}/{QUIZ}.ipynb", "kursus/gradebook.db", "bank", "lain"]:
        r = client.get(f"api/contents/{target}", params={"content": "1"})
        assert r.status_code >= 400, (target, r.status_code, r.text[:200])


def test_no_key_through_an_import_in_the_learners_kernel(lab):
    client = lab["client"]
    k = kernel(client)
    code = f"""
def attempt(label, fn):
    try:
        fn(); print(label, "TERBACA")
    except (ImportError, OSError):
        print(label, "DITOLAK")
def grading():
    import netralitas.grading.course
attempt("impor_penilaian", grading)
from netralitas.content.loader import default_bank, load_quiz_items
attempt("bank_bawaan", lambda: load_quiz_items({QUIZ!r}, default_bank()))
attempt("bank_checkout", lambda: load_quiz_items({QUIZ!r}, default_bank(), {str(paths.QUIZ_BANK_DIR)!r}))
attempt("sumber", lambda: open({str(paths.QUIZ_SOURCE_DIR / QUIZ / (QUIZ + '.ipynb'))!r}).read())
attempt("gradebook", lambda: open({str(lab['course'].root / 'gradebook.db')!r}, "rb").read())
attempt("git", lambda: open({str(paths.REPO_ROOT / '.git')!r}, "rb").read())
attempt("peserta_lain", lambda: open({str(lab['other'].root / 'nbgrader_config.py')!r}).read())
"""
    out = client.execute(k, code)
    client.shutdown_kernel(k)
    assert out["status"] == "ok", out
    lines = dict(line.split(" ", 1) for line in out["stdout"].strip().splitlines())
    assert set(lines.values()) == {"DITOLAK"}, lines


SCAN = """
import json, os, sys
roots, markers, skip = json.loads(sys.argv[1]), json.loads(sys.argv[2]), set(json.loads(sys.argv[3]))
hits, readable = [], 0
for root in roots:
    for folder, dirs, files in os.walk(root):
        dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip]
        for name in files:
            try:
                with open(os.path.join(folder, name), "rb") as fh:
                    data = fh.read(4_000_000)
            except OSError:
                continue
            readable += 1
            hits += [[os.path.join(folder, name), m] for m in markers if m.encode() in data]
print(json.dumps({"hits": hits, "readable": readable}))
"""


def test_filesystem_scan_as_another_learner_finds_no_key_and_root_does(lab, all_quiz_items):
    """A second learner's account walks the checkout, the lab folder and /home:
    no hidden test, no quiz item of the bank, and the first learner's answers
    stay unreadable; root's scan of the same places finds the keys."""
    markers = ["BEGIN HIDDEN TESTS", "score_item(", *sorted({f"id: {i.id}" for i in all_quiz_items})]
    roots = [str(paths.REPO_ROOT), str(lab["base"]), "/home", str(paths.QUIZZES_DIR), str(paths.GRADING_DIR),
             str(lab["learner"].root)]
    # third-party environments (the learner's .venv holds no netralitas file but an
    # editable-install pointer, which the learner site switches off) and git's packed objects
    skip = [str(paths.REPO_ROOT / d) for d in (".venv", "hub/.venv", "hub/node_modules", ".git")]
    code = f"import sys\nsys.argv[1:] = [{json.dumps(json.dumps(roots))}, {json.dumps(json.dumps(markers))}, " \
           f"{json.dumps(json.dumps(skip))}]\n" + SCAN
    seen = json.loads(run_as(account_name(NIP_B), code, lab["other"].site))
    assert seen["hits"] == [] and seen["readable"] > 10, seen
    assert not [p for p, _ in seen["hits"] if str(lab["learner"].root) in p]
    probe = f"import os\ntry:\n    os.listdir({str(lab['learner'].root)!r}); print('TERBACA')\n" \
            "except PermissionError:\n    print('DITOLAK')\n"
    assert run_as(account_name(NIP_B), probe, lab["other"].site).strip() == "DITOLAK"
    # not vacuous: the same markers are there, for root
    theirs = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    found = {m for _, m in json.loads(theirs)["hits"]}
    assert {"BEGIN HIDDEN TESTS", "score_item("} <= found and len(found) > 10
