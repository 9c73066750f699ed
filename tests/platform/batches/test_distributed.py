"""`manage.py grade --distributed`: the worker pool grades, the command gathers the records in order.

Real processes throughout: the command, Celery workers on queues of their own, the test database.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time

import pytest

from batches.models import BatchItem, BatchJob
from tests.conftest import ROOT, database_url_for_subprocess, sync_only
from tests.platform.batches.conftest import CORRECT, SYNTAX_ERROR, WRONG, start_batch_worker, zip_bytes

pytestmark = [pytest.mark.slow]

# Half a second of pure Python in the first case: long enough to kill the worker in the middle.
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


def grade_command(*args: str) -> list[str]:
    return [sys.executable, str(ROOT / "manage.py"), "grade", "relu", *args]


def command_env(batch_queue: str, **extra: str) -> dict[str, str]:
    return dict(os.environ, DATABASE_URL=database_url_for_subprocess(), DLGRADE_BATCH_QUEUE=batch_queue, **extra)


def write_inputs(tmp_path) -> list[str]:
    folder = tmp_path / "subs"
    for name, source in (("a", CORRECT), ("b", WRONG), ("c", SYNTAX_ERROR)):
        (folder / name).mkdir(parents=True)
        (folder / name / "relu.py").write_text(source)
    (tmp_path / "latin.py").write_bytes("x = 'caf\xe9'\n".encode("latin-1"))
    (tmp_path / "export.zip").write_bytes(
        zip_bytes([("d/relu.py", WRONG), ("../evil.py", "x"), ("e/relu.py", CORRECT)])
    )
    return [str(folder), str(tmp_path / "latin.py"), str(tmp_path / "export.zip")]


def test_distributed_output_is_the_local_output(grading_worker, tmp_path):
    sync_only(tmp_path, "relu")
    inputs = write_inputs(tmp_path)
    env = command_env(grading_worker.batch_queue)
    local = subprocess.run(
        grade_command(*inputs, "--json"), env=env, cwd=ROOT, capture_output=True, text=True, timeout=120
    )
    distributed = subprocess.run(
        grade_command(*inputs, "--json", "--distributed"),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert distributed.returncode == 0, distributed.stderr + grading_worker.log()
    assert local.returncode == 0, local.stderr
    assert distributed.stdout == local.stdout  # byte for byte, in input order
    records = [json.loads(line) for line in distributed.stdout.splitlines()]
    assert [r["score"] for r in records] == [1.0, 0.3, 0.0, 0.0, 0.3, 1.0]
    assert records[3]["message"].startswith("The file is not UTF-8 text")
    assert f"skipped {inputs[2]}/../evil.py: path goes outside the archive (..)" in distributed.stderr
    job = BatchJob.objects.get()
    assert (job.origin, job.total, job.is_finished) == ("command", 6, True)
    assert f"batch job #{job.pk}: 6 files" in distributed.stderr

    as_csv = subprocess.run(
        grade_command(*inputs, "--distributed", "--format", "csv"),
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert as_csv.returncode == 0 and as_csv.stdout.splitlines()[0].startswith("file,exercise,status,score")
    assert len(as_csv.stdout.splitlines()) == 7


def test_a_worker_lost_mid_job_costs_no_result(transactional_db, tmp_path):
    """Kill a whole worker (its machine, say) while it grades; another worker finishes the job."""
    sync_only(tmp_path, "relu")
    queue = f"batch-lost-{os.getpid()}-{time.monotonic_ns() % 100000}"
    files = []
    for index, source in enumerate([SLOW_CORRECT, CORRECT, WRONG, CORRECT, SYNTAX_ERROR]):
        path = tmp_path / f"s{index}.py"
        path.write_text(source)
        files.append(str(path))
    first = start_batch_worker(database_url=database_url_for_subprocess(), batch_queue=queue, name=f"{queue}-a")
    second = None
    env = command_env(queue, DLGRADE_BATCH_LEASE_S="2")
    command = subprocess.Popen(
        grade_command(*files, "--json", "--distributed"),
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        deadline = time.monotonic() + 30
        while not BatchItem.objects.filter(position=0, status="running").exists():
            assert time.monotonic() < deadline, first.log()
            assert command.poll() is None, command.communicate()
            time.sleep(0.02)
        time.sleep(0.1)
        os.killpg(first.process.pid, signal.SIGKILL)  # the worker and its pool, without a goodbye
        first.process.wait()
        killed_at = time.monotonic()
        second = start_batch_worker(database_url=database_url_for_subprocess(), batch_queue=queue, name=f"{queue}-b")
        stdout, stderr = command.communicate(timeout=90)
        recovery = time.monotonic() - killed_at
    finally:
        if command.poll() is None:
            command.kill()
        first.stop()
        if second is not None:
            second.stop()
    assert command.returncode == 0, stderr + (second.log() if second else "")
    records = [json.loads(line) for line in stdout.splitlines()]
    assert [r["file"] for r in records] == files
    assert [r["score"] for r in records] == [1.0, 1.0, 0.3, 1.0, 0.0]
    lost = BatchItem.objects.get(position=0)
    assert lost.attempts >= 2 and lost.status == "done"
    print(f"\nbatch worker SIGKILL mid-job: all {len(records)} results {recovery:.2f} s after the kill")
