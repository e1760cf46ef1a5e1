"""Harness for the course's JupyterHub (tests/scale/test_hub.py, tests/learner/test_lab.py and the
load benchmark bench/load.py): a small HTTP client that does what a learner's browser does (log in,
start the server, open a notebook, run code in its kernel, submit) and a throwaway hub on 127.0.0.1.
The production side (hub layout, who may sign in) is netralitas/hub.py."""
from __future__ import annotations

import contextlib
import json
import os
import time
import uuid
from pathlib import Path
from urllib.parse import quote

from ..accounts import account_name
from ..paths import REPO_ROOT
from ..hub import HubLayout, hub_layout, learner_ids  # noqa: F401

hub_username = account_name

class HubError(RuntimeError):
    pass


class HubUser:
    """One person on the hub, through HTTP only."""

    def __init__(self, base_url: str, login: str, password: str, timeout: float = 60):
        import requests

        self.base = base_url.rstrip("/")
        self.login_name = login
        self.name = hub_username(login) if login[:1].isdigit() else login.lower()
        self.password = password
        self.timeout = timeout
        self.http = requests.Session()
        self.token: str | None = None

    # -- hub
    def log_in(self) -> None:
        """The login form, as a browser posts it (with the _xsrf cookie)."""
        r = self.http.get(f"{self.base}/hub/login", timeout=self.timeout)
        r.raise_for_status()
        xsrf = self.http.cookies.get("_xsrf", path="/hub/") or ""
        r = self.http.post(f"{self.base}/hub/login?next=", timeout=self.timeout, allow_redirects=False,
                           data={"username": self.login_name, "password": self.password, "_xsrf": xsrf})
        if r.status_code != 302:
            raise HubError(f"login of {self.login_name} failed: HTTP {r.status_code}")
        # an API token for this user, made with the login session (as the token page does)
        r = self.http.post(f"{self.base}/hub/api/users/{self.name}/tokens", timeout=self.timeout,
                           headers={"X-XSRFToken": self.http.cookies.get("_xsrf", path="/hub/") or xsrf},
                           json={"note": "netralitas client", "expires_in": 3600})
        r.raise_for_status()
        self.token = r.json()["token"]

    @property
    def _auth(self) -> dict:
        return {"Authorization": f"token {self.token}"}

    def start_server(self, wait_s: float = 180) -> float:
        """Start this user's server; returns seconds until it is ready."""
        t = time.monotonic()
        r = self.http.post(f"{self.base}/hub/api/users/{self.name}/server", headers=self._auth,
                           timeout=self.timeout)
        if r.status_code not in (201, 202, 400):  # 400: already running
            raise HubError(f"spawn of {self.name}: HTTP {r.status_code} {r.text[:300]}")
        while time.monotonic() - t < wait_s:
            info = self.http.get(f"{self.base}/hub/api/users/{self.name}", headers=self._auth,
                                 timeout=self.timeout).json()
            server = info.get("servers", {}).get("", {})
            if server.get("ready"):
                return time.monotonic() - t
            if not server and not info.get("pending") and time.monotonic() - t > 10:
                raise HubError(f"spawn of {self.name} failed (no server, nothing pending; see the hub log)")
            time.sleep(0.5)
        raise HubError(f"server of {self.name} not ready after {wait_s} s")

    def stop_server(self) -> None:
        self.http.delete(f"{self.base}/hub/api/users/{self.name}/server", headers=self._auth,
                         timeout=self.timeout)

    # -- the user's own server
    def url(self, path: str) -> str:
        return f"{self.base}/user/{self.name}/{path.lstrip('/')}"

    def get(self, path: str, **kw):
        return self.http.get(self.url(path), headers=self._auth, timeout=self.timeout, **kw)

    def post(self, path: str, **kw):
        return self.http.post(self.url(path), headers=self._auth, timeout=self.timeout, **kw)

    def open_notebook(self, path: str) -> tuple[dict, str]:
        """Contents API read + a session (kernel started in the notebook's
        folder), as JupyterLab does when a notebook is opened."""
        r = self.get(f"api/contents/{quote(path)}")
        r.raise_for_status()
        s = self.post("api/sessions", json={"path": path, "type": "notebook", "name": Path(path).name,
                                            "kernel": {"name": "python3"}})
        s.raise_for_status()
        return r.json()["content"], s.json()["kernel"]["id"]

    def shutdown_kernel(self, kernel_id: str) -> None:
        self.http.delete(self.url(f"api/kernels/{kernel_id}"), headers=self._auth, timeout=self.timeout)

    def execute(self, kernel_id: str, code: str, timeout: float = 120) -> dict:
        """Run code in a kernel over its websocket (Jupyter messaging v5).
        Returns {"status", "stdout", "error"}."""
        import websocket

        ws_url = self.url(f"api/kernels/{kernel_id}/channels").replace("http", "ws", 1)
        ws = websocket.create_connection(ws_url, header=[f"Authorization: token {self.token}"],
                                         timeout=timeout)
        try:
            msg_id = uuid.uuid4().hex
            ws.send(json.dumps({
                "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": self.name,
                           "session": uuid.uuid4().hex, "version": "5.3", "date": ""},
                "parent_header": {}, "metadata": {}, "channel": "shell", "buffers": [],
                "content": {"code": code, "silent": False, "store_history": False,
                            "user_expressions": {}, "allow_stdin": False, "stop_on_error": True},
            }))
            out, error, status, idle = [], "", None, False
            deadline = time.monotonic() + timeout
            while (status is None or not idle) and time.monotonic() < deadline:
                msg = json.loads(ws.recv())
                if msg.get("parent_header", {}).get("msg_id") != msg_id:
                    continue
                kind, content = msg["msg_type"], msg["content"]
                if kind == "stream":
                    out.append(content.get("text", ""))
                elif kind == "error":
                    error = f"{content.get('ename')}: {content.get('evalue')}"
                elif kind == "execute_reply":
                    status = content.get("status")
                elif kind == "status" and content.get("execution_state") == "idle":
                    idle = True
            if status is None:
                raise HubError(f"no reply from kernel {kernel_id} in {timeout} s")
            return {"status": status, "stdout": "".join(out), "error": error}
        finally:
            ws.close()

    # -- nbgrader's Assignments panel (assignment_list server extension)
    def assignment_action(self, action: str, assignment_id: str, course_id: str = "netralitas-asn"):
        # token authentication: no XSRF cookie needed (as for any API client)
        r = self.post(f"assignments/{action}", data={"assignment_id": assignment_id, "course_id": course_id})
        r.raise_for_status()
        body = r.json()
        if isinstance(body, dict) and body.get("success") is False:
            raise HubError(f"{action} {assignment_id} for {self.name}: {body.get('value', body)}")
        return body


