"""Completion, certification, expiry and the tables HR acts on.

A module is completed by its first counted, passed quiz attempt ("lulus kuis")
or pre-test ("lulus tes awal") inside the period. The course is certified on
the day the last required module is completed. A certificate expires when the
next official election in the calendar starts its first stage, at the latest
after `masa_berlaku_bulan`, and must be renewed when a newer rules version is
in force. Everything is computed on whole frames (no per-learner loops) so
a province-sized cohort stays within seconds.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

import numpy as np
from dateutil.relativedelta import relativedelta
import pandas as pd

from .. import clock
from ..assignments import MODULAR_KINDS, Kind
from .kebijakan import ReportPolicy

DONE_QUIZ, DONE_PRETEST, NOT_PASSED, NOT_STARTED = "lulus kuis", "lulus tes awal", "belum lulus", "belum mulai"
HASIL = [NOT_STARTED, NOT_PASSED, DONE_QUIZ, DONE_PRETEST]   # category codes 0..3
ROSTER_COLUMNS = ["nip", "nama", "jabatan", "unit_kerja", "instansi", "status", "jenis_id", "email"]


@dataclass
class ReportInput:
    roster: pd.DataFrame
    attempts: pd.DataFrame
    policy: ReportPolicy
    modules: dict[str, str]                      # module id -> title
    as_of: date
    items: pd.DataFrame | None = None            # per-item grades (item analysis)
    item_titles: dict[str, tuple[str, str]] = field(default_factory=dict)  # item -> (module, title)
    attendance: pd.DataFrame | None = None
    election_starts: list[tuple[date, str]] = field(default_factory=list)  # (first stage, election name)
    units: list[str] | None = None               # filter
    module_filter: list[str] | None = None       # filter (display)


@dataclass
class Report:
    learners: pd.DataFrame
    status: pd.DataFrame        # long: one row per learner x required module
    units: pd.DataFrame
    modules: pd.DataFrame
    overdue: pd.DataFrame
    recertify: pd.DataFrame
    items: pd.DataFrame
    trend: pd.DataFrame
    evidence: pd.DataFrame
    not_in_roster: pd.DataFrame
    required: list[str]
    as_of: date
    policy: ReportPolicy
    # Submissions of roster learners dated after `as_of` (agency calendar): left
    # out of every figure, and said so, so a report dated too early never reads as "nobody".
    later: int = 0
    latest: date | None = None


@lru_cache(maxsize=1)
def empty_fingerprints() -> frozenset[str]:
    """Answer fingerprints of a submission without answers (record missing,
    unreadable, or with no answer), made by the ledger's own function."""
    import tempfile
    from pathlib import Path

    from ..grading.attempts import fingerprint

    with tempfile.TemporaryDirectory() as tmp:
        out = {fingerprint(Path(tmp) / "tidak_ada.json")}
        for name, text in (("kosong.json", '{"answers": {}}'), ("rusak.json", "bukan json")):
            (Path(tmp) / name).write_text(text, encoding="utf-8")
            out.add(fingerprint(Path(tmp) / name))
    return frozenset(out)


def _answered(attempts: pd.DataFrame) -> np.ndarray:
    """True for attempts that carry answers (unknown fingerprint: assumed answered)."""
    fp = attempts["answers_fingerprint"] if "answers_fingerprint" in attempts else pd.Series(None, index=attempts.index)
    return ~fp.isin(empty_fingerprints()).to_numpy()


def _expiry(cert: date, policy: ReportPolicy, starts: list[tuple[date, str]]) -> tuple[date, str]:
    # relativedelta keeps the day and clamps only at a month's end (29 Feb -> 28 Feb).
    cap = cert + relativedelta(months=policy.masa_berlaku_bulan)
    nxt = [(d, n) for d, n in sorted(starts) if d > cert]
    if nxt and nxt[0][0] <= cap:
        return nxt[0][0] - timedelta(days=1), f"sebelum tahapan {nxt[0][1]} dimulai"
    return cap, f"masa berlaku {policy.masa_berlaku_bulan} bulan"


