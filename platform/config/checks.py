"""Start-up checks: refuse an insecure production configuration, report bad exercise bundles."""

from django.conf import settings
from django.core.checks import Error, Warning, register
from django.core.exceptions import ImproperlyConfigured


def insecure_production_problems() -> list[str]:
    if settings.DEBUG:
        return []
    if settings.SECRET_KEY == settings.INSECURE_DEV_SECRET_KEY or len(settings.SECRET_KEY) < 32:
        return ["DJANGO_DEBUG is off but DJANGO_SECRET_KEY is unset or the development key: set a long random key"]
    return []


def refuse_insecure_production() -> None:
    problems = insecure_production_problems()
    if problems:
        raise ImproperlyConfigured("; ".join(problems))


@register(deploy=True)
def check_secret_key(app_configs, **kwargs):
    return [Error(problem, id="dlgrade.E001") for problem in insecure_production_problems()]


@register()
def check_exercise_bundles(app_configs, **kwargs):
    from graders.bundle import discover

    if not settings.EXERCISES_DIR.is_dir():
        return [Warning(f"exercise folder {settings.EXERCISES_DIR} does not exist", id="dlgrade.W002")]
    _bundles, errors = discover(settings.EXERCISES_DIR)
    return [Warning(f"bad exercise bundle {err.path}: {err.reason}", id="dlgrade.W001") for err in errors]
