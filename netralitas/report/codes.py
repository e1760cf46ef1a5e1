"""Verification codes: a keyed hash (HMAC-SHA256) of what a certificate claims.

The key lives on the instructor side only: NETRALITAS_RAHASIA, else the file
`.rahasia` in the course folder, generated on first use with mode 0600 and
ignored by git. Without the key nobody can make a code that `verifikasi`
accepts; a code stops verifying when the gradebook no longer supports it.
"""
from __future__ import annotations

import base64
import hashlib
import hmac
import os
import secrets
from datetime import date
from pathlib import Path

import pandas as pd

SECRET_FILE = ".rahasia"
PREFIX = "NA"


def load_secret(course_root: Path, create: bool = True) -> bytes:
    env = os.environ.get("NETRALITAS_RAHASIA")
    if env:
        return env.encode("utf-8")
    path = Path(course_root) / SECRET_FILE
    if not path.exists():
        if not create:
            raise FileNotFoundError(f"kunci verifikasi {path} belum ada")
        path.parent.mkdir(parents=True, exist_ok=True)
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(secrets.token_hex(32) + "\n")
    return path.read_text(encoding="utf-8").strip().encode("utf-8")


def claim(nip: str, certified_on: date, rules_version: str, modules: list[str]) -> str:
    return f"{nip}|{certified_on.isoformat()}|{rules_version}|{','.join(sorted(modules))}"


def make_code(secret: bytes, message: str) -> str:
    """NA-XXXX-XXXX-XXXX-XXXX: 80 bits of the HMAC, base32 without look-alikes."""
    digest = hmac.new(secret, message.encode("utf-8"), hashlib.sha256).digest()[:10]
    text = base64.b32encode(digest).decode("ascii")
    return PREFIX + "-" + "-".join(text[i:i + 4] for i in range(0, 16, 4))


def normalise_code(code: str) -> str:
    raw = "".join(ch for ch in str(code).upper() if ch.isalnum())
    raw = raw.removeprefix(PREFIX)
    # People read 0/O and 1/I alike; base32 has no 0 or 1.
    raw = raw.replace("0", "O").replace("1", "I").replace("8", "B")
    return PREFIX + "-" + "-".join(raw[i:i + 4] for i in range(0, len(raw), 4))


def add_codes(learners: pd.DataFrame, secret: bytes, required: list[str]) -> pd.DataFrame:
    learners = learners.copy()
    learners["kode_verifikasi"] = ""
    mask = learners["tersertifikasi"]
    learners.loc[mask, "kode_verifikasi"] = [
        make_code(secret, claim(n, d, v, required))
        for n, d, v in zip(learners.loc[mask, "nip"], learners.loc[mask, "tanggal_sertifikasi"],
                           learners.loc[mask, "versi_aturan"])]
    return learners


def find_code(learners: pd.DataFrame, code: str) -> pd.Series | None:
    """The certified learner whose code this is, compared in constant time."""
    wanted = normalise_code(code)
    found = None
    for i, real in zip(learners.index, learners["kode_verifikasi"]):
        if real and hmac.compare_digest(real, wanted):
            found = i
    return None if found is None else learners.loc[found]
