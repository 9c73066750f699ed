"""The grading numbers do not depend on the Python version: a fingerprint of every exercise's verdicts.

Grades each exercise's reference and starter through the real engine and zygote, keeps what a
student sees (scores, statuses, messages, previews, mistakes) and drops durations, then prints one
SHA-256 per exercise and one over all. Run it under each supported interpreter with the pinned
packages and compare the last line:

    .venv/bin/python bench/python_versions.py
    /path/to/python3.13 bench/python_versions.py     # a venv with requirements.lock installed
"""

from __future__ import annotations

import hashlib
import json
import platform
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TIMING_KEYS = {"ms", "elapsed_ms", "duration_ms", "seconds", "total_ms"}


def _without_timings(node):
    if isinstance(node, dict):
        return {key: _without_timings(value) for key, value in node.items() if key not in TIMING_KEYS}
    if isinstance(node, list):
        return [_without_timings(value) for value in node]
    return node


def main() -> None:
    import numpy as np

    from graders.bundle import load_bundle
    from graders.engine import grade
    from graders.sandbox import Zygote

    overall = hashlib.sha256()
    with Zygote() as zygote:
        for folder in sorted(path for path in (ROOT / "exercises").iterdir() if (path / "exercise.toml").exists()):
            bundle = load_bundle(folder)
            digest = hashlib.sha256()
            for name in ("reference.py", "starter.py"):
                verdict = grade(bundle, (folder / name).read_text(), zygote=zygote)
                payload = json.dumps(_without_timings(verdict.to_dict()), sort_keys=True, default=str)
                digest.update(payload.encode())
            overall.update(digest.digest())
            print(f"{bundle.slug:24} {digest.hexdigest()[:16]}")
    print(f"python {platform.python_version()}, numpy {np.__version__}: all verdicts {overall.hexdigest()[:16]}")


if __name__ == "__main__":
    main()
