"""Evidence kept at grading time: every submission and the policy of every run.

nbgrader keeps only a learner's newest submission in submitted/. Grading
(grading/attempts.record_graded) calls archive_submission for each submission
it records and snapshot_policy once per run, so an inspector can later
recompute any certificate from what the learner actually sent.

Layout under <course>/arsip/ (write-once; nothing here is ever rewritten):
    kiriman/<nip>/<assignment>/<UTC time>/...   copy of the submission + meta.json
    kebijakan/<sha256>.yaml                     policy file as it was in a run
    kebijakan/penilaian.jsonl                   one line per grading run
    SHA256SUMS                                  `cd arsip && sha256sum -c SHA256SUMS`
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import json
import os
import re
import shutil
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from ..files import atomic_write

ARCHIVE_DIR = "arsip"
SUMS = "SHA256SUMS"
MAX_FILE_BYTES = 50 * 1024 * 1024   # a notebook with a runaway output is listed, not copied
_SAFE = re.compile(r"[A-Za-z0-9._-]{1,128}")


def archive_root(course_root: Path) -> Path:
    return Path(course_root) / ARCHIVE_DIR


def _stamp(ts: datetime) -> str:
    if ts.tzinfo is None:
        ts = ts.replace(tzinfo=timezone.utc)
    return ts.astimezone(timezone.utc).strftime("%Y%m%dT%H%M%S.%fZ")


def _safe(name: str) -> str:
    name = str(name)
    return name if _SAFE.fullmatch(name) and name not in (".", "..") else "x" + name.encode("utf-8").hex()


def submission_dir(course_root: Path, nip: str, assignment: str, submitted_at: datetime) -> Path:
    return archive_root(course_root) / "kiriman" / _safe(nip) / _safe(assignment) / _stamp(submitted_at)


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as fh:
        for block in iter(lambda: fh.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


@contextlib.contextmanager
def _locked(root: Path):
    root.mkdir(parents=True, exist_ok=True)
    with open(root / ".kunci_tulis", "a") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)


def _append_sums(root: Path, entries: list[tuple[str, str]]) -> None:
    with open(root / SUMS, "a", encoding="utf-8") as fh:
        for digest, rel in entries:
            fh.write(f"{digest}  {rel}\n")
        fh.flush()
        os.fsync(fh.fileno())


def _copy_regular(src: Path, dest: Path) -> str | None:
    """Copy one regular file without following a symlink; None if it is not one."""
    try:
        fd = os.open(src, os.O_RDONLY | os.O_NOFOLLOW)
    except OSError:
        return None
    with os.fdopen(fd, "rb") as fh:
        if not os.path.stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            return None
        dest.parent.mkdir(parents=True, exist_ok=True)
        with open(dest, "wb") as out:
            shutil.copyfileobj(fh, out)
    return sha256_file(dest)


def archive_submission(course_root: Path, nip: str, assignment: str, folder: Path,
                       submitted_at: datetime, source: str = "dinilai") -> Path:
    """Copy one submission into the archive (once; a second call for the same
    submission leaves the first copy alone) and list its files in SHA256SUMS."""
    root = archive_root(course_root)
    dest = submission_dir(course_root, nip, assignment, submitted_at)
    if dest.exists():
        return dest
    with _locked(root):
        if dest.exists():
            return dest
        dest.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".tmp-", dir=dest.parent))
        files, skipped = {}, {}
        for path in sorted(Path(folder).rglob("*")):
            rel = path.relative_to(folder).as_posix()
            if path.is_symlink():
                skipped[rel] = "tautan simbolik (tidak diikuti)"
            elif not path.is_file():
                continue
            elif "\n" in rel or "\\" in rel or rel == "meta.json":
                skipped[rel] = "nama berkas tidak dapat dicatat di SHA256SUMS"
            elif path.stat().st_size > MAX_FILE_BYTES:
                skipped[rel] = f"lebih dari {MAX_FILE_BYTES // (1024 * 1024)} MB; hanya sidiknya dicatat"
                files[rel] = sha256_file(path)
            else:
                digest = _copy_regular(path, tmp / rel)
                if digest is None:
                    skipped[rel] = "bukan berkas biasa"
                else:
                    files[rel] = digest
        stamp = submitted_at if submitted_at.tzinfo else submitted_at.replace(tzinfo=timezone.utc)
        meta = {"nip": nip, "assignment": assignment, "dikirim": stamp.astimezone(timezone.utc).isoformat(),
                "sumber": source, "diarsipkan": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                "berkas": files, "dilewati": skipped}
        (tmp / "meta.json").write_text(json.dumps(meta, ensure_ascii=False, indent=1, sort_keys=True),
                                       encoding="utf-8")
        os.replace(tmp, dest)
        rel_dest = dest.relative_to(root).as_posix()
        copied = [(d, f"{rel_dest}/{r}") for r, d in files.items() if (dest / r).is_file()]
        _append_sums(root, copied + [(sha256_file(dest / "meta.json"), f"{rel_dest}/meta.json")])
    return dest


def snapshot_policy(course_root: Path, policy_path: Path, assignment: str, now: datetime | None = None) -> str:
    """The policy file in force for this grading run, kept by content; returns its sha256."""
    root = archive_root(course_root)
    folder = root / "kebijakan"
    data = Path(policy_path).read_bytes() if Path(policy_path).is_file() else b""
    digest = hashlib.sha256(data).hexdigest()
    when = (now or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")
    with _locked(root):
        folder.mkdir(parents=True, exist_ok=True)
        target = folder / f"{digest}.yaml"
        if not target.exists():
            atomic_write(target, data)
            _append_sums(root, [(digest, f"kebijakan/{target.name}")])
        with open(folder / "penilaian.jsonl", "a", encoding="utf-8") as fh:
            fh.write(json.dumps({"waktu": when, "assignment": assignment, "sha256": digest,
                                 "berkas": Path(policy_path).name}, ensure_ascii=False) + "\n")
    return digest


def check_sums(course_root: Path) -> list[str]:
    """What `sha256sum -c SHA256SUMS` would say is wrong, as messages (Bahasa Indonesia)."""
    root = archive_root(course_root)
    sums = root / SUMS
    if not sums.exists():
        return []
    bad = []
    for n, line in enumerate(sums.read_text(encoding="utf-8").splitlines(), start=1):
        digest, _, rel = line.partition("  ")
        path = root / rel
        if not path.is_file():
            bad.append(f"arsip: {rel} tercatat di {SUMS} baris {n} tetapi tidak ada")
        elif sha256_file(path) != digest:
            bad.append(f"arsip: {rel} berubah sejak diarsipkan (sidik sha256 tidak cocok)")
    return bad


def archived_submissions(course_root: Path) -> list[dict]:
    """meta.json of every archived submission, with its folder."""
    out = []
    base = archive_root(course_root) / "kiriman"
    for meta in sorted(base.glob("*/*/*/meta.json")) if base.is_dir() else []:
        try:
            data = json.loads(meta.read_text(encoding="utf-8"))
        except (OSError, json.JSONDecodeError):
            data = {"rusak": True}
        data["folder"] = meta.parent
        out.append(data)
    return out
