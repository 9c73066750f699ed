"""Writes for course content: pull the repository, check and keep each new version, publish one.

A sync never changes what students see: it keeps a copy of every new version of every bundle
(var/content/c<id>/versions/<slug>/<hash>/<slug>, quizzes under quiz-versions/), runs the catalog's
quality gate on it and stores the verdicts the preview page shows. A quiz's parameterized questions
are drawn in the sandbox then; the variants are checked here and kept beside the copy
(<hash>/variants.json), and the published quiz draws from them: its params.py never runs here. Course staff then publish a version that passed:
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
from graders.content_check import QUIZ_FILES, Problem, bundle_folders, bundle_kind, file_named_in
from graders.errors import BundleError
from graders.quiz import load_quiz
from graders.quiz.precomputed import VariantTableError, precompute, write_variants
from graders.sandbox.launch import PASSED_THROUGH
from quizzes.models import Quiz
from quizzes.services import quiz_publish, quiz_retire

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
    _retire_removed(repository, slugs[ContentVersion.Kind.EXERCISE])
    _retire_removed_quizzes(repository, slugs[ContentVersion.Kind.QUIZ])
    ContentRepository.objects.filter(pk=repository.pk).update(
        syncing=False, synced_at=timezone.now(), sync_error="", sync_problems=problems
    )
    repository.refresh_from_db()
    return repository


# The folder of each kind of bundle in a course repository, and the file that makes a folder one.
FOLDERS = {ContentVersion.Kind.EXERCISE: "exercises", ContentVersion.Kind.QUIZ: "quizzes"}


def _sync_bundles(repository: ContentRepository, checkout: Path, home: Path) -> tuple[list[dict], dict[str, set[str]]]:
    problems: list[dict] = []
    slugs: dict[str, set[str]] = {kind: set() for kind in FOLDERS}
    if not any((checkout / folder).is_dir() for folder in FOLDERS.values()):
        return [
            asdict(Problem("(repository)", "exercises/", _("no exercises/ or quizzes/ folder on this branch")))
        ], slugs
    for kind, folder_name in FOLDERS.items():
        root = checkout / folder_name
        if root.is_dir():
            problems += _sync_kind(repository, kind, root, home, slugs[kind])
    return problems, slugs


def _sync_kind(repository: ContentRepository, kind: str, root: Path, home: Path, slugs: set[str]) -> list[dict]:
    problems: list[dict] = []
    folders = [folder for folder in bundle_folders(root) if bundle_kind(folder) == kind]
    for other in sorted(p for p in root.iterdir() if p.is_dir() and not p.name.startswith((".", "_"))):
        if other not in folders:
            reason = (
                _("not an exercise bundle (no exercise.toml)")
                if kind == ContentVersion.Kind.EXERCISE
                else _("not a quiz bundle (no quiz.toml)")
            )
            problems.append(asdict(Problem(other.name, f"{kind}.toml", reason)))
    uuids: dict[str, str] = {}
    for folder in folders:
        slugs.add(folder.name)
        version = _version_of(repository, folder, home, kind)
        uuid = _uuid(Path(version.path), kind)
        if uuid and uuid in uuids and version.status == ContentVersion.Status.READY:
            clash = Problem(
                folder.name,
                f"{kind}.toml",
                _("uuid %(u)s is also used by %(other)s") % {"u": uuid, "other": uuids[uuid]},
            )
            version.status, version.problems = ContentVersion.Status.FAILED, [asdict(clash)]
            version.save(update_fields=["status", "problems"])
        uuids.setdefault(uuid, folder.name)
        problems += version.problems
    return problems


def _uuid(path: Path, kind: str) -> str:
    try:
        return load_bundle(path).uuid if kind == ContentVersion.Kind.EXERCISE else load_quiz(path).uuid
    except (BundleError, OSError):
        return ""


def _version_of(repository: ContentRepository, folder: Path, home: Path, kind: str) -> ContentVersion:
    """The version of this folder: found by content hash, or kept, checked and previewed now."""
    content_hash = _hash_folder(folder)
    version = ContentVersion.objects.filter(
        repository=repository, kind=kind, slug=folder.name, content_hash=content_hash
    ).first()
    if version is not None:
        return version
    versions = home / ("versions" if kind == ContentVersion.Kind.EXERCISE else "quiz-versions")
    kept = versions / folder.name / content_hash[:16] / folder.name
    if not kept.exists():
        shutil.copytree(folder, kept, ignore=shutil.ignore_patterns("__pycache__", ".*"))
    problems, preview, variants = check_isolated(kept)
    if kind == ContentVersion.Kind.QUIZ and not problems:
        problems, preview = quiz_version_keep(kept, variants)
    # get_or_create: a pull that ran at the same time (the button and the schedule) may have kept it first.
    version, _created = ContentVersion.objects.get_or_create(
        repository=repository,
        kind=kind,
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


def quiz_version_keep(kept: Path, variants) -> tuple[list[dict], dict]:
    """Check the variants the child drew for a kept quiz as hostile input, and keep them beside it.

    The child ran the course's params.py only in the sandbox, but whatever it printed is read here as
    if it had been written by the course: the same reader and checks (graders/quiz/precomputed.py).
    Returns (problems, preview).
    """
    try:
        bundle = precompute(load_quiz(kept), variants)
    except VariantTableError as exc:
        reason = _("the variants drawn for this quiz are refused: %(reason)s") % {"reason": exc}
        return [asdict(Problem(kept.name, "params.py", reason))], {}
    except BundleError as exc:
        return [asdict(Problem(kept.name, file_named_in(exc.reason, QUIZ_FILES, "quiz.toml"), exc.reason))], {}
    write_variants(bundle)
    parameterized = [question.key for question in bundle.questions if question.parameterized]
    return [], {
        "kind": "quiz",
        "title": dict(bundle.title),
        "questions": len(bundle.questions),
        "parameterized": parameterized,
        "variants": {key: len(bundle.precomputed[key]) for key in parameterized},
    }


# What the child running a course's code may use: enough for NumPy and the sandbox, no credentials.
CHECK_CPU_S = 600
CHECK_MEMORY_BYTES = 4 << 30


def _limit_child() -> None:
    resource.setrlimit(resource.RLIMIT_CPU, (CHECK_CPU_S, CHECK_CPU_S))
    resource.setrlimit(resource.RLIMIT_CORE, (0, 0))
    resource.setrlimit(resource.RLIMIT_DATA, (CHECK_MEMORY_BYTES, CHECK_MEMORY_BYTES))


def check_isolated(path: Path) -> tuple[list[dict], dict, object]:
    """Run graders.content_check_cli on ``path`` in a child process: cleared environment (no database
    address, no secret key), its own empty home, the kept version as its folder, CPU and memory limits.
    Returns (problems, preview, variants): a quiz's drawn variants, unchecked (quiz_version_keep reads them)."""
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
    if not isinstance(result, dict) or not isinstance(result.get("problems"), list):
        why = (done.stderr.strip().splitlines() or ["no output"])[-1][:300] if done is not None else "timed out"
        return [asdict(Problem(path.name, "(bundle)", _("the check did not finish: %(why)s") % {"why": why}))], {}, None
    return result["problems"], result.get("preview") or {}, result.get("variants")


