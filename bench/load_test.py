"""Load test: simulated students browse, submit relu and poll for the verdict against a running stack.

    python bench/load_test.py [--students 50] [--seconds 60]

Starts its own stack on this machine: gunicorn (web), a Celery worker, the machine's Redis and
PostgreSQL (a fresh database `dlgrade_load`). Each student signs in, then loops: exercise list,
exercise page, submit (a correct or a wrong relu), poll the verdict panel until it is final, think
for 1-3 s. Reports requests per second, p50/p95/p99 latency of pages and of submit-to-verdict,
errors, and checks in the database that no submission was lost.
"""

from __future__ import annotations

import argparse
import http.cookiejar
import os
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
CORRECT = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"
WRONG = "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n"
CSRF = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')
PANEL = re.compile(r"/submissions/(\d+)/panel/")


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q / 100 * (len(ordered) - 1))))]


class Stats:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pages: list[float] = []
        self.logins: list[float] = []
        self.polls: list[float] = []
        self.verdicts: list[float] = []
        self.errors: list[str] = []
        self.requests = 0
        self.submitted: list[int] = []

    def add(self, kind: str, seconds: float) -> None:
        with self.lock:
            self.requests += 1
            getattr(self, kind).append(seconds)

    def error(self, text: str) -> None:
        with self.lock:
            self.errors.append(text)


