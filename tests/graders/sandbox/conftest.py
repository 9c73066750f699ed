"""Fixtures for the sandbox tests: the relu bundle, fast limits, and a zygote per isolation mode."""

from __future__ import annotations

import dataclasses

import pytest

from graders.bundle import load_bundle
from graders.engine import grade
from graders.sandbox import Limits, Zygote
from tests.conftest import EXERCISES

HONEST = "import numpy as np\n\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"


@pytest.fixture(scope="session")
def relu():
    return load_bundle(EXERCISES / "relu")


@pytest.fixture(scope="session")
def sigmoid():
    return load_bundle(EXERCISES / "sigmoid")


@pytest.fixture(scope="session")
def fast_relu(relu):
    """relu with a 0.5 s time limit, so that timeouts keep the suite fast."""
    return dataclasses.replace(relu, limits=Limits(time_s=0.5, memory_mib=256))


@pytest.fixture(scope="session")
def plain_zygote():
    with Zygote("plain") as warm:
        yield warm


@pytest.fixture(scope="session")
def userns_zygote(zygote):
    """bwrap with a user namespace and no dedicated uid: what a non-root worker gets."""
    if zygote.plan is None or zygote.plan.mode != "bwrap":
        pytest.skip("bubblewrap cannot create namespaces on this host")
    if zygote.plan.uid is None:
        pytest.skip("the session zygote already is the user-namespace variant")
    with Zygote("bwrap", dedicated_uid=False) as warm:
        yield warm


@pytest.fixture(params=["bwrap", "bwrap-userns", "plain"])
def sandbox(request, zygote):
    """Every attack runs against each isolation variant this host supports."""
    if request.param == "bwrap":
        if zygote.plan is None or zygote.plan.mode != "bwrap":
            pytest.skip("bubblewrap cannot create namespaces on this host")
        return zygote
    if request.param == "bwrap-userns":
        return request.getfixturevalue("userns_zygote")
    return request.getfixturevalue("plain_zygote")


@pytest.fixture
def honest_still_passes(relu):
    """Call after an attack: the same zygote must still grade an honest submission correctly."""

    def check(zygote: Zygote) -> None:
        verdict = grade(relu, HONEST, zygote=zygote)
        assert verdict.score == 1.0, [(case.name, case.status, case.message) for case in verdict.cases]
        assert zygote.alive

    return check