def _period_mask(days: pd.Series, policy: ReportPolicy, as_of: date) -> pd.Series:
    """days: datetime64 (midnight of the local day)."""
    mask = days <= pd.Timestamp(as_of)
    if policy.periode_mulai:
        mask &= days >= pd.Timestamp(policy.periode_mulai)
    if policy.periode_selesai:
        mask &= days <= pd.Timestamp(policy.periode_selesai)
    return mask


def _as_dates(series: pd.Series) -> pd.Series:
    """datetime64 -> datetime.date objects (None for NaT), for documents and codes."""
    out = pd.Series([None] * len(series), index=series.index, dtype=object)
    ok = series.notna()
    out[ok] = series[ok].dt.date
    return out


def build_report(inp: ReportInput) -> Report:
    """Learners are numbered once (their row in the sorted roster) and modules
    once; every (learner, module) figure is then a slot in a flat numpy array
    of N x M, so no step hashes the million attempt rows' ids twice."""
    policy, as_of = inp.policy, inp.as_of
    required = list(policy.modul_wajib or sorted(inp.modules))
    M = len(required)
    roster = inp.roster.copy()
    for col in ROSTER_COLUMNS:
        if col not in roster:
            roster[col] = ""
    roster = roster[ROSTER_COLUMNS].fillna("")
    roster["nip"] = roster["nip"].astype(str)
    everyone = pd.Index(roster["nip"].unique())
    if inp.units:
        roster = roster[roster["unit_kerja"].isin(inp.units)]
    roster = roster.sort_values(["unit_kerja", "nama", "nip"], kind="stable").reset_index(drop=True)
    N = len(roster)
    nips = roster["nip"].to_numpy()

    a = inp.attempts
    sid = a["student_id"] if pd.api.types.is_string_dtype(a["student_id"]) else a["student_id"].astype(str)
    day = a["submitted_at"].dt.tz_convert(clock.agency_zone().key).dt.tz_localize(None).dt.normalize()
    # One hash lookup per attempt: its row in the whole roster, then (cheap,
    # per roster row) its place among the learners reported on.
    in_roster = everyone.get_indexer(sid)
    outside = in_roster < 0
    not_in_roster = (pd.DataFrame({"nip": sid[outside], "tanggal": day[outside]})
                     .groupby("nip", as_index=False).agg(kiriman=("tanggal", "size"), terakhir=("tanggal", "max")))
    not_in_roster["terakhir"] = _as_dates(not_in_roster["terakhir"])
    learner = np.where(outside, -1, pd.Index(nips).get_indexer(everyone)[in_roster])
    known = learner >= 0
    after = known & (day > pd.Timestamp(as_of)).to_numpy()
    later = int(after.sum())
    latest = day[known].max() if known.any() else None
    latest = None if latest is None or pd.isna(latest) else latest.date()
    keep = known & _period_mask(day, policy, as_of).to_numpy()
    a = a[keep].assign(student_id=sid[keep], tanggal=day[keep])
    learner = learner[keep]
    a["persen"] = (a["score"] / a["max_score"]).where(a["max_score"] > 0, 0.0)
    module = pd.Index(required).get_indexer(a["module"].astype(object).where(a["module"].notna(), ""))
    is_modular = (a["kind"].isin(MODULAR_KINDS).to_numpy()) & (module >= 0)
    modular = a[is_modular]
    key = learner[is_modular] * M + module[is_modular]

    # Attempts and best score per slot; the first counted, passed attempt completes it.
    tries = np.bincount(key, minlength=N * M)
    best = pd.Series(modular["persen"].to_numpy(dtype=float)).groupby(key).max()
    best = pd.Series(best.to_numpy(), index=best.index).reindex(range(N * M)).to_numpy()
    ok = (modular["counted"].astype(bool) & modular["passed"].astype(bool)).to_numpy()
    d, dkey = modular.loc[ok, ["submitted_at", "tanggal", "persen", "kind"]], key[ok]
    # First = earliest submission per slot (ties: the earlier row), without a
    # sort: each slot's earliest time, then the first row that has it.
    when = d["submitted_at"].array.asi8
    earliest = np.full(N * M, np.iinfo(np.int64).max)
    np.minimum.at(earliest, dkey, when)
    row = np.flatnonzero(when == earliest[dkey])
    lowest = np.full(N * M, len(d))
    np.minimum.at(lowest, dkey[row], row)
    slots = np.flatnonzero(lowest < len(d))
    first = lowest[slots]
    done_day = np.full(N * M, np.datetime64("NaT"), dtype="datetime64[ns]")
    done_day[slots] = d["tanggal"].to_numpy(dtype="datetime64[ns]")[first]
    done_pct = np.full(N * M, np.nan)
    done_pct[slots] = d["persen"].to_numpy(dtype=float)[first]
    selesai = np.zeros(N * M, dtype=bool)
    selesai[slots] = True
    pretest = np.zeros(N * M, dtype=bool)
    pretest[slots] = d["kind"].to_numpy()[first] == Kind.PRETEST.value
    # Outcome per slot as a categorical: codes in one int8 array, four strings in all.
    code = np.where(pretest, 3, np.where(selesai, 2, (tries > 0).astype(np.int8))).astype(np.int8)
    hasil = pd.Categorical.from_codes(code, categories=HASIL)
    deadlines = np.array([np.datetime64(policy.deadline(m), "ns") if policy.deadline(m) else np.datetime64("NaT", "ns")
                          for m in required], dtype="datetime64[ns]")
    tenggat = np.tile(deadlines, N)
    terlambat = ~selesai & (tenggat < np.datetime64(as_of, "ns"))
    status = pd.DataFrame({
        "nip": np.repeat(nips, M), "modul": np.tile(np.array(required, dtype=object), N), "percobaan": tries,
        "nilai_terbaik": best, "selesai_pada": done_day, "nilai_lulus": done_pct, "selesai": selesai,
        "hasil": hasil, "tenggat": tenggat, "terlambat": terlambat})

    # Per learner: rows of the N x M matrices.
    S, T = selesai.reshape(N, M), terlambat.reshape(N, M)
    learners = roster.copy()
    learners["modul_selesai"] = S.sum(axis=1)
    # Started: a submission with answers (an empty one is not a start), or attendance (below).
    answered = np.bincount(key[_answered(modular)], minlength=N * M)
    learners["mulai"] = answered.reshape(N, M).sum(axis=1) > 0
    learners["tersertifikasi"] = learners["modul_selesai"] == M
    last = pd.Series(np.where(learners["tersertifikasi"], done_day.reshape(N, M).max(axis=1) if M else np.datetime64("NaT"),
                              np.datetime64("NaT", "ns")).astype("datetime64[ns]"))
    learners["tanggal_sertifikasi"] = _as_dates(last)
    with np.errstate(all="ignore"):
        pct = done_pct.reshape(N, M)
        counts = (~np.isnan(pct)).sum(axis=1)
        learners["nilai_rata"] = np.where(counts > 0, np.nansum(pct, axis=1) / np.maximum(counts, 1), np.nan)
    learners["modul_terlambat"] = T.sum(axis=1)
    H = code.reshape(N, M)
    for j, m in enumerate(required):
        learners[f"M{m}"] = pd.Categorical.from_codes(H[:, j], categories=HASIL)

    certs = sorted(set(learners.loc[learners["tersertifikasi"], "tanggal_sertifikasi"].dropna()))
    expiry = {d: _expiry(d, policy, inp.election_starts) for d in certs}
    version = {d: policy.rules_version_on(d) for d in certs}
    current = policy.rules_version_on(as_of)
    cert_dates = learners["tanggal_sertifikasi"]
    learners["versi_aturan"] = cert_dates.map(lambda d: version[d].versi if d in version and version[d] else "")
    learners["berlaku_sampai"] = cert_dates.map(lambda d: expiry[d][0] if d in expiry else None)
    learners["dasar_masa_berlaku"] = cert_dates.map(lambda d: expiry[d][1] if d in expiry else "")
    stale_rules = learners["tersertifikasi"] & (learners["versi_aturan"] != (current.versi if current else ""))
    lapsed = learners["tersertifikasi"] & learners["berlaku_sampai"].map(lambda d: d is not None and d < as_of)
    learners["perlu_sertifikasi_ulang"] = stale_rules | lapsed
    learners["alasan_ulang"] = ""
    learners.loc[lapsed, "alasan_ulang"] = "masa berlaku habis"
    learners.loc[stale_rules, "alasan_ulang"] = f"versi aturan baru {current.versi if current else ''}".strip()

    att_jp = pd.Series(dtype=float)
    if inp.attendance is not None and len(inp.attendance):
        att = inp.attendance[_period_mask(pd.to_datetime(inp.attendance["tanggal"]), policy, as_of)]
        att_jp = att.groupby("nip")["jp"].sum()
    learners["jp_daring"] = learners["modul_selesai"] * policy.jp_per_modul
    learners["jp_tatap_muka"] = learners["nip"].map(att_jp).fillna(0.0)
    learners["mulai"] = learners["mulai"] | learners["nip"].isin(att_jp.index)
    learners["jp"] = learners["jp_daring"] + learners["jp_tatap_muka"]
    learners["nilai_rata"] = (100 * learners["nilai_rata"]).round(1)
    learners["terlambat"] = learners["modul_terlambat"] > 0

    units = _unit_table(learners, S, required)
    modules = _module_table(modular, module[is_modular], tries, S, code == 3, required, inp.modules)
    overdue = _overdue(learners, T, deadlines, required, as_of)
    recert = learners[learners["perlu_sertifikasi_ulang"]][
        ["unit_kerja", "nama", "nip", "tanggal_sertifikasi", "versi_aturan", "berlaku_sampai", "alasan_ulang"]
    ].reset_index(drop=True)
    items = _item_analysis(inp, roster)
    trend = _trend(done_day[selesai], learners)
    evidence = _evidence(a, learner, roster)
    if inp.module_filter:
        keep_m = [m for m in required if m in inp.module_filter]
        modules = modules[modules["modul"].isin(keep_m)].reset_index(drop=True)
        if len(items):
            items = items[items["modul"].isin(keep_m)].reset_index(drop=True)
        evidence = evidence[evidence["modul"].isin(keep_m)].reset_index(drop=True)
    return Report(learners, status, units, modules, overdue, recert, items, trend, evidence,
                  not_in_roster, required, as_of, policy, later, latest)


