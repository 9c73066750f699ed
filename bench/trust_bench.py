"""What a hostile submission can cost a worker: seconds, stored verdict bytes and memory, next to an honest one.

Each scenario grades one submission through the real engine and zygote in a fresh process (so the
peak memory is that submission's), and prints the worker's wall time, the stored verdict's size
and the trusted side's peak RSS, with ratios against the honest submission measured in the same
run. The scenarios are the amplification and time cases of the sandbox's trust rule
(docs/sandbox.md): nested previews, outputs kept alive across attempts, forged frames that used
to restart the clock, and a submission that loops forever in every case.

    python bench/trust_bench.py            # every scenario
    python bench/trust_bench.py looping    # one of them
"""

from __future__ import annotations

import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCENARIOS = {
    "honest": (
        "relu",
        "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n",
    ),
    "nested_previews": (
        "relu",
        # lists of arrays with 13 axes of length 2: numpy cannot summarize them when printing
        "import numpy as np\n\ndef relu(x):\n    return [[np.zeros((2,) * 13)] * 30] * 30\n",
    ),
    "outputs_across_attempts": (
        "relu",
        # every case returns ~60 MB; each attempt's result survives until the verdict is built
        "import numpy as np\n\ndef relu(x):\n    return np.zeros((7_800_000,))\n",
    ),
    "forged_frames": (
        "relu",
        # sleeps 20 s, writing a tiny "loaded" frame to every fd each second (it used to restart the clock)
        "import numpy as np\n_import = __import__\n\n"
        "def relu(x):\n"
        "    os, time, json, struct = (_import(m, {}) for m in ('os', 'time', 'json', 'struct'))\n"
        "    raw = json.dumps({'type': 'loaded', 'ms': 0.0, 'blobs': []}).encode()\n"
        "    for _ in range(20):\n"
        "        time.sleep(1)\n"
        "        for fd in range(3, 20):\n"
        "            try:\n"
        "                os.write(fd, struct.pack('>I', len(raw)) + raw)\n"
        "            except OSError:\n"
        "                pass\n"
        "    return np.maximum(x, 0.0)\n",
    ),
    "looping": (
        "conv-forward",
        "import numpy as np\n\ndef conv_forward(x, w, b, stride=1, pad=0):\n    while True:\n        pass\n",
    ),
}


def measure(name: str) -> dict:
    from graders.bundle import load_bundle
    from graders.engine import grade
    from graders.sandbox import Zygote

    slug, source = SCENARIOS[name]
    bundle = load_bundle(ROOT / "exercises" / slug)
    bundle.expected  # noqa: B018 - computed before measuring, as a warm worker has it
    with Zygote() as zygote:
        grade(
            bundle,
            SCENARIOS["honest"][1] if slug == "relu" else source.replace("while True", "while False"),
            zygote=zygote,
        )
        before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        started = time.perf_counter()
        verdict = grade(bundle, source, zygote=zygote)
        seconds = time.perf_counter() - started
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return {
        "scenario": name,
        "exercise": slug,
        "time_limit_s": bundle.limits.time_s,
        "worker_s": round(seconds, 3),
        "verdict_bytes": len(json.dumps(verdict.to_dict())),
        "peak_rss_growth_mb": round((peak - before) / 1024, 1),
        "score": verdict.score,
    }


def main() -> None:
    if len(sys.argv) == 3 and sys.argv[1] == "--one":
        print(json.dumps(measure(sys.argv[2])))
        return
    names = sys.argv[1:] or list(SCENARIOS)
    if "honest" not in names:
        names.insert(0, "honest")
    rows = []
    for name in names:
        output = subprocess.run(
            [sys.executable, __file__, "--one", name],
            capture_output=True,
            text=True,
            check=True,
            env=dict(os.environ, PYTHONPATH=f"{ROOT}:{ROOT / 'platform'}"),
        ).stdout
        rows.append(json.loads(output.strip().splitlines()[-1]))
    honest = rows[0]
    print(
        f"{'scenario':26} {'worker s':>9} {'x honest':>9} {'x limit':>8} {'verdict KB':>11} {'peak RSS +MB':>13} {'score':>6}"
    )
    for row in rows:
        print(
            f"{row['scenario']:26} {row['worker_s']:9.3f} {row['worker_s'] / honest['worker_s']:9.0f} "
            f"{row['worker_s'] / row['time_limit_s']:8.2f} {row['verdict_bytes'] / 1024:11.1f} "
            f"{row['peak_rss_growth_mb']:13.1f} {row['score']:6.2f}"
        )
    for row in rows:
        if row["scenario"] == "looping":
            # The target: 3 x the case limit (the budget), plus the trusted side's own work after
            # it (killing the child, building the verdict), which no student code can stretch.
            budget = 3.0 * row["time_limit_s"]
            after = row["worker_s"] - budget
            verdict = "met" if after <= 0.1 else "MISSED"
            print(
                f"looping submission: {row['worker_s'] / row['time_limit_s']:.2f} x the case limit of worker time "
                f"= budget {budget:g} s + {after * 1000:.0f} ms to stop it and write the verdict (target 3 x + <= 0.1 s: {verdict})"
            )


if __name__ == "__main__":
    main()
