"""Check that a change to the clinical core leaves every result byte-identical.

Evaluates a large fixed corpus of assessments, in English and Korean, and writes each result's
``model_dump_json`` one per line; ``--against FILE`` compares with a corpus written before the
change and names the first assessments whose results differ. The corpus is the same every run:

- every ``answers`` row of the spec tables (``tests/spec/tables``);
- assessments drawn by the property tests' strategy (``tests/unit/test_properties.py``),
  derandomized;
- the benchmark's realistic assessments (``bench_core.realistic_assessments``);
- some of each with learned responses (what a client's own sessions showed).

    .venv/bin/python bench/core_identical.py --write /tmp/before.jsonl
    .venv/bin/python bench/core_identical.py --against /tmp/before.jsonl
"""

from __future__ import annotations

import argparse
import hashlib
import random
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
for path in (HERE, HERE.parent):  # bench_core beside this file; tests from the checkout
    if str(path) not in sys.path:
        sys.path.insert(0, str(path))

from hypothesis import HealthCheck, given, settings  # noqa: E402
from tests.conftest import baseline  # noqa: E402
from tests.spec.spec_tables import LEFT_OUT, TABLES_DIR, answers, read_tables  # noqa: E402
from tests.unit.test_properties import assessment_data  # noqa: E402

from bench_core import realistic_assessments  # noqa: E402
from sciatica_care.domain.assessment import parse_assessment  # noqa: E402
from sciatica_care.domain.plan import evaluate  # noqa: E402
from sciatica_care.domain.recommendation import LearnedResponse  # noqa: E402
from sciatica_care.domain.vocabulary import RESPONSES, TECHNIQUES  # noqa: E402
from sciatica_care.knowledge.loader import knowledge_base  # noqa: E402


def spec_inputs() -> list[dict[str, Any]]:
    """The answers of every spec-table row that has an ``answers`` column."""
    out = []
    for path in sorted(TABLES_DIR.glob("*.md")):
        for table in read_tables(path.stem):
            if "answers" not in table.columns:
                continue
            for row in table.rows:
                data = baseline(**answers(row["answers"]))
                out.append({k: v for k, v in data.items() if v != LEFT_OUT})
    return out


def drawn_inputs(n: int) -> list[dict[str, Any]]:
    """``n`` assessments drawn by the property tests' strategy, the same ones every run."""
    drawn: list[dict[str, Any]] = []

    @settings(
        max_examples=n,
        derandomize=True,
        deadline=None,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(data=assessment_data())
    def collect(data: dict[str, Any]) -> None:
        drawn.append(data)

    collect()
    return drawn


def learned_for(rng: random.Random) -> dict[str, LearnedResponse]:
    return {
        t: LearnedResponse(rng.choice(RESPONSES), f"Your sessions of {t} went so.")  # type: ignore[arg-type]
        for t in rng.sample(TECHNIQUES, rng.randint(1, 3))
    }


def corpus(drawn: int, realistic: int) -> list[tuple[dict[str, Any], dict[str, LearnedResponse]]]:
    inputs = spec_inputs() + drawn_inputs(drawn) + realistic_assessments(realistic, seed=7)
    rng = random.Random(12)
    out: list[tuple[dict[str, Any], dict[str, LearnedResponse]]] = [(d, {}) for d in inputs]
    out += [(d, learned_for(rng)) for d in rng.sample(inputs, len(inputs) // 5)]
    return out


def results(drawn: int, realistic: int) -> list[str]:
    lines = []
    cases = corpus(drawn, realistic)
    for language in ("en", "ko"):
        kb = knowledge_base(language)
        for data, learned in cases:
            result = evaluate(parse_assessment(data), kb, learned=learned or None)
            lines.append(result.model_dump_json())
    return lines


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--drawn", type=int, default=5000, help="property-strategy draws")
    parser.add_argument("--realistic", type=int, default=4000, help="benchmark assessments")
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--write", type=Path, help="write the results to this file")
    group.add_argument("--against", type=Path, help="compare with results written before")
    args = parser.parse_args()
    lines = results(args.drawn, args.realistic)
    digest = hashlib.sha256("\n".join(lines).encode()).hexdigest()[:16]
    print(f"{len(lines)} results (en and ko), sha256 {digest}")
    if args.write:
        args.write.write_text("\n".join(lines) + "\n", encoding="utf-8")
        return
    before = args.against.read_text(encoding="utf-8").splitlines()
    if len(before) != len(lines):
        sys.exit(f"DIFFERENT: {len(before)} results before, {len(lines)} now")
    differ = [n for n, (a, b) in enumerate(zip(before, lines, strict=True)) if a != b]
    if differ:
        print(f"DIFFERENT: {len(differ)} results, first at lines {differ[:10]}")
        n = differ[0]
        print(f"before: {before[n][:2000]}\nnow:    {lines[n][:2000]}")
        sys.exit(1)
    print("identical, byte for byte")


if __name__ == "__main__":
    main()
