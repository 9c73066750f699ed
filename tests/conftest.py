"""Shared fixtures: one warm sandbox per test session, persona users for the platform tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.sandbox import Zygote

ROOT = Path(__file__).resolve().parent.parent
EXERCISES = ROOT / "exercises"


@pytest.fixture(scope="session")
def zygote():
    with Zygote() as warm:
        yield warm
