"""Prepare the local hub (`make hub` runs this as root before JupyterHub):
state folder, the instructors' Linux accounts and course folder, the quizzes
released into the shared exchange with nbgrader's permissions, the Indonesian
interface as default, and a demo password when none is given."""
from __future__ import annotations

import os
import pwd
import secrets
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from netralitas import paths  # noqa: E402
from netralitas.server import use_indonesian_ui  # noqa: E402
from netralitas.grading.course import Course  # noqa: E402
from netralitas.hub import hub_username, learner_ids  # noqa: E402


def chown_tree(path: Path, uid: int, gid: int) -> None:
    for p in [path, *path.rglob("*")]:
        os.lchown(p, uid, gid)


def main() -> int:
    if os.geteuid() != 0:
        print("make hub perlu dijalankan sebagai root: setiap peserta mendapat akun Linux sendiri "
              "agar jawaban dan kirimannya tidak dapat dibaca peserta lain.", file=sys.stderr)
        return 1
    state = Path(os.environ.get("NETRALITAS_HUB_STATE") or paths.REPO_ROOT / "var" / "hub").resolve()
    exchange = Path(os.environ.get("NETRALITAS_EXCHANGE") or state / "exchange").resolve()
    course_dir = Path(os.environ.get("NETRALITAS_HUB_COURSE") or state / "kursus").resolve()
    instructors = [n.strip().lower() for n in os.environ.get("NETRALITAS_HUB_INSTRUKTUR", "instruktur").split(",")
                   if n.strip()]
    state.mkdir(parents=True, exist_ok=True)
    # learners' servers must reach the exchange inside the state folder:
    # open our own folders for traversal (not listing); only warn about others
    for folder in [state, *state.parents]:
        if folder == Path("/"):
            break
        mode = os.stat(folder).st_mode
        if mode & 0o001:
            continue
        if folder == paths.REPO_ROOT or paths.REPO_ROOT in folder.parents or folder == state:
            os.chmod(folder, mode | 0o011)
        else:
            print(f"PERINGATAN: folder {folder} tidak dapat dilalui pengguna lain; peserta tidak akan "
                  f"mencapai exchange. Pindahkan NETRALITAS_HUB_STATE atau repositori.", file=sys.stderr)

    for name in instructors:
        try:
            pwd.getpwnam(name)
        except KeyError:
            subprocess.run(["useradd", "--create-home", "--shell", "/usr/sbin/nologin", name], check=True)
    owner = pwd.getpwnam(instructors[0])

    exchange.mkdir(parents=True, exist_ok=True)
    course = Course.init(course_dir, exchange=exchange) if not (course_dir / "nbgrader_config.py").exists() \
        else Course(course_dir)
    os.chmod(exchange, 0o1777)  # anyone may create, nobody may remove another's
    wanted = os.environ.get("NETRALITAS_HUB_QUIZZES")  # e.g. "kuis_02" (default: every quiz)
    for source in sorted(p for p in paths.QUIZ_SOURCE_DIR.iterdir() if p.is_dir()):
        if wanted and source.name not in wanted.split(","):
            continue
        if not (exchange / paths.COURSE_ID / "outbound" / source.name).exists():
            print(f"Merilis {source.name} ke exchange {exchange} ...")
            course.publish(source.name)
    # nbgrader's model: the instructor owns the course folder and the course's
    # exchange folders (inbound stays write-only for learners: drwx-wx-wx).
    chown_tree(course_dir, owner.pw_uid, owner.pw_gid)
    chown_tree(exchange / paths.COURSE_ID, owner.pw_uid, owner.pw_gid)
    use_indonesian_ui()

    password_file = state / "kata_sandi_peserta.txt"
    if not os.environ.get("NETRALITAS_HUB_PASSWORD") and not password_file.exists():
        password_file.write_text(secrets.token_urlsafe(9) + "\n", encoding="utf-8")
        os.chmod(password_file, 0o600)
    password = os.environ.get("NETRALITAS_HUB_PASSWORD") or password_file.read_text(encoding="utf-8").strip()
    port = os.environ.get("NETRALITAS_HUB_PORT", "8000")
    print(f"\nJupyterHub kursus: http://{os.environ.get('NETRALITAS_HUB_IP', '127.0.0.1')}:{port}/")
    print(f"Peserta masuk dengan NIP dan kata sandi bersama: {password}")
    print("  NIP yang diizinkan: " + ", ".join(learner_ids()[:10]))
    print(f"  (akun Linux: {hub_username(learner_ids()[0])} dst., dibuat saat masuk pertama kali)")
    print(f"Instruktur: {', '.join(instructors)} (kata sandi: NETRALITAS_HUB_ADMIN_PASSWORD, minimal 32 karakter)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
