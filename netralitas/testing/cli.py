"""`netralitas demo`: the whole course on a synthetic cohort (harness; see demo_story.py)."""
from __future__ import annotations

from pathlib import Path


def cmd_demo(args) -> int:
    from .demo_story import main

    main(Path(args.dir) if args.dir else None, n=args.n, seed=args.seed)
    return 0


def register(sub) -> None:
    p = sub.add_parser("demo", help="seluruh alur kursus pada kohort sintetis (roster, kuis, penilaian, laporan, "
                                    "sertifikat, perangkat fasilitator)")
    p.add_argument("--folder", "--dir", dest="dir", metavar="FOLDER", help="folder kerja demo (bawaan: var/demo)")
    p.add_argument("--jumlah", "--n", dest="n", metavar="N", type=int, default=20,
                   help="jumlah peserta sintetis (sedikitnya 4)")
    p.add_argument("--benih", "--seed", dest="seed", metavar="N", type=int, default=2024,
                   help="benih acak kohort sintetis")
    p.set_defaults(func=cmd_demo)
