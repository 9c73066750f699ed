"""Under /api/ every error is JSON with a message and the right status, never an HTML page."""

from __future__ import annotations

from submissions.models import Submission


def test_unknown_paths_are_json_404_with_a_hint_for_a_missing_slash(as_student):
    response = as_student.get("/api/v1/exercises")
    assert response.status_code == 404 and response["Content-Type"] == "application/json"
    assert response.json()["message"] == "No endpoint at /api/v1/exercises. Did you mean /api/v1/exercises/ ?"
    assert as_student.post("/api/v1/nothing/here/", {}).json() == {
        "message": "No endpoint at /api/v1/nothing/here/.",
        "status": 404,
        "code": "not_found",
    }
    other_version = as_student.get("/api/v2/exercises/")
    assert other_version.status_code == 404 and other_version.json()["code"] == "not_found"


def test_wrong_method_is_json_405(as_student, as_staff):
    for api in (as_student, as_staff):
        response = api.delete("/api/v1/exercises/")
        assert response.status_code == 405
        assert response.json() == {
            "message": 'Method "DELETE" not allowed.',
            "status": 405,
            "code": "method_not_allowed",
        }


def test_a_body_over_the_request_limit_is_json_413(as_student, relu_exercise, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 10_000
    response = as_student.post("/api/v1/submissions/", {"exercise": "relu", "source": "#" * 20_000}, format="json")
    assert response.status_code == 413 and response.json()["code"] == "payload_too_large"


def test_malformed_json_is_json_400(as_student, relu_exercise):
    response = as_student.post("/api/v1/submissions/", "{not json", content_type="application/json")
    assert response.status_code == 400 and response.json()["message"].startswith("JSON parse error")


def test_a_server_error_is_json_500_and_logged(as_staff, student, relu_exercise, caplog):
    # A verdict stored by a newer version that this one cannot read: a real failure inside the view.
    broken = Submission.objects.create(
        user=student,
        exercise=relu_exercise,
        source="x",
        status="graded",
        score=1.0,
        verdict={"outcome": "graded", "future_field": 1},
    )
    response = as_staff.get(f"/api/v1/submissions/{broken.pk}/")
    assert response.status_code == 500
    assert response.json() == {
        "message": "Internal server error; it was logged.",
        "status": 500,
        "code": "server_error",
    }
    assert "API error in SubmissionDetailView" in caplog.text
