"""Collect submissions from the exchange inbound without trusting any of them.

`inbound` is writable by every learner, so each folder in it is hostile until
checked. nbgrader's own collect gave up on the whole batch at the first folder
whose name or timestamp did not parse, followed symlinks into other learners'
work, passed `*` to nbgrader as a student id and only warned about the owner.
Here every folder is checked on its own; a bad one is moved to
`<course>/karantina/<assignment>/` with a reason in Bahasa Indonesia (never
deleted) and the others go on.

What a submission must be (each rule has its reason code, REASONS):
- name `<id>+<assignment>+<timestamp>[+<random>]`, an id without wildcards,
  separators or dots, a timestamp that parses and is not in the future;
- a real folder (not a symlink), owned by the learner's account (see
  `expected_owner`), holding only regular files and folders, within size limits,
  none of them writable by group or others (nbgrader's submit leaves the folder
  0777; the course's submit, learner/submit.py, closes it);
- `timestamp.txt` and `submission_secret.txt` present, regular, readable; the
  timestamp in it parses and is not in the future;
- the answer record, when present, a regular file of JSON within nesting and size limits.

Only the files grading needs are copied into `submitted/` (the assignment's
notebooks, the answer record, timestamp and secret), read without following
links. The graded submission is the newest valid one per learner (ties broken
by the folder name, so every run picks the same); a new folder is always a new
attempt, whatever its timestamp.txt says (the folder's name carries the time).
"""
from __future__ import annotations

import hashlib
import json
import os
import pwd
import re
import shutil
import stat
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path

from ..accounts import PREFIX
from ..paths import ANSWER_RECORD, COURSE_ID

# nbgrader student ids become file names and are matched as glob patterns by
# nbgrader: letters, digits, '_' and '-' only (a NIP is 18 digits).
STUDENT_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9_-]{0,63}")
# A timestamp a little ahead of this machine's clock is a clock skew between
# the learner's server and this one; further ahead it cannot be a real submission.
FUTURE_TOLERANCE = timedelta(minutes=5)
MAX_TOTAL_BYTES = 20 * 1024 * 1024
MAX_FILE_BYTES = 10 * 1024 * 1024
MAX_RECORD_BYTES = 1024 * 1024
MAX_ENTRIES = 500
MAX_DEPTH = 8
MAX_JSON_DEPTH = 64
# The account a learner's files belong to on a shared server: the hub makes
# `asn<NIP>` (netralitas/hub.py). One rule, overridable per installation.
OWNER_RULE_ENV = "NETRALITAS_AKUN_PESERTA"
# The one NIP -> account rule (netralitas/accounts.py), as a format for the override.
DEFAULT_OWNER_RULE = PREFIX + "{nip}"
QUARANTINE_DIR = "karantina"
STAMP = "timestamp.txt"
SECRET = "submission_secret.txt"
# Written by collect beside the copied files: which inbound folder this is.
ORIGIN = ".kiriman"
# A fingerprint of every inbound folder collect has accepted, taken the first
# time it is seen: the learner still owns the folder after submitting, so a
# later change (answers edited after the deadline) is caught and set aside.
FINGERPRINT_DIR = "sidik_kiriman"

