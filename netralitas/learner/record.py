"""The answer record: what a learner's clicks write, and what grading reads.

One JSON file per assignment folder (quiz) or per module (progress). Writes are
atomic (temporary file in the same folder, fsync, rename) so a crash or a full
disk never leaves half a record, and each read-modify-write holds a lock, so
two clicks saved at once (two tabs, a widget firing twice) both survive.
Reading never modifies anything: grading runs the same code and must see
exactly what the learner left. Learner runtime: no instructor code.
"""
from __future__ import annotations

import contextlib
import fcntl
import json
import os
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path

from ..files import atomic_write

FORMAT = "netralitas-answers/1"
INVALID = "<tidak sah>"


def now_iso() -> str:
    return datetime.now(timezone.utc).isoformat(timespec="seconds")


@dataclass
class LoadResult:
    answers: dict[str, str] = field(default_factory=dict)
    # None when the record is usable; otherwise one of "missing", "corrupt".
    problem: str | None = None
    detail: str = ""


def load(path: Path) -> LoadResult:
    """Answers as {item_id: option_id}; problems are reported, never raised."""
    path = Path(path)
    if not path.exists():
        return LoadResult(problem="missing", detail=f"{path.name} tidak ditemukan")
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as exc:
        return LoadResult(problem="corrupt", detail=f"{path.name} tidak dapat dibaca: {exc}")
    answers = data.get("answers") if isinstance(data, dict) else None
    if not isinstance(answers, dict):
        return LoadResult(problem="corrupt", detail=f"{path.name} tidak berisi daftar jawaban")
    out = {}
    for item_id, entry in answers.items():
        option = entry.get("option") if isinstance(entry, dict) else None
        # A hand-edited entry of the wrong shape is kept as an invalid choice,
        # so grading reports it instead of treating the item as never answered.
        out[str(item_id)] = option if isinstance(option, str) else INVALID
    return LoadResult(answers=out)


def _atomic_write(path: Path, text: str) -> None:
    # Owner only: the record sits in the learner's own folder; nbgrader's
    # submit gives the submitted copy the modes the instructor needs.
    atomic_write(path, text, mode=0o600)


@contextlib.contextmanager
def _locked(path: Path):
    """An exclusive lock on the record's folder: the record itself is replaced
    on every write, so it cannot carry the lock, and a lock file would be
    submitted with the quiz."""
    fd = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX)
        yield
    finally:
        os.close(fd)  # closing releases the lock


def save_answer(path: Path, item_id: str, option_id: str | None, context: str = "") -> None:
    """Record one click. A corrupt existing record is kept aside, never overwritten."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    with _locked(path):
        _save_locked(path, item_id, option_id, context)


def _save_locked(path: Path, item_id: str, option_id: str | None, context: str) -> None:
    data: dict = {"format": FORMAT, "context": context, "answers": {}}
    if path.exists():
        try:
            existing = json.loads(path.read_text(encoding="utf-8"))
            if not isinstance(existing.get("answers"), dict):
                raise ValueError("no answers mapping")
            data.update(existing)
        except (ValueError, AttributeError, UnicodeDecodeError):
            stamp = datetime.now(timezone.utc).strftime("%Y%m%d-%H%M%SZ")
            path.replace(path.with_name(f"{path.name}.rusak-{stamp}"))
    if option_id is None:
        data["answers"].pop(item_id, None)
    else:
        data["answers"][item_id] = {"option": option_id, "at": now_iso()}
    data["updated_at"] = now_iso()
    _atomic_write(path, json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True))
