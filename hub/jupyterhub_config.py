"""JupyterHub for the Netralitas ASN course (`make hub` starts it locally).

One Linux account per learner (netralitas.accounts: asn<NIP>), each running
its own JupyterLab as that account on the learner runtime only
(<state>/peserta/site: no quiz item, no grading code, no database URL);
instructors get nbgrader's formgrader on their private course folder. The
layout and the accounts are prepared by hub/siapkan.py. Everything a
deployment changes comes from the environment:

  NETRALITAS_HUB_AUTH            pam (default): each learner signs in with the NIP and the
                                 password of their own Linux account: the personal code
                                 hub/siapkan.py made, or their directory password where the
                                 machine is joined to the agency's directory (SSSD);
                                 demo-sandi-bersama: one shared password (demonstration only)
  NETRALITAS_HUB_ACCOUNTS        lokal (default: siapkan.py creates missing accounts with a code)
                                 | direktori (accounts come from SSSD/LDAP; nothing is created)
  NETRALITAS_HUB_PASSWORD        the shared password, only with NETRALITAS_HUB_AUTH=demo-sandi-bersama
  NETRALITAS_HUB_ROSTER          roster CSV/XLSX (NIP column) of the learners allowed in
  NETRALITAS_HUB_USERS           or: comma-separated NIPs
  NETRALITAS_HUB_INSTRUKTUR      instructor account names (default: instruktur)
  NETRALITAS_HUB_STATE           hub state folder (default: var/hub)
  NETRALITAS_EXCHANGE            shared nbgrader exchange (default: <state>/exchange)
  NETRALITAS_HUB_COURSE          instructors' course folder (default: <state>/instruktur/kursus)
  NETRALITAS_DB_URL              PostgreSQL gradebook: written into the private course folder
                                 by siapkan.py, never given to a learner's server
  NETRALITAS_HUB_IP / _PORT      public address (default 127.0.0.1:8000)
  NETRALITAS_HUB_API_PORT, NETRALITAS_HUB_PROXY_API_PORT   internal ports (8081, 8001)
  NETRALITAS_HUB_CULL_SERVER_S   stop a learner server idle this long (default 3600)
  NETRALITAS_HUB_CULL_KERNEL_S   stop a kernel idle this long (default 1200)
  NETRALITAS_HUB_CONFIG_EXTRA    a further config file loaded last, e.g. LDAP or OIDC
                                 (docs/SKALA.md)
"""
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from jupyterhub.auth import LocalAuthenticator, PAMAuthenticator  # noqa: E402
from jupyterhub.authenticators.shared import SharedPasswordAuthenticator  # noqa: E402
from jupyterhub.spawner import LocalProcessSpawner  # noqa: E402

from netralitas.accounts import account_name, learner_of_account  # noqa: E402
from netralitas.hub import DEMO_AUTH, hub_layout, learner_ids  # noqa: E402
from netralitas.server import HOME_URL  # noqa: E402
from netralitas.settings import settings  # noqa: E402

c = get_config()  # noqa: F821
S = settings()  # every NETRALITAS_HUB_* variable, declared in netralitas/settings.py

LAYOUT = hub_layout()
STATE, EXCHANGE, COURSE = LAYOUT.state, LAYOUT.exchange, LAYOUT.course
VENV_BIN = Path(sys.executable).parent
INSTRUCTORS = set(LAYOUT.instructors)
AUTH = S.hub_auth
NIPS = {account_name(nip): nip for nip in learner_ids()}
os.umask(0o077)  # hub database, cookie secret, logs: root's only
STATE.mkdir(parents=True, exist_ok=True)

# --- network: everything on one address; internal ports on loopback
c.JupyterHub.ip = S.hub_ip
c.JupyterHub.port = S.hub_port
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = S.hub_api_port
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{S.hub_proxy_api_port}"
# configurable-http-proxy from npm, installed into hub/node_modules by `make hub`
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.JupyterHub.db_url = S.hub_db_url or f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True


# --- accounts: one per learner (hub name = account = PREFIX + NIP), instructors as admins
def _normalize(username: str) -> str:
    """Learners type their NIP; the hub name is their account (netralitas.accounts)."""
    username = username.strip().lower()
    if username in INSTRUCTORS:
        return username
    try:
        return account_name(username)
    except ValueError:
        return username  # not a learner id: refused by allowed_users


if AUTH == "pam":
    class KursusAuthenticator(PAMAuthenticator):
        """Each person signs in with the password of their own Linux account."""

        def normalize_username(self, username):
            return _normalize(super().normalize_username(username))

        async def authenticate(self, handler, data):
            # PAM must check the account (asn<NIP>), not the NIP as typed
            data = {**data, "username": self.normalize_username(data.get("username") or "")}
            return await super().authenticate(handler, data)

    c.PAMAuthenticator.open_sessions = False  # the spawner starts the server; no login session
    c.LocalAuthenticator.create_system_users = False  # siapkan.py or the directory makes accounts
