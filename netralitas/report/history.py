"""Roster history in the gradebook database, and the sync into nbgrader.

Why a table in the gradebook DB (not a history file): the report joins grades
with "who worked where on date X", the gradebook is already the one database
backed up and moved to PostgreSQL at scale, and a table with valid_from /
valid_to keeps every transfer and departure without rewriting the past.
A row is open while valid_to is NULL. Staff who leave the roster are closed,
never deleted, and stay in nbgrader (removing a student there deletes grades).
"""
from __future__ import annotations

from datetime import date, datetime, timezone

import pandas as pd
import sqlalchemy as sa

from .. import clock, paths
from .roster import RosterProblem, rejected

metadata = sa.MetaData()
roster_history = sa.Table(
    "netralitas_roster", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("nip", sa.String(64), nullable=False, index=True),
    sa.Column("nama", sa.String(200), nullable=False),
    sa.Column("jabatan", sa.String(200)),
    sa.Column("unit_kerja", sa.String(200), nullable=False),
    sa.Column("instansi", sa.String(200)),
    sa.Column("status", sa.String(16), nullable=False),
    sa.Column("jenis_id", sa.String(16)),
    sa.Column("email", sa.String(200)),
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("valid_to", sa.Date),
    sa.Column("perubahan", sa.String(300)),   # why this row starts (Bahasa Indonesia)
    sa.Column("sumber", sa.String(300)),      # roster file it came from
)
# The problems of each import, so every later report shows those of the roster it used.
roster_problems = sa.Table(
    "netralitas_roster_masalah", metadata,
    sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
    sa.Column("impor", sa.String(64), nullable=False, index=True),   # one import: UTC time of the import
    sa.Column("valid_from", sa.Date, nullable=False),
    sa.Column("sumber", sa.String(300)),
    sa.Column("baris", sa.Integer),
    sa.Column("nip", sa.String(64)),
    sa.Column("nama", sa.String(200)),
    sa.Column("tingkat", sa.String(16)),
    sa.Column("alasan", sa.String(1000)),
)
TRACKED = {"unit_kerja": "pindah unit", "jabatan": "ganti jabatan", "status": "ganti status",
           "nama": "ganti nama", "instansi": "pindah instansi", "email": "ganti email"}
COLUMNS = ["nip", "nama", "jabatan", "unit_kerja", "instansi", "status", "jenis_id", "email"]


def _engine(db_url: str) -> sa.Engine:
    engine = sa.create_engine(db_url)
    metadata.create_all(engine)
    return engine


def read_history(db_url: str) -> pd.DataFrame:
    engine = _engine(db_url)
    try:
        with engine.connect() as conn:
            frame = pd.read_sql(sa.select(roster_history).order_by(roster_history.c.id), conn)
    finally:
        engine.dispose()
    for col in ("valid_from", "valid_to"):
        frame[col] = pd.to_datetime(frame[col])
    return frame


def roster_on(db_url: str, day: date | None = None) -> pd.DataFrame:
    """Who was on the roster on `day` (today when None), one row per person."""
    day = day or clock.today()
    h, t = read_history(db_url), pd.Timestamp(day)
    on = h[(h["valid_from"] <= t) & (h["valid_to"].isna() | (h["valid_to"] > t))]
    on = on[COLUMNS + ["valid_from"]].assign(valid_from=on["valid_from"].dt.date)
    return on.sort_values(["unit_kerja", "nama", "nip"]).reset_index(drop=True)


def problems_on(db_url: str, day: date | None = None) -> list[RosterProblem]:
    """The problems of the latest roster import in force on `day` (the roster roster_on gives)."""
    engine = _engine(db_url)
    t = roster_problems
    try:
        with engine.connect() as conn:
            q = sa.select(t.c.impor).where(t.c.valid_from <= (day or clock.today()))
            latest = conn.execute(q.order_by(t.c.valid_from.desc(), t.c.impor.desc()).limit(1)).scalar()
            if latest is None:
                return []
            rows = conn.execute(sa.select(t).where(sa.and_(t.c.impor == latest, t.c.baris.is_not(None)))
                                .order_by(t.c.baris, t.c.id)).all()
    finally:
        engine.dispose()
    return [RosterProblem(r.baris, r.nip or "", r.alasan or "", r.tingkat or "", r.nama or "") for r in rows]