REASONS = {
    "nama_tidak_sah": "Nama folder kiriman tidak berbentuk <id peserta>+<kuis>+<waktu>.",
    "id_tidak_sah": "ID peserta pada nama kiriman mengandung karakter yang tidak diizinkan "
                    "(hanya huruf, angka, '_' dan '-').",
    "waktu_tidak_sah": "Waktu kiriman pada nama folder tidak dapat dibaca.",
    "waktu_masa_depan": "Waktu kiriman berada di masa depan; kiriman tidak dinilai.",
    "bukan_folder": "Kiriman bukan folder biasa (tautan simbolik atau berkas).",
    "pemilik_salah": "Kiriman dibuat oleh akun lain, bukan akun peserta tersebut.",
    "tautan_simbolik": "Kiriman berisi tautan simbolik; hanya berkas biasa yang dinilai.",
    "berkas_khusus": "Kiriman berisi berkas khusus (bukan berkas atau folder biasa).",
    "terlalu_besar": "Ukuran kiriman melebihi batas.",
    "terlalu_banyak": "Kiriman berisi terlalu banyak berkas atau folder bertingkat terlalu dalam.",
    "timestamp_hilang": "Berkas timestamp.txt tidak ada atau bukan berkas biasa.",
    "timestamp_tidak_sah": "Isi timestamp.txt kosong atau tidak dapat dibaca sebagai waktu.",
    "timestamp_masa_depan": "Waktu dalam timestamp.txt berada di masa depan; kiriman tidak dinilai.",
    "rahasia_hilang": "Berkas submission_secret.txt tidak ada atau bukan berkas biasa.",
    "notebook_hilang": "Notebook kuis tidak ada dalam kiriman atau bukan berkas biasa.",
    "notebook_rusak": "Notebook kuis bukan JSON yang sah atau bersarang terlalu dalam.",
    "jawaban_bukan_berkas": "Berkas jawaban (jawaban.json) bukan berkas biasa.",
    "jawaban_terlalu_dalam": "Berkas jawaban (jawaban.json) bersarang terlalu dalam atau terlalu besar.",
    "tidak_dapat_dibaca": "Kiriman tidak dapat dibaca.",
    "dapat_ditulis_akun_lain": "Folder kiriman atau berkas di dalamnya dapat ditulis oleh akun lain (izin tulis "
                               "grup atau semua pengguna), sehingga isinya tidak dapat dipastikan milik peserta; "
                               "kiriman tidak dinilai. Peserta perlu mengirim ulang.",
    "diubah_setelah_kirim": "Isi kiriman diubah setelah dikirim (berbeda dari saat pertama kali "
                            "diterima); kiriman tidak dinilai.",
}


class Rejected(Exception):
    def __init__(self, code: str, detail: str = ""):
        super().__init__(code)
        self.code, self.detail = code, detail


@dataclass
class Submission:
    name: str               # the inbound folder's name: the submission's identity
    student_id: str
    timestamp: datetime     # naive UTC, as nbgrader stores it
    path: Path


@dataclass
class SetAside:
    name: str
    student_id: str | None
    code: str
    detail: str = ""
    kept_at: Path | None = None

    @property
    def reason(self) -> str:
        return REASONS[self.code]


@dataclass
class Collected:
    graded: list[Submission] = field(default_factory=list)     # newest valid per learner
    earlier: list[Submission] = field(default_factory=list)    # valid, superseded by a newer one
    set_aside: list[SetAside] = field(default_factory=list)


def now_utc() -> datetime:
    try:
        from ..clock import now_utc as clock_now
    except ImportError:  # the agency clock module is landing separately
        return datetime.now(timezone.utc)
    return clock_now()


def parse_time(text: str) -> datetime:
    """nbgrader's timestamp text -> naive UTC; ValueError when it does not parse."""
    from nbgrader.utils import parse_utc

    text = text.strip()
    if not text or len(text) > 64:
        raise ValueError("empty or overlong timestamp")
    try:
        parsed = parse_utc(text)
    except (ValueError, OverflowError, TypeError) as exc:
        raise ValueError(str(exc)) from None
    if not isinstance(parsed, datetime):
        raise ValueError("not a time")
    return parsed.astimezone(timezone.utc).replace(tzinfo=None) if parsed.tzinfo else parsed


def expected_owner(student_id: str) -> int | None:
    """uid of the learner's account under the installation's rule, or None
    when no such account exists on this machine (a single-account install)."""
    from ..settings import settings

    rule = settings().learner_account or DEFAULT_OWNER_RULE
    try:
        return pwd.getpwnam(rule.format(nip=student_id.lower())).pw_uid
    except (KeyError, ValueError, IndexError):
        return None


def check_owner(student_id: str, uid: int) -> None:
    """Strict: the learner's own account, or, where learners have no accounts
    here (make lab, demo), the account running the grading. Any other owner is
    someone submitting in another learner's name."""
    want = expected_owner(student_id)
    allowed = {want} if want is not None else {os.geteuid()}
    if uid not in allowed:
        try:
            who = pwd.getpwuid(uid).pw_name
        except KeyError:
            who = str(uid)
        raise Rejected("pemilik_salah", f"pemilik {who}")


# Write permission for the group or for everyone: another account could change the submission.
OPEN_TO_OTHERS = stat.S_IWGRP | stat.S_IWOTH


