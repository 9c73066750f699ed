"""Upload limits the batch pages and the API share: refuse by declared length, before spooling to disk."""

from __future__ import annotations

from django.conf import settings


def upload_too_large(request) -> bool:
    """Refuse an upload by its declared length, before Django spools it to disk."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    return length > settings.BATCH_MAX_UPLOAD_BYTES + 64 * 1024  # room for the form's other fields


def size_text(size: int) -> str:
    return f"{size >> 20} MiB" if size >= 1 << 20 else f"{size >> 10} KiB"
