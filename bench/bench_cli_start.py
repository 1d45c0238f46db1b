"""Benchmark the cold start of ``sciatica-care assess --input FILE``: process start to output.

Runs the installed command N times as a fresh process and prints median and p95 wall time per
output format (target from issue 2: <= 0.5 s). Asserts nothing.

    .venv/bin/python bench/bench_cli_start.py [--runs 15]
"""

from __future__ import annotations

import argparse
import json
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ASSESSMENT = {
    "age": 46,
    "back_pain": 4,
    "leg_pain": 6,
    "side": "left",
    "areas": ["lower_back", "buttock", "thigh_back", "calf_back"],
    "duration_weeks": 5,
    "seen_clinician": True,
    "symptoms": ["tingling", "muscle_tightness"],
    "aggravated_by": ["sitting"],
    "conditions": ["diabetes"],
}


def command() -> list[str]:
    installed = Path(sys.executable).with_name("sciatica-care")
    if installed.exists():
        return [str(installed)]
    found = shutil.which("sciatica-care")
    if found:
        return [found]
    return [sys.executable, "-c", "from sciatica_care.cli import main; main()"]


def compile_bytecode() -> None:
    """Compile the package's bytecode, as installing a wheel does. An editable install run with
    PYTHONDONTWRITEBYTECODE=1 (as on the CI machine) would otherwise compile every module of
    the project from source on each start, while the libraries it is compared with were
    compiled when pip installed them."""
    import compileall

    import sciatica_care

    compileall.compile_dir(Path(sciatica_care.__file__).parent, quiet=1)


def time_runs(args: list[str], runs: int) -> list[float]:
    subprocess.run(args, capture_output=True, check=True)  # warm the OS file cache
    out = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run(args, capture_output=True, check=True)
        out.append(time.perf_counter() - start)
    return sorted(out)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    compile_bytecode()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "assessment.json"
        path.write_text(json.dumps(ASSESSMENT))
        base = command()
        print(f"command: {' '.join(base)} assess --input FILE   ({args.runs} runs each)")
        cases = {
            f"--format {fmt}": [*base, "assess", "--input", str(path), "--format", fmt]
            for fmt in ("json", "text", "markdown")
        }
        cases["--brief"] = [*base, "assess", "--input", str(path), "--brief"]
        cases["--version"] = [*base, "--version"]
        cases["python -c pass (floor)"] = [sys.executable, "-c", "pass"]
        for name, argv in cases.items():
            times = time_runs(argv, args.runs)
            p95 = times[min(len(times) - 1, int(0.95 * len(times)))]
            print(
                f"{name:<24} median {statistics.median(times) * 1000:6.0f} ms"
                f"   p95 {p95 * 1000:6.0f} ms   min {times[0] * 1000:6.0f} ms"
            )
    print("target: assess --input cold start to output <= 500 ms")


if __name__ == "__main__":
    main()