class Student(threading.Thread):
    def __init__(self, index: int, base: str, stats: Stats, stop_at: float) -> None:
        super().__init__(daemon=True)
        self.index, self.base, self.stats, self.stop_at = index, base, stats, stop_at
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))
        self.random = random.Random(index)

    def request(self, path: str, data: dict | None = None, kind: str = "pages", headers: dict | None = None) -> str:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        req = urllib.request.Request(
            self.base + path, data=body, headers={"Referer": self.base + path, **(headers or {})}
        )
        started = time.perf_counter()
        try:
            with self.opener.open(req, timeout=30) as response:
                text = response.read().decode()
        except urllib.error.HTTPError as exc:
            self.stats.error(f"{exc.code} {path}")
            raise
        except OSError as exc:
            self.stats.error(f"{type(exc).__name__} {path}")
            raise
        self.stats.add(kind, time.perf_counter() - started)
        return text

    def csrf(self, html: str) -> str:
        match = CSRF.search(html)
        if not match:
            raise RuntimeError("no CSRF token on the page")
        return match.group(1)

    def run(self) -> None:
        try:
            page = self.request("/accounts/login/", kind="logins")
            self.request(
                "/accounts/login/",
                {"username": f"load{self.index}", "password": "load-pass-123", "csrfmiddlewaretoken": self.csrf(page)},
                kind="logins",
            )
            while time.monotonic() < self.stop_at:
                self.request("/exercises/")
                page = self.request("/exercises/relu/")
                source = CORRECT if self.random.random() < 0.6 else WRONG
                submitted_at = time.perf_counter()
                panel = self.request(
                    "/exercises/relu/submit/",
                    {"source": source, "csrfmiddlewaretoken": self.csrf(page)},
                    headers={"HX-Request": "true"},
                )
                match = PANEL.search(panel)
                if match:
                    self.stats.submitted.append(int(match.group(1)))
                    while "verdict-head" not in panel:
                        if time.perf_counter() - submitted_at > 30:
                            self.stats.error("verdict not shown within 30 s")
                            break
                        time.sleep(0.3)  # the page's own polling interval
                        panel = self.request(
                            f"/submissions/{match.group(1)}/panel/?polling=1",
                            kind="polls",
                            headers={"HX-Request": "true"},
                        )
                self.stats.add("verdicts", time.perf_counter() - submitted_at)
                time.sleep(self.random.uniform(1.0, 3.0))
        except Exception as exc:
            self.stats.error(f"student {self.index} stopped: {type(exc).__name__}: {exc}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=50)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--web-workers", type=int, default=3)
    parser.add_argument("--database-url", default="postgres://postgres@127.0.0.1:5432/dlgrade_load")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/3")
    args = parser.parse_args()

    port = free_port()
    env = dict(
        os.environ,
        DATABASE_URL=args.database_url,
        REDIS_URL=args.redis_url,
        PYTHONPATH=f"{ROOT}:{ROOT / 'platform'}",
        DJANGO_SETTINGS_MODULE="config.settings",
        DJANGO_SECRET_KEY="load-test-" + "x" * 40,
        DJANGO_DEBUG="0",
        DJANGO_SECURE_COOKIES="0",
        DLGRADE_SUBMIT_RATE="1000/60",
        DLGRADE_LOG_LEVEL="WARNING",
        DLGRADE_GRADING_QUEUE=f"grading-load-{port}",
        DLGRADE_VAR_DIR=f"/tmp/dlgrade-load-{port}",
    )
    database = urllib.parse.urlparse(args.database_url).path.lstrip("/")
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"DROP DATABASE IF EXISTS {database}"],
        check=True,
        capture_output=True,
    )
    subprocess.run(
        ["psql", "-h", "127.0.0.1", "-U", "postgres", "-d", "postgres", "-qc", f"CREATE DATABASE {database}"],
        check=True,
        capture_output=True,
    )
    manage = [PYTHON, str(ROOT / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run([*manage, "sync_exercises"], env=env, check=True, cwd=ROOT, capture_output=True)
    subprocess.run([*manage, "collectstatic", "--no-input", "-v0"], env=env, check=True, cwd=ROOT)
    subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from django.contrib.auth import get_user_model; U = get_user_model()\n"
            f"for i in range({args.students}):\n"
            "    u, _ = U.objects.get_or_create(username=f'load{i}'); u.set_password('load-pass-123'); u.save()",
        ],
        env=env,
        check=True,
        cwd=ROOT,
    )

    gunicorn = shutil.which("gunicorn", path=str(Path(PYTHON).parent))
    if gunicorn:
        web_cmd = [
            gunicorn,
            "config.wsgi",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(args.web_workers),
            "--threads",
            "4",
            "--log-level",
            "warning",
        ]
    else:
        print("gunicorn not installed: falling back to runserver (slower)")
        web_cmd = [*manage, "runserver", f"127.0.0.1:{port}", "--noreload"]
    processes = [
        subprocess.Popen(web_cmd, env=env, cwd=ROOT, start_new_session=True),
        subprocess.Popen(
            [
                PYTHON,
                "-m",
                "celery",
                "-A",
                "config",
                "worker",
                "--concurrency=2",
                "-Q",
                env["DLGRADE_GRADING_QUEUE"],
                "--loglevel=WARNING",
                "--without-gossip",
                "--without-mingle",
            ],
            env=env,
            cwd=ROOT,
            start_new_session=True,
        ),
    ]
    try:
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:
            try:
                urllib.request.urlopen(base + "/accounts/login/", timeout=2).read()
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise SystemExit("web server did not start") from None
                time.sleep(0.3)
        time.sleep(3)  # let the worker's sandboxes warm up

        stats = Stats()
        started = time.monotonic()
        students = [Student(i, base, stats, started + args.seconds) for i in range(args.students)]
        for student in students:
            student.start()
            time.sleep(0.05)
        for student in students:
            student.join(timeout=args.seconds + 60)
        elapsed = time.monotonic() - started

        time.sleep(2)
        count = subprocess.run(
            [
                *manage,
                "shell",
                "-c",
                "from submissions.models import Submission as S\n"
                "print(S.objects.count(), S.objects.exclude(status__in=['graded','not_gradable']).count())",
            ],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()[-2:]
        total_rows, unfinished = int(count[0]), int(count[1])
    finally:
        for process in processes:
            try:
                os.killpg(process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
        for process in processes:
            process.wait(timeout=30)

    def ms(values: list[float], q: float) -> str:
        return f"{percentile(values, q) * 1000:7.1f} ms"

    print(
        f"\nload test: {args.students} students for {elapsed:.0f} s against gunicorn x{args.web_workers} + 1 worker (2 slots)"
    )
    print(f"  requests            {stats.requests} ({stats.requests / elapsed:.1f}/s)")
    print(
        f"  sign-in latency     p50 {ms(stats.logins, 50)}  p95 {ms(stats.logins, 95)}  p99 {ms(stats.logins, 99)}"
        "  (password hashing, all students at once)"
    )
    print(f"  page latency        p50 {ms(stats.pages, 50)}  p95 {ms(stats.pages, 95)}  p99 {ms(stats.pages, 99)}")
    print(f"  poll latency        p50 {ms(stats.polls, 50)}  p95 {ms(stats.polls, 95)}  p99 {ms(stats.polls, 99)}")
    print(
        f"  submit-to-verdict   p50 {ms(stats.verdicts, 50)}  p95 {ms(stats.verdicts, 95)}  p99 {ms(stats.verdicts, 99)}"
        f"  ({len(stats.verdicts)} verdicts, mean {statistics.fmean(stats.verdicts) * 1000 if stats.verdicts else 0:.0f} ms)"
    )
    print(f"  submissions         {len(stats.submitted)} made, {total_rows} stored, {unfinished} not graded (lost)")
    print(f"  errors              {len(stats.errors)}" + (f": {sorted(set(stats.errors))[:5]}" if stats.errors else ""))
    target = (
        percentile(stats.verdicts, 95) < 1.0
        and not stats.errors
        and unfinished == 0
        and total_rows == len(stats.submitted)
    )
    print(f"  target (0 errors, 0 lost, submit-to-verdict p95 < 1 s): {'met' if target else 'NOT met'}")


if __name__ == "__main__":
    main()
