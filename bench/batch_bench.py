"""Batch grading throughput: 1000 relu submissions through `manage.py grade`, whole process, wall clock.

Runs, in one go and on the same files:
  local   --workers 1        one warm sandbox
  local   --workers 2        two warm sandboxes (threads)
  --distributed              a batch job fanned out over Redis to two Celery worker processes
                             (concurrency 1 each, on queues of their own), gathered in order
and prints submissions per second, the ratio workers 2 / workers 1, and the distributed overhead
per submission against the local run with the same parallelism (2). Every mode must print the
same records, or the figures mean nothing: the script checks that.

    python bench/batch_bench.py [--files 1000] [--repeat 3] [--redis-url redis://127.0.0.1:6379/0]
                                [--database-url postgres://...]   (default: SQLite in a temp folder)
"""

from __future__ import annotations

import argparse
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

VARIANTS = {
    # name: (share, source)
    "correct_maximum": (0.35, "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"),
    "correct_mask": (0.15, "import numpy as np\n\ndef relu(x):\n    return x * (x > 0)\n"),
    "correct_where": (0.10, "import numpy as np\n\ndef relu(x):\n    return np.where(x > 0, x, 0.0)\n"),
    "wrong_abs": (0.15, "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n"),
    "wrong_in_place": (0.10, "import numpy as np\n\ndef relu(x):\n    np.maximum(x, 0, out=x)\n    return x\n"),
    "wrong_leaky": (0.05, "import numpy as np\n\ndef relu(x):\n    return np.where(x > 0, x, 0.01 * x)\n"),
    "syntax_error": (0.05, "import numpy as np\n\ndef relu(x)\n    return x\n"),
    "missing_function": (0.05, "import numpy as np\n\ndef rectify(x):\n    return np.maximum(x, 0)\n"),
}


def make_submissions(folder: Path, count: int) -> dict[str, int]:
    """Write ``count`` files in student folders, the variants interleaved; return the mix."""
    names = []
    for name, (share, _source) in VARIANTS.items():
        names += [name] * round(share * count)
    names = (names + ["correct_maximum"] * count)[:count]
    # Interleave so both halves of the batch hold the same mix.
    order = sorted(range(count), key=lambda i: (i * 7919) % count)
    for index, position in enumerate(order):
        student = folder / f"student{position:04d}"
        student.mkdir(parents=True)
        (student / "relu.py").write_text(VARIANTS[names[index]][1])
    return {name: names.count(name) for name in VARIANTS}


def reachable(url: str) -> bool:
    parsed = urllib.parse.urlparse(url)
    try:
        socket.create_connection((parsed.hostname, parsed.port or 6379), timeout=2).close()
        return True
    except OSError:
        return False


class Worker:
    def __init__(self, env: dict[str, str], queue: str, name: str) -> None:
        self.ready = threading.Event()
        self.lines: list[str] = []
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--loglevel=INFO", "--concurrency=1",
            "-Q", queue, "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{name}@%h",
        ]  # fmt: skip
        self.process = subprocess.Popen(
            command,
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
            start_new_session=True,
        )
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            if " ready." in line:
                self.ready.set()

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


