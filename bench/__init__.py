"""Benchmarks (`make bench`): figures are ratios against a baseline measured in
the same run, recorded under bench/results/."""
from __future__ import annotations

import json
from pathlib import Path
from netralitas.clock import now_utc  # result times in UTC, named with Z, whatever the TZ

RESULTS = Path(__file__).parent / "results"


def save_results(kind: str, figures: dict, markdown: str | None = None) -> Path:
    """Write one run's figures as bench/results/<kind>_<timestamp>.json (and
    .md beside it when given); returns the JSON path."""
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / f"{kind}_{now_utc():%Y%m%d-%H%M%SZ}"
    out = stem.with_suffix(".json")
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if markdown is not None:
        stem.with_suffix(".md").write_text(markdown, encoding="utf-8")
    return out