elif AUTH == DEMO_AUTH:
    class KursusAuthenticator(LocalAuthenticator, SharedPasswordAuthenticator):
        """Demonstration only: one shared password, accounts created on first login."""

        def normalize_username(self, username):
            return _normalize(super().normalize_username(username))

    if not S.hub_password:
        raise SystemExit(f"NETRALITAS_HUB_AUTH={DEMO_AUTH} memerlukan NETRALITAS_HUB_PASSWORD (minimal 8 karakter).")
    c.SharedPasswordAuthenticator.user_password = S.hub_password
    if S.hub_admin_password:
        c.SharedPasswordAuthenticator.admin_password = S.hub_admin_password
    c.LocalAuthenticator.create_system_users = True
    c.LocalAuthenticator.add_user_cmd = ["useradd", "--create-home", "--shell", "/usr/sbin/nologin"]
else:
    raise SystemExit(f"NETRALITAS_HUB_AUTH={AUTH!r} tidak dikenal: pam (bawaan) atau {DEMO_AUTH}.")

c.JupyterHub.authenticator_class = KursusAuthenticator
c.Authenticator.allowed_users = set(NIPS) | INSTRUCTORS
c.Authenticator.admin_users = INSTRUCTORS


# --- each user's own JupyterLab, as their own Linux user
def nip_of(spawner) -> str:
    return NIPS.get(spawner.user.name) or learner_of_account(spawner.user.name) or ""


def is_instructor(spawner) -> bool:
    return spawner.user.name in INSTRUCTORS


def prepare_home(spawner):
    """Private home (0700: no learner reads another's answers or submission
    cache) with a copy of the module notebooks on first start."""
    import pwd

    entry = pwd.getpwnam(spawner.user.name)
    home = Path(entry.pw_dir)
    home.mkdir(parents=True, exist_ok=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    os.chmod(home, 0o700)
    # Learners land on the course home (a Voila page, as after `make lab`);
    # instructors keep JupyterLab with formgrader.
    spawner.default_url = "/lab" if is_instructor(spawner) else HOME_URL
    if not is_instructor(spawner):
        # A learner's server runs no JupyterLab, Notebook or terminal (peserta/jupyter_server_config.json);
        # whatever else they type (/lab, /tree, ...) gets this Indonesian page back to the course home.
        spawner.args = [*c.Spawner.args, f"--ServerApp.extra_template_paths={[str(HERE / 'peserta' / 'templates')]}"]
    if not is_instructor(spawner) and not (home / "modules").exists():
        shutil.copytree(REPO / "modules", home / "modules",
                        ignore=shutil.ignore_patterns(".progres", ".ipynb_checkpoints"))
        for path in [home / "modules", *(home / "modules").rglob("*")]:
            os.chown(path, entry.pw_uid, entry.pw_gid)


class KursusSpawner(LocalProcessSpawner):
    """LocalProcessSpawner whose servers listen on ports outside the kernel's
    range. The stock spawner takes a random ephemeral port, the same range the
    kernels' ZeroMQ sockets use: with 40 learners on one machine the load test
    saw the hub probe a port a kernel had taken meanwhile ("Bad status line
    \\xff...") and a spawn fail."""

    async def start(self):
        if self.port == 0:
            self.port = free_server_port()
        return await super().start()


def free_server_port(first: int = 20000, last: int = 29999) -> int:
    import random
    import socket

    for port in random.sample(range(first, last + 1), 200):
        with socket.socket() as sock:
            try:
                sock.bind(("127.0.0.1", port))
            except OSError:
                continue
            return port
    raise RuntimeError(f"no free port in {first}-{last}")


c.JupyterHub.spawner_class = KursusSpawner
c.Spawner.pre_spawn_hook = prepare_home
c.Spawner.cmd = [str(VENV_BIN / "jupyterhub-singleuser")]
c.Spawner.notebook_dir = "~"
c.Spawner.default_url = "/lab"  # learners: HOME_URL, set in prepare_home
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.args = [f"--LabServerApp.extra_labextensions_path={LAYOUT.learner_site / 'netralitas' / 'labextension'}"]
# What each server (and every kernel it starts) sees. Learners: the learner
# site only, their NIP and the exchange; never the course folder or the
# database. Instructors: their own full package and course folder.
c.Spawner.environment = {
    "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
    "PYTHONPATH": lambda sp: str(LAYOUT.instructor_site if is_instructor(sp) else LAYOUT.learner_site),
    # learners: Assignments panel only; instructors: formgrader on the course folder
    "JUPYTER_CONFIG_PATH": lambda sp: str(HERE / ("instruktur" if is_instructor(sp) else "peserta")),
    "NETRALITAS_NIP": lambda sp: "" if is_instructor(sp) else nip_of(sp),
    "NETRALITAS_EXCHANGE": str(EXCHANGE),
    "NETRALITAS_HUB_COURSE": lambda sp: str(COURSE) if is_instructor(sp) else "",
    "NETRALITAS_QUIZ_SOURCE": lambda sp: str(LAYOUT.instructor_dir / "sumber") if is_instructor(sp) else "",
    "LANG": "C.UTF-8",
}
# Only what is listed above: nothing else of the hub's own environment
# (a database URL, a password) reaches a server.
c.Spawner.env_keep = []

# --- idle culling: servers by the hub service, kernels by each server
# (kernel culling settings: peserta/ and instruktur/jupyter_server_config.json)
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={S.hub_cull_server_s}", "--cull-every=300"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]

if S.hub_config_extra:
    load_subconfig(str(S.hub_config_extra))  # noqa: F821
