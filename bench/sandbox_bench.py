"""Sandbox benchmark: cost per submission and throughput, next to the naive design, in one run.

Grades relu submissions (honest ones and wrong ones) through graders.engine.grade with warm
sandboxed zygotes, and measures in the same run the naive design: a fresh `python -c` process per
submission that imports NumPy and grades in-process (OPENBLAS_NUM_THREADS=1, no isolation at all,
so the ratio is conservative).

    .venv/bin/python bench/sandbox_bench.py                  # cost, throughput, ratios
    .venv/bin/python bench/sandbox_bench.py --soak           # 1000 hostile submissions, then honest ones
    .venv/bin/python bench/sandbox_bench.py --startup        # zygote start-up time and memory
    .venv/bin/python bench/sandbox_bench.py --isolation plain --submissions 1000 --json var/bench.json

Targets: marginal cost of one more relu submission (10 cases) at most 1/8 of the naive
design's; >= 150 relu submissions/s with two zygotes on two cores; every hostile submission scores
below 1 and the worker keeps grading honest ones correctly.
"""

from __future__ import annotations

import argparse
import dataclasses
import json
import os
import statistics
import subprocess
import sys
import tempfile
import textwrap
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from graders.bundle import load_bundle  # noqa: E402
from graders.engine import grade  # noqa: E402
from graders.sandbox import Limits, SandboxUnavailable, Zygote  # noqa: E402

RELU = ROOT / "exercises" / "relu"

WRONG = {
    "absolute_value": "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n",
    "min_instead_of_max": "import numpy as np\n\ndef relu(x):\n    return np.minimum(x, 0.0)\n",
    "leaky": "import numpy as np\n\ndef relu(x):\n    return np.where(x > 0, x, 0.01 * x)\n",
    "flattened": "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0).ravel()\n",
}


def corpus(bundle) -> list[tuple[str, str, bool]]:
    """(name, source, honest) for a realistic mix: most submissions right, some wrong."""
    honest = [("reference", (bundle.path / "reference.py").read_text(), True)]
    honest += [(name, source, True) for name, source in sorted(bundle.alternative_solutions.items())]
    wrong = [("starter", bundle.starter, False)] + [(name, source, False) for name, source in WRONG.items()]
    return honest * 2 + wrong  # 6 honest, 5 wrong


# ---------------------------------------------------------------------------------------------
# the naive design: a fresh interpreter per submission, grading in-process

NAIVE = textwrap.dedent(
    """
    import sys
    import numpy as np
    data = np.load(sys.argv[1])
    namespace = {"__name__": "solution"}
    exec(compile(sys.stdin.read(), "solution.py", "exec"), namespace)
    passed = 0
    count = int(data["count"])
    for i in range(count):
        got = np.asarray(namespace["relu"](data[f"x{i}"].copy()), dtype=float)
        want = data[f"y{i}"]
        passed += got.shape == want.shape and bool(np.allclose(got, want, rtol=1e-6, atol=1e-9))
    print(passed / count)
    """
)


def naive_data(bundle, folder: Path) -> Path:
    arrays = {"count": np.array(len(bundle.cases))}
    for i, (case, expected) in enumerate(zip(bundle.cases, bundle.expected, strict=True)):
        arrays[f"x{i}"] = np.ascontiguousarray(case.args[0])
        arrays[f"y{i}"] = expected
    path = folder / "relu.npz"
    np.savez(path, **arrays)
    return path


def naive_grade(data: Path, source: str) -> float:
    env = {"PATH": "/usr/bin:/bin", "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    done = subprocess.run(
        [sys.executable, "-c", NAIVE, str(data)], input=source, capture_output=True, text=True, env=env, timeout=60
    )
    return float(done.stdout.strip() or "0")


# ---------------------------------------------------------------------------------------------
# measurements


def timed_batch(grade_one, items) -> tuple[float, list[float], int]:
    """Grade items in order; (wall seconds, per-item ms, wrong verdicts)."""
    latencies, wrong = [], 0
    started = time.perf_counter()
    for _name, source, honest in items:
        t0 = time.perf_counter()
        score = grade_one(source)
        latencies.append((time.perf_counter() - t0) * 1000)
        wrong += (score == 1.0) != honest
    return time.perf_counter() - started, latencies, wrong


