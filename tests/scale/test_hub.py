"""The course's JupyterHub, started for real on 127.0.0.1 with real Linux
accounts: each learner signs in with their own code, gets their own server in
Bahasa Indonesia on the learner runtime only, and every attack a curious
learner tries (issue 15) fails, while the keys are shown to be there on the
instructor side, so the scans are not vacuous."""
from __future__ import annotations

import json
import os
import pwd
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from netralitas import paths
from netralitas.testing.hub import HubError, HubUnavailable, HubUser, LocalHub, hub_username

pytestmark = pytest.mark.slow

# Invented learners: NIPs whose birth date cannot exist (month 13, month 00).
LEARNER_A, LEARNER_B = "197013002000011001", "198500002010022002"
INSTRUCTOR = "instrukturuji"
QUIZ = "kuis_02"


@pytest.fixture(scope="module")
def hub():
    try:
        server = LocalHub([LEARNER_A, LEARNER_B], instructor=INSTRUCTOR, quizzes=QUIZ)
    except HubUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{exc}; CI must test the hub")
        pytest.skip(f"JupyterHub test skipped: {exc}")
    with server:
        # the instructor makes the verification (signing) key, in their own home
        as_user(server, INSTRUCTOR, "from netralitas.report.codes import create_key\ncreate_key()\n",
                site="instructor")
        yield server


