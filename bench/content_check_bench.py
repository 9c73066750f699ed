"""What the quality gate costs: per bundle in process, and a pull's isolated child against it.

Measures, in one run:
  builtin    the gate on every built-in exercise, one warm sandbox (what the test suite runs)
  inproc     the gate + preview on a scaffolded bundle, in this process, warm sandbox
  isolated   the same through `python -m graders.content_check_cli` (what a course pull runs per
             new version: a child with a cleared environment and its own sandbox)
and prints seconds per bundle and the ratio isolated / inproc (the price of the isolation).

    python bench/content_check_bench.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graders.bundle import load_bundle  # noqa: E402
from graders.content_check import check_exercise, check_path  # noqa: E402
from graders.content_preview import exercise_preview  # noqa: E402
from graders.sandbox import Zygote  # noqa: E402
from graders.scaffold import scaffold  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp, Zygote() as zygote:
        bundle = scaffold("exercise", "leaky-relu", tmp)
        started = time.perf_counter()
        reports = check_path(ROOT / "exercises", zygote)
        builtin = time.perf_counter() - started
        assert all(report.ok for report in reports), [r.problems for r in reports if not r.ok]
        inproc, isolated = [], []
        for _ in range(args.repeat):
            started = time.perf_counter()
            assert check_exercise(bundle, zygote).ok
            exercise_preview(load_bundle(bundle), zygote)
            inproc.append(time.perf_counter() - started)
            started = time.perf_counter()
            env = {"PATH": os.environ.get("PATH", ""), "PYTHONPATH": str(ROOT), "HOME": tmp}
            subprocess.run(
                [sys.executable, "-m", "graders.content_check_cli", str(bundle)],
                env=env,
                check=True,
                capture_output=True,
            )
            isolated.append(time.perf_counter() - started)
    a, b = statistics.median(inproc), statistics.median(isolated)
    print(f"builtin   {len(reports)} bundles in {builtin:.1f} s: {builtin / len(reports):.2f} s per bundle")
    print(f"inproc    {a:.2f} s per bundle (median of {args.repeat}, warm sandbox)")
    print(f"isolated  {b:.2f} s per bundle (median of {args.repeat}, child process + its own sandbox)")
    print(f"ratio     isolated / inproc = {b / a:.2f}")


if __name__ == "__main__":
    main()
