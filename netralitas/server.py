"""Start JupyterLab on a course, for `netralitas lab` and the browser tests.

One place decides how the learners' server runs: which folder it shows,
which nbgrader course and exchange its Assignments panel talks to, which
learner id (NIP) submits, and that its interface is in Bahasa Indonesia.
The tests start exactly this server in a temporary folder, so what they
prove is what `make lab` gives a learner.
"""
from __future__ import annotations

import contextlib
import json
import os
import secrets
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

from . import paths

READY_TIMEOUT_S = 90
# Our prebuilt JupyterLab extension(s): learner notebooks run by themselves on open.
LABEXTENSIONS = paths.PACKAGE_DIR / "labextension"


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def use_indonesian_ui() -> None:
    """Learners read Bahasa Indonesia: make the id_ID language pack the default
    for this environment's JupyterLab (a user's own choice still wins)."""
    settings = Path(sys.prefix) / "share" / "jupyter" / "lab" / "settings" / "overrides.json"
    data = json.loads(settings.read_text(encoding="utf-8")) if settings.exists() else {}
    before = json.dumps(data, sort_keys=True)
    data.setdefault("@jupyterlab/translation-extension:plugin", {})["locale"] = "id_ID"
    # No pop-ups asking about news or updates: they confuse first-time users
    # and need a network the training room may not have.
    data.setdefault("@jupyterlab/apputils-extension:notification", {}).update(
        {"fetchNews": "false", "checkForUpdates": False})
    if json.dumps(data, sort_keys=True) != before:  # two servers starting at once write the same
        from .files import atomic_write

        atomic_write(settings, json.dumps(data, indent=2), mode=0o644)
    # every learner's server reads the defaults (on the hub: other accounts)
    for path, mode in ((settings.parent, 0o755), (settings, 0o644)):
        if path.exists() and path.stat().st_mode & 0o055 != mode & 0o055:
            os.chmod(path, mode)


def publish_stale(course, source_dir: Path = paths.QUIZ_SOURCE_DIR, log=print) -> list[str]:
    """Release every quiz whose released copy is missing or older than its source."""
    from .grading.course import Course

    course = course if isinstance(course, Course) else Course(Path(course))
    course.exchange.mkdir(exist_ok=True)
    os.chmod(course.exchange, 0o777)
    published = []
    for source in sorted(p for p in Path(source_dir).iterdir() if p.is_dir()):
        released = course.exchange / paths.COURSE_ID / "outbound" / source.name / f"{source.name}.ipynb"
        notebook = source / f"{source.name}.ipynb"
        if not released.exists() or released.stat().st_mtime < notebook.stat().st_mtime:
            log(f"Merilis {source.name} ...")
            course.publish(source.name)
            published.append(source.name)
    return published


# nbgrader's instructor panels, hidden when the server belongs to one learner:
# a first-time learner otherwise meets "Create Assignment" and "Formgrader".
INSTRUCTOR_PLUGINS = ["@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:formgrader",
                      "@jupyter/nbgrader:course-list"]
# The Launcher tab (Notebook, Console, Terminal, ...) is the first thing JupyterLab
# shows; a learner has nothing to start there and a terminal to wander into.
LEARNER_HIDDEN_PLUGINS = [*INSTRUCTOR_PLUGINS, "@jupyterlab/launcher-extension:plugin"]


def learner_config_dir(where: Path) -> Path:
    """A Jupyter config folder whose page_config hides the instructor panels and the Launcher."""
    page_config = Path(where) / "labconfig" / "page_config.json"
    page_config.parent.mkdir(parents=True, exist_ok=True)
    page_config.write_text(json.dumps({"disabledExtensions": {p: True for p in LEARNER_HIDDEN_PLUGINS}}, indent=2),
                           encoding="utf-8")
    return Path(where)