HUB_DIR = REPO_ROOT / "hub"
HUB_PYTHON = HUB_DIR / ".venv" / "bin" / "python"
PROXY = HUB_DIR / "node_modules" / ".bin" / "configurable-http-proxy"


class HubUnavailable(RuntimeError):
    """The hub cannot run here (developers: `make hub-deps`, run as root)."""


class LocalHub:
    """The course's hub on 127.0.0.1 with free ports in a temporary state
    folder, for tests and the load benchmark: hub/siapkan.py, then JupyterHub;
    stop() ends it and removes the Linux accounts it created. Sign-in is the
    default (PAM on accounts siapkan.py creates, one code each: `code(nip)`)."""

    def __init__(self, learners: list[str], instructor: str = "instrukturuji", quizzes: str = "kuis_02",
                 extra_env: dict[str, str] | None = None):
        import shutil as _sh

        if os.geteuid() != 0:
            raise HubUnavailable("the hub creates one Linux user per learner: run as root")
        for need, hint in [(HUB_PYTHON, "hub/.venv"), (PROXY, "configurable-http-proxy")]:
            if not need.exists():
                raise HubUnavailable(f"{hint} missing ({need}); run `make hub-deps`")
        if not _sh.which("useradd"):
            raise HubUnavailable("useradd not found")
        from ..server import free_port

        self.learners, self.instructor = learners, instructor
        self.codes: dict[str, str] = {}
        self.port = free_port()
        self.state = Path(tempfile_dir())
        from ..settings import child_env

        self.env = {
            **child_env(),
            "NETRALITAS_HUB_STATE": str(self.state), "NETRALITAS_HUB_PORT": str(self.port),
            "NETRALITAS_HUB_API_PORT": str(free_port()), "NETRALITAS_HUB_PROXY_API_PORT": str(free_port()),
            "NETRALITAS_HUB_USERS": ",".join(learners),
            "NETRALITAS_HUB_INSTRUKTUR": instructor, "NETRALITAS_HUB_QUIZZES": quizzes,
            "PATH": child_env(HUB_PYTHON.parent)["PATH"],
        }
        for var in ("NETRALITAS_EXCHANGE", "NETRALITAS_DB_URL", "NETRALITAS_HUB_COURSE", "NETRALITAS_HUB_AUTH",
                    "NETRALITAS_HUB_PASSWORD", "NETRALITAS_HUB_AKUN", "NETRALITAS_HUB_ACCOUNTS", "PYTHONPATH"):
            self.env.pop(var, None)
        self.env.update(extra_env or {})
        self.proc = None
        self.log = self.state / "hub.log"

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def exchange(self) -> Path:
        return self.state / "exchange"

    @property
    def layout(self) -> HubLayout:
        return HubLayout(self.state, self.exchange, (self.instructor,))

    def code(self, login: str) -> str:
        """The personal sign-in code siapkan.py gave this NIP's (or instructor's) new account."""
        return self.codes[login if login in self.codes else account_name(login)]

    def start(self, wait_s: float = 120) -> "LocalHub":
        import subprocess

        import requests

        import csv

        done = subprocess.run([str(HUB_PYTHON), str(HUB_DIR / "siapkan.py")], env=self.env,
                              capture_output=True, text=True, timeout=600)
        self.setup_output = done.stdout + done.stderr
        if done.returncode:
            raise HubError(f"hub/siapkan.py failed: {self.setup_output[-3000:]}")
        codes = self.layout.codes_file
        if codes.exists():
            with open(codes, encoding="utf-8") as fh:
                self.codes = {row["akun"]: row["kode_masuk"] for row in csv.DictReader(fh)}
        self.proc = subprocess.Popen([str(HUB_PYTHON.parent / "jupyterhub"), "-f", str(HUB_DIR / "jupyterhub_config.py")],
                                     cwd=self.state, env=self.env, start_new_session=True,
                                     stdout=open(self.log, "w"), stderr=subprocess.STDOUT)
        t = time.monotonic()
        while time.monotonic() - t < wait_s:
            if self.proc.poll() is not None:
                raise HubError(f"JupyterHub exited: {self.log.read_text()[-3000:]}")
            try:
                if requests.get(f"{self.url}/hub/api", timeout=5).status_code == 200:
                    return self
            except requests.RequestException:
                pass
            time.sleep(0.5)
        raise HubError(f"JupyterHub not up after {wait_s} s: {self.log.read_text()[-3000:]}")

    def stop(self) -> None:
        import pwd
        import shutil as _sh
        import signal
        import subprocess

        if self.proc is not None and self.proc.poll() is None:
            self.proc.terminate()  # the hub stops user servers, proxy and culler itself
            try:
                self.proc.wait(90)
            except subprocess.TimeoutExpired:
                os.killpg(self.proc.pid, signal.SIGKILL)
                self.proc.wait(10)
        for name in [*(hub_username(x) for x in self.learners), self.instructor]:
            try:
                uid = pwd.getpwnam(name).pw_uid
            except KeyError:
                continue
            for pid in pids_of_uid(uid):  # left-overs of the accounts this hub created
                with contextlib.suppress(ProcessLookupError):
                    os.kill(pid, signal.SIGKILL)
            subprocess.run(["userdel", "--remove", name], capture_output=True)
        _sh.rmtree(self.state, ignore_errors=True)

    def __enter__(self) -> "LocalHub":
        try:
            return self.start()
        except BaseException:
            self.stop()
            raise

    def __exit__(self, *exc) -> None:
        self.stop()


def tempfile_dir() -> str:
    """A state folder the learners' Linux users can traverse (not list)."""
    import tempfile

    path = tempfile.mkdtemp(prefix="netralitas-hub-")
    os.chmod(path, 0o711)
    return path


def pids_of_uid(uid: int) -> list[int]:
    pids = []
    for proc in Path("/proc").iterdir():
        if proc.name.isdigit():
            with contextlib.suppress(OSError):
                if proc.stat().st_uid == uid:
                    pids.append(int(proc.name))
    return pids


def rss_bytes(pids: list[int]) -> int:
    """Resident memory of these processes (VmRSS from /proc)."""
    total = 0
    for pid in pids:
        with contextlib.suppress(OSError):
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    total += int(line.split()[1]) * 1024
    return total
