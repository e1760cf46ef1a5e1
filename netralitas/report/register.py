"""The issued-certificate register: append-only, hash-chained, signed.

One JSON line per event in <course>/arsip/register_sertifikat.jsonl:
    jenis "terbit": a certificate issued (who, unit, every module's counted
        attempt with score and answer fingerprint, rules version, the policy
        values in force, software version, issuer);
    jenis "cabut": a certificate revoked (code, reason, who).
Each line carries `sebelumnya`, the sha256 of the line before it, and `mac`,
the HMAC-SHA256 of the line without mac and kode under the verification key.
The verification code printed on the certificate is the first 80 bits of that
same MAC (codes.make_code), so `verifikasi` needs the register and the key,
never today's gradebook, roster or policy: a certificate verifies for its
whole validity after transfers, regrades and policy changes.
"""
from __future__ import annotations

import fcntl
import getpass
import hashlib
import hmac
import json
import os
from dataclasses import dataclass
from datetime import date, datetime, timezone
from pathlib import Path

from ..dates import long_day as tanggal
from .archive import archive_root
from .codes import make_code, mac, normalise_code

REGISTER = "register_sertifikat.jsonl"
GENESIS = hashlib.sha256(b"netralitas-register/1").hexdigest()
UNSIGNED = ("mac", "kode")


def register_path(course_root: Path) -> Path:
    return archive_root(course_root) / REGISTER


