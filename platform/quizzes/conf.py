"""Where the quiz bundles live: settings.QUIZZES_DIR when set, else quizzes/ beside exercises/."""

from pathlib import Path

from django.conf import settings


def quizzes_dir() -> Path:
    configured = getattr(settings, "QUIZZES_DIR", None)
    return Path(configured) if configured else Path(settings.ROOT) / "quizzes"
