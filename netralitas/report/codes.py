"""The verification key and the codes made with it.

The key signs every issued-certificate register entry (register.py) and every
report manifest. It is created once, by an explicit step (`netralitas kunci
buat`), in a file outside the course (data) folder: NETRALITAS_KUNCI names it,
else ~/.config/netralitas/kunci_verifikasi. A missing key is an error, never a
new key: a new key would silently invalidate every certificate issued before.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from pathlib import Path

PREFIX = "NA"
KEY_ENV = "NETRALITAS_KUNCI"
MIN_KEY_BYTES = 32


class KeyProblem(RuntimeError):
    """The verification key is missing or unusable (message for HR, Bahasa Indonesia)."""



def key_path(path: str | Path | None = None) -> Path:
    if path:
        return Path(path).expanduser()
    from ..settings import settings

    if settings().key_file:
        return Path(settings().key_file).expanduser()
    base = Path(settings().xdg_config_home or Path.home() / ".config")
    return base / "netralitas" / "kunci_verifikasi"


def _inside(path: Path, folder: Path) -> bool:
    try:
        path.resolve().relative_to(Path(folder).resolve())
        return True
    except ValueError:
        return False


def create_key(path: str | Path | None = None, course_root: Path | None = None) -> Path:
    """The one explicit step that makes a key: 32 random bytes (hex), mode 0600, never overwritten."""
    path = key_path(path)
    if course_root is not None and _inside(path, course_root):
        raise KeyProblem(f"kunci verifikasi tidak boleh disimpan di dalam folder data kursus ({course_root}); "
                         f"pilih lokasi lain dengan {KEY_ENV}")
    if path.exists() or path.is_symlink():
        raise KeyProblem(f"kunci verifikasi sudah ada di {path}; kunci tidak dibuat ulang karena semua "
                         "sertifikat yang sudah terbit bergantung padanya")
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600)
    with os.fdopen(fd, "w") as fh:
        fh.write(secrets.token_hex(MIN_KEY_BYTES) + "\n")
    return path


def load_key(path: str | Path | None = None, course_root: Path | None = None) -> bytes:
    """The key bytes; KeyProblem (never a new key) when it is missing, short or misplaced."""
    path = key_path(path)
    if not path.is_file():
        raise KeyProblem(f"kunci verifikasi tidak ditemukan di {path}. Bila kunci belum pernah dibuat, buat "
                         f"sekali dengan `netralitas kunci buat`; bila sudah ada di tempat lain, arahkan "
                         f"{KEY_ENV} ke berkas itu. Tanpa kunci yang sama, sertifikat lama tidak dapat diperiksa.")
    if course_root is not None and _inside(path, course_root):
        raise KeyProblem(f"kunci verifikasi {path} ada di dalam folder data kursus; pindahkan ke luar folder "
                         f"itu dan arahkan {KEY_ENV} ke sana")
    text = path.read_text(encoding="utf-8").strip()
    try:
        key = bytes.fromhex(text)
    except ValueError:
        key = text.encode("utf-8")
    if len(key) < MIN_KEY_BYTES:
        raise KeyProblem(f"kunci verifikasi {path} terlalu pendek ({len(key)} bita; sedikitnya {MIN_KEY_BYTES})")
    return key


def mac(key: bytes, message: bytes) -> str:
    return hmac.new(key, message, hashlib.sha256).hexdigest()


def make_code(secret: bytes, message: str | bytes) -> str:
    """NA-XXXX-XXXX-XXXX-XXXX: 80 bits of the HMAC, base32 without look-alikes."""
    data = message.encode("utf-8") if isinstance(message, str) else message
    digest = hmac.new(secret, data, hashlib.sha256).digest()[:10]
    text = base64.b32encode(digest).decode("ascii")
    return PREFIX + "-" + "-".join(text[i:i + 4] for i in range(0, 16, 4))


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in str(code).upper() if ch.isalnum())
    raw = raw.removeprefix(PREFIX)
    # People read 0/O and 1/I alike; base32 has no 0 or 1.
    raw = raw.replace("0", "O").replace("1", "I").replace("8", "B")
    return PREFIX + "-" + "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))
