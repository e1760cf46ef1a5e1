"""From a course folder to the HR documents: one function per output, shared
by the command line, the HR notebook and the tests."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from ..assignments import MODULAR_KINDS
from .certification import Report, build_report
from .codes import load_key
from .kebijakan import load_report_policy
from .sources import Sources, gather

ATTENDANCE_DIR = "kehadiran"


def attendance_files(course_root: Path) -> list[Path]:
    folder = Path(course_root) / ATTENDANCE_DIR
    return sorted(p for p in folder.glob("*") if p.suffix.lower() in (".csv", ".xlsx")) if folder.exists() else []


def make_report(course_root: Path, db_url: str | None = None, roster_path: Path | None = None,
                as_of: date | None = None, units: list[str] | None = None, modules: list[str] | None = None,
                dari: date | None = None, sampai: date | None = None, with_items: bool = True,
                secret: bytes | None = None, policy=None, issue: bool = True,
                nips: list[str] | None = None) -> tuple[Report, Sources]:
    """The report; with issue=True every valid certificate it shows is issued
    (written to the register, or found there) and carries its register code.
    nips: only these learners (the same rule, fewer rows: each learner's figures
    depend on their own attempts only)."""
    from ..grading.course import Course

    course_root = Path(course_root)
    if not course_root.is_dir():
        raise ValueError(f"folder kursus {course_root} tidak ada; periksa --course")
    db_url = db_url or Course(course_root).db_url()
    policy = (policy or load_report_policy()).with_period(dari, sampai)
    key = None
    if issue:  # before any work: a missing key must stop HR, never be replaced
        key = secret if secret is not None else load_key(course_root=course_root)
    sources = gather(db_url, course_root, roster_path, attendance_files(course_root), as_of, policy,
                     units or None, modules or None, with_items)
    if nips is not None:
        roster = sources.input.roster
        sources.input.roster = roster[roster["nip"].astype(str).isin(set(nips))]
    report = build_report(sources.input)
    learners = report.learners.copy()
    learners["nomor_sertifikat"] = ""
    learners["kode_verifikasi"] = ""
    if issue:
        from .register import issue as issue_entries

        issued = issue_entries(course_root, key, certificate_drafts(report, sources.input.attempts))
        pos = learners["nip"].map(lambda n: n in issued)
        learners.loc[pos, "kode_verifikasi"] = learners.loc[pos, "nip"].map(lambda n: issued[n]["kode"])
        learners.loc[pos, "nomor_sertifikat"] = learners.loc[pos, "nip"].map(lambda n: issued[n]["nomor"])
        learners["tanggal_terbit"] = learners["nip"].map(
            lambda n: _local_day(issued[n]["diterbitkan_pada"]) if n in issued else None)
    return replace(report, learners=learners), sources


def _local_day(iso: str) -> date:
    """The agency's calendar day of a stored UTC time."""
    from datetime import datetime

    from .. import clock

    return clock.agency_date(datetime.fromisoformat(iso))


def counted_attempts(report: Report, attempts):
    """Per certified learner and required module, the attempt that completed it:
    the first counted, passed quiz or pre-test in the period (as build_report)."""

    from .. import clock
    from .certification import _period_mask

    people = set(certificate_people(report)["nip"])
    a = attempts[attempts["student_id"].astype(str).isin(people)]
    a = a[a["kind"].isin(MODULAR_KINDS) & a["module"].isin(report.required)
          & a["counted"].astype(bool) & a["passed"].astype(bool)]
    day = a["submitted_at"].dt.tz_convert(clock.agency_zone().key).dt.tz_localize(None).dt.normalize()
    a = a[_period_mask(day, report.policy, report.as_of).to_numpy()]
    a = a.assign(student_id=a["student_id"].astype(str)).sort_values(["student_id", "module", "submitted_at"],
                                                                     kind="stable")
    return a.groupby(["student_id", "module"], as_index=False).head(1)


def _iso(ts) -> str | None:
    import pandas as pd

    if ts is None or pd.isna(ts):
        return None
    return pd.Timestamp(ts).tz_convert("UTC").isoformat() if pd.Timestamp(ts).tzinfo else \
        pd.Timestamp(ts).tz_localize("UTC").isoformat()


