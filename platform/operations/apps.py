from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """What an operator needs: health and readiness, metrics, the staff status page, worker heartbeats."""

    name = "operations"

    def ready(self) -> None:
        from operations import worker  # noqa: F401 - connects the worker's heartbeat and tally signals
