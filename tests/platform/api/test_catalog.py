"""Exercises and quizzes, for students and staff alike; paginated; unknown slugs are JSON 404s."""

from __future__ import annotations

import uuid

import pytest

from quizzes.models import Quiz
from tests.conftest import sync_only


@pytest.fixture
def catalog(db, tmp_path):
    sync_only(tmp_path, "relu", "sigmoid", "conv-forward")
    Quiz.objects.create(uuid=uuid.uuid4(), slug="lstm-gates", topic="lstm", title_en="LSTM gates", title_zh="LSTM 门")
    Quiz.objects.create(uuid=uuid.uuid4(), slug="retired", topic="rnn", title_en="Old", title_zh="旧", is_active=False)


@pytest.mark.parametrize("who", ["as_student", "as_staff"])
def test_exercises_list_and_detail(request, catalog, who):
    api = request.getfixturevalue(who)
    listing = api.get("/api/v1/exercises/").json()
    assert listing["count"] == 3 and listing["next"] is None
    slugs = {exercise["slug"] for exercise in listing["results"]}
    assert slugs == {"relu", "sigmoid", "conv-forward"}
    relu = next(e for e in listing["results"] if e["slug"] == "relu")
    assert relu["function"] == "relu" and relu["case_count"] == 10 and relu["title"]["en"] == "ReLU activation"
    assert relu["url"] == "http://testserver/api/v1/exercises/relu/"

    page = api.get("/api/v1/exercises/?page_size=2").json()
    assert len(page["results"]) == 2 and page["next"].endswith("page=2&page_size=2")

    detail = api.get("/api/v1/exercises/relu/").json()
    assert "def relu(x)" in detail["starter_code"] and detail["statement_html"]["zh"]
    assert detail["limits"] == {"time_s": 2.0, "memory_mib": 256, "budget_s": 6.0}  # all cases: 3 x the case limit
    missing = api.get("/api/v1/exercises/no-such/")
    assert missing.status_code == 404 and missing.json()["message"] == "No such exercise."


@pytest.mark.parametrize("who", ["as_student", "as_staff"])
def test_quizzes_list_and_detail(request, catalog, who):
    api = request.getfixturevalue(who)
    listing = api.get("/api/v1/quizzes/").json()
    assert listing["count"] == 1
    assert listing["results"][0] == {
        "slug": "lstm-gates",
        "title": {"en": "LSTM gates", "zh": "LSTM 门"},
        "topic": "lstm",
        "points": 10.0,
    }
    assert api.get("/api/v1/quizzes/lstm-gates/").json()["slug"] == "lstm-gates"
    assert api.get("/api/v1/quizzes/retired/").status_code == 404


@pytest.mark.parametrize("who", ["as_student", "as_staff"])
def test_root_and_me(request, catalog, who):
    api = request.getfixturevalue(who)
    root = api.get("/api/v1/").json()
    assert root["docs"] == "http://testserver/api/v1/docs/" and root["schema"].endswith("/openapi.json")
    assert api.get("/api/v1/me/").json()["is_staff"] is (who == "as_staff")