def policy_values(assignments: list[str]) -> dict:
    """The policy in force as the register keeps it: file hash and the values that decide a pass."""
    import hashlib

    from .. import policy as grading_policy

    path = grading_policy.policy_file()
    data = path.read_bytes() if path.is_file() else b""
    out = {"berkas": path.name, "sha256": hashlib.sha256(data).hexdigest(), "batas_lulus": {}, "percobaan": {}}
    for a in sorted(set(assignments)):
        out["batas_lulus"][a] = grading_policy.pass_mark(a)
        rule = grading_policy.attempts(a)
        out["percobaan"][a] = {"maksimum": rule.maximum, "yang_dihitung": rule.counted}
    return out


def certificate_drafts(report: Report, attempts) -> list[dict]:
    """One register draft per valid certificate in the report (not yet signed)."""
    from .. import __version__

    people = certificate_people(report)
    if people.empty:
        return []
    chosen = counted_attempts(report, attempts)
    by_nip = {nip: g for nip, g in chosen.groupby("student_id")}
    p = report.policy
    values = policy_values(list(chosen["assignment"].unique()))
    values.update({"modul_wajib": list(report.required), "masa_berlaku_bulan": p.masa_berlaku_bulan,
                   "jp_per_modul": p.jp_per_modul})
    drafts = []
    for person in people.to_dict("records"):
        rows = by_nip.get(person["nip"])
        if rows is None or len(rows) != len(report.required):
            continue  # cannot name the attempts: not issued (periksa reports such gaps)
        modules = [{"modul": r.module, "assignment": r.assignment, "jenis": r.kind, "percobaan": int(r.attempt),
                    "skor": float(r.score), "skor_maks": float(r.max_score), "dikirim": _iso(r.submitted_at),
                    "dinilai": _iso(r.graded_at), "sidik_jawaban": r.answers_fingerprint or "",
                    "versi_konten": r.content_version or ""}
                   for r in rows.sort_values("module").itertuples()]
        drafts.append({
            "nip": person["nip"], "nama": person["nama"], "jenis_id": person.get("jenis_id") or "NIP",
            "unit_kerja": person["unit_kerja"], "instansi": person.get("instansi") or "",
            "jabatan": person.get("jabatan") or "",
            "tanggal_sertifikasi": person["tanggal_sertifikasi"].isoformat(),
            "berlaku_sampai": person["berlaku_sampai"].isoformat() if person["berlaku_sampai"] else None,
            "dasar_masa_berlaku": person.get("dasar_masa_berlaku") or "",
            "versi_aturan": person.get("versi_aturan") or "", "jp": float(person["jp"]),
            "nilai_rata": None if person["nilai_rata"] != person["nilai_rata"] else float(person["nilai_rata"]),
            "modul": modules, "kebijakan": values, "versi_perangkat": __version__})
    return drafts


def default_outdir(course_root: Path, as_of: date) -> Path:
    # <course>/reports is ignored by git (personal data); see PANDUAN_BKPSDM.md.
    return Path(course_root) / "reports" / f"laporan_{as_of.isoformat()}"


def write_report_files(report: Report, sources: Sources, outdir: Path,
                       formats: tuple[str, ...] = ("xlsx", "html", "csv"), key: bytes | None = None,
                       suffix: str = "", course_root: Path | None = None) -> dict[str, Path]:
    """The report files; with the key, a signed manifest of them (manifest.py),
    which also pins the register's length and last line (course_root given), so
    a register cut short after this report is caught by `periksa`."""
    from .html import write_html
    from .workbook import sheets, write_csvs, write_xlsx

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    tables = sheets(report, sources.roster_problems, sources.attendance_problems)
    files: dict[str, Path] = {}
    if "xlsx" in formats:
        files["xlsx"] = write_xlsx(outdir / f"laporan_netralitas{suffix}.xlsx", tables)
    if "html" in formats:
        files["html"] = write_html(outdir / f"laporan_netralitas{suffix}.html", report)
    if "csv" in formats:
        files.update(write_csvs(outdir, tables))
    if key is not None:
        from .manifest import write_manifest
        from .register import issuer

        p = report.policy
        about = {"per_tanggal": report.as_of.isoformat(), "penerbit": issuer(),
                 "kebijakan": {**policy_values(list(report.evidence["assignment"].unique())
                                               if len(report.evidence) else []),
                               "modul_wajib": list(report.required), "tenggat": str(p.tenggat or ""),
                               "masa_berlaku_bulan": p.masa_berlaku_bulan, "jp_per_modul": p.jp_per_modul,
                               "periode": [str(p.periode_mulai or ""), str(p.periode_selesai or "")]}}
        if course_root is not None:
            from .register import line_hash, read_lines

            lines = read_lines(course_root)
            about["register"] = {"baris": len(lines), "hash_terakhir": line_hash(lines[-1].text) if lines else ""}
        files["manifest"] = write_manifest(outdir, list(files.values()), key, about)
    return files


