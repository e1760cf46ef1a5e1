"""The certification status the instructor side publishes for the course home:
the report's own figures for one learner, under names only that learner can
compute from their own submissions, and the home's text drawn from it."""
from __future__ import annotations

import json
import re
import shutil
import stat

import pytest

from netralitas.dates import long_day
from netralitas.learner.home import certificate_html
from netralitas.learner.published import certificate_name, read_certificate, read_status, status_name
from netralitas.report.status import publish

from .conftest import AS_OF


def _learner_home(tmp_path, name, nip, exchange, secrets):
    """A learner folder as `make lab` writes it (own nbgrader config, own cache)
    with one cached submission per secret."""
    from netralitas.grading.course import LEARNER_CONFIG

    home = tmp_path / name
    cache = tmp_path / f"{name}_cache"
    home.mkdir()
    (home / "nbgrader_config.py").write_text(LEARNER_CONFIG.format(
        course="netralitas-asn", exchange=str(exchange), nip=nip, cache=str(cache)), encoding="utf-8")
    for n, secret in enumerate(secrets):
        folder = cache / "netralitas-asn" / f"{nip}+kuis_0{n + 1}+2026-11-0{n + 1} 01:02:03.000004 UTC"
        folder.mkdir(parents=True)
        (folder / "submission_secret.txt").write_text(secret, encoding="utf-8")
    return home


def _instructor_side(root, nip, secrets):
    for n, secret in enumerate(secrets):
        folder = root / "feedback" / nip / f"kuis_0{n + 1}"
        folder.mkdir(parents=True)
        (folder / "submission_secret.txt").write_text(secret, encoding="utf-8")


@pytest.fixture(scope="module")
def people(cohort_report):
    report, _ = cohort_report
    L = report.learners
    done = L[L["tersertifikasi"] & ~L["perlu_sertifikasi_ulang"] & L["kode_verifikasi"].astype(bool)].iloc[0]
    open_ = L[~L["tersertifikasi"]].iloc[0]
    return report, done, open_


def test_status_is_the_reports_row_under_the_learners_own_names(people, tmp_path):
    report, done, open_ = people
    course, exchange = tmp_path / "kursus", tmp_path / "exchange"
    _instructor_side(course, done.nip, ["rahasia-a1", "rahasia-a2"])
    _instructor_side(course, open_.nip, ["rahasia-b1"])
    out = publish(course, [done.nip, open_.nip, "999"], exchange=exchange, report=report)
    assert set(out) == {done.nip, open_.nip}  # nobody without a released submission

    folder = exchange / "netralitas-asn" / "feedback"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o711  # nobody can list it
    for secret in ("rahasia-a1", "rahasia-a2"):
        page = folder / status_name(secret)
        assert stat.S_IMODE(page.stat().st_mode) == 0o644
        status = json.loads(page.read_text(encoding="utf-8"))
        assert (folder / certificate_name(secret)).read_bytes().startswith(b"%PDF")
    assert status["tersertifikasi"] and status["diterbitkan"] and status["pdf"]
    assert (status["nomor"], status["kode"]) == (done.nomor_sertifikat, done.kode_verifikasi)
    assert status["tanggal_sertifikasi"] == done.tanggal_sertifikasi.isoformat()
    assert status["berlaku_sampai"] == done.berlaku_sampai.isoformat()
    # No name holds the NIP or anything else another learner could guess.
    assert not [p for p in folder.iterdir() if done.nip in p.name or open_.nip in p.name]

    other = json.loads((folder / status_name("rahasia-b1")).read_text(encoding="utf-8"))
    assert not other["tersertifikasi"] and not other["pdf"]
    assert not (folder / certificate_name("rahasia-b1")).exists()
    rows = report.status[report.status["nip"] == open_.nip]
    assert [(m["modul"], m["selesai"], m["hasil"]) for m in other["modul"]] == \
        [(r.modul, bool(r.selesai), str(r.hasil)) for r in rows.itertuples()]
    assert [m["tenggat"] for m in other["modul"]] == [r.tenggat.date().isoformat() for r in rows.itertuples()]


