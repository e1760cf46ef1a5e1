"""`netralitas kit`: build the facilitator kit (guide, live notebook, PDFs, answer key)."""
from __future__ import annotations

import contextlib
import sys
from pathlib import Path
from typing import Iterator

from .. import paths


def _valid_day(text: str) -> bool:
    from ..dates import parse_day

    return parse_day(text) is not None


def cmd_kit(args) -> int:
    from ..content.loader import load_bank
    from ..content.schema import ContentError
    from .build import build_kit, committed_targets, write
    from .content import load_kit

    try:
        bank = load_bank()
        kit = load_kit(bank)
    except ContentError as exc:
        print(f"Bank konten fasilitator tidak valid: {exc}", file=sys.stderr)
        return 2
    if args.sesi and args.sesi not in kit.plans:
        print(f"Rencana sesi {args.sesi!r} tidak dikenal; pilihan: {', '.join(kit.plans)}", file=sys.stderr)
        return 2
    if args.tanggal and not _valid_day(args.tanggal):
        print(f"Tanggal {args.tanggal!r} tidak terbaca; tulis YYYY-MM-DD atau DD/MM/YYYY "
              "(format yang dibaca impor daftar hadir).", file=sys.stderr)
        return 2
    if args.check:
        stale = write(committed_targets(bank, kit), check=True)
        if stale:
            print("Panduan fasilitator tidak sesuai dengan bank konten; jalankan `make kit`:\n  "
                  + "\n  ".join(str(p.relative_to(paths.REPO_ROOT)) for p in stale))
            return 1
        print("Panduan fasilitator sesuai dengan bank konten.")
        return 0
    files = build_kit(bank, kit, guide_dir=Path(args.panduan) if args.panduan else None,
                      print_dir=Path(args.cetak) if args.cetak else None,
                      key_dir=Path(args.kunci) if args.kunci else None, session=args.sesi, date=args.tanggal)

    def rel(p: Path) -> str:
        try:
            return str(p.relative_to(paths.REPO_ROOT))
        except ValueError:
            return str(p)

    print("Panduan diperbarui:\n  " + ("\n  ".join(map(rel, files["panduan"])) or "(tidak ada yang berubah)"))
    print(f"Bahan cetak ({len(files['cetak'])} PDF): {rel(files['cetak'][0].parent)}")
    print(f"Kunci jawaban (hanya pengajar, jangan dibagikan): {rel(files['kunci'][0].parent)}")
    return 0


def cmd_sesi(args) -> int:
    """The live-session notebook as a Voila app: widgets only, no code, no network."""
    import os

    from .build import GUIDE_DIR, LIVE_NOTEBOOK

    cmd = [sys.executable, "-m", "voila", LIVE_NOTEBOOK, f"--port={args.port}", f"--Voila.ip={args.ip}",
           "--theme=light", "--show_tracebacks=False"]
    if args.no_browser:
        cmd.append("--no-browser")
    print(f"Sesi langsung di http://{args.ip}:{args.port} (hentikan dengan Ctrl+C)", flush=True)
    # Run from the guide folder so saved results land in facilitator_guide/hasil_sesi/;
    # exec, so Ctrl+C and a service manager's stop reach Voila itself.
    os.chdir(GUIDE_DIR)
    os.execv(sys.executable, cmd)
    return 0  # not reached


@contextlib.contextmanager
def serving_live_session() -> Iterator[int]:
    """`netralitas sesi` on a free port of 127.0.0.1 for as long as the block
    runs (screenshots for the guide, tests); yields the port. Voila and the
    kernel it started are stopped together as one process group."""
    import os
    import signal
    import subprocess

    from ..server import free_port

    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "netralitas.cli", "sesi", "--port", str(port), "--no-browser"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
    try:
        yield port
    finally:
        os.killpg(proc.pid, signal.SIGTERM)
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)


def register(sub) -> None:
    p = sub.add_parser("kit", help="bangun perangkat fasilitator: panduan, sesi langsung, PDF cetak, kunci jawaban")
    p.add_argument("--periksa", "--check", dest="check", action="store_true", help="hanya periksa panduan dan notebook yang di-commit")
    p.add_argument("--sesi", help="isi kolom Sesi dan JP di daftar hadir dari rencana ini (mis. sesi_120)")
    p.add_argument("--tanggal", default="", help="isi kolom Tanggal di daftar hadir (YYYY-MM-DD)")
    p.add_argument("--panduan", help="folder panduan Markdown dan notebook (bawaan: facilitator_guide)")
    p.add_argument("--cetak", help="folder PDF (bawaan: facilitator_guide/cetak)")
    p.add_argument("--kunci", help="folder kunci jawaban (bawaan: grading/kunci_jawaban)")
    p.set_defaults(func=cmd_kit)

    p = sub.add_parser("sesi", help="buka mode sesi langsung (Voila) untuk layar proyektor")
    p.add_argument("--port", type=int, default=8866)
    p.add_argument("--ip", default="127.0.0.1", help="alamat yang didengarkan (bawaan: hanya laptop ini)")
    p.add_argument("--tanpa-peramban", "--no-browser", dest="no_browser", action="store_true", help="jangan membuka peramban otomatis")
    p.set_defaults(func=cmd_sesi)