def check_closed(folder: os.stat_result, entries: dict[str, os.stat_result]) -> None:
    """Rejected when the folder or anything in it is writable by group or others."""
    if stat.S_IMODE(folder.st_mode) & OPEN_TO_OTHERS:
        raise Rejected("dapat_ditulis_akun_lain", f"folder {stat.S_IMODE(folder.st_mode):o}")
    for rel, est in sorted(entries.items()):
        if stat.S_IMODE(est.st_mode) & OPEN_TO_OTHERS:
            raise Rejected("dapat_ditulis_akun_lain", f"{rel} {stat.S_IMODE(est.st_mode):o}")


def parse_name(name: str, assignment_id: str) -> tuple[str, datetime] | None:
    """(student id, time) of an inbound folder of this assignment; None when the
    folder belongs to another assignment. Rejected when the name is bad."""
    parts = name.split("+")
    if len(parts) not in (3, 4) or not all(parts[:3]):
        if f"+{assignment_id}+" in f"+{name}+":
            raise Rejected("nama_tidak_sah")
        return None
    student_id, assignment, stamp = parts[:3]
    if assignment != assignment_id:
        return None
    if not STUDENT_ID.fullmatch(student_id):
        raise Rejected("id_tidak_sah")
    try:
        when = parse_time(stamp)
    except ValueError:
        raise Rejected("waktu_tidak_sah") from None
    return student_id, when


def _walk(folder: Path) -> dict[str, os.stat_result]:
    """Relative path -> lstat of every entry, never following a link."""
    found: dict[str, os.stat_result] = {}
    total = 0
    stack = [(folder, "", 0)]
    while stack:
        here, rel, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise Rejected("terlalu_banyak", "folder bertingkat terlalu dalam")
        with os.scandir(here) as entries:
            for entry in entries:
                sub = f"{rel}{entry.name}"
                st = entry.stat(follow_symlinks=False)
                if stat.S_ISLNK(st.st_mode):
                    raise Rejected("tautan_simbolik", sub)
                if stat.S_ISDIR(st.st_mode):
                    stack.append((Path(entry.path), sub + "/", depth + 1))
                elif not stat.S_ISREG(st.st_mode):
                    raise Rejected("berkas_khusus", sub)
                else:
                    total += st.st_size
                    if st.st_size > MAX_FILE_BYTES or total > MAX_TOTAL_BYTES:
                        raise Rejected("terlalu_besar", sub)
                found[sub] = st
                if len(found) > MAX_ENTRIES:
                    raise Rejected("terlalu_banyak", f"lebih dari {MAX_ENTRIES} berkas")
    return found


def read_regular(path: Path, limit: int) -> bytes:
    """A file's bytes, refusing links and anything but a regular file."""
    fd = os.open(path, os.O_RDONLY | os.O_NOFOLLOW | getattr(os, "O_NONBLOCK", 0))
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            raise Rejected("berkas_khusus", path.name)
        if st.st_size > limit:
            raise Rejected("terlalu_besar", path.name)
        with os.fdopen(fd, "rb", closefd=False) as fh:
            data = fh.read(limit + 1)
        if len(data) > limit:
            raise Rejected("terlalu_besar", path.name)
        return data
    finally:
        os.close(fd)


def json_depth_ok(data: bytes, limit: int = MAX_JSON_DEPTH) -> bool:
    """Nesting of a JSON text stays within limit (counted outside strings,
    without parsing: the parser itself is what deep nesting breaks)."""
    depth, in_string, escaped = 0, False, False
    for ch in data.decode("utf-8", errors="replace"):
        if in_string:
            if escaped:
                escaped = False
            elif ch == "\\":
                escaped = True
            elif ch == '"':
                in_string = False
        elif ch == '"':
            in_string = True
        elif ch in "[{":
            depth += 1
            if depth > limit:
                return False
        elif ch in "]}":
            depth -= 1
    return True


