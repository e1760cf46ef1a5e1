"""The report area's checks for `netralitas periksa`: register chain, archive
fingerprints, and each issued certificate recomputed from what the learner sent.

A certificate rests on one counted attempt per module. Each is recomputed
from the archived submission (answer fingerprint, score from the answers and
the course's quiz source, pass by the policy values recorded at issue) and
compared with the register entry and the attempts ledger. Every ledger row is
also rescored from its archived submission, and every archived graded
submission must still have its ledger row.
"""
from __future__ import annotations

from pathlib import Path

from ..periksa import WARNING, Finding, check
from ..paths import ANSWER_RECORD
from .archive import _stamp, archived_submissions, check_sums, submission_dir
from .codes import KeyProblem, load_key
from .register import chain_problems, entries

TOLERANCE = 1e-6


def _who(nip: str, nama: str = "") -> str:
    return f"{nip} {nama}".strip()


def rescore(source_notebook: Path, record_path: Path) -> float | None:
    """Score of an answer record by the quiz source's own scoring calls (as
    fastgrade grades it); None when the source is not a generated quiz."""
    import nbformat
    from nbgrader.utils import is_grade

    from ..grading.check import evaluate
    from ..grading.fastgrade import parse_call

    try:
        nb = nbformat.read(source_notebook, as_version=4)
    except (OSError, ValueError):
        return None
    calls = [parse_call(c.source) for c in nb.cells if c.cell_type == "code" and is_grade(c)]
    if not calls or any(c is None for c in calls):
        return None
    return sum(evaluate(**c, record_path=Path(record_path))[0] for c in calls)


class _Course:
    """What the checks read from one course folder, loaded once."""

    def __init__(self, root: Path):
        from ..grading.course import Course

        self.root = root
        course = Course(root)
        self.source = Path(course.config().CourseDirectory.source_directory)
        self.db_url = course.db_url()
        self._ledger = None
        self._scores: dict[tuple[str, str], float | None] = {}

    def ledger(self):
        if self._ledger is None:
            from ..grading.attempts import read_attempts

            frame = read_attempts(self.db_url)
            self._ledger = {(r.student_id, r.assignment, _stamp(r.submitted_at.to_pydatetime())): r
                            for r in frame.itertuples()}
        return self._ledger

    def rescored(self, folder: Path, assignment: str) -> float | None:
        key = (str(folder), assignment)
        if key not in self._scores:
            self._scores[key] = rescore(self.source / assignment / f"{assignment}.ipynb", folder / ANSWER_RECORD)
        return self._scores[key]


def _key(root: Path):
    try:
        return load_key(course_root=root), None
    except KeyProblem as exc:
        return None, str(exc)


@check("Register sertifikat: rantai dan tanda tangan")
def register_chain(root: Path) -> list[Finding]:
    key, problem = _key(root)
    out = [Finding(who, msg) for who, msg in chain_problems(root, key)]
    if problem:
        out.append(Finding("kunci verifikasi", problem))
        out += [Finding(_who(e["nip"], e.get("nama", "")), "sertifikat tidak dapat diperiksa tanpa kunci verifikasi")
                for e in entries(root) if e.get("jenis") == "terbit"]
    return out


@check("Arsip kiriman dan kebijakan: sidik sha256 (SHA256SUMS)")
def archive_sums(root: Path) -> list[Finding]:
    return [Finding("arsip", msg) for msg in check_sums(root)]


