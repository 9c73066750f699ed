from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from catalog.bundle_sync import bundle_row_upsert, bundle_rows_deactivate
from catalog.models import Exercise
from catalog.rendering import render_statement
from graders.bundle import Bundle, BundleError, discover


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    errors: list[BundleError] = field(default_factory=list)


def _fields(bundle: Bundle) -> dict:
    return {
        "slug": bundle.slug,
        "function_name": bundle.function,
        "topic": bundle.topic,
        "difficulty": bundle.difficulty,
        "order": bundle.order,
        "points": bundle.points,
        "title_en": bundle.title["en"],
        "title_zh": bundle.title["zh"],
        "statement_en_html": render_statement(bundle.statement["en"]),
        "statement_zh_html": render_statement(bundle.statement["zh"]),
        "starter_code": bundle.starter,
        "bundle_path": str(bundle.path.resolve()),
        "content_hash": bundle.content_hash,
        "rtol": bundle.rtol,
        "atol": bundle.atol,
        "time_limit_s": bundle.limits.time_s,
        "time_budget_s": bundle.limits.submission_budget_s,
        "memory_limit_mib": bundle.limits.memory_mib,
        "case_count": len(bundle.cases),
        "is_active": True,
    }


@transaction.atomic
def exercise_sync(*, root: Path) -> SyncReport:
    """Upsert every valid bundle by uuid; a bad bundle is reported and leaves its row as it was."""
    report = SyncReport()
    bundles, report.errors = discover(root)
    seen = set()
    for bundle in bundles:
        seen.add(bundle.uuid)
        _row, outcome = bundle_row_upsert(Exercise, uuid=bundle.uuid, slug=bundle.slug, fields=_fields(bundle))
        getattr(report, outcome).append(bundle.slug)
    broken_paths = {Path(error.path).resolve() for error in report.errors}
    report.deactivated = bundle_rows_deactivate(Exercise, seen=seen, broken_paths=broken_paths)
    return report
