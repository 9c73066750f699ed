from __future__ import annotations

from courses.models import ContentRepository, ContentVersion, Course


def course_namespace(course: Course | int) -> str:
    """The namespace of a course's own content: its exercises' slugs are "c<id>--<slug>"."""
    return f"c{course if isinstance(course, int) else course.pk}"


def course_of_namespace(namespace: str) -> int | None:
    """The course id a namespace belongs to, or None for a deployment folder's namespace."""
    if namespace.startswith("c") and namespace[1:].isdigit():
        return int(namespace[1:])
    return None


def repository_of(course: Course) -> ContentRepository | None:
    return ContentRepository.objects.filter(course=course).first()


def versions_by_bundle(repository: ContentRepository) -> dict[str, list[ContentVersion]]:
    """Every version of every bundle, newest first."""
    grouped: dict[str, list[ContentVersion]] = {}
    for version in repository.versions.order_by("slug", "-created_at", "-id"):
        grouped.setdefault(version.slug, []).append(version)
    return grouped