def canonical(entry: dict) -> bytes:
    body = {k: v for k, v in entry.items() if k not in UNSIGNED}
    return json.dumps(body, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode("utf-8")


def line_hash(line: str) -> str:
    return hashlib.sha256(line.encode("utf-8")).hexdigest()


@dataclass
class Line:
    no: int                # line number in the file (1-based)
    text: str
    entry: dict | None     # None: not JSON


def read_lines(course_root: Path) -> list[Line]:
    path = register_path(course_root)
    if not path.exists():
        return []
    out = []
    for n, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        try:
            entry = json.loads(text)
            entry = entry if isinstance(entry, dict) else None
        except json.JSONDecodeError:
            entry = None
        out.append(Line(n, text, entry))
    return out


def entry_ok(entry: dict, key: bytes) -> bool:
    body = canonical(entry)
    good = hmac.compare_digest(str(entry.get("mac", "")), mac(key, body))
    if entry.get("jenis") == "terbit":
        good = good and hmac.compare_digest(str(entry.get("kode", "")), make_code(key, body))
    return good


def chain_problems(course_root: Path, key: bytes | None) -> list[tuple[str, str]]:
    """(who, problem) for every break: a line that is not JSON, a `sebelumnya`
    that is not the hash of the line before, a MAC that does not match."""
    problems, prev = [], GENESIS
    for line in read_lines(course_root):
        e = line.entry
        who = f"{e.get('nip', '')} {e.get('nama', '')}".strip() if e else ""
        where = f"register baris {line.no}"
        if e is None:
            problems.append((where, f"{where} bukan catatan yang dapat dibaca (diubah atau rusak)"))
        else:
            if e.get("sebelumnya") != prev:
                problems.append((who or where, f"{where}: rantai putus (hash baris sebelumnya tidak cocok; "
                                               "ada baris yang diubah, disisipkan atau dihapus)"))
            if key is not None and not entry_ok(e, key):
                problems.append((who or where, f"{where} ({who}): tanda tangan tidak cocok; catatan diubah "
                                               "setelah diterbitkan"))
        prev = line_hash(line.text)
    return problems


def _append(course_root: Path, key: bytes, entries: list[dict]) -> list[dict]:
    """Append entries under an exclusive lock, each chained to the line before."""
    path = register_path(course_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT | os.O_APPEND, 0o640)
    with os.fdopen(fd, "r+", encoding="utf-8") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        fh.seek(0)
        lines = fh.read().splitlines()
        prev = line_hash(lines[-1]) if lines else GENESIS
        seq = len(lines)
        out = []
        for entry in entries:
            seq += 1
            entry = {**entry, "no": seq, "sebelumnya": prev}
            body = canonical(entry)
            entry["mac"] = mac(key, body)
            if entry["jenis"] == "terbit":
                entry["kode"] = make_code(key, body)
            text = json.dumps(entry, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
            fh.write(text + "\n")
            prev = line_hash(text)
            out.append(entry)
        fh.flush()
        os.fsync(fh.fileno())
        fcntl.flock(fh, fcntl.LOCK_UN)
    return out


def issuer() -> str:
    try:
        from ..settings import settings

        return settings().issuer or getpass.getuser()
    except (KeyError, OSError):
        return f"uid {os.getuid()}"


def evidence_key(entry: dict) -> tuple:
    """What makes two issues the same certificate: person, date and the attempts it rests on."""
    return (entry["nip"], entry["tanggal_sertifikasi"], entry.get("versi_aturan", ""),
            tuple((m["modul"], m["assignment"], m["dikirim"], m["sidik_jawaban"], m["skor"])
                  for m in entry["modul"]))


def entries(course_root: Path) -> list[dict]:
    return [line.entry for line in read_lines(course_root) if line.entry]


def issue(course_root: Path, key: bytes, drafts: list[dict], when: datetime | None = None) -> dict[str, dict]:
    """Issue (append) every draft that is not already in the register with the
    same evidence; returns nip -> entry (the existing one when reused)."""
    existing = {}
    revoked = {e.get("kode") for e in entries(course_root) if e.get("jenis") == "cabut"}
    for e in entries(course_root):
        if e.get("jenis") == "terbit" and e.get("kode") not in revoked:
            try:
                existing[evidence_key(e)] = e
            except (KeyError, TypeError):
                continue
    stamp = (when or datetime.now(timezone.utc)).astimezone(timezone.utc).isoformat(timespec="seconds")
    out, new = {}, []
    for d in drafts:
        found = existing.get(evidence_key(d))
        if found is not None:
            out[d["nip"]] = found
        else:
            new.append({**d, "jenis": "terbit", "diterbitkan_pada": stamp, "penerbit": issuer()})
    if new:
        year = stamp[:4]
        count = sum(1 for e in entries(course_root) if e.get("jenis") == "terbit")
        for i, e in enumerate(new, start=count + 1):
            e["nomor"] = f"NA/{year}/{i:06d}"
        for e in _append(course_root, key, new):
            out[e["nip"]] = e
    return out


def revoke(course_root: Path, key: bytes, code: str, reason: str) -> dict:
    found = find(course_root, code)
    if found is None:
        raise LookupError(f"kode {code} tidak tercatat di register sertifikat")
    return _append(course_root, key, [{"jenis": "cabut", "kode_dicabut": found["kode"], "nip": found["nip"],
                                       "nama": found.get("nama", ""), "alasan": reason,
                                       "waktu": datetime.now(timezone.utc).isoformat(timespec="seconds"),
                                       "penerbit": issuer()}])[0]


def find(course_root: Path, code: str) -> dict | None:
    wanted = normalise_code(code)
    found = None
    for e in entries(course_root):
        if e.get("jenis") == "terbit" and hmac.compare_digest(str(e.get("kode", "")), wanted):
            found = e
    return found


@dataclass
class Verdict:
    status: str          # sah | kedaluwarsa | dicabut | tidak_dikenal | diubah
    message: str
    entry: dict | None = None

    @property
    def exit_code(self) -> int:
        return {"sah": 0, "tidak_dikenal": 1, "kedaluwarsa": 3, "dicabut": 4, "diubah": 5}[self.status]


def describe(e: dict) -> str:
    """Only what the certificate itself shows."""
    return (f"sertifikat nomor {e.get('nomor', '-')} atas nama {e['nama']} ({e.get('jenis_id', 'NIP')} {e['nip']}), "
            f"{e.get('unit_kerja', '')}, {e.get('instansi', '')}; selesai {tanggal(e['tanggal_sertifikasi'])}, "
            f"versi aturan {e.get('versi_aturan', '-')}, berlaku sampai {tanggal(e.get('berlaku_sampai'))}")


def verify(course_root: Path, code: str, key: bytes, today: date) -> Verdict:
    wanted = normalise_code(code)
    found = find(course_root, code)
    if found is None:
        return Verdict("tidak_dikenal", f"TIDAK DIKENAL: kode {wanted} tidak tercatat dalam register sertifikat "
                                         "yang diterbitkan kursus ini. Periksa penulisan kode; bila sudah benar, "
                                         "sertifikat itu bukan terbitan kursus ini.")
    if not entry_ok(found, key):
        return Verdict("diubah", f"TIDAK SAH: catatan register untuk kode {wanted} telah diubah setelah "
                                 "diterbitkan (tanda tangan tidak cocok). Laporkan ke BKPSDM; jangan terima "
                                 "sertifikat ini sebelum diperiksa.", found)
    for e in entries(course_root):
        if e.get("jenis") == "cabut" and e.get("kode_dicabut") == found["kode"] and entry_ok(e, key):
            return Verdict("dicabut", f"DICABUT: {describe(found)}. Sertifikat ini asli tetapi telah dicabut "
                                      f"pada {tanggal(e['waktu'][:10])}; alasan: {e.get('alasan', '-')}.", found)
    until = found.get("berlaku_sampai")
    if until and date.fromisoformat(until) < today:
        return Verdict("kedaluwarsa", f"KEDALUWARSA: {describe(found)}. Sertifikat ini asli, tetapi masa "
                                      f"berlakunya berakhir pada {tanggal(until)} (hari ini {tanggal(today)}); "
                                      "pegawai perlu mengikuti sertifikasi ulang.", found)
    return Verdict("sah", f"SAH: {describe(found)}. Sertifikat ini asli dan masih berlaku.", found)