def lab_env(course_root: Path, nip: str | None = None, home: Path | None = None) -> dict[str, str]:
    """Environment of the learners' server (and so of every kernel it starts).

    nip: the learner this server belongs to (fetch/submit id); their server
    shows no instructor panels and no Launcher. home: a private folder for Jupyter's own state
    (settings, workspaces, nbgrader's submission cache, runtime files); None
    keeps the user's own.
    """
    from .settings import child_env

    env = child_env(Path(sys.executable).parent)
    # The nbgrader extensions and the in-notebook submit button read the
    # course's nbgrader_config.py through this path.
    config_path = [str(Path(course_root).resolve())]
    nip = nip or env.get("NETRALITAS_NIP")
    if nip:
        env["NETRALITAS_NIP"] = nip
        where = Path(home) / "peserta" if home is not None else paths.REPO_ROOT / "var" / "jupyter_peserta"
        config_path.append(str(learner_config_dir(where)))
    env["JUPYTER_CONFIG_PATH"] = os.pathsep.join(filter(None, [*config_path, env.get("JUPYTER_CONFIG_PATH")]))
    if home is not None:
        for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                         ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
            (Path(home) / sub).mkdir(parents=True, exist_ok=True)
            env[var] = str(Path(home) / sub)
    env.setdefault("PYTHONUNBUFFERED", "1")
    return env


# A learner's landing page (learner/home.py), rendered by Voila inside the same server.
HOME_URL = "/voila/render/modules/00_beranda.ipynb"


def lab_command(root: Path, default_url: str = "/lab/tree/modules", port: int | None = None,
                token: str | None = None, extra: list[str] = ()) -> list[str]:
    cmd = [sys.executable, "-m", "jupyter", "lab", f"--notebook-dir={Path(root).resolve()}",
           f"--ServerApp.default_url={default_url}",
           # LabServerApp: both JupyterLab and the Notebook interface (/notebooks/...) load it.
           f"--LabServerApp.extra_labextensions_path={LABEXTENSIONS}"]
    if port is not None:
        cmd += ["--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
                "--ServerApp.open_browser=False"]
    if token is not None:
        cmd.append(f"--IdentityProvider.token={token}")
    cmd += list(extra)
    if hasattr(os, "geteuid") and os.geteuid() == 0 and "--allow-root" not in cmd:
        cmd.append("--allow-root")  # containers and training laptops often run as root
    return cmd


