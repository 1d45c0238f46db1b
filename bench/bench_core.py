"""Benchmark the clinical core in process: assessment dict -> full Result, on one core.

Prints throughput and latency percentiles for the full path and for merely validating the same
input with pydantic, their ratio, the knowledge-base load time and the peak memory. Asserts
nothing (targets from issue 2: >= 10,000 results/s, median <= 100 µs, KB load <= 50 ms).

    .venv/bin/python bench/bench_core.py [--n 400] [--rounds 5]
"""

from __future__ import annotations

import argparse
import gc
import os
import random
import statistics
import time
import tracemalloc
from collections.abc import Callable
from typing import Any

from sciatica_care.domain.assessment import Assessment, parse_assessment
from sciatica_care.domain.plan import evaluate
from sciatica_care.domain.vocabulary import (
    AGGRAVATORS,
    CONDITIONS,
    DIAGNOSES,
    GOALS,
    PRESSURES,
    RED_FLAGS,
    REGIONS,
    RESPONSES,
    SEXES,
    SIDES,
    SYMPTOMS,
    TECHNIQUES,
    TRENDS,
)
from sciatica_care.knowledge.loader import knowledge_base, load_knowledge_base


def _some(rng: random.Random, values: tuple[str, ...], most: int) -> list[str]:
    return rng.sample(values, rng.randint(0, min(most, len(values))))


def realistic_assessments(n: int, *, seed: int = 2) -> list[dict[str, Any]]:
    """``n`` different, valid assessments, mostly calm; about one in eight has a red flag."""
    rng = random.Random(seed)
    out = []
    for _ in range(n):
        side = rng.choice(SIDES)
        areas = _some(rng, REGIONS, 5)
        data: dict[str, Any] = {
            "age": rng.randint(18, 90),
            "back_pain": rng.randint(0, 10),
            "leg_pain": rng.randint(0, 10),
            "side": side,
            "areas": areas,
            "duration_weeks": round(rng.uniform(0.2, 60), 1),
            "trend": rng.choice(TRENDS),
            "first_episode": rng.random() < 0.5,
            "seen_clinician": rng.random() < 0.6,
            "diagnosis": rng.choice(DIAGNOSES),
            "symptoms": _some(rng, SYMPTOMS, 4),
            "aggravated_by": _some(rng, AGGRAVATORS, 3),
            "red_flags": _some(rng, RED_FLAGS, 2) if rng.random() < 0.125 else [],
            "conditions": _some(rng, CONDITIONS, 3) if rng.random() < 0.4 else [],
            "pressure_preference": rng.choice(PRESSURES),
            "goals": _some(rng, GOALS, 3) or ["pain_relief"],
        }
        if rng.random() < 0.5:
            data["sex"] = rng.choice(SEXES)
            data["pregnant"] = data["sex"] == "female" and rng.random() < 0.05
        if side == "both" and areas:
            data["area_sides"] = {areas[0]: rng.choice(("left", "right"))}
        if rng.random() < 0.3:
            data["prior_response"] = {t: rng.choice(RESPONSES) for t in _some(rng, TECHNIQUES, 2)}
        out.append(data)
    return out


def measure(
    fn: Callable[[dict[str, Any]], object], inputs: list[dict[str, Any]], rounds: int
) -> tuple[float, list[float]]:
    """Per-call latencies in µs over ``rounds`` passes, and throughput of untimed passes."""
    for data in inputs:  # warm up
        fn(data)
    latencies: list[float] = []
    clock = time.perf_counter_ns
    for _ in range(rounds):
        for data in inputs:
            start = clock()
            fn(data)
            latencies.append((clock() - start) / 1000)
    start = time.perf_counter()
    for _ in range(rounds):
        for data in inputs:
            fn(data)
    per_second = rounds * len(inputs) / (time.perf_counter() - start)
    latencies.sort()
    return per_second, latencies


def pct(sorted_values: list[float], p: float) -> float:
    return sorted_values[min(len(sorted_values) - 1, int(p / 100 * len(sorted_values)))]


def report(name: str, per_second: float, latencies: list[float]) -> None:
    print(
        f"{name:<34} {per_second:>10,.0f}/s   median {statistics.median(latencies):7.1f} µs"
        f"   p95 {pct(latencies, 95):7.1f} µs   p99 {pct(latencies, 99):7.1f} µs"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=400, help="different assessments")
    parser.add_argument("--rounds", type=int, default=5, help="passes over them")
    args = parser.parse_args()
    if hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, {sorted(os.sched_getaffinity(0))[0]})

    loads = []
    for _ in range(7):
        gc.collect()
        start = time.perf_counter()
        load_knowledge_base()
        loads.append((time.perf_counter() - start) * 1000)
    kb = knowledge_base()
    inputs = realistic_assessments(args.n)
    levels: dict[str, int] = {}
    for data in inputs:
        level = evaluate(parse_assessment(data), kb).triage.level
        levels[level] = levels.get(level, 0) + 1

    def full(data: dict[str, Any]) -> object:
        return evaluate(parse_assessment(data), kb)

    def validate_only(data: dict[str, Any]) -> object:
        return Assessment.model_validate(data)

    gc.collect()
    full_rate, full_lat = measure(full, inputs, args.rounds)
    valid_rate, valid_lat = measure(validate_only, inputs, args.rounds)

    tracemalloc.start()
    kept = [full(data) for data in inputs]
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del kept
    tracemalloc.start()
    load_knowledge_base()
    _, kb_peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()

    print(f"inputs: {len(inputs)} different assessments x {args.rounds} rounds, one core")
    print("triage mix: " + ", ".join(f"{k} {v}" for k, v in sorted(levels.items())))
    report("assessment -> full Result", full_rate, full_lat)
    report("pydantic validation only", valid_rate, valid_lat)
    print(
        f"ratio full / validation only:       {valid_rate / full_rate:5.1f}x the time "
        f"(median {statistics.median(full_lat) / statistics.median(valid_lat):.1f}x)"
    )
    print(
        f"knowledge base load + validation:   median {statistics.median(loads):.1f} ms "
        f"(cold first {loads[0]:.1f} ms, min {min(loads):.1f} ms, {len(loads)} fresh loads)"
    )
    print(
        f"peak memory, {len(inputs)} results kept: {peak / 1024:.0f} KiB "
        f"({peak / len(inputs) / 1024:.1f} KiB per result, tracemalloc)"
    )
    print(f"peak memory, knowledge-base load:   {kb_peak / 1024:.0f} KiB (tracemalloc)")
    print("targets: >= 10,000 results/s, median <= 100 µs, knowledge base load <= 50 ms")


if __name__ == "__main__":
    main()
