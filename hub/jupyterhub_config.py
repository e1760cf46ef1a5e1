"""JupyterHub for the Netralitas ASN course (`make hub` starts it locally).

One hub account per learner (the NIP, from the roster), each running its own
JupyterLab as its own Linux user, so the operating system keeps learners
apart; instructors get nbgrader's formgrader, learners only the Assignments
panel. Everything a deployment changes comes from the environment:

  NETRALITAS_HUB_PASSWORD        shared learner password (demo only, >= 8 chars; required)
  NETRALITAS_HUB_ADMIN_PASSWORD  instructors' password (>= 32 chars; optional)
  NETRALITAS_HUB_ROSTER          roster CSV (NIP column) of the learners allowed in
  NETRALITAS_HUB_USERS           or: comma-separated NIPs
  NETRALITAS_HUB_INSTRUKTUR      instructor account names (default: instruktur)
  NETRALITAS_HUB_STATE           hub state folder (default: var/hub)
  NETRALITAS_EXCHANGE            shared nbgrader exchange (default: <state>/exchange)
  NETRALITAS_HUB_COURSE          instructors' course folder (default: <state>/kursus)
  NETRALITAS_HUB_IP / _PORT      public address (default 127.0.0.1:8000)
  NETRALITAS_HUB_API_PORT, NETRALITAS_HUB_PROXY_API_PORT   internal ports (8081, 8001)
  NETRALITAS_HUB_CULL_SERVER_S   stop a learner server idle this long (default 3600)
  NETRALITAS_HUB_CULL_KERNEL_S   stop a kernel idle this long (default 1200)

A real agency replaces the shared password with PAM, LDAP or OAuth (docs/SKALA.md).
"""
import os
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))

from jupyterhub.auth import LocalAuthenticator  # noqa: E402
from jupyterhub.authenticators.shared import SharedPasswordAuthenticator  # noqa: E402
from jupyterhub.spawner import LocalProcessSpawner  # noqa: E402

from netralitas.hub import PREFIX, hub_username, learner_ids  # noqa: E402

c = get_config()  # noqa: F821

STATE = Path(os.environ.get("NETRALITAS_HUB_STATE") or REPO / "var" / "hub").resolve()
EXCHANGE = Path(os.environ.get("NETRALITAS_EXCHANGE") or STATE / "exchange").resolve()
COURSE = Path(os.environ.get("NETRALITAS_HUB_COURSE") or STATE / "kursus").resolve()
VENV_BIN = Path(sys.executable).parent
INSTRUCTORS = {n.strip().lower() for n in os.environ.get("NETRALITAS_HUB_INSTRUKTUR", "instruktur").split(",")
               if n.strip()}
NIPS = {hub_username(nip): nip for nip in learner_ids()}
STATE.mkdir(parents=True, exist_ok=True)

# --- network: everything on one address; internal ports on loopback
c.JupyterHub.ip = os.environ.get("NETRALITAS_HUB_IP", "127.0.0.1")
c.JupyterHub.port = int(os.environ.get("NETRALITAS_HUB_PORT", "8000"))
c.JupyterHub.hub_ip = "127.0.0.1"
c.JupyterHub.hub_port = int(os.environ.get("NETRALITAS_HUB_API_PORT", "8081"))
c.ConfigurableHTTPProxy.api_url = f"http://127.0.0.1:{os.environ.get('NETRALITAS_HUB_PROXY_API_PORT', '8001')}"
# configurable-http-proxy from npm, installed into hub/node_modules by `make hub`
c.ConfigurableHTTPProxy.command = [str(HERE / "node_modules" / ".bin" / "configurable-http-proxy")]
c.JupyterHub.db_url = os.environ.get("NETRALITAS_HUB_DB_URL") or f"sqlite:///{STATE / 'jupyterhub.sqlite'}"
c.JupyterHub.cookie_secret_file = str(STATE / "jupyterhub_cookie_secret")
c.JupyterHub.pid_file = str(STATE / "jupyterhub.pid")
c.JupyterHub.cleanup_servers = True


# --- accounts: one per learner (hub name = PREFIX + NIP), instructors as admins
class KursusAuthenticator(LocalAuthenticator, SharedPasswordAuthenticator):
    """Shared password (demo) + one Linux user per learner, created on first login.

    Learners type their NIP; Linux user names must not be bare numbers, so the
    hub name is PREFIX + NIP (netralitas.hub.hub_username)."""

    def normalize_username(self, username):
        username = super().normalize_username(username)
        return username if username in INSTRUCTORS else hub_username(username)


c.JupyterHub.authenticator_class = KursusAuthenticator
_password_file = STATE / "kata_sandi_peserta.txt"  # written by hub/siapkan.py when none is given
c.SharedPasswordAuthenticator.user_password = os.environ.get("NETRALITAS_HUB_PASSWORD") or (
    _password_file.read_text(encoding="utf-8").strip() if _password_file.exists() else None)
if os.environ.get("NETRALITAS_HUB_ADMIN_PASSWORD"):
    c.SharedPasswordAuthenticator.admin_password = os.environ["NETRALITAS_HUB_ADMIN_PASSWORD"]
c.Authenticator.allowed_users = set(NIPS) | INSTRUCTORS
c.Authenticator.admin_users = INSTRUCTORS
c.LocalAuthenticator.create_system_users = True
c.LocalAuthenticator.add_user_cmd = ["useradd", "--create-home", "--shell", "/usr/sbin/nologin"]


# --- each user's own JupyterLab, as their own Linux user
def nip_of(spawner) -> str:
    return NIPS.get(spawner.user.name) or spawner.user.name.removeprefix(PREFIX)


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
c.Spawner.default_url = "/lab"
c.Spawner.start_timeout = 120
c.Spawner.http_timeout = 120
c.Spawner.environment = {
    "PATH": f"{VENV_BIN}:/usr/local/bin:/usr/bin:/bin",
    # learners: Assignments panel only; instructors: formgrader on the course folder
    "JUPYTER_CONFIG_PATH": lambda sp: str(HERE / ("instruktur" if is_instructor(sp) else "peserta")),
    "NETRALITAS_NIP": lambda sp: "" if is_instructor(sp) else nip_of(sp),
    "NETRALITAS_EXCHANGE": str(EXCHANGE),
    "NETRALITAS_HUB_COURSE": str(COURSE),
    "NETRALITAS_DB_URL": os.environ.get("NETRALITAS_DB_URL", ""),
    "LANG": "C.UTF-8",
}

# --- idle culling: servers by the hub service, kernels by each server
# (kernel culling settings: peserta/ and instruktur/jupyter_server_config.json)
c.JupyterHub.services = [{
    "name": "idle-culler",
    "command": [sys.executable, "-m", "jupyterhub_idle_culler",
                f"--timeout={os.environ.get('NETRALITAS_HUB_CULL_SERVER_S', '3600')}", "--cull-every=300"],
}]
c.JupyterHub.load_roles = [{
    "name": "idle-culler",
    "scopes": ["list:users", "read:users:activity", "read:servers", "delete:servers"],
    "services": ["idle-culler"],
}]
