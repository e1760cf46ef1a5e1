"""Prepare the local hub (`make hub` runs this as root before JupyterHub).

Two sides, kept apart by the operating system (netralitas/sides.py):

  <state>/                 0711 root: hub database and cookie secret (0600)
    instruktur/            0700, the instructor account's: course folder (gradebook,
                           submitted/, autograded/, feedback/, .rahasia), the quiz
                           sources, the full package its server runs (site/)
    peserta/site/          0755 root: the learner runtime, the only netralitas code
                           a learner's kernel sees (no quiz item, no grading code)
    exchange/              1777, the instructor's: nbgrader's exchange; the course's
                           folders are made by the instructor's own release (outbound
                           readable, inbound 1733: write-only and sticky), so nothing is chowned afterwards
    rahasia/kode_masuk.csv 0600 root: each new account's personal sign-in code, for HR
                           to print on the attendance sheet (never printed here)

Accounts: one Linux account per learner (netralitas.accounts: asn<NIP>), signed
in through PAM. With NETRALITAS_HUB_ACCOUNTS=lokal (default) this script creates
the missing accounts with a random code as password; with
NETRALITAS_HUB_ACCOUNTS=direktori the accounts come from the agency's directory
(SSSD joined to Active Directory / LDAP) and nothing is created. The checkout
itself is closed to every account but root, except hub/.
"""
from __future__ import annotations

import csv
import os
import pwd
import secrets
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from netralitas import paths  # noqa: E402
from netralitas.accounts import account_name  # noqa: E402
from netralitas.hub import hub_layout, learner_ids  # noqa: E402
from netralitas.learner.site import build_site, build_wheel  # noqa: E402
from netralitas.policy import policy_file  # noqa: E402
from netralitas.server import use_indonesian_ui  # noqa: E402
from netralitas.settings import env_name, settings  # noqa: E402
from netralitas.sides import private_umask, seal_checkout  # noqa: E402

# Codes are typed by people who rarely type: no 0/o, 1/l/i.
CODE_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"
PUBLISH = """\
import sys
from pathlib import Path
from netralitas.grading.course import Course
from netralitas.settings import settings
course_dir, exchange, source, wanted = Path(sys.argv[1]), Path(sys.argv[2]), Path(sys.argv[3]), sys.argv[4]
if (course_dir / "nbgrader_config.py").exists():
    course = Course(course_dir)
else:
    course = Course.init(course_dir, source=source, exchange=exchange, db_url=settings().db_url)
for quiz in sorted(p.name for p in source.iterdir() if p.is_dir()):
    if wanted and quiz not in wanted.split(","):
        continue
    if not (exchange / "netralitas-asn" / "outbound" / quiz).exists():
        print(f"Merilis {quiz} ...", flush=True)
        course.publish(quiz)
"""


def new_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(10))
    return f"{raw[:5]}-{raw[5:]}"


def ensure_account(name: str, create: bool) -> str | None:
    """The account's personal code when this call created it; None when it
    existed already (its password is never reset here)."""
    try:
        pwd.getpwnam(name)
        return None
    except KeyError:
        if not create:
            raise SystemExit(f"Akun {name} tidak ada. Dengan {env_name('hub_accounts')}=direktori akun peserta "
                             "dan instruktur harus sudah tersedia dari direktori instansi (SSSD/LDAP).") from None
    subprocess.run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", "--comment", "Kursus Netralitas",
                    name], check=True, capture_output=True)
    code = new_code()
    subprocess.run(["chpasswd"], input=f"{name}:{code}\n", text=True, check=True, capture_output=True)
    os.chmod(pwd.getpwnam(name).pw_dir, 0o700)
    return code


def run_as(user: pwd.struct_passwd, cmd: list[str], env: dict[str, str], cwd: Path) -> None:
    proc = subprocess.run(cmd, user=user.pw_uid, group=user.pw_gid, extra_groups=[], umask=0o077,
                          env=env, cwd=cwd, capture_output=True, text=True)
    print(proc.stdout, end="")
    if proc.returncode:
        raise SystemExit(f"Langkah sebagai {user.pw_name} gagal:\n{proc.stderr[-3000:]}")


def install_instructor_site(dest: Path, wheel: Path) -> None:
    """The whole package, as pip would install it (the instructor's server and
    nbgrader steps import grading code from here, not from the checkout)."""
    if dest.exists():
        shutil.rmtree(dest)
    with zipfile.ZipFile(wheel) as zf:
        zf.extractall(dest)
    (dest / "grading").mkdir(exist_ok=True)
    shutil.copy(policy_file(), dest / "grading" / "kebijakan.yaml")


