"""API fuzzing against our own OpenAPI schema (schemathesis): no input may produce a 500.

Every operation is called with generated (valid and invalid) parameters and bodies, as a student
and as staff, through the real WSGI application and test database; derandomized so runs repeat.
"""

from __future__ import annotations

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings

from accounts.services import api_token_create
from tests.conftest import sync_only

pytestmark = pytest.mark.slow


@pytest.fixture
def api_schema(db, tmp_path):
    sync_only(tmp_path, "relu")
    # As Django's test client does: a request must not close the test's database connection.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


def bearer_for(user) -> dict[str, str]:
    cache.clear()  # rate-limit counters are keyed by user id, which tests reuse
    _token, raw = api_token_create(user=user, name="fuzz")
    return {"Authorization": f"Bearer {raw}"}


def fuzz_every_operation(schema, headers: dict[str, str]) -> tuple[list[str], int, set[str]]:
    problems: list[str] = []
    calls = 0
    operations: set[str] = set()
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @settings(
            max_examples=10, deadline=None, derandomize=True, database=None, suppress_health_check=list(HealthCheck)
        )
        def call(case):
            nonlocal calls
            calls += 1
            operations.add(f"{case.method} {case.path}")
            response = case.call(headers=headers)
            if response.status_code >= 500:
                problems.append(f"{case.method} {case.formatted_path}: {response.status_code} {response.text[:200]}")

        call()
    return problems, calls, operations


@pytest.mark.parametrize("persona", ["student", "instructor"])
def test_no_input_makes_the_api_answer_500(api_schema, persona, request, settings):
    settings.SUBMIT_RATE = "100000/60"
    problems, calls, operations = fuzz_every_operation(api_schema, bearer_for(request.getfixturevalue(persona)))
    assert problems == []
    assert len(operations) >= 12 and calls >= 5 * len(operations), (calls, sorted(operations))