def reminders(report: Report, days: int) -> dict[str, "object"]:
    """Who to remind, with e-mail: certificates that end within `days` days of the
    report date, and learners not yet certified whose earliest open deadline falls within them."""
    import pandas as pd

    from datetime import timedelta

    L = report.learners
    until = report.as_of + timedelta(days=days)
    valid = L[L["tersertifikasi"] & ~L["perlu_sertifikasi_ulang"]]
    ending = valid[valid["berlaku_sampai"].map(lambda d: d is not None and report.as_of <= d <= until)]
    expiring = ending[["unit_kerja", "nama", "nip", "email", "nomor_sertifikat", "berlaku_sampai"]].copy()
    expiring["hari_lagi"] = [(d - report.as_of).days for d in expiring["berlaku_sampai"]]
    S = report.status
    open_ = S[~S["selesai"] & S["tenggat"].notna()]
    open_ = open_[(open_["tenggat"] >= pd.Timestamp(report.as_of)) & (open_["tenggat"] <= pd.Timestamp(until))]
    first = open_.sort_values("tenggat").groupby("nip", as_index=False).agg(
        tenggat=("tenggat", "min"), modul_belum_selesai=("modul", lambda m: ", ".join(sorted(m))))
    due = L[~L["tersertifikasi"]][["unit_kerja", "nama", "nip", "email"]].merge(first, on="nip")
    due["tenggat"] = due["tenggat"].dt.date
    due["hari_lagi"] = [(d - report.as_of).days for d in due["tenggat"]]
    order = ["unit_kerja", "hari_lagi", "nama"]
    return {"Akan kedaluwarsa": expiring.sort_values(order, kind="stable").reset_index(drop=True),
            "Tenggat dekat": due.sort_values(order, kind="stable").reset_index(drop=True)}


def certificate_people(report: Report, nips: list[str] | None = None):
    L = report.learners
    ok = L[L["tersertifikasi"] & ~L["perlu_sertifikasi_ulang"]]
    if "kode_verifikasi" in ok and len(ok) and ok["kode_verifikasi"].astype(bool).any():
        ok = ok[ok["kode_verifikasi"].astype(bool)]  # issued: only what the register holds
    return ok[ok["nip"].isin(nips)] if nips else ok


def write_certificates(report: Report, outdir: Path, nips: list[str] | None = None,
                       base_url: str | None = None) -> list[Path]:
    from .certificate import write_certificate
    from .sources import module_titles
    from .units import load_units

    titles = module_titles()
    master = load_units()
    modules = [(m, titles.get(m, "")) for m in report.required]
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for person in certificate_people(report, nips).to_dict("records"):
        person["instansi"] = person.get("instansi") or ""
        safe = "".join(ch if ch.isalnum() or ch == "-" else "_" for ch in person["nip"])
        paths.append(write_certificate(outdir / f"sertifikat_{safe}.pdf", person, modules,
                                       person["instansi"] or "BKPSDM", master.agency(person["instansi"]), base_url))
    return paths


def unit_file_name(unit: str) -> str:
    return "".join(ch if ch.isalnum() else "_" for ch in unit).strip("_") or "unit"


def write_statements(report: Report, outdir: Path, nomor_surat: str = "") -> list[Path]:
    """One statement per unit; nomor_surat may hold {n}, the unit's number in this run."""
    from .certificate import write_unit_statement
    from .units import load_units

    master = load_units()
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    out = []
    for n, (unit, group) in enumerate(report.learners.groupby("unit_kerja", sort=True), start=1):
        instansi = group["instansi"].iloc[0]
        known = master.lookup(unit)
        out.append(write_unit_statement(outdir / f"pernyataan_{unit_file_name(unit)}.pdf", unit, instansi,
                                        group, report.required, report.as_of,
                                        signer=known.penandatangan if known else None,
                                        agency=master.agency(instansi),
                                        nomor_surat=nomor_surat.replace("{n}", f"{n:03d}")))
    return out
