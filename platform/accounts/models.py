import hashlib

from django.conf import settings
from django.db import models


def token_digest(raw: str) -> str:
    """SHA-256 of a token: tokens are long random strings, so a fast hash is enough to store them."""
    return hashlib.sha256(raw.encode("utf-8")).hexdigest()


class ApiToken(models.Model):
    """A named API token of one user. Only its digest is stored; the token is shown once, when made."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(max_length=100)
    prefix = models.CharField(max_length=12)  # the first characters, to tell tokens apart in a list
    digest = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…) of {self.user_id}"


class Profile(models.Model):
    """What dlgrade keeps about a person beyond Django's user: the language mails are written in."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    language = models.CharField(max_length=10, blank=True, choices=settings.LANGUAGES)

    def __str__(self) -> str:
        return f"profile of {self.user_id}"
