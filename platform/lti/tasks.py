"""Thin tasks of LTI: the beat's score round and one score send each (services.score_send).

Scores are owed in the database, not in the broker: the round marks what changed, leases what is
due and sends one task per score. A failed send records when to try again (backoff up to
LTI_RETRY_MAX_S); the next round after that time sends it again. A lost message, a worker
restart, a broker flush or an LMS down for a day delay a score, and never lose it.
"""

import logging

from celery import shared_task
from django.conf import settings

from config.celery import app as celery_app
from lti import keys, services

log = logging.getLogger(__name__)


@shared_task(name="lti.sync_scores", ignore_result=True)
def sync_scores() -> None:
    """Mark the scores that changed as owed, then send every owed score whose time has come."""
    services.scores_refresh()
    for score_id in services.scores_due():
        celery_app.send_task(services.SEND_TASK, args=(score_id,), queue=settings.CELERY_LTI_QUEUE)


@shared_task(name=services.SEND_TASK, ignore_result=True, acks_late=True)
def send_score(score_id: int) -> None:
    """Post one score to its LMS line item (idempotent; failures are recorded with the next attempt's time)."""
    services.score_send(score_id=score_id)


@shared_task(name="lti.rotate_keys", ignore_result=True)
def rotate_keys() -> None:
    """Publish a new signing key when the current one is older than LTI_KEY_MAX_AGE_DAYS; retire old ones."""
    keys.key_rotate_if_old(max_age_days=settings.LTI_KEY_MAX_AGE_DAYS)
