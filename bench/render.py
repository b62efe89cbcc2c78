"""Render the seed notice to bytes: vanthu's renderer against plain docxtpl, same run.

    .venv/bin/python bench/render.py [-n 50]

Both paths start from the same DocumentContent and end with .docx bytes, and both build the
template context (body markup, footnotes, rules) every time. Plain docxtpl then loads the
template, preprocesses and compiles it, renders and saves; vanthu reuses the template it parsed
and compiled once and assembles the zip from cached parts. Prints medians and the ratio
against the ≥5× target; `prepare` and `fill` (the part run under the numbering lock) are shown
on their own.
"""

from __future__ import annotations

import argparse
import io
import statistics
import sys
import time
from collections.abc import Callable
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workflow.content import read  # noqa: E402
from workflow.rendering import prepare, render  # noqa: E402
from workflow.rendering.context import Fill, build  # noqa: E402
from workflow.rendering.templates import compiled, render_docxtpl  # noqa: E402

SEED = ROOT / "fixtures" / "documents" / "seed-conclusion-notice-2021.yaml"
TARGET = 5.0


def median_ms(fn: Callable[[], object], n: int) -> float:
    times = []
    for _ in range(n):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=50, help="renders per measurement (default 50)")
    args = parser.parse_args()

    content = read(SEED)
    family = content.type.family
    issued = (7, date(2022, 1, 5))

    def plain() -> bytes:
        context = build(content, Fill.of(*issued, 2022), compiled(family).sections)
        return render_docxtpl(family, context)

    def fast() -> bytes:
        return render(content, *issued)

    prepared = prepare(content)
    # Warm both paths (imports, the compiled-template cache) before measuring.
    assert len(plain()) > 0 and len(fast()) > 0
    import docx

    docx.Document(io.BytesIO(fast()))

    t_plain = median_ms(plain, args.n)
    t_fast = median_ms(fast, args.n)
    t_prepare = median_ms(lambda: prepare(content), args.n)
    t_fill = median_ms(lambda: prepared.fill(*issued), args.n)
    ratio = t_plain / t_fast
    verdict = "meets" if ratio >= TARGET else "MISSES"
    print(f"seed notice ({SEED.name}), issued, median of {args.n} renders to bytes:")
    print(f"  plain docxtpl (load, preprocess, compile, render, save)  {t_plain:8.2f} ms")
    print(f"  vanthu render (compiled once, cached parts)              {t_fast:8.2f} ms")
    print(f"    of which prepare {t_prepare:.2f} ms, fill {t_fill:.3f} ms")
    print(f"  speed-up {ratio:.1f}x — {verdict} the {TARGET:.0f}x target")
    return 0 if ratio >= TARGET else 1


if __name__ == "__main__":
    sys.exit(main())
