"""Thin tasks of courses: they take ids and call one function each (retry policy: config/task_policy.py)."""

from config.task_policy import grading_task
from courses import invitations
from courses.regrades import grading
from courses.regrades import services as regrade_services


def _record_platform_failure(result_id: int, message: str, final: bool) -> None:
    regrade_services.regrade_record_failure(result_id=result_id, message=message, final=final)


@grading_task(name=regrade_services.REGRADE_TASK, record_failure=_record_platform_failure)
def regrade_submissions(result_id: int) -> None:
    """Compute a regrade result by id (a task carries a few); a computed result is skipped, so redelivery is safe."""
    grading.regrade_result_compute(result_id=result_id)


def _record_send_failure(invitation_id: int, message: str, final: bool) -> None:
    invitations.invitation_record_failure(invitation_id=invitation_id, message=message)


@grading_task(name=invitations.SEND_TASK, record_failure=_record_send_failure)
def send_invitations(invitation_id: int) -> None:
    """Mail one invitation (a task carries a few); one already sent for its last request is skipped."""
    invitations.invitation_send(invitation_id=invitation_id)
