"""Writes for course content: pull the repository, check and keep each new version, publish one.

A sync never changes what students see: it keeps a copy of every new version of every bundle
(var/content/c<id>/versions/<slug>/<hash>/<slug>), runs the catalog's quality gate on it and
stores the verdicts the preview page shows. Course staff then publish a version that passed:
the course's exercise then points at that kept copy, so a later broken push, or a bundle removed
and re-added, never touches the version students are graded against. Submissions keep the
content hash they were graded with; a regrade (courses/regrades) grades them against the
version published now.
"""

from __future__ import annotations

import json
import logging
import os
import resource
import secrets
import shutil
import subprocess
import sys
import tempfile
from dataclasses import asdict
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from catalog.models import Exercise
from catalog.services import exercise_publish, exercise_retire
from config.celery import app as celery_app
from courses.content.git import RepositoryUnavailable, fetch_branch
from courses.content.selectors import course_namespace
from courses.models import ContentRepository, ContentVersion, Course
from graders.bundle import _hash_folder, load_bundle
from graders.content_check import Problem, bundle_folders, bundle_kind
from graders.errors import BundleError
from graders.sandbox.launch import PASSED_THROUGH

log = logging.getLogger(__name__)
# Sent by name: courses.tasks defines it and calls these services, so they never import it.
SYNC_TASK = "courses.content_sync_repository"


def repository_save(*, course: Course, git_url: str, branch: str) -> ContentRepository:
    git_url, branch = git_url.strip(), branch.strip() or "main"
    if not git_url:
        raise ValidationError(_("Give the address of the course's git repository."))
    repository, _created = ContentRepository.objects.update_or_create(
        course=course,
        defaults={"git_url": git_url, "branch": branch},
        create_defaults={"git_url": git_url, "branch": branch, "webhook_token": secrets.token_urlsafe(32)},
    )
    return repository


def repository_enqueue(*, repository: ContentRepository) -> None:
    """Ask a worker to pull the repository (the button, the webhook and the schedule all come here)."""
    ContentRepository.objects.filter(pk=repository.pk).update(syncing=True)
    transaction.on_commit(
        lambda: celery_app.send_task(SYNC_TASK, args=[repository.pk], queue=settings.CELERY_GRADING_QUEUE)
    )


def repository_enqueue_all() -> int:
    repositories = list(ContentRepository.objects.all())
    for repository in repositories:
        repository_enqueue(repository=repository)
    return len(repositories)


def repository_record_failure(*, repository_id: int, message: str, final: bool) -> None:
    """The platform failed while pulling (not the instructor's content): said as ours."""
    if final:
        ContentRepository.objects.filter(pk=repository_id).update(
            syncing=False,
            synced_at=timezone.now(),
            sync_error=_("The platform failed while pulling the repository (%(error)s); try again later.")
            % {"error": message[:300]},
        )


def repository_sync(*, repository_id: int) -> ContentRepository:
    """Pull the repository's branch, keep and check every new version of every bundle, retire removed ones."""
    repository = ContentRepository.objects.select_related("course").get(pk=repository_id)
    home = Path(settings.CONTENT_ROOT) / course_namespace(repository.course)
    home.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=home, prefix="checkout-") as checkout:
        try:
            fetch_branch(repository.git_url, repository.branch, Path(checkout) / "repo")
        except RepositoryUnavailable as exc:
            ContentRepository.objects.filter(pk=repository.pk).update(
                syncing=False, synced_at=timezone.now(), sync_error=str(exc)
            )
            repository.refresh_from_db()
            return repository
        problems, slugs = _sync_bundles(repository, Path(checkout) / "repo", home)
    _retire_removed(repository, slugs)
    ContentRepository.objects.filter(pk=repository.pk).update(
        syncing=False, synced_at=timezone.now(), sync_error="", sync_problems=problems
    )
    repository.refresh_from_db()
    return repository


def _sync_bundles(repository: ContentRepository, checkout: Path, home: Path) -> tuple[list[dict], set[str]]:
    problems: list[dict] = []
    root = checkout / "exercises"
    if not root.is_dir():
        return [asdict(Problem("(repository)", "exercises/", _("no exercises/ folder on this branch")))], set()
    folders = bundle_folders(root)
    for other in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        if other not in folders or bundle_kind(other) != "exercise":
            problems.append(
                asdict(Problem(other.name, "exercise.toml", _("not an exercise bundle (no exercise.toml)")))
            )
    uuids: dict[str, str] = {}
    slugs = set()
    for folder in folders:
        if bundle_kind(folder) != "exercise":
            continue
        slugs.add(folder.name)
        version = _version_of(repository, folder, home)
        uuid = _uuid(Path(version.path))
        if uuid and uuid in uuids and version.status == ContentVersion.Status.READY:
            clash = Problem(
                folder.name,
                "exercise.toml",
                _("uuid %(u)s is also used by %(other)s") % {"u": uuid, "other": uuids[uuid]},
            )
            version.status, version.problems = ContentVersion.Status.FAILED, [asdict(clash)]
            version.save(update_fields=["status", "problems"])
        uuids.setdefault(uuid, folder.name)
        problems += version.problems
    return problems, slugs