def parallel(workers: list, items: list) -> tuple[float, int]:
    """Share ``items`` between worker callables, one thread each; (wall seconds, wrong verdicts)."""
    lock = threading.Lock()
    queue = list(items)
    wrong = [0]

    def loop(grade_one):
        while True:
            with lock:
                if not queue:
                    return
                _name, source, honest = queue.pop()
            score = grade_one(source)
            if (score == 1.0) != honest:
                with lock:
                    wrong[0] += 1

    threads = [threading.Thread(target=loop, args=(worker,)) for worker in workers]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return time.perf_counter() - started, wrong[0]


def summary(latencies: list[float]) -> str:
    ordered = sorted(latencies)
    p90 = ordered[int(0.9 * (len(ordered) - 1))]
    return f"mean {statistics.fmean(ordered):6.2f} ms, median {statistics.median(ordered):6.2f}, p90 {p90:6.2f}"


def _load() -> str:
    try:
        load = Path("/proc/loadavg").read_text().split()[:3]
        pressure = Path("/proc/pressure/cpu").read_text().split()[1].split("=")[1]
        return f"load average {' '.join(load)}, CPU pressure (some, 10 s) {pressure}%"
    except (OSError, IndexError):
        return "load unknown"


def bench(args) -> dict:
    """Sandbox and naive measurements interleaved in rounds, so both see the same machine load."""
    bundle = load_bundle(RELU)
    mix = corpus(bundle)
    rounds = max(1, args.rounds)
    per_round = max(1, args.submissions // rounds)
    naive_per_round = max(1, args.naive // rounds)
    results: dict = {"cpus": os.cpu_count(), "rounds": rounds, "load_before": _load()}
    print(f"{os.cpu_count()} CPUs; {results['load_before']}")

    zygotes = [Zygote(args.isolation), Zygote(args.isolation)]
    for zygote in zygotes:
        zygote.start()
    folder = tempfile.TemporaryDirectory()
    try:
        print(f"sandbox ({zygotes[0].plan.mode}): {'; '.join(zygotes[0].layers)}")
        if zygotes[0].missing:
            print(f"  missing here: {'; '.join(zygotes[0].missing)}")
        graders = [lambda source, z=zygote: grade(bundle, source, zygote=z).score for zygote in zygotes]
        data = naive_data(bundle, Path(folder.name))
        naive_one = lambda source: naive_grade(data, source)  # noqa: E731
        timed_batch(graders[0], mix * 4)  # warm: first-call costs, memory limits, caches
        timed_batch(graders[1], mix * 4)
        timed_batch(naive_one, mix[:2])

        one = {"wall": 0.0, "count": 0, "latencies": [], "wrong": 0}
        two = {"wall": 0.0, "count": 0, "wrong": 0}
        naive = {"wall": 0.0, "count": 0, "latencies": [], "wrong": 0}
        naive_two = {"wall": 0.0, "count": 0, "wrong": 0}
        for round_index in range(rounds):
            items = [mix[(round_index + i) % len(mix)] for i in range(per_round)]
            naive_items = [mix[(round_index + i) % len(mix)] for i in range(naive_per_round)]
            wall, latencies, wrong = timed_batch(graders[0], items)
            one["wall"] += wall
            one["count"] += len(items)
            one["latencies"] += latencies
            one["wrong"] += wrong
            wall, wrong = parallel(graders, items)
            two["wall"] += wall
            two["count"] += len(items)
            two["wrong"] += wrong
            wall, latencies, wrong = timed_batch(naive_one, naive_items)
            naive["wall"] += wall
            naive["count"] += len(naive_items)
            naive["latencies"] += latencies
            naive["wrong"] += wrong
            wall, wrong = parallel([naive_one, naive_one], naive_items)
            naive_two["wall"] += wall
            naive_two["count"] += len(naive_items)
            naive_two["wrong"] += wrong
        results["sandbox_latency"] = summary(one["latencies"])
        results["sandbox_marginal_ms"] = one["wall"] / one["count"] * 1000
        results["sandbox_1_zygote_per_s"] = one["count"] / one["wall"]
        results["sandbox_2_zygotes_per_s"] = two["count"] / two["wall"]
        results["sandbox_wrong_verdicts"] = one["wrong"] + two["wrong"]
        results["restarts"] = sum(zygote.restarts for zygote in zygotes)
        results["naive_latency"] = summary(naive["latencies"])
        results["naive_marginal_ms"] = naive["wall"] / naive["count"] * 1000
        results["naive_1_worker_per_s"] = naive["count"] / naive["wall"]
        results["naive_2_workers_per_s"] = naive_two["count"] / naive_two["wall"]
        results["naive_wrong_verdicts"] = naive["wrong"] + naive_two["wrong"]
        results["submissions"] = one["count"] + two["count"]
        results["naive_submissions"] = naive["count"] + naive_two["count"]
    finally:
        for zygote in zygotes:
            zygote.close()
        folder.cleanup()
    results["load_after"] = _load()

    results["marginal_cost_ratio"] = results["naive_marginal_ms"] / results["sandbox_marginal_ms"]
    results["throughput_ratio_2"] = results["sandbox_2_zygotes_per_s"] / results["naive_2_workers_per_s"]
    print()
    print(f"{'':34s}{'sandbox (warm zygotes)':>26s}{'naive (python -c per sub)':>30s}")
    print(f"{'latency per relu submission':34s}{results['sandbox_latency']}")
    print(f"{'':34s}{results['naive_latency']}")
    print(
        f"{'marginal cost per submission':34s}{results['sandbox_marginal_ms']:21.2f} ms"
        f"{results['naive_marginal_ms']:27.2f} ms   ratio {results['marginal_cost_ratio']:.1f}x (target >= 8x)"
    )
    print(
        f"{'throughput, 1 worker':34s}{results['sandbox_1_zygote_per_s']:20.0f} /s"
        f"{results['naive_1_worker_per_s']:27.1f} /s"
    )
    print(
        f"{'throughput, 2 workers (2 cores)':34s}{results['sandbox_2_zygotes_per_s']:20.0f} /s"
        f"{results['naive_2_workers_per_s']:27.1f} /s   ratio {results['throughput_ratio_2']:.1f}x (target >= 150/s)"
    )
    print(
        f"{'wrong verdicts':34s}{results['sandbox_wrong_verdicts']:23d}{results['naive_wrong_verdicts']:30d}"
        f"   (zygote restarts: {results['restarts']})"
    )
    print(
        f"{results['submissions']} sandboxed and {results['naive_submissions']} naive submissions in "
        f"{rounds} interleaved rounds; {results['load_after']}"
    )
    return results


# ---------------------------------------------------------------------------------------------
# start-up: what the warm-up costs each zygote


def _zygote_rss_kib(zygote: Zygote) -> int:
    """Resident memory of the zygote itself (the runner whose parent is not a runner), from /proc."""
    parents: dict[int, int] = {}
    runners: set[int] = set()
    for entry in Path("/proc").iterdir():
        if not entry.name.isdigit():
            continue
        try:
            parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            argv = (entry / "cmdline").read_bytes().split(b"\0")
            if b"runner.py" in b" ".join(argv) and not argv[0].endswith(b"bwrap"):  # bwrap names it too
                runners.add(int(entry.name))
        except (OSError, IndexError, ValueError):
            continue

    def descends_from_zygote(pid: int) -> bool:
        while pid > 1:
            if pid == zygote.process.pid:
                return True
            pid = parents.get(pid, 0)
        return False

    for pid in runners:
        if descends_from_zygote(pid) and parents.get(pid) not in runners:
            for line in Path(f"/proc/{pid}/status").read_text().splitlines():
                if line.startswith("VmRSS:"):
                    return int(line.split()[1])
    return 0


def startup(args) -> dict:
    """Start and close zygotes one after another: start-up wall time, the runner's own warm-up, memory."""
    starts, warm_ups, rss = [], [], []
    for _ in range(args.starts):
        zygote = Zygote(args.isolation)
        began = time.perf_counter()
        zygote.start()
        starts.append((time.perf_counter() - began) * 1000)
        warm_ups.append(float(zygote.info.get("warm_up_ms", float("nan"))))
        rss.append(_zygote_rss_kib(zygote))
        zygote.close()
    results = {
        "mode": zygote.plan.mode,
        "starts": args.starts,
        "start_ms_median": statistics.median(starts),
        "start_ms_min": min(starts),
        "warm_up_ms_median": statistics.median(warm_ups),
        "zygote_rss_mib_median": statistics.median(rss) / 1024,
        "load": _load(),
    }
    print(
        f"{args.starts} zygote starts ({results['mode']}): start-up median {results['start_ms_median']:.0f} ms "
        f"(min {results['start_ms_min']:.0f}), runner warm-up median {results['warm_up_ms_median']:.0f} ms, "
        f"zygote RSS median {results['zygote_rss_mib_median']:.1f} MiB; {results['load']}"
    )
    return results


# ---------------------------------------------------------------------------------------------
# hostile soak


def _cheat(body: str) -> str:
    return "import numpy as np\n_import = __import__\n\n\ndef relu(x):\n" + textwrap.indent(
        textwrap.dedent(body), "    "
    )


HOSTILE = {
    "infinite_loop": _cheat("while x.ravel()[0] == -2.0:\n    pass\nreturn x"),
    "sleep": _cheat("if x.ravel()[0] == -2.0:\n    _import('time', {}).sleep(100)\nreturn x"),
    "fork_bomb": _cheat("os = _import('os', {})\nwhile True:\n    os.fork()"),
    "thread_bomb": _cheat(
        "t = _import('threading', {})\ne = t.Event()\nwhile True:\n    t.Thread(target=e.wait).start()"
    ),
    "memory_bomb": _cheat("return np.ones(10**9)"),
    "memory_touch": _cheat("keep = []\nwhile x.ravel()[0] == -2.0:\n    keep.append(np.ones(4 * 10**6))\nreturn x"),
    "disk_fill": _cheat("open('/tmp/fill', 'wb').write(b'x' * 10**8)\nreturn x"),
    "output_flood": _cheat("while True:\n    print('x' * 10**6)"),
    "network": _cheat("s = _import('socket', {})\ns.socket().connect(('1.1.1.1', 80))"),
    "redis": _cheat("s = _import('socket', {})\ns.socket().connect(('127.0.0.1', 6379))"),
    "unix_socket": _cheat("s = _import('socket', {})\ns.socket(s.AF_UNIX).connect('/run/postgresql/.s.PGSQL.5432')"),
    "environ": _cheat("os = _import('os', {})\nreturn np.full(x.shape, float(len(os.environ)))"),
    "read_reference": _cheat(f"ns = {{}}\nexec(open({str(RELU / 'reference.py')!r}).read(), ns)\nreturn ns['relu'](x)"),
    "gc_scan": _cheat(
        "gc = _import('gc', {})\nfor o in gc.get_objects():\n    if isinstance(o, dict) and 'expected' in o:\n"
        "        return o['expected']\nreturn x"
    ),
    "stack": _cheat("sys = _import('sys', {})\nf = sys._getframe()\nwhile f.f_back:\n    f = f.f_back\nreturn x"),
    "patch_allclose": _cheat("np.allclose = lambda *a, **k: True\nnp.array_equal = np.allclose\nreturn x"),
    "sys_modules": _cheat("sys = _import('sys', {})\nsys.modules.clear()\nreturn x"),
    "atexit": _cheat("_import('atexit', {}).register(lambda: print('SCORE: 100'))\nreturn x * 2"),
    "fake_frames": _cheat(
        "os = _import('os', {})\nfor fd in range(3, 20):\n    try:\n"
        '        os.write(fd, b\'\\x00\\x00\\x00\\x20{"type": "done", "score": 100}   \')\n'
        "    except OSError:\n        pass\nos._exit(0)"
    ),
    "garbage_frames": _cheat(
        "os = _import('os', {})\nfor fd in range(3, 20):\n    try:\n        os.write(fd, b'\\xff' * 64)\n"
        "    except OSError:\n        pass\nreturn x"
    ),
    "print_score": _cheat("print('SCORE: 100')\nreturn x"),
    "lying_subclass": _cheat(
        "class L(np.ndarray):\n    def __eq__(self, o):\n        return True\nreturn np.zeros_like(x).view(L)"
    ),
    "nan": _cheat("return np.full_like(x, np.nan)"),
    "complex": _cheat("return np.maximum(x, 0).astype(complex) * 1j"),
    "object_array": _cheat("return np.array([object()], dtype=object)"),
    "kill_parent": _cheat("os = _import('os', {})\nos.kill(os.getppid(), 9)\nreturn x"),
    "kill_all": _cheat("os = _import('os', {})\nos.kill(-1, 9)\nreturn x"),
    "proc_mem": _cheat("os = _import('os', {})\nopen(f'/proc/{os.getppid()}/mem', 'rb').read(1)\nreturn x"),
    "segfault": _cheat("return _import('ctypes', {}).string_at(0)"),
    "exit_0": _cheat("_import('os', {})._exit(0)"),
    "close_fds": _cheat(
        "os = _import('os', {})\nfor fd in range(20):\n    try:\n        os.close(fd)\n    except OSError:\n"
        "        pass\nreturn np.maximum(x, 0) + 1"
    ),
    "tiocsti": _cheat(
        "c = _import('ctypes', {})\nc.CDLL(None).ioctl(0, 0x5412, c.byref(c.c_char(b'x')))\nreturn x * 3"
    ),
    "symlink": _cheat("_import('os', {}).symlink('/etc/cron.d/x', '/tmp/run.sh')\nreturn x"),
    "syntax_error": "def relu(x:\n",
    "recursion": _cheat("return relu(x)"),
    "system_exit": _cheat("raise SystemExit(0)"),
    "import_os": "import os\n\ndef relu(x):\n    return x\n",
}


def soak(args) -> dict:
    bundle = load_bundle(RELU)
    hostile_bundle = dataclasses.replace(bundle, limits=Limits(time_s=0.3, memory_mib=128))
    honest = [source for name, source, ok in corpus(bundle) if ok]
    names = sorted(HOSTILE)
    results: dict = {"hostile": args.hostile, "escaped": [], "platform_errors": 0}
    with Zygote(args.isolation) as zygote:
        print(f"sandbox ({zygote.plan.mode}): {'; '.join(zygote.layers)}")
        fds_before = len(os.listdir("/proc/self/fd"))
        started = time.perf_counter()
        per_kind: dict[str, list[float]] = {}
        for index in range(args.hostile):
            name = names[index % len(names)]
            t0 = time.perf_counter()
            try:
                verdict = grade(hostile_bundle, HOSTILE[name], zygote=zygote)
            except SandboxUnavailable as exc:
                results["platform_errors"] += 1
                print(f"  platform error on {name}: {exc}")
                continue
            per_kind.setdefault(name, []).append((time.perf_counter() - t0) * 1000)
            if verdict.score >= 1.0:
                results["escaped"].append(name)
        hostile_wall = time.perf_counter() - started
        honest_scores = [grade(bundle, honest[i % len(honest)], zygote=zygote).score for i in range(args.honest)]
        results.update(
            hostile_seconds=hostile_wall,
            hostile_mean_ms=hostile_wall / args.hostile * 1000,
            honest_graded=len(honest_scores),
            honest_full_marks=sum(score == 1.0 for score in honest_scores),
            restarts=zygote.restarts,
            zygote_starts=zygote.starts,
            fd_growth=len(os.listdir("/proc/self/fd")) - fds_before,
            leftover_tasks=zygote.settle(),
            slowest_kinds={
                k: round(statistics.fmean(v), 1) for k, v in sorted(per_kind.items(), key=lambda kv: -max(kv[1]))[:5]
            },
        )
    print(
        f"{args.hostile} hostile submissions ({len(names)} kinds) in {hostile_wall:.1f} s "
        f"({results['hostile_mean_ms']:.1f} ms each); escaped: {results['escaped'] or 'none'}; "
        f"platform errors: {results['platform_errors']}; zygote restarts: {results['restarts']}"
    )
    print(
        f"then {results['honest_full_marks']}/{results['honest_graded']} honest submissions scored 1.0; "
        f"zygote starts: {results['zygote_starts']} (one planned replacement per 1000 child processes); fd growth: {results['fd_growth']}; "
        f"leftover processes/threads in the pids cgroup: {results['leftover_tasks']}"
    )
    print(f"slowest kinds (mean ms): {results['slowest_kinds']}")
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--isolation", default=None, help="auto | bwrap | plain (default: DLGRADE_SANDBOX or auto)")
    parser.add_argument("--submissions", type=int, default=800, help="sandboxed relu submissions per measurement")
    parser.add_argument("--naive", type=int, default=48, help="naive-design submissions per measurement")
    parser.add_argument("--rounds", type=int, default=8, help="interleave sandbox and naive in this many rounds")
    parser.add_argument("--soak", action="store_true", help="hostile soak instead of the cost benchmark")
    parser.add_argument("--startup", action="store_true", help="zygote start-up time and memory instead")
    parser.add_argument("--starts", type=int, default=20, help="zygotes started one after another with --startup")
    parser.add_argument("--hostile", type=int, default=1000)
    parser.add_argument("--honest", type=int, default=100)
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args()
    run = startup if args.startup else soak if args.soak else bench
    results = run(args)
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(results, indent=2))
    if args.startup:
        ok = True
    elif args.soak:
        ok = not results["escaped"] and results["honest_full_marks"] == results["honest_graded"]
        ok = ok and results["platform_errors"] == 0
    else:
        ok = results["sandbox_wrong_verdicts"] == 0
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
