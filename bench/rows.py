"""The issue-12 table: one ``Row`` per figure (absolute figures, the ratio, the aim) and the two
in-process rows any bench script can add to it:

- ``core_row``: assessment -> full result in process vs pydantic validation of the same input
  (the time of one over the other; aim <= 5x);
- ``cli_row``: ``sciatica-care assess --input FILE`` cold start vs
  ``python -c "import pydantic, typer, yaml"`` (aim <= 1.5x).

``print_rows`` prints any list of rows as one table, so rows from other scripts (the dashboard,
the client list) can be put beside these. Nothing asserts a time.
"""

from __future__ import annotations

import gc
import json
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
if str(HERE) not in sys.path:  # imported from another folder: bench_core sits beside this file
    sys.path.insert(0, str(HERE))


@dataclass(frozen=True)
class Row:
    """One line of the table: what, the absolute figures, the ratio, the aim and whether met."""

    what: str
    figures: str
    ratio: str
    aim: str
    met: bool


def print_rows(rows: Sequence[Row], title: str = "issue 12: figures against their aims") -> None:
    """The rows as one table (one run: the ratios are comparable, the absolutes vary)."""
    print(f"\n{title}")
    width = max(len(r.what) for r in rows)
    for r in rows:
        if r.aim.startswith("("):  # a figure without an aim
            print(f"  {r.what:<{width}}  {r.figures}  ->  {r.ratio} {r.aim}")
            continue
        mark = "met" if r.met else "MISSED"
        print(f"  {r.what:<{width}}  {r.figures}  ->  {r.ratio} (aim {r.aim}: {mark})")


def _median_us(fn: Callable[[Any], object], inputs: list[Any], rounds: int) -> float:
    for data in inputs:  # warm up
        fn(data)
    gc.collect()
    clock = time.perf_counter_ns
    per_round = []
    for _ in range(rounds):
        start = clock()
        for data in inputs:
            fn(data)
        per_round.append((clock() - start) / 1000 / len(inputs))
    return statistics.median(per_round)


def core_row(n: int = 400, rounds: int = 7) -> Row:
    """Row 5: evaluate ``n`` varied assessments (validation included) vs only validating them.

    The two are interleaved round by round so that a busy machine slows both alike."""
    from bench_core import realistic_assessments
    from sciatica_care.domain.assessment import Assessment, parse_assessment
    from sciatica_care.domain.plan import evaluate
    from sciatica_care.knowledge.loader import knowledge_base

    kb = knowledge_base()
    inputs = realistic_assessments(n)

    def full(data: dict[str, Any]) -> object:
        return evaluate(parse_assessment(data), kb)

    full_us, valid_us = [], []
    for _ in range(rounds):
        full_us.append(_median_us(full, inputs, 1))
        valid_us.append(_median_us(Assessment.model_validate, inputs, 1))
    full_t, valid_t = statistics.median(full_us), statistics.median(valid_us)
    ratio = full_t / valid_t
    return Row(
        "assessment -> result in process vs pydantic validation",
        f"{full_t:.1f} vs {valid_t:.1f} µs per assessment ({n} varied)",
        f"{ratio:.1f}x the time",
        "<= 5x",
        ratio <= 5,
    )


def _wall(argv: list[str]) -> float:
    start = time.perf_counter()
    subprocess.run(argv, capture_output=True, check=True)
    return time.perf_counter() - start


def cli_row(runs: int = 11) -> Row:
    """Row 6: ``assess --input`` cold start vs importing pydantic, typer and yaml, alternated
    run by run (a fresh process each time; the OS file cache is warmed first)."""
    from bench_cli_start import ASSESSMENT, command, compile_bytecode

    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "assessment.json"
        path.write_text(json.dumps(ASSESSMENT))
        assess = [*command(), "assess", "--input", str(path), "--format", "text"]
        floor = [sys.executable, "-c", "import pydantic, typer, yaml"]
        _wall(assess), _wall(floor)
        times: tuple[list[float], list[float]] = ([], [])
        for _ in range(runs):
            times[0].append(_wall(assess))
            times[1].append(_wall(floor))
    cli_ms, floor_ms = (statistics.median(t) * 1000 for t in times)
    ratio = cli_ms / floor_ms
    return Row(
        "`assess --input` cold start vs import pydantic, typer, yaml",
        f"{cli_ms:.0f} vs {floor_ms:.0f} ms (median of {runs})",
        f"{ratio:.2f}x",
        "<= 1.5x",
        ratio <= 1.5,
    )


def throughput_row(what: str, mine: float, base: float, aim: float, base_name: str) -> Row:
    """A throughput ratio row ("913 vs 2,162 req/s -> 42%")."""
    ratio = mine / base if base else 0.0
    return Row(
        what,
        f"{mine:,.0f} vs {base:,.0f} req/s ({base_name})",
        f"{ratio:.0%}",
        f">= {aim:.0%}",
        ratio >= aim,
    )


if __name__ == "__main__":
    print_rows([core_row(), cli_row()])