def import_roster(db_url: str, roster: pd.DataFrame, problems: list[RosterProblem], source: str,
                  day: date | None = None, sync_students: bool = True) -> pd.DataFrame:
    """Record the roster as of `day`; returns the changes (nip, nama, perubahan).

    Someone whose row was rejected this time is kept as they were: a typo in
    the new file must not read as a departure.
    """
    day = day or clock.today()
    engine = _engine(db_url)
    kept = {p.nip for p in rejected(problems) if p.nip} | {p.nama.casefold() for p in rejected(problems) if p.nama}
    changes = []
    try:
        with engine.begin() as conn:
            open_rows = {r.nip: r for r in conn.execute(
                sa.select(roster_history).where(roster_history.c.valid_to.is_(None)))}
            inserts = []
            given = set(roster.attrs.get("kolom") or COLUMNS) | {"jenis_id"}
            if "unit_kerja" in given:  # the unit master names its instansi
                given.add("instansi")
            for row in roster.fillna("").to_dict("records"):
                new = {c: str(row.get(c, "") or "") for c in COLUMNS}
                old = open_rows.get(new["nip"])
                if old is not None:  # columns the file lacks keep what was recorded
                    new.update({c: getattr(old, c) or "" for c in COLUMNS if c not in given})
                if old is None:
                    why = "baru di roster"
                else:
                    diffs = [f"{label}: {getattr(old, col) or '-'} → {new[col] or '-'}"
                             for col, label in TRACKED.items() if (getattr(old, col) or "") != new[col]]
                    if not diffs:
                        continue
                    why = "; ".join(diffs)
                    conn.execute(sa.update(roster_history).where(roster_history.c.id == old.id)
                                 .values(valid_to=day))
                inserts.append({**new, "valid_from": day, "valid_to": None, "perubahan": why, "sumber": source})
                changes.append({"nip": new["nip"], "nama": new["nama"], "unit_kerja": new["unit_kerja"],
                                "perubahan": why})
            present = set(roster["nip"])
            for nip, old in open_rows.items():
                if nip in present:
                    continue
                if nip in kept or old.nama.casefold() in kept:
                    changes.append({"nip": nip, "nama": old.nama, "unit_kerja": old.unit_kerja,
                                    "perubahan": "tetap tercatat: barisnya ditolak di roster baru (perbaiki)"})
                    continue
                conn.execute(sa.update(roster_history).where(roster_history.c.id == old.id).values(valid_to=day))
                changes.append({"nip": nip, "nama": old.nama, "unit_kerja": old.unit_kerja,
                                "perubahan": "keluar dari roster (pensiun, pindah instansi, atau berhenti)"})
            if inserts:
                conn.execute(sa.insert(roster_history), inserts)
            stamp = datetime.now(timezone.utc).isoformat(timespec="microseconds")
            # A marker row even without problems: the latest import then shows none.
            conn.execute(sa.insert(roster_problems), [
                {"impor": stamp, "valid_from": day, "sumber": source, "baris": p.line, "nip": p.nip,
                 "nama": p.nama, "tingkat": p.level, "alasan": p.reason} for p in problems]
                or [{"impor": stamp, "valid_from": day, "sumber": source, "baris": None}])
    finally:
        engine.dispose()
    if sync_students:
        sync_gradebook(db_url, roster)
    return pd.DataFrame(changes, columns=["nip", "nama", "unit_kerja", "perubahan"])


def sync_gradebook(db_url: str, roster: pd.DataFrame) -> None:
    """Roster into nbgrader as students (id = NIP or agency id); nobody is removed."""
    from nbgrader.api import Gradebook

    with Gradebook(db_url, course_id=paths.COURSE_ID) as gb:
        for s in roster.fillna("").to_dict("records"):
            gb.update_or_create_student(s["nip"], first_name=s["nama"], last_name="",
                                        email=s.get("email") or None)
