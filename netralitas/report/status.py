"""Each learner's certification status (and certificate PDF), published for
the course home by the instructor side.

The status is the report's own figures for that learner (make_report ->
certification.build_report: completion, certification, validity, deadlines),
never a second copy of the rule. With the verification key at hand a valid
certificate is issued as `netralitas sertifikat` issues it (register entry,
number, code) and its PDF is published too; without the key the status says
it waits for issue. Where and under which names: netralitas/learner/published.py.

Called after each grading (`netralitas nilai`, which the grading service runs
for every round) for the learners just graded, and by `netralitas sertifikat`
for every learner of its report. A failure here never fails the grading.
"""
from __future__ import annotations

import json
import os
import stat
import tempfile
from datetime import datetime, timezone
from pathlib import Path

from ..files import atomic_write
from ..learner.published import FORMAT, SECRET, certificate_name, outbound, status_name


def known_secrets(course_root: Path, nip: str) -> list[str]:
    """The secret of this learner's latest released feedback, per assignment."""
    out = []
    for path in sorted((Path(course_root) / "feedback" / nip).glob(f"*/{SECRET}")):
        try:
            out.append(path.read_text(encoding="utf-8"))
        except OSError:
            continue
    return out


def _day(value) -> str | None:
    if value is None or value != value:  # None, NaT, NaN
        return None
    return value.isoformat()[:10] if hasattr(value, "isoformat") else str(value)[:10]


def learner_status(report, nip: str, titles: dict[str, str], issued: bool) -> dict:
    """One learner's row of the report, as the home shows it."""
    base = {"format": FORMAT, "nip": nip,
            "dibuat_pada": datetime.now(timezone.utc).isoformat(timespec="microseconds")}
    if report is None or nip not in set(report.learners["nip"]):
        return {**base, "terdaftar": False}
    person = report.learners[report.learners["nip"] == nip].iloc[0]
    rows = report.status[report.status["nip"] == nip]
    modules = [{"modul": r.modul, "judul": titles.get(r.modul, ""), "selesai": bool(r.selesai),
                "hasil": str(r.hasil), "tenggat": _day(r.tenggat), "terlambat": bool(r.terlambat)}
               for r in rows.itertuples()]
    code = str(person.get("kode_verifikasi") or "")
    return {**base, "terdaftar": True, "per_tanggal": report.as_of.isoformat(),
            "tersertifikasi": bool(person["tersertifikasi"]),
            "tanggal_sertifikasi": _day(person["tanggal_sertifikasi"]),
            "berlaku_sampai": _day(person["berlaku_sampai"]),
            "dasar_masa_berlaku": str(person.get("dasar_masa_berlaku") or ""),
            "perlu_sertifikasi_ulang": bool(person["perlu_sertifikasi_ulang"]),
            "alasan_ulang": str(person.get("alasan_ulang") or ""),
            "diterbitkan": issued and bool(code), "nomor": str(person.get("nomor_sertifikat") or ""),
            "kode": code, "modul": modules}


def _put(folder: Path, name: str, data: bytes | str) -> None:
    atomic_write(folder / name, data, mode=0o644)


def publish(course_root: Path, nips: list[str] | None = None, exchange: Path | None = None,
            report=None, as_of=None) -> dict[str, dict]:
    """Compute (or take) the report for these learners (None: everyone with a
    released feedback) and publish each one's status and certificate;
    returns {nip: status}."""
    from ..grading.course import Course
    from .codes import KeyProblem, load_key
    from .pipeline import make_report, write_certificates
    from .sources import module_titles

    root = Path(course_root).resolve()
    if nips is None:
        nips = sorted(p.name for p in (root / "feedback").iterdir() if p.is_dir()) \
            if (root / "feedback").is_dir() else []
    secrets = {n: known_secrets(root, n) for n in nips}
    secrets = {n: s for n, s in secrets.items() if s}
    if not secrets:
        return {}
    issued = True
    if report is None:
        try:
            key = load_key(course_root=root)
        except KeyProblem:
            key, issued = None, False
        try:
            report, _ = make_report(root, as_of=as_of, with_items=False, issue=issued, secret=key,
                                    nips=list(secrets))
        except ValueError:  # no roster yet: nobody can be certified
            report = None
    else:
        issued = "kode_verifikasi" in report.learners and report.learners["kode_verifikasi"].astype(bool).any()
    folder = outbound(exchange or Course(root).exchange)
    if not folder.is_dir():
        folder.mkdir(parents=True)
        os.chmod(folder, stat.S_IRWXU | stat.S_IXGRP | stat.S_IXOTH)  # as nbgrader's release_feedback
    titles = module_titles()
    out = {}
    pdfs: dict[str, bytes] = {}
    if report is not None and issued:
        with tempfile.TemporaryDirectory(dir=root) as tmp:
            for path in write_certificates(report, Path(tmp), list(secrets)):
                pdfs[path.stem.removeprefix("sertifikat_")] = path.read_bytes()
    for nip, keys in secrets.items():
        status = learner_status(report, nip, titles, issued)
        status["pdf"] = nip in pdfs and status.get("diterbitkan", False)
        text = json.dumps(status, ensure_ascii=False, indent=1, sort_keys=True)
        for secret in keys:
            if status["pdf"]:
                _put(folder, certificate_name(secret), pdfs[nip])
            _put(folder, status_name(secret), text)
        out[nip] = status
    return out


def publish_quietly(course_root: Path, nips: list[str], log) -> None:
    """After grading: publish, and on any failure say so without failing the grading."""
    try:
        publish(course_root, nips)
    except Exception as exc:  # the grades and feedback are already released
        log(f"Status sertifikat peserta belum diterbitkan ({type(exc).__name__}: {exc}); "
            "jalankan `netralitas sertifikat` untuk menerbitkannya.")

