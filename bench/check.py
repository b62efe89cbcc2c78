"""How fast `check()` reads a rendered document back, against opening the same bytes with
python-docx (the baseline, measured in the same run).

Run: .venv/bin/python bench/check.py [--runs N]
"""

from __future__ import annotations

import argparse
import io
import statistics
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

import docx

from workflow.content import read
from workflow.rendering import render
from workflow.rendering.checker import check

ROOT = Path(__file__).resolve().parents[1]
SEED = ROOT / "fixtures" / "documents" / "seed-conclusion-notice-2021.yaml"


def timed(fn: Callable[[], object], runs: int) -> tuple[float, float]:
    """Median and best wall time in milliseconds over `runs` calls (after one warm-up)."""
    fn()
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times), min(times)


def read_all_text(data: bytes) -> str:
    """The second baseline: python-docx opens the file and reads every paragraph's text."""
    document = docx.Document(io.BytesIO(data))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(cell.text for cell in row.cells)
    return "\n".join(texts)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=50)
    args = parser.parse_args()
    content = read(SEED)
    cases = {
        "seed notice, draft": (render(content), True),
        "seed notice, issued": (render(content, 7, date(2022, 1, 5)), False),
    }
    print(
        f"{'document':<22} {'size':>7} {'docx open':>11} {'docx text':>11} {'check()':>10}"
        f" {'vs open':>8} {'vs text':>8}"
    )
    for name, (data, draft) in cases.items():
        assert check(data, draft=draft) == [], name
        opened, _ = timed(lambda d=data: docx.Document(io.BytesIO(d)), args.runs)
        text, _ = timed(lambda d=data: read_all_text(d), args.runs)
        ours, _ = timed(lambda d=data, f=draft: check(d, draft=f), args.runs)
        print(
            f"{name:<22} {len(data) / 1024:>5.1f}kB {opened:>8.2f} ms {text:>8.2f} ms"
            f" {ours:>7.2f} ms {ours / opened:>7.1f}x {ours / text:>7.1f}x"
        )
    print("median wall time per call; check() reads styles, theme, headers, footers and notes")


if __name__ == "__main__":
    main()
