"""Thin tasks of courses: they take ids and call one function each (retry policy: config/task_policy.py)."""

from celery import shared_task

from config.task_policy import grading_task
from courses import invitations
from courses.content import services as content_services
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


def _record_content_failure(repository_id: int, message: str, final: bool) -> None:
    content_services.repository_record_failure(repository_id=repository_id, message=message, final=final)


@grading_task(name=content_services.SYNC_TASK, record_failure=_record_content_failure)
def content_sync_repository(repository_id: int) -> None:
    """Pull a course's content repository by id, check its new versions and keep them for preview."""
    content_services.repository_sync(repository_id=repository_id)


@shared_task(name="courses.content_sync_all")
def content_sync_all() -> None:
    """The schedule's pull of every course content repository."""
    content_services.repository_enqueue_all()
