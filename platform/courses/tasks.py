"""Thin tasks of courses: they take ids and call one function each (retry policy: config/task_policy.py)."""

from config.task_policy import grading_task
from courses.regrades import grading
from courses.regrades import services as regrade_services


def _record_platform_failure(result_id: int, message: str, final: bool) -> None:
    regrade_services.regrade_record_failure(result_id=result_id, message=message, final=final)


@grading_task(name=regrade_services.REGRADE_TASK, record_failure=_record_platform_failure)
def regrade_submissions(result_id: int) -> None:
    """Compute a regrade result by id (a task carries a few); a computed result is skipped, so redelivery is safe."""
    grading.regrade_result_compute(result_id=result_id)
