"""Shared fixtures: one warm sandbox per session, persona users, synced exercises, a real worker."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from pathlib import Path

import pytest
from django.db import connection

from graders.sandbox import Zygote

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REQUIRE_SERVICES = os.environ.get("DLGRADE_REQUIRE_SERVICES") == "1"


SESSION_QUEUE = f"grading-tests-{uuid.uuid4().hex[:8]}"


@pytest.fixture(autouse=True)
def _private_grading_queue(settings):
    """Tasks sent by tests go to a queue of this session, never to a developer's running worker."""
    settings.CELERY_GRADING_QUEUE = SESSION_QUEUE


@pytest.fixture(autouse=True)
def _language_put_back():
    """A request in Chinese leaves the thread's language switched (LocaleMiddleware): the next test starts in English."""
    yield
    from django.utils import translation

    translation.deactivate()


@pytest.fixture(autouse=True)
def _fast_password_hashing(request, settings):
    """The site's hasher takes ~0.5 s a password by design; every persona and sign-in paid it (minutes of
    CI). A test about how passwords are stored asks for the real one with @pytest.mark.real_password_hashing."""
    if request.node.get_closest_marker("real_password_hashing") is None:
        settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(scope="session", autouse=True)
def _purge_session_queue():
    yield
    from config.celery import app

    try:
        with app.connection_for_write() as connection:
            connection.default_channel.queue_purge(SESSION_QUEUE)
    except Exception:  # nothing was ever declared on that queue
        pass


@pytest.fixture(scope="session")
def zygote():
    with Zygote() as warm:
        yield warm


def _make_user(django_user_model, username: str, *, staff: bool = False):
    return django_user_model.objects.create_user(
        username=username, password="pw-" + username, first_name=username.capitalize(), is_staff=staff
    )


@pytest.fixture
def student(db, django_user_model):
    return _make_user(django_user_model, "student")


@pytest.fixture
def other_student(db, django_user_model):
    return _make_user(django_user_model, "other_student")


@pytest.fixture
def instructor(db, django_user_model):
    return _make_user(django_user_model, "instructor", staff=True)


def sync_only(tmp_path: Path, *slugs: str):
    """Sync just these bundles (fast): a folder of links to them."""
    from catalog.services import exercise_sync

    root = tmp_path / "exercises"
    root.mkdir(exist_ok=True)
    for slug in slugs:
        link = root / slug
        if not link.exists():
            link.symlink_to(EXERCISES / slug, target_is_directory=True)
    return exercise_sync(root=root)


@pytest.fixture
def relu_exercise(db, tmp_path):
    from catalog.models import Exercise

    sync_only(tmp_path, "relu")
    return Exercise.objects.get(slug="relu")


def database_url_for_subprocess() -> str:
    """The URL of the database this test is using (pytest-django's test database)."""
    settings = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{settings['NAME']}"
    user = settings.get("USER") or "postgres"
    password = f":{settings['PASSWORD']}" if settings.get("PASSWORD") else ""
    host = settings.get("HOST") or "127.0.0.1"
    port = settings.get("PORT") or 5432
    return f"postgres://{user}{password}@{host}:{port}/{settings['NAME']}"


class WorkerProcess:
    def __init__(self, process: subprocess.Popen, queue: str) -> None:
        self.process = process
        self.queue = queue
        self.lines: list[str] = []
        self.ready = threading.Event()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for line in self.process.stdout:
            self.lines.append(line)
            if " ready." in line:
                self.ready.set()

    def log(self) -> str:
        return "".join(self.lines[-80:])

    def stop(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()


@pytest.fixture
def grading_worker(transactional_db, settings):
    """A real Celery worker process grading from a queue of its own, on this test's database."""
    queue = f"grading-test-{uuid.uuid4().hex[:8]}"
    batch_queue = queue.replace("grading-", "batch-")
    settings.CELERY_GRADING_QUEUE = queue
    settings.CELERY_BATCH_QUEUE = batch_queue
    env = dict(
        os.environ,
        DATABASE_URL=database_url_for_subprocess(),
        DLGRADE_GRADING_QUEUE=queue,
        DLGRADE_BATCH_QUEUE=batch_queue,
        PYTHONPATH=f"{ROOT}:{ROOT / 'platform'}",
        DJANGO_SETTINGS_MODULE="config.settings",
        DLGRADE_GRADING_MAX_PLATFORM_ATTEMPTS="3",
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
        f"{queue},{batch_queue}",
        "--without-gossip",
        "--without-mingle",
        "--without-heartbeat",
        "-n",
        f"{queue}@%h",
    ]
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    worker = WorkerProcess(process, queue)
    worker.batch_queue = batch_queue
    if not worker.ready.wait(60):
        worker.stop()
        pytest.fail("the Celery worker did not become ready:\n" + worker.log())
    yield worker
    worker.stop()


@pytest.fixture
def smtp(settings, monkeypatch):
    """A real SMTP server; this process and workers started after this fixture send their mail through it."""
    from tests.mailbox import start_smtp

    controller, mailbox = start_smtp()
    url = f"smtp://{controller.hostname}:{controller.port}"
    monkeypatch.setenv("EMAIL_URL", url)  # for worker processes started later
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = controller.hostname, controller.port
    settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
    settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
    yield mailbox
    controller.stop()


def wait_until_final(submission_id: int, timeout: float = 30.0):
    from submissions.models import Submission

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        submission = Submission.objects.get(pk=submission_id)
        if submission.is_final:
            return submission
        time.sleep(0.05)
    raise AssertionError(f"submission {submission_id} still {submission.status} after {timeout} s")