def _unit_table(learners: pd.DataFrame, S: np.ndarray, required: list[str]) -> pd.DataFrame:
    unit = learners["unit_kerja"]
    g = learners.groupby("unit_kerja", sort=True)
    table = pd.DataFrame({
        "instansi": g["instansi"].first(),
        "jumlah_pegawai": g.size(),
        "non_asn": (learners["status"] == "PPNPN").groupby(unit).sum().astype(int),
        "sudah_mulai": g["mulai"].sum().astype(int),
        "tersertifikasi": g["tersertifikasi"].sum().astype(int),
        "terlambat": g["terlambat"].sum().astype(int),
        "perlu_ulang": g["perlu_sertifikasi_ulang"].sum().astype(int),
    })
    per_module = pd.DataFrame(S.astype(int), columns=[f"selesai_M{m}" for m in required]).groupby(unit.to_numpy()).sum()
    table = table.join(per_module)
    table["persen_tersertifikasi"] = (100 * table["tersertifikasi"] / table["jumlah_pegawai"]).round(1)
    # Where HR must act first: lowest certification rate, then most overdue.
    table = table.rename_axis("unit_kerja").reset_index().sort_values(
        ["persen_tersertifikasi", "terlambat", "unit_kerja"], ascending=[True, False, True], kind="stable")
    return table.reset_index(drop=True)


