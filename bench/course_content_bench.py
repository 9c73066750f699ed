"""Grading latency of a course repository's bundle (its code in the sandbox) against the built-in path.

A copy of the relu bundle is graded as
  built-in     the worker imports its reference and cases (in process; the baseline)
  course-warm  a course bundle whose cases and expected outputs are already computed (cached per version)
  course-cold  a course bundle whose values are computed first in the sandbox (the first submission
               of a version in a worker process)
with one warm zygote, the same correct and wrong submissions; it prints the median and p90 in ms
and the ratios to the built-in path measured in the same run, and checks that every verdict is the
same as the built-in one.

    python bench/course_content_bench.py [--repeat 30]
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from graders.bundle import load_cached  # noqa: E402
from graders.runtime import SandboxPool  # noqa: E402
from graders.sandboxed_content import forget  # noqa: E402

SOURCES = {
    "relu": {
        "correct": "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n",
        "wrong": "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n",
    },
}


def _strip(verdict) -> dict:
    data = verdict.to_dict()
    data.pop("elapsed_ms")
    for case in data["cases"]:
        case.pop("duration_ms", None)
    return data


def _time(pool: SandboxPool, bundle, source: str, *, cold: bool) -> tuple[float, dict]:
    if cold:
        forget()
    started = time.perf_counter()
    verdict = pool.grade(bundle, source)
    return (time.perf_counter() - started) * 1000, _strip(verdict)


def _row(name: str, times: list[float], baseline: float) -> str:
    median = statistics.median(times)
    p90 = sorted(times)[int(0.9 * (len(times) - 1))]
    return f"  {name:<12} median {median:7.1f} ms   p90 {p90:7.1f} ms   x{median / baseline:5.2f} of built-in"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=30)
    args = parser.parse_args()
    pool = SandboxPool()
    with tempfile.TemporaryDirectory() as temp:
        for slug, sources in SOURCES.items():
            folder = Path(temp) / slug
            shutil.copytree(ROOT / "exercises" / slug, folder, ignore=shutil.ignore_patterns("__pycache__"))
            built_in, course = load_cached(folder), load_cached(folder, untrusted=True)
            for label, source in sources.items():
                pool.grade(built_in, source)  # warm both paths once
                pool.grade(course, source)
                times: dict[str, list[float]] = {"built-in": [], "course-warm": [], "course-cold": []}
                for _ in range(args.repeat):
                    ms, expected = _time(pool, built_in, source, cold=False)
                    times["built-in"].append(ms)
                    for mode in ("course-warm", "course-cold"):
                        ms, got = _time(pool, course, source, cold=mode == "course-cold")
                        times[mode].append(ms)
                        if got != expected:
                            sys.exit(f"{slug}/{label}: the {mode} verdict differs from the built-in one")
                baseline = statistics.median(times["built-in"])
                print(f"{slug} ({label} submission, {args.repeat} runs, verdicts identical):")
                for mode, measured in times.items():
                    print(_row(mode, measured, baseline))
    pool.close()


if __name__ == "__main__":
    main()
