"""Django project configuration. The Celery app loads with Django so that .delay() uses its broker."""

from config.celery import app as celery_app

__all__ = ["celery_app"]