def as_user(hub, name: str, code: str, site: str = "learner") -> str:
    """Run Python as that Linux account (setpriv: its uid, gid and groups
    only), with the hub's interpreter and the given side's package."""
    entry = pwd.getpwnam(name)
    env = {"PATH": "/usr/bin:/bin", "HOME": entry.pw_dir, "LANG": "C.UTF-8",
           "PYTHONPATH": str(hub.layout.learner_site if site == "learner" else hub.layout.instructor_site)}
    proc = subprocess.run(["setpriv", f"--reuid={entry.pw_uid}", f"--regid={entry.pw_gid}", "--init-groups",
                           "--", str(hub_python()), "-c", code], env=env, cwd="/", capture_output=True,
                          text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout


def hub_python():
    from netralitas.testing.hub import HUB_PYTHON

    return HUB_PYTHON


def signed_in(hub, nip: str) -> HubUser:
    user = HubUser(hub.url, nip, hub.code(nip))
    user.log_in()
    user.start_server()
    return user


@pytest.fixture(scope="module")
def learner_a(hub):
    return signed_in(hub, LEARNER_A)


@pytest.fixture(scope="module")
def learner_b(hub):
    return signed_in(hub, LEARNER_B)


@pytest.fixture(scope="module")
def secrets_present(hub):
    """Every secret the attacks look for, read as root/instructor first."""
    course = hub.layout.course
    found = {
        "gradebook": course / "gradebook.db",
        "rahasia": Path(pwd.getpwnam(INSTRUCTOR).pw_dir) / ".config" / "netralitas" / "kunci_verifikasi",
        "kode_masuk": hub.layout.codes_file,
        "sumber": hub.layout.instructor_dir / "sumber" / QUIZ / f"{QUIZ}.ipynb",
        "bank": paths.QUIZ_BANK_DIR / f"{QUIZ}.yaml",
        "hub_db": hub.state / "jupyterhub.sqlite",
        "cookie": hub.state / "jupyterhub_cookie_secret",
    }
    for label, path in found.items():
        assert path.is_file() and path.stat().st_size > 0, label
    return found


# Walk and read every file this account can open; report the markers found.
SCAN = textwrap.dedent("""
    import json, os, sys
    roots, markers = json.loads(sys.argv[1]), json.loads(sys.argv[2])
    skip = set(json.loads(sys.argv[3]))
    hits, readable = [], 0
    for root in roots:
        for folder, dirs, files in os.walk(root):
            dirs[:] = [d for d in dirs if os.path.join(folder, d) not in skip]
            for name in files:
                path = os.path.join(folder, name)
                try:
                    with open(path, "rb") as fh:
                        data = fh.read(4_000_000)
                except OSError:
                    continue
                readable += 1
                hits += [[path, m] for m in markers if m.encode() in data]
    print(json.dumps({"hits": hits, "readable": readable}))
""")


def key_markers(all_quiz_items, secrets_present) -> list[str]:
    """A quiz item in the bank ("id: K02-01"; released quizzes carry the ids,
    never this line), hidden tests, the signing key."""
    secret = secrets_present["rahasia"].read_text(encoding="utf-8").strip()[:32]
    return ["BEGIN HIDDEN TESTS", "score_item(", *sorted({f"id: {i.id}" for i in all_quiz_items}), secret]


def scan(hub, name: str, markers: list[str], site: str = "learner") -> dict:
    # what a learner can list, and the folders they can only traverse or not enter
    roots = [str(paths.REPO_ROOT), str(hub.state), "/home", str(hub.layout.learner_site), str(hub.exchange),
             str(hub.layout.instructor_dir), str(hub.layout.course), str(paths.QUIZZES_DIR),
             str(paths.GRADING_DIR), str(paths.REPO_ROOT / ".git"), str(paths.REPO_ROOT / "var")]
    skip = [str(paths.REPO_ROOT / "hub" / ".venv")]  # third-party packages only (checked below)
    code = f"import sys\nsys.argv[1:] = [{json.dumps(json.dumps(roots))}, {json.dumps(json.dumps(markers))}, " \
           f"{json.dumps(json.dumps(skip))}]\n" + SCAN
    return json.loads(as_user(hub, name, code, site=site).strip().splitlines()[-1])


# ------------------------------------------------------------- signing in

def test_wrong_code_is_refused(hub):
    with pytest.raises(HubError, match="login"):
        HubUser(hub.url, LEARNER_A, "salah-sandi-123").log_in()


def test_no_one_signs_in_as_another_nip(hub):
    """B's own code opens B's account only; there is no shared password."""
    with pytest.raises(HubError, match="login"):
        HubUser(hub.url, LEARNER_A, hub.code(LEARNER_B)).log_in()
    with pytest.raises(HubError, match="login"):
        HubUser(hub.url, f"asn{LEARNER_A}", hub.code(LEARNER_B)).log_in()
    assert hub.code(LEARNER_A) != hub.code(LEARNER_B)
    assert "NETRALITAS_HUB_PASSWORD" not in hub.env
    # the codes are never printed by make hub; only where HR finds them (root's file)
    assert hub.code(LEARNER_A) not in hub.setup_output and LEARNER_A not in hub.setup_output
    assert hub.layout.codes_file.stat().st_mode & 0o077 == 0


def test_learner_gets_own_server_in_indonesian(learner_a):
    assert learner_a.name == hub_username(LEARNER_A)
    assert pwd.getpwnam(learner_a.name).pw_uid != 0  # a Linux user of their own
    assert learner_a.get("api/status").status_code == 200
    listing = learner_a.get("api/contents/modules").json()
    assert any(x["name"].endswith(".ipynb") for x in listing["content"])
    # the Assignments panel is there, the instructors' formgrader is not
    assert learner_a.get("assignments", params={"course_id": paths.COURSE_ID}).status_code == 200
    assert learner_a.get("formgrader").status_code == 404
    config = json.loads((paths.REPO_ROOT / "hub" / "peserta" / "labconfig" / "page_config.json").read_text())
    assert config["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True


def test_learner_lands_on_the_course_home(learner_a):
    """After signing in, the server's root sends the learner to the Voila
    course home (as `make lab` with a NIP does), not to JupyterLab."""
    from urllib.parse import urlsplit

    from netralitas.server import HOME_URL

    r = learner_a.get("", allow_redirects=False)
    assert r.status_code in (301, 302, 303, 307), r.status_code
    # The server keeps the (empty) query string: "...00_beranda.ipynb?".
    assert urlsplit(r.headers["Location"]).path.endswith(HOME_URL), r.headers["Location"]
    page = learner_a.get(HOME_URL.lstrip("/"))
    assert page.status_code == 200, page.status_code


LAB_PATHS = ["lab", "lab/tree/modules", "lab/tree/modules/00_beranda.ipynb", "tree", "tree/modules",
             "notebooks/modules/00_beranda.ipynb", "edit/modules", "terminals/1", "lab/api/settings",
             "lab/workspaces", "lsp/status"]


def test_learner_who_types_lab_or_tree_gets_back_to_the_home(learner_a):
    """No JupyterLab, Notebook, language server or terminal on a learner's
    server: any such address answers an Indonesian page that leads (and, after
    3 s, sends) the learner to the course home, with no developer word. (The
    home itself renders: test_learner_lands_on_the_course_home.)"""
    import re

    from netralitas.server import HOME_URL

    home = f"/user/{learner_a.name}{HOME_URL}"
    for path in LAB_PATHS:
        r = learner_a.get(path, allow_redirects=True)
        assert r.status_code == 404, (path, r.status_code)
        assert "Halaman ini tidak tersedia" in r.text and "Buka Beranda Kursus" in r.text, (path, r.text[:500])
        assert f'href="{home}"' in r.text and f"url={home}" in r.text, path
        visible = re.sub(r"<[^>]+>", " ", re.sub(r"<(style|head)>.*?</\1>", " ", r.text, flags=re.S))
        assert not [w for w in ("JupyterLab", "Jupyter", "Notebook", "Not Found", "404", "Kernel", "Terminal")
                    if w in visible], (path, visible)


def test_instructor_gets_formgrader_on_the_private_course(hub, secrets_present):
    """The instructor's server runs their own full package on the course folder
    only they can read: formgrader answers, and their kernel reads the gradebook."""
    user = HubUser(hub.url, INSTRUCTOR, hub.code(INSTRUCTOR))
    user.log_in()
    user.start_server()
    assert user.get("formgrader").status_code == 200
    assert user.get("lab").status_code == 200  # instructors keep JupyterLab
    k = kernel(user)
    code = f"""
import netralitas.grading.course as course
from nbgrader.api import Gradebook
from netralitas.grading.course import Course
c = Course(__import__("pathlib").Path({str(hub.layout.course)!r}))
with Gradebook(c.db_url(), course_id="netralitas-asn") as gb:
    print(course.__file__.startswith({str(hub.layout.instructor_site)!r}), [a.name for a in gb.assignments])
"""
    out = user.execute(k, code)
    user.shutdown_kernel(k)
    assert out["status"] == "ok", out
    assert out["stdout"].split() == ["True", f"['{QUIZ}']"]
    user.stop_server()


# ------------------------------------------------------------- the attacks

def kernel(user):
    r = user.post("api/kernels", json={"name": "python3"})
    r.raise_for_status()
    return r.json()["id"]


def test_learner_kernel_runs_the_learner_runtime_and_reaches_no_key(hub, learner_a):
    """In the learner's kernel: the package is the learner site's, grading code
    is not importable, the bank loader finds no key, the checkout's bank and
    the instructor's sources cannot be opened; no database URL in sight."""
    k = kernel(learner_a)
    code = f"""
import os, sys
import netralitas, netralitas.learner.widgets
print("paket", netralitas.__file__.startswith({str(hub.layout.learner_site)!r}))
def attempt(label, fn):
    try:
        fn(); print(label, "TERBACA")
    except (ImportError, OSError) as exc:
        print(label, "DITOLAK")
def grading():
    import netralitas.grading.course
attempt("impor_penilaian", grading)
from netralitas.content.loader import default_bank, load_quiz_items
attempt("bank_bawaan", lambda: load_quiz_items({QUIZ!r}, default_bank()))
attempt("bank_checkout", lambda: load_quiz_items({QUIZ!r}, default_bank(), {str(paths.QUIZ_BANK_DIR)!r}))
attempt("sumber", lambda: open({str(hub.layout.instructor_dir / 'sumber' / QUIZ / (QUIZ + '.ipynb'))!r}).read())
attempt("gradebook", lambda: open({str(hub.layout.course / 'gradebook.db')!r}, "rb").read())
print("instruktur", [m for m in sys.modules if m.startswith(("netralitas.grading", "netralitas.report"))] == [])
print("rahasia_env", any("DB_URL" in k or "PASSWORD" in k or "HUB_COURSE" in k and v for k, v in os.environ.items()))
"""
    out = learner_a.execute(k, code)
    learner_a.shutdown_kernel(k)
    assert out["status"] == "ok", out
    lines = dict(line.split(" ", 1) for line in out["stdout"].strip().splitlines())
    assert lines == {"paket": "True", "impor_penilaian": "DITOLAK", "bank_bawaan": "DITOLAK",
                     "bank_checkout": "DITOLAK", "sumber": "DITOLAK", "gradebook": "DITOLAK",
                     "instruktur": "True", "rahasia_env": "False"}


def test_contents_api_reaches_no_key(hub, learner_a, secrets_present):
    """Through the file browser's API: nothing above the learner's home, and a
    symlink the learner's kernel plants towards a key leads nowhere."""
    # (a client collapses a literal "..": these reach the server as written)
    for path in ["%2e%2e", "%2e%2e/%2e%2e", "..%2f..", f"%2e%2e%2f{hub_username(LEARNER_B)}"]:
        r = learner_a.get(f"api/contents/{path}")
        assert r.status_code in (400, 403, 404), (path, r.status_code)
    k = kernel(learner_a)
    links = {"bank": secrets_present["bank"].parent, "kursus": hub.layout.course,
             "kunci": secrets_present["rahasia"].parent,
             "sumber": secrets_present["sumber"].parent, "rahasia": hub.layout.codes_file.parent}
    code = "import os\n" + "".join(f"os.symlink({str(t)!r}, os.path.expanduser('~/{n}'))\n" for n, t in links.items())
    assert learner_a.execute(k, code)["status"] == "ok"
    learner_a.shutdown_kernel(k)
    for target in [f"bank/{QUIZ}.yaml", "kursus/gradebook.db", "kunci/kunci_verifikasi", f"sumber/{QUIZ}.ipynb",
                   "rahasia/kode_masuk.csv", "kursus", "bank"]:
        r = learner_a.get(f"api/contents/{target}", params={"content": "1"})
        assert r.status_code >= 400, (target, r.status_code, r.text[:200])


def test_filesystem_scan_as_a_learner_finds_no_key_and_the_instructor_does(hub, learner_a, learner_b,
                                                                           all_quiz_items, secrets_present):
    """Every file a learner's account can open (checkout, hub state, homes,
    /tmp): no hidden test, no quiz item id, no signing key. The same scan as
    the instructor and as root finds them, so it is not vacuous."""
    markers = key_markers(all_quiz_items, secrets_present)
    seen = scan(hub, hub_username(LEARNER_B), markers)
    assert seen["hits"] == [] and seen["readable"] > 20, seen
    instructor = scan(hub, INSTRUCTOR, markers, site="instructor")
    assert {m for _, m in instructor["hits"]} >= {"BEGIN HIDDEN TESTS", markers[-1]}
    assert any(str(hub.layout.course) in p for p, _ in instructor["hits"])
    assert any(str(secrets_present["rahasia"]) == p for p, _ in instructor["hits"])
    # the checkout's bank is there (root), just closed to learners and instructors alike
    assert all(i.id in secrets_present["bank"].read_text(encoding="utf-8")
               for i in all_quiz_items if i.id.startswith("K02"))
    # the hub's environment (skipped above) holds third-party packages, no netralitas
    site_packages = list((paths.REPO_ROOT / "hub" / ".venv" / "lib").glob("python3*/site-packages"))
    assert site_packages and not list(site_packages[0].glob("netralitas*"))
    assert not list(site_packages[0].glob("__editable__*netralitas*"))


def test_gradebook_signing_key_and_codes_are_unreadable_to_learners(hub, learner_b, secrets_present):
    probe = "import json, sys\nout = {}\nfor label, path in json.loads(sys.argv[1]).items():\n" \
            "    try:\n        open(path, 'rb').read(1); out[label] = 'TERBACA'\n" \
            "    except OSError:\n        out[label] = 'DITOLAK'\nprint(json.dumps(out))\n"
    targets = {k: str(v) for k, v in secrets_present.items()}
    code = f"import sys\nsys.argv[1:] = [{json.dumps(json.dumps(targets))}]\n" + probe
    assert json.loads(as_user(hub, hub_username(LEARNER_B), code)) == {k: "DITOLAK" for k in targets}
    # the instructor reads their own course's gradebook and key
    mine = {k: targets[k] for k in ("gradebook", "rahasia", "sumber")}
    code = f"import sys\nsys.argv[1:] = [{json.dumps(json.dumps(mine))}]\n" + probe
    assert json.loads(as_user(hub, INSTRUCTOR, code, site="instructor")) == {k: "TERBACA" for k in mine}
    modes = {p: oct(os.stat(p).st_mode & 0o777) for p in (hub.layout.instructor_dir, hub.layout.course)}
    assert all(m == "0o700" for m in modes.values()), modes


def test_other_learner_cannot_read_a_submission(hub, learner_a, learner_b):
    learner_a.assignment_action("fetch", QUIZ)
    learner_a.assignment_action("submit", QUIZ)
    inbound = hub.exchange / paths.COURSE_ID / "inbound"
    sent = [p for p in inbound.iterdir() if p.name.startswith(f"{LEARNER_A}+{QUIZ}+")]
    assert len(sent) == 1 and sent[0].stat().st_uid == pwd.getpwnam(learner_a.name).pw_uid
    # the Assignments panel's submit is the course's (learner/submit.py): nbgrader's own leaves it 0777
    assert {oct(p.lstat().st_mode & 0o777) for p in [sent[0], *sent[0].rglob("*")]
            if p.is_dir()} == {"0o755"}
    assert {oct(p.lstat().st_mode & 0o777) for p in sent[0].rglob("*") if p.is_file()} == {"0o644"}
    # the course's exchange folders are the instructor's own release, never chowned
    assert (hub.exchange / paths.COURSE_ID).stat().st_uid == pwd.getpwnam(INSTRUCTOR).pw_uid

    k = kernel(learner_b)
    home_a = pwd.getpwnam(learner_a.name).pw_dir
    code = f"""
import glob, os
def attempt(label, fn):
    try:
        fn(); print(label, "TERBACA")
    except PermissionError:
        print(label, "DITOLAK")
attempt("inbound", lambda: os.listdir({str(inbound)!r}))
attempt("home", lambda: os.listdir({home_a!r}))
attempt("salinan", lambda: open({home_a + f'/{QUIZ}/{QUIZ}.ipynb'!r}).read())
attempt("jawaban", lambda: open({home_a + f'/{QUIZ}/jawaban.json'!r}).read())
print("glob", len(glob.glob({str(inbound) + '/*'!r})))
attempt("tambah", lambda: open({str(sent[0]) + '/tambahan.txt'!r}, "w").write("x"))
attempt("hapus", lambda: os.unlink({str(sent[0]) + f'/{QUIZ}.ipynb'!r}))
print("whoami", os.getuid())
"""
    out = learner_b.execute(k, code)
    learner_b.shutdown_kernel(k)
    assert out["status"] == "ok", out
    lines = dict(line.split(" ", 1) for line in out["stdout"].strip().splitlines())
    assert lines == {"inbound": "DITOLAK", "home": "DITOLAK", "salinan": "DITOLAK", "jawaban": "DITOLAK",
                     "tambah": "DITOLAK", "hapus": "DITOLAK", "glob": "0",
                     "whoami": str(pwd.getpwnam(learner_b.name).pw_uid)}


def test_a_submission_in_another_nips_name_is_set_aside(hub, learner_a, learner_b):
    """B writes into inbound under A's NIP (a well-formed folder with its own
    answers, and a symlink to B's folder): the instructor's collect counts only
    A's genuine submission and sets both forgeries aside for their owner."""
    from netralitas.accounts import account_name

    inbound = hub.exchange / paths.COURSE_ID / "inbound"
    genuine = [p.name for p in inbound.iterdir() if p.name.startswith(f"{LEARNER_A}+{QUIZ}+")
               and p.stat().st_uid == pwd.getpwnam(account_name(LEARNER_A)).pw_uid]
    assert len(genuine) == 1  # made by test_other_learner_cannot_read_a_submission
    outbound = hub.exchange / paths.COURSE_ID / "outbound" / QUIZ / f"{QUIZ}.ipynb"
    k = kernel(learner_b)
    code = f"""
import json, os, shutil, secrets
from datetime import datetime, timezone
stamp = datetime.now(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f UTC")
forged = os.path.join({str(inbound)!r}, f"{LEARNER_A}+{QUIZ}+{{stamp}}+palsu")
os.mkdir(forged)
shutil.copy({str(outbound)!r}, os.path.join(forged, "{QUIZ}.ipynb"))
with open(os.path.join(forged, "jawaban.json"), "w") as fh:
    json.dump({{"format": "netralitas-answers/1", "answers": {{"PALSU": {{"option": "a"}}}}}}, fh)
for name, text in (("timestamp.txt", stamp), ("submission_secret.txt", secrets.token_hex(64))):
    with open(os.path.join(forged, name), "w") as fh:
        fh.write(text)
os.chmod(forged, 0o777)
mine = os.path.expanduser("~/palsu")
shutil.copytree(forged, mine)
os.symlink(mine, os.path.join({str(inbound)!r}, f"{LEARNER_A}+{QUIZ}+{{stamp}}+tautan"))
print(os.path.basename(forged))
"""
    out = learner_b.execute(k, code)
    learner_b.shutdown_kernel(k)
    assert out["status"] == "ok", out
    course = hub.layout.course
    result = as_user(hub, INSTRUCTOR, textwrap.dedent(f"""
        import json
        from pathlib import Path
        from netralitas.grading.collect import collect
        r = collect(Path({str(course)!r}), Path({str(hub.exchange)!r}), {QUIZ!r})
        print(json.dumps({{"graded": [[s.name, s.student_id] for s in r.graded],
                          "set_aside": [[a.name, a.code] for a in r.set_aside]}}))
        """), site="instructor")
    seen = json.loads(result.strip().splitlines()[-1])
    assert seen["graded"] == [[genuine[0], LEARNER_A]]
    codes = {name.rsplit("+", 1)[1]: code for name, code in seen["set_aside"]}
    assert codes == {"palsu": "pemilik_salah", "tautan": "bukan_folder"}, seen
    folder = course / "submitted" / LEARNER_A / QUIZ
    assert folder.is_dir()
    assert not [p for p in folder.rglob("*") if p.is_file() and b"PALSU" in p.read_bytes()]


def test_checkout_is_closed_except_the_hub_folder(hub):
    """What make hub changed in the checkout: others may traverse it and use hub/, nothing else."""
    repo = paths.REPO_ROOT
    assert repo.stat().st_mode & 0o007 == 0o001
    for entry in repo.iterdir():
        if entry.name != "hub" and not entry.is_symlink():
            assert entry.stat().st_mode & 0o007 == 0, entry
    assert sys.executable  # the test process itself (root) still reads everything
    assert (repo / "quizzes" / "bank").is_dir()