def _module_table(modular: pd.DataFrame, module: np.ndarray, tries: np.ndarray, S: np.ndarray, pretest: np.ndarray,
                  required: list[str], titles: dict[str, str]) -> pd.DataFrame:
    M = len(required)
    counted = modular["counted"].astype(bool).to_numpy()
    quiz = counted & (modular["kind"] == Kind.QUIZ.value).to_numpy()
    pre = counted & (modular["kind"] == Kind.PRETEST.value).to_numpy()
    persen = modular["persen"].to_numpy(dtype=float)
    n = np.bincount(module[quiz], minlength=M)
    total = np.bincount(module[quiz], weights=persen[quiz], minlength=M)
    n_pre = np.bincount(module[pre], minlength=M)
    total_pre = np.bincount(module[pre], weights=persen[pre], minlength=M)
    table = pd.DataFrame({
        "modul": required,
        "judul": [titles.get(m, "") for m in required],
        "mencoba": (tries.reshape(-1, M) > 0).sum(axis=0),
        "selesai": S.sum(axis=0),
        "lulus_tes_awal": pretest.reshape(-1, M).sum(axis=0),
    })
    with np.errstate(all="ignore"):
        table["persen_lulus"] = np.where(table["mencoba"] > 0, 100 * table["selesai"] / table["mencoba"], np.nan).round(1)
        # Quiz and pre-test averaged apart: a pre-test is taken before the module, a quiz after it.
        table["nilai_rata"] = np.where(n > 0, 100 * total / np.maximum(n, 1), np.nan).round(1)
        table["nilai_rata_tes_awal"] = np.where(n_pre > 0, 100 * total_pre / np.maximum(n_pre, 1), np.nan).round(1)
    # Learners whose counted attempt is a quiz (the rest completed by pre-test or not yet).
    table["dinilai_dari_kuis"] = np.bincount(module[quiz], minlength=M)
    return table


