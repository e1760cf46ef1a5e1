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

import pandas as pd

from .kebijakan import ReportPolicy

TZ = "Asia/Jakarta"  # dates on documents are the learner's calendar day (WIB)
DONE_QUIZ, DONE_PRETEST, NOT_PASSED, NOT_STARTED = "lulus kuis", "lulus tes awal", "belum lulus", "belum mulai"
ROSTER_COLUMNS = ["nip", "nama", "jabatan", "unit_kerja", "instansi", "status", "jenis_id"]


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


def _expiry(cert: date, policy: ReportPolicy, starts: list[tuple[date, str]]) -> tuple[date, str]:
    months = cert.month - 1 + policy.masa_berlaku_bulan
    cap = date(cert.year + months // 12, months % 12 + 1, min(cert.day, 28))
    nxt = [(d, n) for d, n in sorted(starts) if d > cert]
    if nxt and nxt[0][0] <= cap:
        return nxt[0][0] - timedelta(days=1), f"sebelum tahapan {nxt[0][1]} dimulai"
    return cap, f"masa berlaku {policy.masa_berlaku_bulan} bulan"


def _period_mask(days: pd.Series, policy: ReportPolicy, as_of: date) -> pd.Series:
    mask = days <= as_of
    if policy.periode_mulai:
        mask &= days >= policy.periode_mulai
    if policy.periode_selesai:
        mask &= days <= policy.periode_selesai
    return mask


def build_report(inp: ReportInput) -> Report:
    policy, as_of = inp.policy, inp.as_of
    required = list(policy.modul_wajib or sorted(inp.modules))
    roster = inp.roster.copy()
    for col in ROSTER_COLUMNS:
        if col not in roster:
            roster[col] = ""
    roster = roster[ROSTER_COLUMNS].fillna("")
    roster["nip"] = roster["nip"].astype(str)
    everyone = set(roster["nip"])
    if inp.units:
        roster = roster[roster["unit_kerja"].isin(inp.units)]
    roster = roster.sort_values(["unit_kerja", "nama", "nip"], kind="stable").reset_index(drop=True)

    a = inp.attempts.copy()
    a["student_id"] = a["student_id"].astype(str)
    a["tanggal"] = a["submitted_at"].dt.tz_convert(TZ).dt.date
    not_in_roster = (a[~a["student_id"].isin(everyone)]
                     .groupby("student_id", as_index=False)
                     .agg(kiriman=("assignment", "size"), terakhir=("tanggal", "max"))
                     .rename(columns={"student_id": "nip"}))
    a = a[a["student_id"].isin(set(roster["nip"])) & _period_mask(a["tanggal"], policy, as_of)]
    a["persen"] = (a["score"] / a["max_score"]).where(a["max_score"] > 0, 0.0)
    modular = a[a["kind"].isin(["kuis", "tes_awal"]) & a["module"].notna()]

    # First completion of each (learner, module); best counted score; attempts.
    done = (modular[modular["counted"].astype(bool) & modular["passed"].astype(bool)]
            .sort_values("submitted_at", kind="stable")
            .drop_duplicates(["student_id", "module"]))
    stats = modular.groupby(["student_id", "module"]).agg(
        percobaan=("attempt", "size"), nilai_terbaik=("persen", "max")).reset_index()
    grid = pd.MultiIndex.from_product([roster["nip"], required], names=["student_id", "module"]).to_frame(index=False)
    status = grid.merge(stats, on=["student_id", "module"], how="left").merge(
        done[["student_id", "module", "kind", "tanggal", "persen"]], on=["student_id", "module"], how="left")
    status["percobaan"] = status["percobaan"].fillna(0).astype(int)
    status["selesai"] = status["tanggal"].notna()
    status["hasil"] = NOT_STARTED
    status.loc[status["percobaan"] > 0, "hasil"] = NOT_PASSED
    status.loc[status["selesai"] & (status["kind"] == "kuis"), "hasil"] = DONE_QUIZ
    status.loc[status["selesai"] & (status["kind"] == "tes_awal"), "hasil"] = DONE_PRETEST
    deadlines = {m: policy.deadline(m) for m in required}
    status["tenggat"] = status["module"].map(deadlines)
    status["terlambat"] = ~status["selesai"] & status["tenggat"].map(lambda d: d is not None and d < as_of)
    status = status.rename(columns={"student_id": "nip", "module": "modul", "tanggal": "selesai_pada",
                                    "persen": "nilai_lulus"}).drop(columns=["kind"])

    # Per learner.
    per = status.groupby("nip", sort=False).agg(
        modul_selesai=("selesai", "sum"), mulai=("percobaan", "sum"),
        tanggal_sertifikasi=("selesai_pada", "max"), nilai_rata=("nilai_lulus", "mean"),
        modul_terlambat=("terlambat", "sum"))
    learners = roster.merge(per, left_on="nip", right_index=True, how="left")
    learners["mulai"] = learners["mulai"] > 0
    learners["modul_selesai"] = learners["modul_selesai"].astype(int)
    learners["tersertifikasi"] = learners["modul_selesai"] == len(required)
    learners.loc[~learners["tersertifikasi"], "tanggal_sertifikasi"] = None
    wide = status.pivot(index="nip", columns="modul", values="hasil")
    wide.columns = [f"M{m}" for m in wide.columns]
    learners = learners.merge(wide, left_on="nip", right_index=True, how="left")

    certs = sorted(set(learners.loc[learners["tersertifikasi"], "tanggal_sertifikasi"]))
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
        att = inp.attendance[_period_mask(inp.attendance["tanggal"], policy, as_of)]
        att_jp = att.groupby("nip")["jp"].sum()
    learners["jp_daring"] = learners["modul_selesai"] * policy.jp_per_modul
    learners["jp_tatap_muka"] = learners["nip"].map(att_jp).fillna(0.0)
    learners["jp"] = learners["jp_daring"] + learners["jp_tatap_muka"]
    learners["nilai_rata"] = (100 * learners["nilai_rata"]).round(1)
    learners["terlambat"] = learners["modul_terlambat"].fillna(0).astype(int) > 0

    units = _unit_table(learners, status, required)
    modules = _module_table(modular, status, required, inp.modules)
    overdue = _overdue(status, learners, as_of)
    recert = learners[learners["perlu_sertifikasi_ulang"]][
        ["unit_kerja", "nama", "nip", "tanggal_sertifikasi", "versi_aturan", "berlaku_sampai", "alasan_ulang"]
    ].reset_index(drop=True)
    items = _item_analysis(inp, roster)
    trend = _trend(status, learners)
    evidence = _evidence(a, roster)
    if inp.module_filter:
        keep = [m for m in required if m in inp.module_filter]
        modules = modules[modules["modul"].isin(keep)].reset_index(drop=True)
        if len(items):
            items = items[items["modul"].isin(keep)].reset_index(drop=True)
        evidence = evidence[evidence["modul"].isin(keep)].reset_index(drop=True)
    return Report(learners, status, units, modules, overdue, recert, items, trend, evidence,
                  not_in_roster, required, as_of, policy)


def _unit_table(learners: pd.DataFrame, status: pd.DataFrame, required: list[str]) -> pd.DataFrame:
    g = learners.groupby("unit_kerja", sort=True)
    table = pd.DataFrame({
        "instansi": g["instansi"].first(),
        "jumlah_pegawai": g.size(),
        "non_asn": g["status"].apply(lambda s: int((s == "PPNPN").sum())),
        "sudah_mulai": g["mulai"].sum().astype(int),
        "tersertifikasi": g["tersertifikasi"].sum().astype(int),
        "terlambat": g["terlambat"].sum().astype(int),
        "perlu_ulang": g["perlu_sertifikasi_ulang"].sum().astype(int),
    })
    unit_of = learners.set_index("nip")["unit_kerja"]
    done = status[status["selesai"]].assign(unit_kerja=lambda s: s["nip"].map(unit_of))
    per_module = done.groupby(["unit_kerja", "modul"]).size().unstack(fill_value=0)
    per_module = per_module.reindex(columns=required, fill_value=0)
    per_module.columns = [f"selesai_M{m}" for m in required]
    table = table.join(per_module).fillna(0)
    for col in per_module.columns:
        table[col] = table[col].astype(int)
    table["persen_tersertifikasi"] = (100 * table["tersertifikasi"] / table["jumlah_pegawai"]).round(1)
    # Where HR must act first: lowest certification rate, then most overdue.
    table = table.reset_index().sort_values(["persen_tersertifikasi", "terlambat", "unit_kerja"],
                                            ascending=[True, False, True], kind="stable")
    return table.reset_index(drop=True)


def _module_table(modular: pd.DataFrame, status: pd.DataFrame, required: list[str],
                  titles: dict[str, str]) -> pd.DataFrame:
    counted = modular[modular["counted"].astype(bool)]
    g = status.groupby("modul")
    table = pd.DataFrame({
        "mencoba": g["percobaan"].apply(lambda s: int((s > 0).sum())),
        "selesai": g["selesai"].sum().astype(int),
        "lulus_tes_awal": g["hasil"].apply(lambda s: int((s == DONE_PRETEST).sum())),
    }).reindex(required, fill_value=0)
    table["persen_lulus"] = (100 * table["selesai"] / table["mencoba"].where(table["mencoba"] > 0)).round(1)
    table["nilai_rata"] = (100 * counted.groupby("module")["persen"].mean()).round(1).reindex(required)
    table["percobaan_kuis"] = counted[counted["kind"] == "kuis"].groupby("module").size().reindex(required).fillna(0).astype(int)
    table.insert(0, "judul", [titles.get(m, "") for m in required])
    return table.rename_axis("modul").reset_index()


def _overdue(status: pd.DataFrame, learners: pd.DataFrame, as_of: date) -> pd.DataFrame:
    late = status[status["terlambat"]]
    if late.empty:
        return pd.DataFrame(columns=["unit_kerja", "nama", "nip", "status", "modul_belum_selesai",
                                     "tenggat", "hari_terlambat"])
    g = late.groupby("nip").agg(modul_belum_selesai=("modul", lambda s: ", ".join(sorted(s))),
                                tenggat=("tenggat", "min"))
    g["hari_terlambat"] = g["tenggat"].map(lambda d: (as_of - d).days)
    out = learners[["unit_kerja", "nama", "nip", "status"]].merge(g, left_on="nip", right_index=True)
    return out.sort_values(["unit_kerja", "hari_terlambat", "nama"], ascending=[True, False, True],
                           kind="stable").reset_index(drop=True)


def _item_analysis(inp: ReportInput, roster: pd.DataFrame, top: int = 3) -> pd.DataFrame:
    cols = ["unit_kerja", "peringkat", "item", "modul", "judul", "dijawab", "salah", "persen_salah"]
    if inp.items is None or inp.items.empty:
        return pd.DataFrame(columns=cols)
    it = inp.items.merge(roster[["nip", "unit_kerja"]], left_on="student_id", right_on="nip")
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


def _trend(status: pd.DataFrame, learners: pd.DataFrame) -> pd.DataFrame:
    done = status[status["selesai"]]
    if done.empty:
        return pd.DataFrame(columns=["bulan", "modul_selesai", "tersertifikasi_baru", "tersertifikasi_kumulatif"])
    month = lambda s: s.map(lambda d: f"{d.year}-{d.month:02d}")  # noqa: E731
    mods = done.groupby(month(done["selesai_pada"])).size()
    cert = learners[learners["tersertifikasi"]]
    certs = cert.groupby(month(cert["tanggal_sertifikasi"])).size() if len(cert) else pd.Series(dtype=int)
    months = sorted(set(mods.index) | set(certs.index))
    t = pd.DataFrame({"bulan": months})
    t["modul_selesai"] = t["bulan"].map(mods).fillna(0).astype(int)
    t["tersertifikasi_baru"] = t["bulan"].map(certs).fillna(0).astype(int)
    t["tersertifikasi_kumulatif"] = t["tersertifikasi_baru"].cumsum()
    return t


def _evidence(a: pd.DataFrame, roster: pd.DataFrame) -> pd.DataFrame:
    ev = a.merge(roster[["nip", "nama", "unit_kerja"]], left_on="student_id", right_on="nip")
    ev = ev.assign(dikirim=ev["submitted_at"].dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
                   modul=ev["module"].fillna("ujian"), nilai=(100 * ev["persen"]).round(1))
    ev = ev.rename(columns={"kind": "jenis", "attempt": "percobaan", "passed": "lulus", "counted": "dihitung",
                            "content_version": "versi_konten", "answers_fingerprint": "sidik_jawaban",
                            "score": "skor", "max_score": "skor_maks"})
    cols = ["unit_kerja", "nama", "nip", "modul", "assignment", "jenis", "percobaan", "dikirim", "skor",
            "skor_maks", "nilai", "lulus", "dihitung", "versi_konten", "sidik_jawaban"]
    return ev[cols].sort_values(["unit_kerja", "nama", "nip", "modul", "percobaan"], kind="stable").reset_index(drop=True)
