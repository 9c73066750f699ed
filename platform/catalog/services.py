from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction

from catalog.bundle_sync import bundle_row_upsert, bundle_rows_deactivate
from catalog.models import Exercise
from catalog.rendering import render_statement
from graders.bundle import Bundle, BundleError, discover, load_bundle, namespaced_uuid
from graders.content_check import check_exercise
from graders.sandbox import Zygote


@dataclass
class SyncReport:
    created: list[str] = field(default_factory=list)
    updated: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    deactivated: list[str] = field(default_factory=list)
    errors: list[BundleError] = field(default_factory=list)


def namespaced_slug(namespace: str, slug: str) -> str:
    return f"{namespace}--{slug}" if namespace else slug


def _fields(bundle: Bundle, namespace: str, public: bool, case_count: int | None = None) -> dict:
    return {
        "slug": namespaced_slug(namespace, bundle.slug),
        "namespace": namespace,
        "is_public": public,
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
        "case_count": len(bundle.cases) if case_count is None else case_count,
        "is_active": True,
    }


def exercise_sync(*, root: Path, namespace: str = "", public: bool = True, gate: bool = False) -> SyncReport:
    """Upsert every valid bundle of one content source by uuid; a bad bundle is reported and leaves its row as it was.

    ``namespace`` "" is the built-in catalog (its quality gate runs in the test suite); another
    source passes ``gate=True`` so that a bundle failing graders.content_check is not published.
    """
    report = SyncReport()
    bundles, report.errors = discover(root)
    if gate and bundles:
        with Zygote() as zygote:
            for bundle in list(bundles):
                problems = check_exercise(bundle.path, zygote).problems
                if problems:
                    bundles.remove(bundle)
                    report.errors += [BundleError(bundle.path, f"{p.file}: {p.reason}") for p in problems]
    _upsert_all(report, bundles, namespace=namespace, public=public)
    return report


@transaction.atomic
def _upsert_all(report: SyncReport, bundles: list[Bundle], *, namespace: str, public: bool) -> None:
    seen = set()
    for bundle in bundles:
        uuid = namespaced_uuid(namespace, bundle.uuid)
        seen.add(uuid)
        fields = _fields(bundle, namespace, public)
        _row, outcome = bundle_row_upsert(Exercise, uuid=uuid, slug=fields["slug"], fields=fields)
        getattr(report, outcome).append(fields["slug"])
    broken_paths = {Path(error.path).resolve() for error in report.errors}
    report.deactivated = bundle_rows_deactivate(
        Exercise, seen=seen, broken_paths=broken_paths, rows=Exercise.objects.filter(namespace=namespace)
    )


def exercise_publish(*, path: Path, namespace: str, public: bool, case_count: int) -> tuple[Exercise, str]:
    """Make the bundle at ``path`` the live version of its exercise in ``namespace``.

    The bundle passed the quality gate already (in a child process, courses/content): only its
    files are read here, none of its code runs in this process. Returns the row and "created",
    "updated" or "unchanged"; raises BundleError if its files do not load.
    """
    bundle = load_bundle(path)
    fields = _fields(bundle, namespace, public, case_count)
    with transaction.atomic():
        return bundle_row_upsert(
            Exercise, uuid=namespaced_uuid(namespace, bundle.uuid), slug=fields["slug"], fields=fields
        )


def exercise_retire(*, exercise: Exercise) -> None:
    """Take an exercise off the course (its bundle left the repository); submissions keep it."""
    exercise.is_active = False
    exercise.save(update_fields=["is_active", "synced_at"])
