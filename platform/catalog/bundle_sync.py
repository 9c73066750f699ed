"""Upsert rows from bundles on disk by uuid; shared by the exercise and quiz syncs."""

from __future__ import annotations

from pathlib import Path

from django.db.models import Model, QuerySet


def bundle_row_upsert(model: type[Model], *, uuid: str, slug: str, fields: dict) -> tuple[Model, str]:
    """Create or update the row of one bundle; return it and "created", "updated" or "unchanged"."""
    row = model.objects.filter(uuid=uuid).first()
    if row is None:
        # A slug freed by a bundle that was removed or renamed can be taken over.
        model.objects.filter(slug=slug).exclude(uuid=uuid).update(slug=f"retired-{uuid[:8]}", is_active=False)
        return model.objects.create(uuid=uuid, **fields), "created"
    if all(getattr(row, name) == value for name, value in fields.items()):
        return row, "unchanged"
    for name, value in fields.items():
        setattr(row, name, value)
    row.save()
    return row, "updated"


def bundle_rows_deactivate(
    model: type[Model], *, seen: set[str], broken_paths: set[Path], rows: QuerySet | None = None
) -> list[str]:
    """Deactivate rows (of one source, ``rows``) whose bundle is gone; a broken bundle keeps its last good row."""
    deactivated = []
    rows = model.objects.all() if rows is None else rows
    for row in rows.filter(is_active=True).exclude(uuid__in=seen):
        if Path(row.bundle_path).resolve() in broken_paths:
            continue
        row.is_active = False
        row.save(update_fields=["is_active", "synced_at"])
        deactivated.append(row.slug)
    return deactivated