@dataclass
class LabServer:
    """A running JupyterLab on 127.0.0.1."""
    root: Path
    course_root: Path
    port: int
    token: str
    proc: subprocess.Popen
    log_path: Path
    env: dict = field(repr=False, default_factory=dict)

    @property
    def base(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def url(self, path: str = "/lab", **query: str) -> str:
        q = "&".join([f"token={self.token}", *(f"{k}={v}" if v else k for k, v in query.items())])
        return f"{self.base}{path}{'&' if '?' in path else '?'}{q}"

    def request(self, method: str, path: str, body: dict | None = None) -> dict | list | None:
        data = json.dumps(body).encode() if body is not None else None
        req = urllib.request.Request(self.base + path, data=data, method=method,
                                     headers={"Authorization": f"token {self.token}"})
        with urllib.request.urlopen(req, timeout=10) as r:
            text = r.read().decode()
        return json.loads(text) if text else None

    def api(self, path: str) -> dict | list:
        return self.request("GET", path)

    def log(self) -> str:
        return self.log_path.read_text(encoding="utf-8", errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()  # jupyter shuts its kernels down on SIGTERM
            try:
                self.proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=10)


def start_lab(root: Path, course_root: Path, nip: str | None = None, home: Path | None = None,
              default_url: str = "/lab/tree/modules", timeout: float = READY_TIMEOUT_S,
              extra_env: dict[str, str] | None = None) -> LabServer:
    """Start JupyterLab on `root` for the course in `course_root` and wait until
    it answers. The caller stops it (LabServer.stop, or use `running_lab`).
    The same server renders notebooks as apps under /voila/render/<path>."""
    root, course_root = Path(root).resolve(), Path(course_root).resolve()
    use_indonesian_ui()
    port, token = free_port(), secrets.token_hex(16)
    log_path = (Path(home) if home else root) / f"jupyterlab-{port}.log"
    env = {**lab_env(course_root, nip, home), **(extra_env or {})}
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(lab_command(root, default_url, port, token), cwd=root, env=env,
                                stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    return _when_ready(LabServer(root, course_root, port, token, proc, log_path, env), timeout)


def _when_ready(server: LabServer, timeout: float) -> LabServer:
    """Wait until the server answers; its log in the error when it does not."""
    deadline = time.monotonic() + timeout
    while True:
        if server.proc.poll() is not None:
            raise RuntimeError(f"JupyterLab exited with {server.proc.returncode}:\n{server.log()[-4000:]}")
        try:
            server.api("/api/status")
            return server
        except (urllib.error.URLError, ConnectionError, OSError):
            pass
        if time.monotonic() > deadline:
            server.stop()
            raise RuntimeError(f"JupyterLab did not answer within {timeout:.0f} s:\n{server.log()[-4000:]}")
        time.sleep(0.25)


@contextlib.contextmanager
def running_lab(*args, **kwargs) -> Iterator[LabServer]:
    server = start_lab(*args, **kwargs)
    try:
        yield server
    finally:
        server.stop()


# ------------------------------------------------------------ a learner's lab

@dataclass
class LearnerLab:
    """Everything `make lab NETRALITAS_NIP=...` starts a learner's server with."""
    nip: str
    root: Path           # the learner folder: the server's root and the kernels' files
    site: Path           # the learner runtime (netralitas.learner.site)
    exchange: Path
    account: str | None  # the learner's own Linux account (when started as root)
    python: Path = field(default_factory=lambda: Path(sys.executable))
    env: dict = field(repr=False, default_factory=dict)

    def command(self, port: int | None = None, token: str | None = None, extra: list[str] = ()) -> list[str]:
        # Learners land on the course home as a Voila app: no menu bar, toolbar or file browser.
        cmd = lab_command(self.root, default_url=HOME_URL, port=port, token=token, extra=list(extra))
        cmd[0] = str(self.python)
        cmd = [c for c in cmd if c != "--allow-root"]  # the server runs as the learner, never as root
        labext = f"--LabServerApp.extra_labextensions_path={self.site / 'netralitas' / 'labextension'}"
        return [labext if c.startswith("--LabServerApp.extra_labextensions_path=") else c for c in cmd]

    def popen_kwargs(self) -> dict:
        """Run as the learner's account (uid, gid, no other group), private umask."""
        if self.account is None:
            return {"umask": 0o077}
        import pwd

        entry = pwd.getpwnam(self.account)
        return {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": [], "umask": 0o077}




def prepare_learner_lab(nip: str, course, lab_dir: Path | None = None, log=print) -> LearnerLab:
    """The learner's side of `make lab` with a NIP, ready to start.

    As root (an administrator starts the office computer's course): the
    learner gets their own Linux account (netralitas.accounts), their folder
    is that account's home (0700), the quizzes travel through an exchange
    outside the course folder, the server runs as that account on the learner
    site, and the checkout is closed to every other account; so the learner's
    server, kernel and file browser cannot reach a key, the gradebook or
    another learner's work. Without root the folder is var/peserta/<NIP>
    (private) on the same account, and only the file browser is confined: the
    same account can read its own checkout (say so).
    """
    import pwd
    import shutil

    from .accounts import account_name
    from .grading.course import LEARNER_CONFIG
    from .learner.site import build_site
    from .sides import private_umask, seal_checkout

    lab_dir = Path(lab_dir or paths.REPO_ROOT / "var" / "lab").resolve()
    as_root = hasattr(os, "geteuid") and os.geteuid() == 0
    account = account_name(nip) if as_root else None
    python = Path(sys.executable)
    if account:
        # an interpreter other accounts may run, holding third-party packages only
        # (the developer's .venv may live under /root and installs the checkout)
        python = paths.REPO_ROOT / "hub" / ".venv" / "bin" / "python"
        if not python.exists():
            raise SystemExit(f"Lingkungan Python untuk akun peserta belum ada ({python}); jalankan "
                             "`make hub-deps` (atau `make lab`, yang membuatnya) lalu ulangi.")
    with private_umask():
        lab_dir.mkdir(parents=True, exist_ok=True)
        os.chmod(lab_dir, 0o711)
        exchange = Path(course.exchange)
        site = build_site(lab_dir / "site")
        os.chmod(lab_dir / "site", 0o755)
        if account:
            try:
                entry = pwd.getpwnam(account)
            except KeyError:
                subprocess.run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", "--comment",
                                "Kursus Netralitas", account], check=True, capture_output=True)
                entry = pwd.getpwnam(account)
            root = Path(entry.pw_dir)
            root.mkdir(parents=True, exist_ok=True)
            os.chown(root, entry.pw_uid, entry.pw_gid)
        else:
            root = lab_dir.parent / "peserta" / nip
            root.mkdir(parents=True, exist_ok=True)
        os.chmod(root, 0o700)
        fresh = []
        if not (root / "modules").exists():
            shutil.copytree(paths.MODULES_DIR, root / "modules",
                            ignore=shutil.ignore_patterns(".progres", ".ipynb_checkpoints"))
            fresh.append(root / "modules")
        (root / "nbgrader_config.py").write_text(LEARNER_CONFIG.format(
            course=paths.COURSE_ID, exchange=str(exchange), nip=nip, cache=str(root / ".nbgrader_cache")),
            encoding="utf-8")
        fresh.append(root / "nbgrader_config.py")
        home = root / ".jupyter-peserta"
        from .settings import child_env

        env = {"PATH": os.pathsep.join([str(python.parent), "/usr/local/bin", "/usr/bin", "/bin"]),
               "HOME": str(root), "LANG": child_env().get("LANG", "C.UTF-8"), "PYTHONPATH": str(site),
               "PYTHONUNBUFFERED": "1", "NETRALITAS_NIP": nip, "NETRALITAS_EXCHANGE": str(exchange),
               "JUPYTER_CONFIG_PATH": os.pathsep.join([str(root), str(learner_config_dir(home / "peserta"))])}
        for var, sub in (("JUPYTER_CONFIG_DIR", "config"), ("JUPYTER_DATA_DIR", "data"),
                         ("JUPYTER_RUNTIME_DIR", "runtime"), ("IPYTHONDIR", "ipython")):
            (home / sub).mkdir(parents=True, exist_ok=True)
            env[var] = str(home / sub)
        fresh.append(home)
        if account:
            for top in fresh:  # our own fresh copies in the learner's home
                for path in [top, *(top.rglob("*") if top.is_dir() else [])]:
                    os.lchown(path, entry.pw_uid, entry.pw_gid)
            closed = seal_checkout(paths.REPO_ROOT, reachable=[exchange, site])
            log(f"Checkout ditutup bagi akun lain ({len(closed)} berkas/folder); peserta {nip} memakai akun "
                f"{account}.")
        else:
            log("PERINGATAN: make lab tidak dijalankan sebagai root, jadi server peserta memakai akun Anda "
                "sendiri: penjelajah berkas hanya menampilkan folder peserta, tetapi kode di kernel masih dapat "
                "membaca checkout (termasuk kunci jawaban). Untuk komputer bersama, jalankan sebagai root.")
    return LearnerLab(nip, root, site, exchange, account, python, env)


def start_learner_lab(lab: LearnerLab, timeout: float = READY_TIMEOUT_S) -> LabServer:
    """Start the learner's server in the background (tests); `netralitas lab` runs
    the same command in the foreground."""
    use_indonesian_ui()
    port, token = free_port(), secrets.token_hex(16)
    log_path = lab.root / ".jupyter-peserta" / f"jupyterlab-{port}.log"
    with open(log_path, "wb") as log:
        proc = subprocess.Popen(lab.command(port, token), cwd=lab.root, env=lab.env, stdout=log,
                                stderr=subprocess.STDOUT, start_new_session=True, **lab.popen_kwargs())
    return _when_ready(LabServer(lab.root, lab.root, port, token, proc, log_path, lab.env), timeout)