def check_submission(path: Path, student_id: str, name_time: datetime, notebooks: list[str],
                     now: datetime) -> dict[str, bytes]:
    """The files to copy ({name: bytes}) of one inbound folder, or Rejected."""
    st = os.lstat(path)
    if not stat.S_ISDIR(st.st_mode):
        raise Rejected("bukan_folder")
    check_owner(student_id, st.st_uid)
    limit = now.replace(tzinfo=None) + FUTURE_TOLERANCE
    if name_time > limit:
        raise Rejected("waktu_masa_depan", name_time.isoformat())
    entries = _walk(path)
    for est in entries.values():
        if est.st_uid != st.st_uid:
            check_owner(student_id, est.st_uid)
    check_closed(st, entries)
    files: dict[str, bytes] = {}
    for wanted, code in ((STAMP, "timestamp_hilang"), (SECRET, "rahasia_hilang")):
        if wanted not in entries or not stat.S_ISREG(entries[wanted].st_mode):
            raise Rejected(code)
        files[wanted] = read_regular(path / wanted, 4096)
    try:
        stamp = parse_time(files[STAMP].decode("utf-8"))
    except (ValueError, UnicodeDecodeError):
        raise Rejected("timestamp_tidak_sah") from None
    if stamp > limit:
        raise Rejected("timestamp_masa_depan", stamp.isoformat())
    for nb in notebooks:
        if nb not in entries or not stat.S_ISREG(entries[nb].st_mode):
            raise Rejected("notebook_hilang", nb)
        data = read_regular(path / nb, MAX_FILE_BYTES)
        try:
            parsed = load_json_safely(data)
        except ValueError as exc:
            raise Rejected("notebook_rusak", f"{nb}: {exc}"[:200]) from None
        if not (isinstance(parsed, dict) and isinstance(parsed.get("cells"), list)):
            raise Rejected("notebook_rusak", f"{nb}: bukan notebook")
        files[nb] = data
    if ANSWER_RECORD in entries:
        if not stat.S_ISREG(entries[ANSWER_RECORD].st_mode):
            raise Rejected("jawaban_bukan_berkas")
        data = read_regular(path / ANSWER_RECORD, MAX_RECORD_BYTES)
        if not json_depth_ok(data):
            raise Rejected("jawaban_terlalu_dalam")
        files[ANSWER_RECORD] = data
    return files


def fingerprint(files: dict[str, bytes]) -> str:
    digest = hashlib.sha256()
    for name in sorted(files):
        data = files[name]
        digest.update(f"{name}\0{len(data)}\0".encode("utf-8"))
        digest.update(data)
    return digest.hexdigest()


def check_unchanged(course_root: Path, assignment_id: str, name: str, files: dict[str, bytes]) -> None:
    """Record the folder's fingerprint the first time; Rejected when it differs later."""
    from ..files import atomic_write

    record = Path(course_root) / FINGERPRINT_DIR / assignment_id / f"{name}.sha256"
    current = fingerprint(files)
    try:
        first = record.read_text(encoding="utf-8").strip()
    except FileNotFoundError:
        record.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        atomic_write(record, current + "\n", mode=0o600)
        return
    if first != current:
        raise Rejected("diubah_setelah_kirim", f"sidik pertama {first[:16]}, sekarang {current[:16]}")


def quarantine(course_root: Path, assignment_id: str, entry: Path, code: str, detail: str) -> Path:
    """Move a set-aside inbound entry out of the way, with its reason beside it.
    Moved, never deleted; if it cannot be moved it stays and is listed so the
    next run skips it."""
    where = Path(course_root) / QUARANTINE_DIR / assignment_id
    where.mkdir(parents=True, exist_ok=True, mode=0o700)
    target = where / entry.name
    n = 1
    while os.path.lexists(target):
        n += 1
        target = where / f"{entry.name}.{n}"
    note = f"{REASONS[code]}\nkode: {code}\n{detail}\nasal: {entry}\n"
    try:
        os.rename(entry, target)
    except OSError:
        try:
            shutil.move(str(entry), str(target))  # another file system: copies links as links
        except OSError:
            target = entry
            with open(where / "tetap_di_inbound.txt", "a", encoding="utf-8") as fh:
                fh.write(entry.name + "\n")
    (where / f"{target.name}.alasan.txt").write_text(note, encoding="utf-8")
    return target


def _left_in_inbound(course_root: Path, assignment_id: str) -> set[str]:
    listing = Path(course_root) / QUARANTINE_DIR / assignment_id / "tetap_di_inbound.txt"
    return set(listing.read_text(encoding="utf-8").split()) if listing.exists() else set()


def release_notebooks(course_root: Path, assignment_id: str) -> list[str]:
    release = Path(course_root) / "release" / assignment_id
    return sorted(p.name for p in release.glob("*.ipynb")) if release.is_dir() else []


