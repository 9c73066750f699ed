from __future__ import annotations

import pytest
from django.core.cache import cache
from rest_framework.test import APIClient

from tests.platform.batches.conftest import _private_batch_queue, _purge_batch_queue  # noqa: F401 - same queue rules


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    cache.clear()  # submit limits count per user id, which a new test database may reuse
    yield
    cache.clear()


@pytest.fixture
def api():
    return APIClient()


@pytest.fixture
def token_for():
    from accounts.services import api_token_create

    def make(user, name="test"):
        return api_token_create(user=user, name=name)[1]

    return make


@pytest.fixture
def as_student(student, token_for):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(student)}")
    return client


@pytest.fixture
def as_staff(instructor, token_for):
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {token_for(instructor)}")
    return client
