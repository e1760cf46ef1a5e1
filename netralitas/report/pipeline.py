"""From a course folder to the HR documents: one function per output, shared
by the command line, the HR notebook and the tests."""
from __future__ import annotations

from dataclasses import replace
from datetime import date
from pathlib import Path

from .certification import Report, build_report
from .codes import add_codes, load_secret
from .kebijakan import load_report_policy
from .sources import Sources, gather

ATTENDANCE_DIR = "kehadiran"


def attendance_files(course_root: Path) -> list[Path]:
    folder = Path(course_root) / ATTENDANCE_DIR
    return sorted(p for p in folder.glob("*") if p.suffix.lower() in (".csv", ".xlsx")) if folder.exists() else []


def make_report(course_root: Path, db_url: str | None = None, roster_path: Path | None = None,
                as_of: date | None = None, units: list[str] | None = None, modules: list[str] | None = None,
                dari: date | None = None, sampai: date | None = None, with_items: bool = True,
                secret: bytes | None = None, policy=None) -> tuple[Report, Sources]:
    from ..grading.course import Course

    course_root = Path(course_root)
    db_url = db_url or Course(course_root).db_url()
    policy = (policy or load_report_policy()).with_period(dari, sampai)
    sources = gather(db_url, course_root, roster_path, attendance_files(course_root), as_of, policy,
                     units or None, modules or None, with_items)
    report = build_report(sources.input)
    secret = secret if secret is not None else load_secret(course_root)
    report = replace(report, learners=add_codes(report.learners, secret, report.required))
    return report, sources


def default_outdir(course_root: Path, as_of: date) -> Path:
    # <course>/reports is ignored by git (personal data); see PANDUAN_BKPSDM.md.
    return Path(course_root) / "reports" / f"laporan_{as_of.isoformat()}"


def write_report_files(report: Report, sources: Sources, outdir: Path,
                       formats: tuple[str, ...] = ("xlsx", "html", "csv")) -> dict[str, Path]:
    from .html import write_html
    from .workbook import sheets, write_csvs, write_xlsx

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    tables = sheets(report, sources.roster_problems, sources.attendance_problems)
    files: dict[str, Path] = {}
    if "xlsx" in formats:
        files["xlsx"] = write_xlsx(outdir / "laporan_netralitas.xlsx", tables)
    if "html" in formats:
        files["html"] = write_html(outdir / "laporan_netralitas.html", report)
    if "csv" in formats:
        files.update(write_csvs(outdir, tables))
    return files


def certificate_people(report: Report, nips: list[str] | None = None):
    L = report.learners
    ok = L[L["tersertifikasi"] & ~L["perlu_sertifikasi_ulang"]]
    return ok[ok["nip"].isin(nips)] if nips else ok


def write_certificates(report: Report, outdir: Path, nips: list[str] | None = None) -> list[Path]:
    from .certificate import write_certificate
    from .sources import module_titles

    titles = module_titles()
    modules = [(m, titles.get(m, "")) for m in report.required]
    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    paths = []
    for person in certificate_people(report, nips).to_dict("records"):
        person["instansi"] = person.get("instansi") or ""
        safe = "".join(ch if ch.isalnum() or ch == "-" else "_" for ch in person["nip"])
        paths.append(write_certificate(outdir / f"sertifikat_{safe}.pdf", person, modules,
                                       person["instansi"] or "BKPSDM"))
    return paths


def write_statements(report: Report, outdir: Path) -> list[Path]:
    from .certificate import write_unit_statement

    outdir = Path(outdir)
    outdir.mkdir(parents=True, exist_ok=True)
    out = []
    for unit, group in report.learners.groupby("unit_kerja", sort=True):
        safe = "".join(ch if ch.isalnum() else "_" for ch in unit).strip("_")
        out.append(write_unit_statement(outdir / f"pernyataan_{safe}.pdf", unit, group["instansi"].iloc[0],
                                        group, report.required, report.as_of))
    return out
