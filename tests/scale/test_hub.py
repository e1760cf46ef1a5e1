"""The course's JupyterHub, started for real on 127.0.0.1: a learner logs in,
gets their own server in Bahasa Indonesia with the Assignments panel and no
formgrader, submits; another learner cannot read that submission."""
from __future__ import annotations

import json
import os
import pwd

import pytest

from netralitas import paths
from netralitas.hub import HubUnavailable, HubUser, LocalHub, hub_username

pytestmark = pytest.mark.slow

LEARNER_A, LEARNER_B = "197001012000011001", "198502022010022002"


@pytest.fixture(scope="module")
def hub():
    try:
        server = LocalHub([LEARNER_A, LEARNER_B])
    except HubUnavailable as exc:
        if os.environ.get("CI"):
            pytest.fail(f"{exc}; CI must test the hub")
        pytest.skip(f"JupyterHub test skipped: {exc}")
    with server:
        yield server


@pytest.fixture(scope="module")
def learner_a(hub):
    user = HubUser(hub.url, LEARNER_A, hub.password)
    user.log_in()
    user.start_server()
    return user


def test_wrong_password_is_refused(hub):
    user = HubUser(hub.url, LEARNER_A, "salah-sandi-123")
    with pytest.raises(Exception, match="login"):
        user.log_in()


def test_learner_gets_own_server_in_indonesian(learner_a):
    assert learner_a.name == hub_username(LEARNER_A)
    assert pwd.getpwnam(learner_a.name).pw_uid != 0  # a Linux user of their own
    assert learner_a.get("api/status").status_code == 200
    setting = learner_a.get("lab/api/settings/@jupyterlab/translation-extension:plugin").json()
    # the default every learner starts with (overrides.json), unless they choose otherwise
    assert setting["schema"]["properties"]["locale"]["default"] == "id_ID"
    assert setting["settings"].get("locale", "id_ID") == "id_ID"
    listing = learner_a.get("api/contents/modules").json()
    assert any(x["name"].endswith(".ipynb") for x in listing["content"])
    # the Assignments panel is there, the instructors' formgrader is not
    assert learner_a.get("assignments", params={"course_id": paths.COURSE_ID}).status_code == 200
    assert learner_a.get("formgrader").status_code == 404
    config = json.loads((paths.REPO_ROOT / "hub" / "peserta" / "labconfig" / "page_config.json").read_text())
    assert config["disabledExtensions"]["@jupyter/nbgrader:formgrader"] is True


def test_other_learner_cannot_read_a_submission(hub, learner_a):
    learner_a.assignment_action("fetch", "kuis_02")
    learner_a.assignment_action("submit", "kuis_02")
    inbound = hub.exchange / paths.COURSE_ID / "inbound"
    sent = [p for p in inbound.iterdir() if p.name.startswith(f"{LEARNER_A}+kuis_02+")]
    assert len(sent) == 1 and sent[0].stat().st_uid == pwd.getpwnam(learner_a.name).pw_uid

    b = HubUser(hub.url, LEARNER_B, hub.password)
    b.log_in()
    b.start_server()
    r = b.post("api/kernels", json={"name": "python3"})
    r.raise_for_status()
    kernel = r.json()["id"]
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
attempt("salinan", lambda: open({home_a + '/kuis_02/kuis_02.ipynb'!r}).read())
print("glob", len(glob.glob({str(inbound) + '/*'!r})))
print("whoami", os.getuid())
"""
    out = b.execute(kernel, code)
    assert out["status"] == "ok", out
    lines = dict(line.split(" ", 1) for line in out["stdout"].strip().splitlines())
    assert lines == {"inbound": "DITOLAK", "home": "DITOLAK", "salinan": "DITOLAK", "glob": "0",
                     "whoami": str(pwd.getpwnam(b.name).pw_uid)}
    b.shutdown_kernel(kernel)
