"""Shared fixtures: one warm sandbox per session, persona users, synced exercises, a real worker."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from graders.sandbox import Zygote

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
REQUIRE_SERVICES = os.environ.get("DLGRADE_REQUIRE_SERVICES") == "1"


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