def run_grade(env: dict[str, str], folder: Path, output: Path, *extra: str) -> float:
    command = [sys.executable, str(ROOT / "manage.py"), "grade", "relu", str(folder), "--output", str(output), *extra]
    started = time.perf_counter()
    result = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=1800)
    elapsed = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"{' '.join(extra)} failed ({result.returncode}):\n{result.stderr[-3000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--files", type=int, default=1000)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each mode; the median is reported")
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL") or "redis://127.0.0.1:6379/0")
    parser.add_argument("--database-url", default=os.environ.get("BENCH_DATABASE_URL", ""))
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="dlgrade-batch-bench-"))
    tag = uuid.uuid4().hex[:8]
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(
        PYTHONPATH=f"{ROOT}:{ROOT / 'platform'}",
        DJANGO_SETTINGS_MODULE="config.settings",
        DLGRADE_VAR_DIR=str(work / "var"),
        DLGRADE_LOG_LEVEL="WARNING",
        DLGRADE_BATCH_QUEUE=f"bench-batch-{tag}",
        DLGRADE_GRADING_QUEUE=f"bench-grading-{tag}",
    )
    if args.database_url:
        env["DATABASE_URL"] = args.database_url
    workers: list[Worker] = []
    try:
        mix = make_submissions(work / "subs", args.files)
        print(f"{args.files} relu submissions: " + ", ".join(f"{n} {name}" for name, n in mix.items()))
        print(f"database: {'PostgreSQL ' + args.database_url if args.database_url else 'SQLite (temp folder)'}; "
              f"sandbox: {os.environ.get('DLGRADE_SANDBOX', 'auto')}; {os.cpu_count()} CPUs")  # fmt: skip
        subprocess.run([sys.executable, "manage.py", "migrate", "--no-input", "-v0"], cwd=ROOT, env=env, check=True)
        subprocess.run(
            [sys.executable, "manage.py", "sync_exercises"], cwd=ROOT, env=env, check=True, capture_output=True
        )
        single = work / "one.py"
        single.write_text(VARIANTS["correct_maximum"][1])
        startup = statistics.median(
            run_grade(env, single, work / "one.jsonl") for _ in range(3)
        )  # one file: the command's fixed cost (Django, bundle, sandbox start)

        times: dict[str, list[float]] = {"w1": [], "w2": [], "dist": []}
        outputs = {mode: work / f"{mode}.jsonl" for mode in times}
        redis_ok = reachable(args.redis_url)
        if redis_ok:
            denv = {**env, "REDIS_URL": args.redis_url}
            workers = [Worker(denv, env["DLGRADE_BATCH_QUEUE"], f"bench{i}-{tag}") for i in (1, 2)]
            for worker in workers:
                if not worker.ready.wait(60):
                    sys.exit("a worker did not start:\n" + "".join(worker.lines[-40:]))
        else:
            print(f"Redis at {args.redis_url} is unreachable: the --distributed runs are skipped")
        for round_ in range(args.repeat):
            times["w1"].append(run_grade(env, work / "subs", outputs["w1"], "--workers", "1"))
            times["w2"].append(run_grade(env, work / "subs", outputs["w2"], "--workers", "2"))
            if redis_ok:
                times["dist"].append(run_grade(denv, work / "subs", outputs["dist"], "--distributed"))
            print(f"round {round_ + 1}: " + ", ".join(f"{m} {t[-1]:.2f} s" for m, t in times.items() if t))

        reference = outputs["w1"].read_text()
        assert reference.count("\n") == args.files
        for mode in ("w2", "dist"):
            if times[mode]:
                assert outputs[mode].read_text() == reference, f"{mode} printed other records than workers 1"

        n = args.files
        med = {mode: statistics.median(t) for mode, t in times.items() if t}
        print()
        print(f"command start-up (1 file, median of 3): {startup * 1000:.0f} ms")
        print(f"{'mode':<34}{'median s':>10}{'subs/s':>10}   runs")
        for mode, label in (
            ("w1", "local --workers 1"),
            ("w2", "local --workers 2"),
            ("dist", "--distributed, 2 worker processes"),
        ):
            if mode in med:
                runs = " ".join(f"{t:.2f}" for t in times[mode])
                print(f"{label:<34}{med[mode]:>10.2f}{n / med[mode]:>10.1f}   {runs}")
        print(f"ratio workers 2 / workers 1: {med['w1'] / med['w2']:.2f}x")
        if "dist" in med:
            overhead = (med["dist"] - med["w2"]) / n * 1000
            print(
                f"distributed / local workers 2: {med['w2'] / med['dist']:.2f}x the throughput; "
                f"overhead {overhead:+.2f} ms per submission "
                f"({med['dist'] / n * 1000:.2f} vs {med['w2'] / n * 1000:.2f} ms of wall clock each)"
            )
        print("all modes printed identical records")
    finally:
        for worker in workers:
            worker.stop()
        if args.redis_url and reachable(args.redis_url):
            try:
                import redis

                client = redis.Redis.from_url(args.redis_url)
                client.delete(env["DLGRADE_BATCH_QUEUE"], env["DLGRADE_GRADING_QUEUE"])
            except Exception:
                pass
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
