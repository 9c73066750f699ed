"""Faults with the real parts: a worker killed mid-grade, Redis restarted, PostgreSQL refusing connections.

Every submission made must end graded exactly once, with the right score; each test prints how
long recovery took.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest
from django.db import connection

from submissions.models import Submission
from tests.conftest import REQUIRE_SERVICES, ROOT, database_url_for_subprocess, sync_only, wait_until_final
from tests.support import RedisServer, RefusingProxy, pool_children, start_worker

pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]

CORRECT = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"
# About half a second of pure Python on the first case, long enough to be killed in the middle.
SLOW_CORRECT = textwrap.dedent(
    """
    import numpy as np

    def relu(x):
        if x.size == 5:
            total = 0
            for i in range(4_000_000):
                total += i
        return np.maximum(x, 0.0)
    """
)


def all_final(ids: list[int], timeout: float) -> list[Submission]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        rows = list(Submission.objects.filter(pk__in=ids))
        if len(rows) == len(ids) and all(row.is_final for row in rows):
            return rows
        time.sleep(0.1)
    states = sorted((row.pk, row.status) for row in Submission.objects.filter(pk__in=ids))
    raise AssertionError(f"not all submissions graded after {timeout} s: {states}")


def test_worker_killed_mid_grade_leads_to_a_regrade_not_a_lost_verdict(student, tmp_path, settings):
    from submissions import services

    sync_only(tmp_path, "relu")
    exercise = __import__("catalog.models", fromlist=["Exercise"]).Exercise.objects.get(slug="relu")
    worker = start_worker(database_url=database_url_for_subprocess())
    settings.CELERY_GRADING_QUEUE = worker.queue
    try:
        submission = services.submission_create(user=student, exercise=exercise, source=SLOW_CORRECT)
        deadline = time.monotonic() + 20
        while Submission.objects.get(pk=submission.pk).status != "running":
            assert time.monotonic() < deadline, worker.log()
            time.sleep(0.02)
        time.sleep(0.1)
        children = pool_children(worker)
        assert children, worker.log()
        killed_at = time.monotonic()
        for pid in children:
            os.kill(pid, signal.SIGKILL)
        graded = wait_until_final(submission.pk, timeout=60)
        recovery = time.monotonic() - killed_at
    finally:
        worker.stop()
    print(f"\nworker SIGKILL mid-grade: graded again {recovery:.2f} s after the kill")
    assert (graded.status, graded.score) == ("graded", 1.0), worker.log()
    assert "WorkerLostError" in worker.log() or "exited with 'signal 9" in worker.log()


def _submitter(count: int, interval: float, exercise_slug: str, user_id: int, env: dict[str, str]) -> subprocess.Popen:
    """Students submitting from another process (the web tier), through the real service."""
    script = textwrap.dedent(
        f"""
        import time, django
        django.setup()
        from django.contrib.auth import get_user_model
        from catalog.models import Exercise
        from submissions.services import submission_create
        user = get_user_model().objects.get(pk={user_id})
        exercise = Exercise.objects.get(slug={exercise_slug!r})
        for _ in range({count}):
            print(submission_create(user=user, exercise=exercise, source={CORRECT!r}).pk, flush=True)
            time.sleep({interval})
        """
    )
    return subprocess.Popen(
        [sys.executable, "-c", script], cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def test_redis_restart_while_submissions_arrive_loses_nothing(student, tmp_path):
    redis = RedisServer()
    if redis.binary is None:
        if REQUIRE_SERVICES:
            pytest.fail("redis-server is not installed")
        pytest.skip("redis-server is not installed")
    sync_only(tmp_path, "relu")
    redis.start()
    fast_sweeper = {
        "REDIS_URL": redis.url,
        "DLGRADE_SWEEP_EVERY_S": "1",
        "DLGRADE_GRADING_STALE_AFTER_S": "4",
        "DLGRADE_GRADING_MAX_PLATFORM_ATTEMPTS": "10",
    }
    worker = start_worker(database_url=database_url_for_subprocess(), extra_env=fast_sweeper, beat=True)
    env = dict(
        os.environ,
        DATABASE_URL=database_url_for_subprocess(),
        DLGRADE_GRADING_QUEUE=worker.queue,
        PYTHONPATH=f"{ROOT}:{ROOT / 'platform'}",
        DJANGO_SETTINGS_MODULE="config.settings",
        **fast_sweeper,
    )
    try:
        submitter = _submitter(24, 0.15, "relu", student.pk, env)
        time.sleep(1.2)
        redis.stop()
        time.sleep(2.0)
        redis.start()
        restarted_at = time.monotonic()
        out, err = submitter.communicate(timeout=60)
        assert submitter.returncode == 0, err
        ids = [int(line) for line in out.split()]
        rows = all_final(ids, timeout=90)
        recovery = time.monotonic() - restarted_at
    finally:
        worker.stop()
        redis.stop()
    print(f"\nredis restart: {len(ids)} submissions, all graded {recovery:.2f} s after redis came back")
    assert len(ids) == 24
    assert [(r.status, r.score) for r in rows] == [("graded", 1.0)] * 24, worker.log()


def test_postgres_refusing_connections_for_a_few_seconds_loses_nothing(student, tmp_path, settings):
    if connection.vendor != "postgresql":
        if REQUIRE_SERVICES:
            pytest.fail("CI must run this against PostgreSQL")
        pytest.skip("needs PostgreSQL (DATABASE_URL)")
    from submissions import services

    sync_only(tmp_path, "relu")
    exercise = __import__("catalog.models", fromlist=["Exercise"]).Exercise.objects.get(slug="relu")
    db = connection.settings_dict
    proxy = RefusingProxy(db.get("HOST") or "127.0.0.1", int(db.get("PORT") or 5432))
    proxy.start()
    through_proxy = database_url_for_subprocess().replace(f":{db.get('PORT') or 5432}/", f":{proxy.port}/")
    fast_sweeper = {
        "DLGRADE_SWEEP_EVERY_S": "1",
        "DLGRADE_GRADING_STALE_AFTER_S": "5",
        "DLGRADE_GRADING_MAX_PLATFORM_ATTEMPTS": "10",
    }
    worker = start_worker(database_url=through_proxy, extra_env=fast_sweeper, beat=True)
    settings.CELERY_GRADING_QUEUE = worker.queue
    ids = []
    try:
        for index in range(16):
            ids.append(services.submission_create(user=student, exercise=exercise, source=CORRECT).pk)
            if index == 4:
                proxy.refuse()
            time.sleep(0.2)
        time.sleep(1.0)
        proxy.accept()
        back_at = time.monotonic()
        rows = all_final(ids, timeout=90)
        recovery = time.monotonic() - back_at
    finally:
        worker.stop()
        proxy.stop()
    print(f"\npostgres refusing ~4 s: {len(ids)} submissions, all graded {recovery:.2f} s after it accepted again")
    assert [(r.status, r.score) for r in rows] == [("graded", 1.0)] * 16, worker.log()