def _overdue(learners: pd.DataFrame, T: np.ndarray, deadlines: np.ndarray, required: list[str],
             as_of: date) -> pd.DataFrame:
    cols = ["unit_kerja", "nama", "nip", "status", "modul_belum_selesai", "tenggat", "hari_terlambat"]
    rows = T.any(axis=1)
    if not rows.any():
        return pd.DataFrame(columns=cols)
    late = T[rows]
    out = learners.loc[rows, ["unit_kerja", "nama", "nip", "status"]].reset_index(drop=True)
    names = pd.Series("", index=out.index, dtype=object)
    for j, m in enumerate(required):
        has = pd.Series(late[:, j], index=out.index)
        names = names.where(~has, names.where(names == "", names + ", ") + m)
    out["modul_belum_selesai"] = names
    far = np.datetime64("2262-01-01", "ns")
    out["tenggat"] = pd.to_datetime(np.where(late, deadlines, far).min(axis=1))
    out["hari_terlambat"] = (pd.Timestamp(as_of) - out["tenggat"]).dt.days
    return out.sort_values(["unit_kerja", "hari_terlambat", "nama"], ascending=[True, False, True],
                           kind="stable").reset_index(drop=True)


def _joined(frame: pd.DataFrame, key: str, col: str) -> pd.Series:
    """", ".join of col per key, in sorted order, without a Python call per group
    (few distinct values, many keys: one vectorised pass per value)."""
    out = pd.Series("", index=pd.Index(frame[key].unique(), name=key), dtype=object)
    for value in sorted(frame[col].unique()):
        has = pd.Index(frame.loc[frame[col] == value, key].unique())
        part = out.loc[has]
        out.loc[has] = part.where(part == "", part + ", ") + value
    return out


