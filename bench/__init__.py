"""Benchmarks (`make bench`): figures are ratios against a baseline measured in
the same run, recorded under bench/results/."""
from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

RESULTS = Path(__file__).parent / "results"


def save_results(kind: str, figures: dict, markdown: str | None = None) -> Path:
    """Write one run's figures as bench/results/<kind>_<timestamp>.json (and
    .md beside it when given); returns the JSON path."""
    RESULTS.mkdir(exist_ok=True)
    stem = RESULTS / f"{kind}_{datetime.now():%Y%m%d-%H%M%S}"
    out = stem.with_suffix(".json")
    out.write_text(json.dumps(figures, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    if markdown is not None:
        stem.with_suffix(".md").write_text(markdown, encoding="utf-8")
    return out