def test_the_home_reads_only_its_own_status(people, tmp_path):
    report, done, open_ = people
    course, exchange = tmp_path / "kursus", tmp_path / "exchange"
    _instructor_side(course, done.nip, ["rahasia-a1", "rahasia-a2"])
    _instructor_side(course, open_.nip, ["rahasia-b1"])
    publish(course, [done.nip, open_.nip], exchange=exchange, report=report)

    mine = _learner_home(tmp_path, "a", done.nip, exchange, ["rahasia-a1", "rahasia-a2"])
    status, secret = read_status(mine)
    assert status["nip"] == done.nip and secret == "rahasia-a2"  # the newest submission's name
    pdf = read_certificate(mine, secret)
    text = certificate_html(status, pdf)
    assert "Selamat, Anda telah tersertifikasi." in text
    assert done.nomor_sertifikat in text and done.kode_verifikasi in text
    assert f"Berlaku sampai: {long_day(done.berlaku_sampai)}" in text
    assert "href='data:application/pdf;base64," in text and "Unduh sertifikat (PDF)" in text

    # Same NIP claimed in a config, other secrets: nothing to read.
    stranger = _learner_home(tmp_path, "b", done.nip, exchange, ["tebakan"])
    assert read_status(stranger) == (None, None)

    theirs = _learner_home(tmp_path, "c", open_.nip, exchange, ["rahasia-b1"])
    status, _ = read_status(theirs)
    text = certificate_html(status)
    assert text.count("Belum memenuhi syarat.") == 1
    rows = report.status[(report.status["nip"] == open_.nip) & ~report.status["selesai"]]
    assert f"Yang masih perlu diselesaikan ({len(rows)})" in text
    for r in rows.itertuples():
        due = long_day(r.tenggat.date())
        assert (f"tenggat {due} sudah lewat" if r.terlambat else f"paling lambat <b>{due}</b>") in text
    assert f"Keadaan per {long_day(AS_OF)}." in text
    assert not re.search(r"\d{4}-\d{2}-\d{2}", text)  # dates as people write them


def test_a_newer_publication_wins(people, tmp_path):
    report, done, _ = people
    course, exchange = tmp_path / "kursus", tmp_path / "exchange"
    _instructor_side(course, done.nip, ["lama"])
    publish(course, [done.nip], exchange=exchange, report=report)
    folder = exchange / "netralitas-asn" / "feedback"
    stale = json.loads((folder / status_name("lama")).read_text(encoding="utf-8"))
    stale.update(tersertifikasi=False, dibuat_pada="2000-01-01T00:00:00+00:00")
    (folder / status_name("lama")).write_text(json.dumps(stale), encoding="utf-8")
    shutil.rmtree(course / "feedback")
    _instructor_side(course, done.nip, ["lama", "baru"])
    publish(course, [done.nip], exchange=exchange, report=report)
    status, secret = read_status(_learner_home(tmp_path, "a", done.nip, exchange, ["lama", "baru"]))
    assert status["tersertifikasi"] and secret == "baru"


def test_without_roster_or_status_the_home_says_what_to_do(tmp_path):
    assert "setelah kiriman pertama Anda dinilai" in certificate_html(None)
    text = certificate_html({"format": 1, "terdaftar": False})
    assert "belum tercatat dalam daftar pegawai" in text and "Hubungi BKPSDM" in text
    waiting = certificate_html({"format": 1, "terdaftar": True, "tersertifikasi": True, "diterbitkan": False,
                                "tanggal_sertifikasi": "2026-12-07", "per_tanggal": "2026-12-07"})
    assert "sedang disiapkan oleh BKPSDM" in waiting and "7 Desember 2026" in waiting


def test_publish_computes_the_report_itself(cohort_course, tmp_path):
    """From a course folder alone (as `netralitas nilai` calls it): make_report for
    these learners only, with the key at hand, so the certificate is issued."""
    root, cohort = cohort_course
    course = tmp_path / "kursus"
    shutil.copytree(root, course)
    report, _ = __import__("netralitas.report.pipeline", fromlist=["make_report"]).make_report(
        course, db_url=cohort.db_url.replace(str(root), str(course)), as_of=AS_OF, with_items=False)
    L = report.learners
    nip = L[L["tersertifikasi"] & ~L["perlu_sertifikasi_ulang"]].iloc[0].nip
    _instructor_side(course, nip, ["x1"])
    out = publish(course, [nip], exchange=tmp_path / "exchange", as_of=AS_OF)
    assert out[nip]["tersertifikasi"] and out[nip]["diterbitkan"] and out[nip]["pdf"]
    assert out[nip]["kode"] == L.set_index("nip").loc[nip, "kode_verifikasi"]
