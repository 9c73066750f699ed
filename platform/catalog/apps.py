from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "catalog"

    def ready(self) -> None:
        from config import checks  # noqa: F401 - registers the start-up checks
