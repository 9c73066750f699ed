"""Batch tests send their tasks to a queue of this session (never a developer's running worker)."""

from __future__ import annotations

import io
import os
import subprocess
import sys
import uuid
import warnings
import zipfile

import pytest

from tests.conftest import ROOT, WorkerProcess

SESSION_BATCH_QUEUE = f"batch-tests-{uuid.uuid4().hex[:8]}"

CORRECT = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"
WRONG = "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n"
SYNTAX_ERROR = "def relu(x)\n    return x\n"


@pytest.fixture(autouse=True)
def _private_batch_queue(settings):
    settings.CELERY_BATCH_QUEUE = SESSION_BATCH_QUEUE


@pytest.fixture(scope="session", autouse=True)
def _purge_batch_queue():
    yield
    from config.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(SESSION_BATCH_QUEUE)
    except Exception:  # nothing was ever declared on that queue
        pass


def zip_bytes(entries) -> bytes:
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        warnings.simplefilter("ignore")  # duplicate names, written on purpose
        for name, data in entries:
            archive.writestr(name, data)
    return buffer.getvalue()


def start_batch_worker(*, database_url: str, batch_queue: str, name: str) -> WorkerProcess:
    """A worker consuming only ``batch_queue``, as one more machine of the pool would."""
    env = dict(
        os.environ,
        DATABASE_URL=database_url,
        DLGRADE_BATCH_QUEUE=batch_queue,
        PYTHONPATH=f"{ROOT}:{ROOT / 'platform'}",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    command = [
        sys.executable,
        "-m",
        "celery",
        "-A",
        "config",
        "worker",
        "--loglevel=INFO",
        "--concurrency=1",
        "-Q",
        batch_queue,
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-n",
        f"{name}@%h",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    worker = WorkerProcess(process, batch_queue)
    if not worker.ready.wait(60):
        worker.stop()
        pytest.fail("the Celery worker did not become ready:\n" + worker.log())
    return worker
