import re
import shutil
import subprocess

import pytest
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
    assert sorted(services) == ["beat", "postgres", "redis", "web", "worker"]