def write_submitted(course_root: Path, assignment_id: str, sub: Submission, files: dict[str, bytes]) -> Path:
    """submitted/<id>/<assignment>/ replaced by the checked copies (the older
    copy is ours; the learner's original stays in the inbound)."""
    dest = Path(course_root) / "submitted" / sub.student_id / assignment_id
    tmp = dest.with_name(f".{assignment_id}.baru")
    if tmp.exists():
        shutil.rmtree(tmp)
    tmp.mkdir(parents=True, mode=0o700)
    for name, data in files.items():
        (tmp / name).write_bytes(data)
    # The folder's time is the submission's identity (see module docstring).
    (tmp / STAMP).write_text(sub.timestamp.strftime("%Y-%m-%d %H:%M:%S.%f UTC"), encoding="utf-8")
    (tmp / ORIGIN).write_text(sub.name, encoding="utf-8")
    if dest.exists():
        shutil.rmtree(dest)
    os.rename(tmp, dest)
    return dest


def origin(submitted: Path) -> str | None:
    """The inbound folder a submitted/ copy came from (None for copies made otherwise)."""
    try:
        return (Path(submitted) / ORIGIN).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def collect(course_root: Path, exchange: Path, assignment_id: str, keep=lambda student_id: True,
            now: datetime | None = None) -> Collected:
    """Check every inbound folder of the assignment; copy the newest valid one
    per learner into submitted/; quarantine the rest with a reason.
    keep(student_id) limits the run to some learners (a shard)."""
    root = Path(course_root)
    inbound = Path(exchange) / COURSE_ID / "inbound"
    now = now or now_utc()
    notebooks = release_notebooks(root, assignment_id)
    skip = _left_in_inbound(root, assignment_id)
    result = Collected()
    valid: dict[str, list[tuple[Submission, dict[str, bytes]]]] = {}
    try:
        names = sorted(os.listdir(inbound))
    except FileNotFoundError:
        names = []
    for name in names:
        if name in skip:
            continue
        path = inbound / name
        student_id = None
        try:
            parsed = parse_name(name, assignment_id)
            if parsed is None:
                continue
            student_id, when = parsed
            if not keep(student_id):
                continue
            files = check_submission(path, student_id, when, notebooks, now)
            check_unchanged(root, assignment_id, name, files)
        except Rejected as exc:
            if student_id is not None and not keep(student_id):
                continue
            kept = quarantine(root, assignment_id, path, exc.code, exc.detail)
            result.set_aside.append(SetAside(name, student_id, exc.code, exc.detail, kept))
            continue
        except (OSError, UnicodeError) as exc:
            kept = quarantine(root, assignment_id, path, "tidak_dapat_dibaca", str(exc))
            result.set_aside.append(SetAside(name, student_id, "tidak_dapat_dibaca", str(exc), kept))
            continue
        valid.setdefault(student_id, []).append((Submission(name, student_id, when, path), files))
    for student_id, subs in sorted(valid.items()):
        subs.sort(key=lambda s: (s[0].timestamp, s[0].name))
        newest, files = subs[-1]
        result.earlier += [s for s, _ in subs[:-1]]
        current = root / "submitted" / student_id / assignment_id
        if origin(current) != newest.name:
            write_submitted(root, assignment_id, newest, files)
        result.graded.append(newest)
    return result


def submission_order(exchange: Path, student_id: str, assignment_id: str) -> list[tuple[datetime, str]]:
    """(time, name) of a learner's inbound submissions that parse, oldest first:
    the attempt number is a submission's place in this list."""
    inbound = Path(exchange) / COURSE_ID / "inbound"
    out = []
    prefix = f"{student_id}+{assignment_id}+"
    try:
        names = os.listdir(inbound)
    except FileNotFoundError:
        return []
    for name in names:
        if not name.startswith(prefix):
            continue
        try:
            parsed = parse_name(name, assignment_id)
        except Rejected:
            continue
        if parsed and parsed[0] == student_id:
            out.append((parsed[1], name))
    return sorted(out)


def load_json_safely(data: bytes):
    """json.loads with the nesting guard; ValueError on anything bad."""
    if not json_depth_ok(data):
        raise ValueError("nested too deeply")
    try:
        return json.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError) as exc:
        raise ValueError(str(exc)) from None