def _item_analysis(inp: ReportInput, roster: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    cols = ["unit_kerja", "peringkat", "item", "modul", "judul", "dijawab", "salah", "persen_salah"]
    if inp.items is None or inp.items.empty:
        return pd.DataFrame(columns=cols)
    items = inp.items
    # The gradebook holds the latest graded submission per learner and quiz; one
    # without answers (no answer file, unreadable, empty) answered nothing: not "wrong".
    a = inp.attempts
    if len(a) and "answers_fingerprint" in a:
        latest = a.sort_values("submitted_at", kind="stable").groupby(["student_id", "assignment"]).tail(1)
        empty = latest[~_answered(latest)]
        blank = pd.MultiIndex.from_arrays([empty["student_id"].astype(str), empty["assignment"].astype(str)])
        mine = pd.MultiIndex.from_arrays([items["student_id"].astype(str), items["assignment"].astype(str)])
        items = items[~mine.isin(blank)]
    who = pd.Index(roster["nip"]).get_indexer(items["student_id"].astype(str))
    it = items[who >= 0].assign(unit_kerja=roster["unit_kerja"].to_numpy()[who[who >= 0]])
    it["salah"] = it["score"] < it["max_score"]
    g = it.groupby(["unit_kerja", "item"]).agg(dijawab=("salah", "size"), salah=("salah", "sum")).reset_index()
    g["persen_salah"] = (100 * g["salah"] / g["dijawab"]).round(1)
    g = g[g["salah"] > 0].sort_values(["unit_kerja", "persen_salah", "salah", "item"],
                                       ascending=[True, False, False, True], kind="stable")
    g = g.groupby("unit_kerja").head(top)
    g["peringkat"] = g.groupby("unit_kerja").cumcount() + 1
    g["modul"] = g["item"].map(lambda i: inp.item_titles.get(i, ("", ""))[0] or i[1:3])
    g["judul"] = g["item"].map(lambda i: inp.item_titles.get(i, ("", ""))[1])
    return g[cols].reset_index(drop=True)


def _trend(done_days: np.ndarray, learners: pd.DataFrame) -> pd.DataFrame:
    if not len(done_days):
        return pd.DataFrame(columns=["bulan", "modul_selesai", "tersertifikasi_baru", "tersertifikasi_kumulatif"])

    def by_month(days: pd.Series) -> pd.Series:
        key = days.dt.year * 100 + days.dt.month   # integers: no string per row
        counts = days.groupby(key).size()
        counts.index = [f"{k // 100}-{k % 100:02d}" for k in counts.index]
        return counts

    mods = by_month(pd.Series(done_days))
    cert = learners[learners["tersertifikasi"]]
    certs = by_month(pd.to_datetime(cert["tanggal_sertifikasi"])) if len(cert) else pd.Series(dtype=int)
    months = sorted(set(mods.index) | set(certs.index))
    t = pd.DataFrame({"bulan": months})
    t["modul_selesai"] = t["bulan"].map(mods).fillna(0).astype(int)
    t["tersertifikasi_baru"] = t["bulan"].map(certs).fillna(0).astype(int)
    t["tersertifikasi_kumulatif"] = t["tersertifikasi_baru"].cumsum()
    return t


def _evidence(a: pd.DataFrame, learner: np.ndarray, roster: pd.DataFrame) -> pd.DataFrame:
    # Built in one go: every extra assign/rename copies a million rows.
    columns = {
        "unit_kerja": roster["unit_kerja"].to_numpy()[learner], "nama": roster["nama"].to_numpy()[learner],
        "nip": a["student_id"], "modul": a["module"].fillna(Kind.EXAM.value), "assignment": a["assignment"],
        "jenis": a["kind"], "percobaan": a["attempt"], "dikirim": a["submitted_at"], "skor": a["score"],
        "skor_maks": a["max_score"], "nilai": (100 * a["persen"]).round(1), "lulus": a["passed"],
        "dihitung": a["counted"], "versi_konten": a["content_version"], "sidik_jawaban": a["answers_fingerprint"]}
    return pd.DataFrame(columns, index=a.index)  # sorted and formatted when written (workbook.sheets)


def date_note(report: Report) -> str | None:
    """Why figures may read low because of the report's date, for HR (Bahasa Indonesia), or None."""
    if not report.later:
        return None
    done = int(report.learners["modul_selesai"].sum())
    head = ("belum ada penyelesaian" if done == 0 else "sebagian kiriman belum dihitung") + \
        f" per {clock.day_label(report.as_of)}"
    return (f"{head}: {report.later} kiriman bertanggal sesudahnya tidak dihitung (kiriman terakhir "
            f"{clock.day_label(report.latest)}). Untuk menghitungnya, beri --per-tanggal {report.latest.isoformat()}.")
