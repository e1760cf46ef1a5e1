"""What the instructor side publishes for one learner: the certification
status (and the certificate PDF once issued), read by the course home.

Certification is decided instructor-side (netralitas/report/certification.py,
from the gradebook, the roster and the policy), which a learner cannot read.
After each grading (`netralitas nilai`, so also the grading service) and each
`netralitas sertifikat`, the instructor writes a learner's status into the
exchange's feedback folder, where nbgrader releases feedback: that folder is
the instructor's, 0711 (nobody can list it), its files 0644. Each file is
named, as nbgrader names a released feedback page, by a hash of a submission's
secret (`submission_secret.txt`, 64 random bytes nbgrader's submit writes to
the inbound copy and to the learner's own cache): only the learner (cache, in
their own home) and the instructor (submitted/, feedback/) know it, so no
other account can find or guess the file without root. The instructor writes
the same status under every secret it holds for the learner (their latest
graded submission of each assignment); the learner reads every name their
cache gives and keeps the newest.

Learner runtime: no instructor code, no quiz item.
"""
from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from .. import paths

FORMAT = 1
SECRET = "submission_secret.txt"


def _name(secret: str, what: str) -> str:
    return hashlib.sha256(f"netralitas-{what}|{secret.strip()}".encode("utf-8")).hexdigest()


def status_name(secret: str) -> str:
    return _name(secret, "status") + ".json"


def certificate_name(secret: str) -> str:
    return _name(secret, "sertifikat") + ".pdf"


def outbound(exchange_root: Path, course_id: str = paths.COURSE_ID) -> Path:
    """nbgrader's released-feedback folder of the course (release_feedback's own)."""
    return Path(exchange_root) / course_id / "feedback"


def learner_secrets(home: Path) -> list[str]:
    """This learner's submission secrets from their own exchange cache, newest submission first."""
    return _places(home)[1]


@lru_cache(maxsize=8)
def _config_places(home: Path) -> tuple:
    """Where the exchange and the cache are: read once per learner folder (the
    home's panel looks every few seconds after a result)."""
    from .exchange import exchange_places

    return exchange_places(home)


def _places(home: Path) -> tuple[Path | None, list[str]]:
    """(the course's released-feedback folder, this learner's secrets newest first)."""
    root, where, learner = _config_places(Path(home).resolve())
    if not learner or not where.is_dir():
        return (outbound(root) if root else None), []
    folders = [p for p in where.glob(f"{learner}+*+*") if p.is_dir()]
    out = []
    for folder in sorted(folders, key=lambda p: p.name.split("+")[-1], reverse=True):
        try:
            out.append((folder / SECRET).read_text(encoding="utf-8"))
        except OSError:
            continue
    return (outbound(root) if root else None), out


def read_status(home: Path) -> tuple[dict | None, str | None]:
    """(the newest published status, the secret it was found under), or (None, None)."""
    folder, secrets = _places(home)
    if folder is None:
        return None, None
    best, found = None, None
    for secret in secrets:
        try:
            data = json.loads((folder / status_name(secret)).read_text(encoding="utf-8"))
        except (OSError, ValueError):
            continue
        if not isinstance(data, dict) or data.get("format") != FORMAT:
            continue
        if best is None or str(data.get("dibuat_pada", "")) > str(best.get("dibuat_pada", "")):
            best, found = data, secret
    return best, found


def read_certificate(home: Path, secret: str) -> bytes | None:
    """The certificate PDF published beside the status found under `secret`."""
    folder = _places(home)[0]
    if folder is None:
        return None
    try:
        data = (folder / certificate_name(secret)).read_bytes()
    except OSError:
        return None
    return data if data.startswith(b"%PDF") else None