def _uuid(path: Path) -> str:
    try:
        return load_bundle(path).uuid
    except (BundleError, OSError):
        return ""


def _version_of(repository: ContentRepository, folder: Path, home: Path) -> ContentVersion:
    """The version of this folder: found by content hash, or kept, checked and previewed now."""
    content_hash = _hash_folder(folder)
    version = ContentVersion.objects.filter(repository=repository, slug=folder.name, content_hash=content_hash).first()
    if version is not None:
        return version
    kept = home / "versions" / folder.name / content_hash[:16] / folder.name
    if not kept.exists():
        shutil.copytree(folder, kept, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    problems, preview = check_isolated(kept)
    # get_or_create: a pull that ran at the same time (the button and the schedule) may have kept it first.
    version, _created = ContentVersion.objects.get_or_create(
        repository=repository,
        slug=folder.name,
        content_hash=content_hash,
        defaults={
            "path": str(kept),
            "status": ContentVersion.Status.FAILED if problems else ContentVersion.Status.READY,
            "problems": problems,
            "preview": preview,
        },
    )
    return version


# What the child running a course's code may use: enough for NumPy and the sandbox, no credentials.
CHECK_CPU_S = 600
CHECK_MEMORY_BYTES = 4 << 30


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CHECK_CPU_S, CHECK_CPU_S))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_DATA, (CHECK_MEMORY_BYTES, CHECK_MEMORY_BYTES))


def check_isolated(path: Path) -> tuple[list[dict], dict]:
    """Run graders.content_check_cli on ``path`` in a child process: cleared environment (no database
    address, no secret key), its own empty home, the kept version as its folder, CPU and memory limits.
    Returns (problems, preview)."""
    root = Path(settings.ROOT)
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(root),
        "HOME": str(path.parent),
        "DLGRADE_SANDBOX": settings.DLGRADE_SANDBOX,
        **{name: os.environ[name] for name in PASSED_THROUGH if name in os.environ},
    }
    try:
        done = subprocess.run(
            [sys.executable, "-m", "graders.content_check_cli", str(path)],
            cwd=path.parent,
            env=env,
            capture_output=True,
            text=True,
            timeout=CHECK_CPU_S,
            preexec_fn=_limit_child,
        )
        result = json.loads(done.stdout.strip().splitlines()[-1]) if done.returncode == 0 else None
    except (subprocess.TimeoutExpired, ValueError, IndexError):
        result, done = None, None
    if result is None:
        why = (done.stderr.strip().splitlines() or ["no output"])[-1][:300] if done is not None else "timed out"
        return [asdict(Problem(path.name, "(bundle)", _("the check did not finish: %(why)s") % {"why": why}))], {}
    return result["problems"], result["preview"]


def _retire_removed(repository: ContentRepository, slugs: set[str]) -> None:
    """A bundle no longer on the branch leaves the course's catalog (its submissions stay)."""
    namespace = course_namespace(repository.course)
    for exercise in Exercise.objects.filter(namespace=namespace, is_active=True):
        if exercise.bundle_slug not in slugs:
            exercise_retire(exercise=exercise)


def version_publish(*, version: ContentVersion, user) -> Exercise:
    """Make ``version`` the one students of the course see and are graded against."""
    if version.status not in (ContentVersion.Status.READY, ContentVersion.Status.SUPERSEDED):
        raise ValidationError(_("Only a version that passed the quality gate can be published."))
    namespace = course_namespace(version.repository.course_id)
    try:
        case_count = len(version.preview.get("visible_cases", [])) + version.preview.get("hidden_cases", 0)
        exercise, _outcome = exercise_publish(
            path=Path(version.path), namespace=namespace, public=False, case_count=case_count
        )
    except BundleError as exc:
        raise ValidationError(
            _("This version cannot be loaded any more: %(reason)s") % {"reason": exc.reason}
        ) from None
    with transaction.atomic():
        ContentVersion.objects.filter(
            repository=version.repository, slug=version.slug, status=ContentVersion.Status.PUBLISHED
        ).exclude(pk=version.pk).update(status=ContentVersion.Status.SUPERSEDED)
        version.status = ContentVersion.Status.PUBLISHED
        version.exercise = exercise
        version.published_at = timezone.now()
        version.published_by = user
        version.save(update_fields=["status", "exercise", "published_at", "published_by"])
    return exercise
