"""The verdict summary the dashboards read: kept in step with the verdict, filled for old rows."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from graders.verdict import Verdict
from submissions import services
from submissions.models import Submission

VERDICT = {
    "outcome": "graded",
    "cases": [
        {"name": "vector", "status": "fail", "hidden": False, "details": {"got": "[1, 2]" * 100}},
        {"name": "zeros", "status": "pass", "hidden": True},
        {"name": "big", "status": "timeout", "hidden": True},
    ],
    "mistakes": [{"key": "absolute_value", "message": "abs", "message_zh": "绝对值"}],
}
VERDICT_FULL = {
    **VERDICT,
    "score": 0.0,
    "passed": 1,
    "total": 3,
    "cases": [{"weight": 1.0, **case, "details": case.get("details", {})} for case in VERDICT["cases"]],
}
SUMMARY = {"failed": [["vector", False], ["big", True]], "mistakes": [["absolute_value", "abs", "绝对值"]]}


@pytest.mark.django_db
def test_recording_a_verdict_records_its_summary_and_so_does_a_regrade(student, relu_exercise):
    submission = Submission.objects.create(user=student, exercise=relu_exercise, source="x")
    assert submission.verdict_summary == {}
    services.submission_record_verdict(submission_id=submission.pk, verdict=Verdict.from_dict(VERDICT_FULL))
    assert Submission.objects.get(pk=submission.pk).verdict_summary == SUMMARY
    passing = services.StoredVerdict("graded", 1.0, 3, 3, {"outcome": "graded", "cases": []}, "h")
    before = services.submission_replace_verdicts(replacements={submission.pk: passing})
    assert before[submission.pk].verdict["mistakes"][0]["key"] == "absolute_value"
    assert Submission.objects.get(pk=submission.pk).verdict_summary == {"failed": [], "mistakes": []}


@pytest.mark.django_db(transaction=True)
def test_the_migration_summarizes_verdicts_stored_before_it(django_user_model):
    executor = MigrationExecutor(connection)
    before = [("submissions", "0003_link_submission_to_assignment")]
    executor.migrate(before)
    apps = executor.loader.project_state(before).apps
    user = apps.get_model("auth", "User").objects.create(username="old-timer")
    exercise = apps.get_model("catalog", "Exercise").objects.create(
        slug="relu-old",
        uuid="00000000-0000-0000-0000-000000000001",
        rtol=1e-6,
        atol=1e-9,
        time_limit_s=1,
        memory_limit_mib=64,
    )
    old = apps.get_model("submissions", "Submission")
    graded = old.objects.create(user_id=user.pk, exercise_id=exercise.pk, source="x", verdict=VERDICT)
    queued = old.objects.create(user_id=user.pk, exercise_id=exercise.pk, source="x")

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
    assert Submission.objects.get(pk=graded.pk).verdict_summary == SUMMARY
    assert Submission.objects.get(pk=queued.pk).verdict_summary == {}
