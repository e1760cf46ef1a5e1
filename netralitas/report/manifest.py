"""A signed manifest per report folder, so an inspector can tell that the
XLSX in their hands is the one HR produced.

manifest.json lists every file with its sha256, the report date, the policy
in force and who produced it; manifest.sig is the HMAC-SHA256 of manifest.json
under the verification key; SHA256SUMS lets anyone run `sha256sum -c` on the
files without the key (the signature is what needs the key:
`netralitas verifikasi --laporan FOLDER`).
"""
from __future__ import annotations

import hmac
import json
from datetime import datetime, timezone
from pathlib import Path

from ..files import atomic_write
from .archive import sha256_file
from .codes import mac

MANIFEST, SIGNATURE, SUMS = "manifest.json", "manifest.sig", "SHA256SUMS"


def _write(path: Path, text: str) -> None:
    atomic_write(path, text)


def write_manifest(outdir: Path, files: list[Path], key: bytes, about: dict) -> Path:
    outdir = Path(outdir)
    names = sorted({Path(f).resolve().relative_to(outdir.resolve()).as_posix() for f in files})
    body = {"format": "netralitas-manifest/1",
            "dibuat_pada": datetime.now(timezone.utc).isoformat(timespec="seconds"),
            **about, "berkas": {n: sha256_file(outdir / n) for n in names}}
    text = json.dumps(body, ensure_ascii=False, indent=1, sort_keys=True) + "\n"
    _write(outdir / MANIFEST, text)
    _write(outdir / SIGNATURE, mac(key, text.encode("utf-8")) + "\n")
    _write(outdir / SUMS, "".join(f"{d}  {n}\n" for n, d in body["berkas"].items()))
    return outdir / MANIFEST


def verify_manifest(outdir: Path, key: bytes) -> tuple[bool, list[str]]:
    outdir = Path(outdir)
    try:
        text = (outdir / MANIFEST).read_text(encoding="utf-8")
        sig = (outdir / SIGNATURE).read_text(encoding="utf-8").strip()
        body = json.loads(text)
    except (OSError, ValueError) as exc:
        return False, [f"TIDAK SAH: manifes laporan di {outdir} tidak ada atau tidak dapat dibaca ({exc})."]
    if not hmac.compare_digest(sig, mac(key, text.encode("utf-8"))):
        return False, ["TIDAK SAH: tanda tangan manifes tidak cocok; manifes diubah atau bukan buatan kursus ini."]
    lines, ok = [], True
    for name, digest in sorted(body.get("berkas", {}).items()):
        path = outdir / name
        if not path.is_file():
            ok = False
            lines.append(f"  HILANG: {name}")
        elif sha256_file(path) != digest:
            ok = False
            lines.append(f"  DIUBAH: {name} tidak sama dengan berkas yang dibuat BKPSDM")
        else:
            lines.append(f"  cocok: {name}")
    head = (f"{'SAH' if ok else 'TIDAK SAH'}: laporan per tanggal {body.get('per_tanggal', '-')} dibuat "
            f"{body.get('dibuat_pada', '-')} oleh {body.get('penerbit', '-')}")
    return ok, [head, *lines]