def _retire_removed(repository: ContentRepository, slugs: set[str]) -> None:
    """A bundle no longer on the branch leaves the course's catalog (its submissions stay)."""
    namespace = course_namespace(repository.course)
    for exercise in Exercise.objects.filter(namespace=namespace, is_active=True):
        if exercise.bundle_slug not in slugs:
            exercise_retire(exercise=exercise)


def _retire_removed_quizzes(repository: ContentRepository, slugs: set[str]) -> None:
    """A quiz no longer on the branch leaves the course (its tries stay)."""
    namespace = course_namespace(repository.course)
    for quiz in Quiz.objects.filter(namespace=namespace, is_active=True):
        if quiz.bundle_slug not in slugs:
            quiz_retire(quiz=quiz)


def version_publish(*, version: ContentVersion, user) -> Exercise | Quiz:
    """Make ``version`` the one students of the course see and are graded against (an exercise or a quiz)."""
    if version.status not in (ContentVersion.Status.READY, ContentVersion.Status.SUPERSEDED):
        raise ValidationError(_("Only a version that passed the quality gate can be published."))
    namespace = course_namespace(version.repository.course_id)
    if version.kind == ContentVersion.Kind.QUIZ:
        return _quiz_version_publish(version=version, user=user, namespace=namespace)
    try:
        case_count = len(version.preview.get("visible_cases", [])) + version.preview.get("hidden_cases", 0)
        exercise, _outcome = exercise_publish(
            path=Path(version.path), namespace=namespace, public=False, case_count=case_count
        )
    except BundleError as exc:
        raise _no_longer_loads(exc) from None
    _mark_published(version, user, exercise=exercise)
    return exercise


def _no_longer_loads(exc: BundleError) -> ValidationError:
    return ValidationError(_("This version cannot be loaded any more: %(reason)s") % {"reason": exc.reason})


@transaction.atomic
def _mark_published(version: ContentVersion, user, **published_row) -> None:
    """``version`` is now the live one of its bundle (``exercise=`` or ``quiz=``: the row it published)."""
    ContentVersion.objects.filter(
        repository=version.repository, kind=version.kind, slug=version.slug, status=ContentVersion.Status.PUBLISHED
    ).exclude(pk=version.pk).update(status=ContentVersion.Status.SUPERSEDED)
    for name, row in published_row.items():
        setattr(version, name, row)
    version.status = ContentVersion.Status.PUBLISHED
    version.published_at = timezone.now()
    version.published_by = user
    version.save(update_fields=["status", *published_row, "published_at", "published_by"])


def _quiz_version_publish(*, version: ContentVersion, user, namespace: str) -> Quiz:
    """The quiz row points at the kept copy and its kept variants: its params.py is not imported here."""
    try:
        quiz, _outcome = quiz_publish(path=Path(version.path), namespace=namespace, public=False)
    except BundleError as exc:
        raise _no_longer_loads(exc) from None
    _mark_published(version, user, quiz=quiz)
    return quiz