@check("Sertifikat terbit dihitung ulang dari kiriman yang diarsipkan")
def recompute_certificates(root: Path) -> list[Finding]:
    from ..grading.attempts import fingerprint

    c = _Course(root)
    revoked = {e.get("kode_dicabut") for e in entries(root) if e.get("jenis") == "cabut"}
    out = []
    for e in entries(root):
        if e.get("jenis") != "terbit" or e.get("kode") in revoked:
            continue
        who = _who(e.get("nip", "?"), e.get("nama", ""))
        marks = (e.get("kebijakan") or {}).get("batas_lulus") or {}
        for m in e.get("modul") or []:
            label = f"modul {m['modul']} ({m['assignment']} percobaan {m['percobaan']})"
            from datetime import datetime

            sent = datetime.fromisoformat(m["dikirim"])
            folder = submission_dir(root, e["nip"], m["assignment"], sent)
            if not folder.is_dir():
                out.append(Finding(who, f"{label}: kiriman yang mendasari sertifikat tidak ada di arsip"))
                continue
            if fingerprint(folder / ANSWER_RECORD) != m["sidik_jawaban"]:
                out.append(Finding(who, f"{label}: jawaban di arsip tidak cocok dengan sidik jawaban di sertifikat"))
            score = c.rescored(folder, m["assignment"])
            if score is None:
                out.append(Finding(who, f"{label}: skor tidak dapat dihitung ulang (sumber kuis tidak ada atau "
                                        "bukan kuis buatan kursus)", WARNING))
            elif abs(score - m["skor"]) > TOLERANCE:
                out.append(Finding(who, f"{label}: skor di sertifikat {m['skor']:g}, dihitung ulang dari kiriman "
                                        f"{score:g} dari {m['skor_maks']:g}"))
            elif m["skor_maks"] and score / m["skor_maks"] < float(marks.get(m["assignment"], 0)) - 1e-9:
                out.append(Finding(who, f"{label}: skor {score:g}/{m['skor_maks']:g} di bawah batas lulus "
                                        f"{marks[m['assignment']]} yang berlaku saat terbit"))
            row = c.ledger().get((e["nip"], m["assignment"], _stamp(sent)))
            if row is None:
                out.append(Finding(who, f"{label}: percobaan ini telah dihapus dari catatan percobaan"))
            elif abs(float(row.score) - m["skor"]) > TOLERANCE:
                out.append(Finding(who, f"{label}: skor di catatan percobaan diubah menjadi {float(row.score):g} "
                                        f"(di sertifikat {m['skor']:g})"))
    return out


@check("Catatan percobaan sesuai kiriman yang diarsipkan")
def ledger_against_archive(root: Path) -> list[Finding]:
    c = _Course(root)
    ledger = c.ledger()
    out = []
    archived = {}
    for meta in archived_submissions(root):
        if meta.get("rusak"):
            out.append(Finding(str(meta["folder"]), "meta.json arsip tidak dapat dibaca"))
            continue
        from datetime import datetime

        k = (meta["nip"], meta["assignment"], _stamp(datetime.fromisoformat(meta["dikirim"])))
        archived[k] = meta
        if meta.get("sumber") == "dinilai" and k not in ledger:
            out.append(Finding(meta["nip"], f"{meta['assignment']} kiriman {meta['dikirim']}: sudah dinilai dan "
                                            "diarsipkan, tetapi percobaannya tidak ada lagi di catatan percobaan "
                                            "(dihapus)"))
    missing = 0
    for k, row in ledger.items():
        meta = archived.get(k)
        if meta is None:
            missing += 1
            continue
        score = c.rescored(meta["folder"], row.assignment)
        if score is not None and abs(score - float(row.score)) > TOLERANCE:
            out.append(Finding(row.student_id, f"{row.assignment} percobaan {row.attempt}: skor di catatan percobaan "
                                               f"{float(row.score):g}, dihitung ulang dari kiriman {score:g}"))
    if missing:
        out.append(Finding("arsip", f"{missing} percobaan di catatan percobaan tidak punya kiriman di arsip "
                                    "(dinilai sebelum arsip ada?)", WARNING))
    return out


@check("Register tidak dipotong sejak laporan yang sudah dibuat (manifes laporan)")
def register_not_cut(root: Path) -> list[Finding]:
    """Each signed report manifest pins how long the register was and its last line;
    the register today must still hold that line at that place (lines only ever get added)."""
    import hmac
    import json

    from .codes import mac
    from .manifest import MANIFEST, SIGNATURE
    from .register import line_hash, read_lines

    key, _ = _key(root)
    lines = read_lines(root)
    out = []
    for manifest in sorted((root / "reports").rglob(MANIFEST)) if (root / "reports").is_dir() else []:
        try:
            text = manifest.read_text(encoding="utf-8")
            pinned = json.loads(text).get("register")
            signed = key is not None and hmac.compare_digest(
                (manifest.parent / SIGNATURE).read_text(encoding="utf-8").strip(), mac(key, text.encode("utf-8")))
        except (OSError, ValueError):
            continue
        if not pinned or not signed:
            continue  # an unsigned manifest proves nothing either way
        n, last = int(pinned.get("baris", 0)), pinned.get("hash_terakhir", "")
        where = manifest.parent.relative_to(root).as_posix()
        if n > len(lines):
            out.append(Finding("register", f"register kini {len(lines)} baris, padahal laporan {where} dibuat "
                                           f"saat register {n} baris: baris terakhir dihapus"))
        elif n and line_hash(lines[n - 1].text) != last:
            out.append(Finding("register", f"baris {n} register tidak sama dengan saat laporan {where} dibuat"))
    return out
