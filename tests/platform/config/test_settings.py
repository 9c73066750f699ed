import re
import shutil
import subprocess

import pytest
import yaml
from django.core.exceptions import ImproperlyConfigured

from config.checks import refuse_insecure_production
from tests.conftest import ROOT


def test_production_refuses_the_development_secret_key(settings):
    settings.DEBUG = False
    settings.SECRET_KEY = settings.INSECURE_DEV_SECRET_KEY
    with pytest.raises(ImproperlyConfigured, match="DJANGO_SECRET_KEY"):
        refuse_insecure_production()
    settings.SECRET_KEY = "x" * 50
    refuse_insecure_production()


def test_env_example_documents_every_setting_read_from_the_environment():
    source = (ROOT / "platform" / "config" / "settings.py").read_text()
    used = set(re.findall(r'env(?:\.\w+)?\(\s*"([A-Z_]+)"', source)) | set(
        re.findall(r'os\.environ\.get\("([A-Z_]+)"', source)
    )
    documented = set(re.findall(r"^([A-Z_]+)=", (ROOT / ".env.example").read_text(), re.MULTILINE))
    assert used - documented == set()


def test_compose_file_is_valid(tmp_path):
    compose = shutil.which("docker-compose")
    if compose is None:
        pytest.skip("docker-compose is not installed (.ci/run installs it)")
    shutil.copy(ROOT / "docker-compose.yml", tmp_path / "docker-compose.yml")
    shutil.copy(ROOT / ".env.example", tmp_path / ".env")
    (tmp_path / "Dockerfile").write_text("FROM scratch\n")
    result = subprocess.run([compose, "config", "-q"], cwd=tmp_path, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    services = subprocess.run(
        [compose, "config", "--services"], cwd=tmp_path, capture_output=True, text=True
    ).stdout.split()
    assert sorted(services) == ["beat", "flower", "postgres", "redis", "web", "worker"]
    config = yaml.safe_load(subprocess.run([compose, "config"], cwd=tmp_path, capture_output=True, text=True).stdout)
    assert config["services"]["flower"]["profiles"] == ["monitoring"]  # only with --profile monitoring
    assert "sync_exercises" in str(config["services"]["web"]["command"])
    assert "sync_quizzes" in str(config["services"]["web"]["command"])
    assert "/readyz" in str(config["services"]["web"]["healthcheck"]["test"])
    assert config["services"]["worker"]["healthcheck"]["test"][-1] == "worker_health"


def test_every_task_has_a_hard_time_limit_above_any_submissions_budget(settings):
    from config.celery import app
    from graders.bundle import discover
    from tests.conftest import EXERCISES

    bundles, problems = discover(EXERCISES)
    assert bundles and not problems
    longest_budget = max(bundle.limits.submission_budget_s for bundle in bundles)
    assert app.conf.task_time_limit == settings.TASK_TIME_LIMIT_S
    assert longest_budget * 2 < app.conf.task_soft_time_limit < app.conf.task_time_limit
    # The sweeper and the batch lease never re-send what a live worker may still be grading.
    assert settings.GRADING_RUNNING_STALE_AFTER_S > settings.TASK_TIME_LIMIT_S
    assert settings.BATCH_LEASE_S > settings.TASK_TIME_LIMIT_S