def write_codes(path: Path, rows: list[tuple[str, str, str]]) -> None:
    """Append new codes; the file stays root's own (0600 in a 0700 folder)."""
    path.parent.mkdir(mode=0o700, exist_ok=True)
    new = not path.exists()
    with open(path, "a", newline="", encoding="utf-8") as fh:
        out = csv.writer(fh)
        if new:
            out.writerow(["nip", "akun", "kode_masuk"])
        out.writerows(rows)
    os.chmod(path, 0o600)


def main() -> int:
    if os.geteuid() != 0:
        print("make hub perlu dijalankan sebagai root: setiap peserta mendapat akun Linux sendiri "
              "agar jawaban dan kirimannya tidak dapat dibaca peserta lain.", file=sys.stderr)
        return 1
    layout = hub_layout()
    hub = settings()  # every NETRALITAS_HUB_* variable, declared in netralitas/settings.py
    auth = hub.hub_auth
    create = hub.hub_accounts == "lokal"
    with private_umask():
        layout.state.mkdir(parents=True, exist_ok=True)
        os.chmod(layout.state, 0o711)
        for parent in layout.state.parents:
            if parent != Path("/") and not os.stat(parent).st_mode & 0o001 \
                    and paths.REPO_ROOT not in [parent, *parent.parents]:
                print(f"PERINGATAN: folder {parent} tidak dapat dilalui pengguna lain; peserta tidak akan "
                      "mencapai exchange. Pindahkan NETRALITAS_HUB_STATE.", file=sys.stderr)

        codes: list[tuple[str, str, str]] = []
        for name in layout.instructors:
            code = ensure_account(name, create)
            if code:
                codes.append(("", name, code))
        owner = pwd.getpwnam(layout.instructors[0])
        learners = learner_ids()
        if auth == "pam":
            for nip in learners:
                code = ensure_account(account_name(nip), create)
                if code:
                    codes.append((nip, account_name(nip), code))
        if codes:
            write_codes(layout.codes_file, codes)

        # instructor side: private folder of the instructor account
        layout.instructor_dir.mkdir(mode=0o700, exist_ok=True)
        os.chown(layout.instructor_dir, owner.pw_uid, owner.pw_gid)
        os.chmod(layout.instructor_dir, 0o700)
        wheel = build_wheel()
        install_instructor_site(layout.instructor_site, wheel)
        source = layout.instructor_dir / "sumber"
        if source.exists():
            shutil.rmtree(source)
        shutil.copytree(paths.QUIZ_SOURCE_DIR, source)
        # our own fresh copies, never learner-writable: handing them over is safe
        for path in [layout.instructor_site, source]:
            for p in [path, *path.rglob("*")]:
                os.lchown(p, owner.pw_uid, owner.pw_gid)

        # learner side
        layout.learner_site.parent.mkdir(exist_ok=True)
        os.chmod(layout.learner_site.parent, 0o755)
        build_site(layout.learner_site, wheel)
        shutil.rmtree(wheel.parent, ignore_errors=True)
        if not layout.exchange.exists():
            # a fresh, empty folder: the instructor's course setup may set its mode
            layout.exchange.mkdir()
            os.chown(layout.exchange, owner.pw_uid, owner.pw_gid)

        # the instructor releases the quizzes: the course's exchange folders are theirs
        env = {"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin", "HOME": owner.pw_dir,
               "PYTHONPATH": str(layout.instructor_site), "LANG": "C.UTF-8"}
        if hub.db_url:
            env[env_name("db_url")] = hub.db_url
        run_as(owner, [sys.executable, "-c", PUBLISH, str(layout.course), str(layout.exchange), str(source),
                       ",".join(hub.hub_quizzes)], env, layout.instructor_dir)

        os.chmod(layout.exchange, 0o1777)  # anyone may create, nobody may remove another's
        # also an inbound released before the rule (netralitas/grading/course.py seal_inbound)
        inbound = layout.exchange / paths.COURSE_ID / "inbound"
        if inbound.is_dir():
            os.chmod(inbound, 0o1733 | (inbound.stat().st_mode & 0o2000))
        closed = seal_checkout(paths.REPO_ROOT, reachable=[layout.state])
    use_indonesian_ui()  # the hub environment's own settings: readable by every server

    print(f"\nJupyterHub kursus: http://{hub.hub_ip}:{hub.hub_port}/")
    print(f"Peserta terdaftar: {len(learners)}; masuk dengan NIP dan kata sandi akun masing-masing ({auth}).")
    if codes:
        print(f"Kode masuk akun baru ({len(codes)}) ada di {layout.codes_file} (hanya root); "
              "cetak pada daftar hadir dan serahkan kepada setiap peserta.")
    print(f"Checkout ditutup bagi akun lain ({len(closed)} berkas/folder), kecuali hub/.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
