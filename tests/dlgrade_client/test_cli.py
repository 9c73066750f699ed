"""The students' client, installed as `dlgrade`, against a real running server and grading worker."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT, sync_only

CORRECT = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"
WRONG = "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n"
SYNTAX_ERROR = "def relu(x)\n    return x\n"
DLGRADE = Path(sys.executable).parent / "dlgrade"  # the console script `pip install -e .` made


def run_cli(*args: str, env: dict[str, str], stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [str(DLGRADE), *args], env=env, input=stdin, capture_output=True, text=True, timeout=120, cwd="/"
    )


@pytest.fixture
def cli_env(tmp_path):
    env = {k: v for k, v in os.environ.items() if not k.lower().endswith("_proxy") and not k.startswith("DLGRADE_")}
    # This checkout's client, not whichever checkout `pip install -e` pointed the console script at.
    env.update(DLGRADE_CONFIG=str(tmp_path / "config" / "dlgrade.json"), NO_PROXY="*", PYTHONPATH=str(ROOT))
    return env


@pytest.fixture
def student_token(student):
    from accounts.services import api_token_create

    return api_token_create(user=student, name="cli")[1]


def test_the_console_script_is_installed():
    assert DLGRADE.exists(), "run `pip install -e .` (make test does)"
    result = subprocess.run([str(DLGRADE), "--help"], capture_output=True, text=True, timeout=30)
    assert result.returncode == 0 and "dlgrade submit" not in result.stderr
    assert "exit codes:" in result.stdout


@pytest.fixture
def week_1(student, django_user_model):
    """An open assignment of relu in a course the student takes (the relu exercise must be synced first)."""
    from datetime import timedelta

    from django.utils import timezone

    from catalog.models import Exercise
    from courses import assignments, services
    from courses.models import Membership

    teacher = django_user_model.objects.create_user(username="teacher")
    course = services.course_create(title="Deep learning 101", created_by=teacher)
    Membership.objects.create(course=course, user=student)
    now = timezone.now()
    return assignments.assignment_create(
        course=course,
        title="Week 1",
        opens_at=now - timedelta(days=1),
        due_at=now + timedelta(days=1),
        max_attempts=2,
        items=[assignments.ItemSpec(points=10, exercise=Exercise.objects.get(slug="relu"))],
    )


@pytest.mark.slow
def test_submit_prints_the_verdict_when_ready(grading_worker, live_server, student_token, cli_env, tmp_path, request):
    sync_only(tmp_path, "relu")
    week_1 = request.getfixturevalue("week_1")  # `dlgrade submit` counts for it like the exercise page
    env = {**cli_env, "DLGRADE_URL": live_server.url, "DLGRADE_TOKEN": student_token}
    for name, source in (("right.py", CORRECT), ("wrong.py", WRONG), ("broken.py", SYNTAX_ERROR)):
        (tmp_path / name).write_text(source)

    right = run_cli("submit", "relu", str(tmp_path / "right.py"), env=env)
    assert right.returncode == 0, right.stderr + grading_worker.log()
    lines = right.stdout.splitlines()
    assert lines[0].endswith("relu: score 100% (10/10 cases passed)")
    assert lines[1].split() == ["PASS", "vector"]
    assert len(lines) == 12 and "submitted" in right.stderr
    assert lines[-1] == "  counted for: Week 1 (Deep learning 101)"

    wrong = run_cli("submit", "relu", str(tmp_path / "wrong.py"), env=env)
    assert wrong.returncode == 0, wrong.stderr  # graded, whatever the score
    assert "score 30% (3/10 cases passed)" in wrong.stdout
    assert any(line.split()[:2] == ["FAIL", "matrix:"] for line in wrong.stdout.splitlines())
    assert "FAIL      large_magnitudes (hidden)" in wrong.stdout  # hidden: named, not explained
    assert "known mistake:" in wrong.stdout and "absolute_value" not in wrong.stdout

    broken = run_cli("submit", "relu", str(tmp_path / "broken.py"), env=env)
    assert broken.returncode == 1
    assert "could not run" in broken.stdout and "SyntaxError at line 1" in broken.stdout

    as_json = run_cli("submit", "relu", str(tmp_path / "right.py"), "--json", env=env)
    import json

    body = json.loads(as_json.stdout)
    assert as_json.returncode == 0 and body["verdict"]["score"] == 1.0
    # Week 1 allows two attempts: right and wrong used them (the one that could not run used none).
    assert body["counted_for"] == [] and body["not_counted_for"][0]["assignment"] == week_1.pk
    again = run_cli("submit", "relu", str(tmp_path / "right.py"), env=env)
    assert "  not counted for: Week 1 (Deep learning 101): no attempts were left" in again.stdout


def test_login_then_use_the_saved_token(live_server, student_token, cli_env, tmp_path):
    sync_only(tmp_path, "relu", "sigmoid")
    login = run_cli("login", "--url", live_server.url, env=cli_env, stdin=student_token + "\n")
    assert login.returncode == 0, login.stderr
    assert f"signed in to {live_server.url} as student" in login.stdout
    config = Path(cli_env["DLGRADE_CONFIG"])
    assert stat.S_IMODE(config.stat().st_mode) == 0o600

    assert run_cli("whoami", env=cli_env).stdout.strip() == f"student on {live_server.url}"
    listing = run_cli("exercises", env=cli_env).stdout.split()
    assert "relu" in listing and "sigmoid" in listing

    unknown = run_cli("submit", "no-such", str(ROOT / "exercises" / "relu" / "starter.py"), env=cli_env)
    assert unknown.returncode == 2 and "No such exercise. (HTTP 404)" in unknown.stderr

    assert run_cli("logout", env=cli_env).returncode == 0 and not config.exists()
    signed_out = run_cli("whoami", env=cli_env)
    assert signed_out.returncode == 2 and "not signed in" in signed_out.stderr


def test_errors_exit_with_their_codes(live_server, cli_env, db, tmp_path):
    env = {**cli_env, "DLGRADE_URL": live_server.url, "DLGRADE_TOKEN": "dlg_revoked-or-made-up"}
    bad_token = run_cli("whoami", env=env)
    assert (
        bad_token.returncode == 2
        and "Invalid or revoked token" in bad_token.stderr
        and "dlgrade login" in bad_token.stderr
    )
    missing = run_cli("submit", "relu", str(tmp_path / "nope.py"), env=env)
    assert missing.returncode == 2 and f"no such file: {tmp_path / 'nope.py'}" in missing.stderr
    unreachable = run_cli("whoami", env={**env, "DLGRADE_URL": "http://127.0.0.1:9"})
    assert unreachable.returncode == 3 and "cannot reach http://127.0.0.1:9" in unreachable.stderr
    assert run_cli("submit", env=env).returncode == 2  # argparse usage error


def test_the_verdict_says_where_it_counted():
    from dlgrade_client.cli import format_submission

    submission = {
        "id": 7,
        "exercise": "relu",
        "status": "graded",
        "verdict": {"score": 1.0, "passed": 1, "total": 1, "cases": [{"name": "vector", "status": "pass"}]},
        "counted_for": [
            {"title": "Week 1", "course": "DL", "is_late": False, "late_penalty": 0.0, "extension_applied": True},
            {"title": "Catch-up", "course": "DL", "is_late": True, "late_days": 2, "late_penalty": 0.2},
        ],
        "not_counted_for": [{"title": "Paced", "course": "DL", "reason": "interval"}],
    }
    assert format_submission(submission).splitlines()[2:] == [
        "  counted for: Week 1 (DL), with your extension",
        "  counted for: Catch-up (DL), late 2 days, -20%",
        "  not counted for: Paced (DL): too soon after the previous one",
    ]
    older_server = {key: value for key, value in submission.items() if "counted" not in key}
    assert len(format_submission(older_server).splitlines()) == 2
