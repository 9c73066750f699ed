"""The simulated LMS (a process of its own), registered in dlgrade, and a browser-less launch helper."""

from __future__ import annotations

import html
import os
import re
import subprocess
import sys
import uuid

import pytest
import requests

from tests.conftest import ROOT, WorkerProcess, database_url_for_subprocess

SIM = ROOT / "tests" / "platform" / "lti" / "lms_sim.py"
LEARNER = "http://purl.imsglobal.org/vocab/lis/v2/membership#Learner"
INSTRUCTOR = "http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor"


class Lms:
    """The simulated LMS as the tests drive it."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.issuer = url

    def control(self, path: str, data=None) -> dict:
        response = requests.post(self.url + path, json=data if data is not None else {}, timeout=10)
        response.raise_for_status()
        return response.json()

    def state(self) -> dict:
        return requests.get(self.url + "/control/state", timeout=10).json()

    def launch(self, **spec) -> dict:
        return self.control("/control/launch", spec)


@pytest.fixture(scope="session")
def lms_process():
    process = subprocess.Popen(
        [sys.executable, str(SIM)], stdout=subprocess.PIPE, text=True, start_new_session=True, cwd=ROOT
    )
    line = process.stdout.readline()
    assert line.startswith("ready "), line
    yield Lms(f"http://127.0.0.1:{int(line.split()[1])}")
    process.terminate()
    process.wait(10)


@pytest.fixture
def lms(lms_process, live_server, settings):
    """The LMS, reset, knowing dlgrade's URLs, and registered in dlgrade with one deployment."""
    from lti.registrations import registration_save

    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = False  # live_server speaks plain http
    lms_process.control("/control/reset")
    lms_process.control(
        "/control/setup",
        {
            "login_url": f"{live_server.url}/lti/login/",
            "launch_url": f"{live_server.url}/lti/launch/",
            "jwks_url": f"{live_server.url}/lti/jwks.json",
        },
    )
    registration_save(
        name="Simulated LMS",
        issuer=lms_process.issuer,
        client_id="dlgrade-client",
        deployment_ids=["deployment-1"],
        auth_url=f"{lms_process.url}/auth",
        token_url=f"{lms_process.url}/token",
        keyset_url=f"{lms_process.url}/jwks",
    )
    lms_process.live_server = live_server
    return lms_process


def person(sub: str, given: str = "Ada", family: str = "Lovelace") -> dict:
    return {
        "sub": sub,
        "given_name": given,
        "family_name": family,
        "name": f"{given} {family}",
        "email": f"{sub}@uni.example",
    }


_FORM = re.compile(r'<form[^>]*action="([^"]*)"[^>]*>(.*?)</form>', re.S)
_INPUT = re.compile(r'<input type="hidden" name="([^"]*)" value="([^"]*)"')


def posted_form(page: str, containing: str = "") -> tuple[str, dict]:
    """The action and hidden fields of the page's first form (holding ``containing``)."""
    action, inner = next((m.groups() for m in _FORM.finditer(page) if containing in m.group(2)), (None, ""))
    assert action is not None, page[:2000]
    return html.unescape(action), {html.unescape(k): html.unescape(v) for k, v in _INPUT.findall(inner)}


class Browser:
    """What a browser does in a launch, without the browser: follows the LMS's and dlgrade's forms and redirects."""

    def __init__(self) -> None:
        self.session = requests.Session()
        self.last_launch: tuple[str, dict] | None = None

    def launch(self, lms: Lms, **spec) -> requests.Response:
        info = lms.launch(**spec)
        action, fields = posted_form(self.session.get(info["start"], timeout=10).text)
        initiated = self.session.post(action, data=fields, allow_redirects=False, timeout=10)
        if initiated.status_code != 302:
            return initiated
        authorized = self.session.get(initiated.headers["Location"], timeout=10)
        if authorized.status_code != 200:
            return authorized
        self.last_launch = posted_form(authorized.text)
        return self.session.post(self.last_launch[0], data=self.last_launch[1], timeout=30)

    def submit(self, response: requests.Response, containing: str, **fields) -> requests.Response:
        """Submit a form of the page ``response`` holds (hidden fields and CSRF token included), as a browser would."""
        action, hidden = posted_form(response.text, containing)
        return self.session.post(requests.compat.urljoin(response.url, action), data={**hidden, **fields}, timeout=30)

    def replay(self) -> requests.Response:
        return self.session.post(self.last_launch[0], data=self.last_launch[1], timeout=30)


@pytest.fixture
def browser_less():
    return Browser()


@pytest.fixture
def lti_worker(transactional_db, settings, tmp_path):
    """A real Celery worker with its beat: grading and LTI queues of its own, the score round every second."""
    queue = f"grading-test-{uuid.uuid4().hex[:8]}"
    lti_queue = queue.replace("grading-", "lti-")
    settings.CELERY_GRADING_QUEUE = queue
    env = dict(
        os.environ,
        DATABASE_URL=database_url_for_subprocess(),
        DLGRADE_GRADING_QUEUE=queue,
        DLGRADE_BATCH_QUEUE=queue.replace("grading-", "batch-"),
        DLGRADE_LTI_QUEUE=lti_queue,
        DLGRADE_LTI_SYNC_EVERY_S="1",
        DLGRADE_LTI_RETRY_BASE_S="1",
        DLGRADE_LTI_RETRY_MAX_S="2",
        PYTHONPATH=f"{ROOT}:{ROOT / 'platform'}",
        DJANGO_SETTINGS_MODULE="config.settings",
    )
    command = [
        sys.executable, "-m", "celery", "-A", "config", "worker", "--beat", "--schedule", str(tmp_path / "beat"),
        "--loglevel=INFO", "--concurrency=2", "-Q", f"{queue},{lti_queue}",
        "--without-gossip", "--without-mingle", "--without-heartbeat", "-n", f"{queue}@%h",
    ]  # fmt: skip
    process = subprocess.Popen(
        command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, start_new_session=True
    )
    worker = WorkerProcess(process, queue)
    if not worker.ready.wait(60):
        worker.stop()
        pytest.fail("the Celery worker did not become ready:\n" + worker.log())
    yield worker
    worker.stop()
