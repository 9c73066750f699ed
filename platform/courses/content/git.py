"""Fetch one branch of a course's content repository, saying plainly why it cannot be fetched."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from django.conf import settings
from django.utils.translation import gettext as _

# No prompt for a password (a worker has nobody to answer it) and only these transports.
GIT_ENV = {"GIT_TERMINAL_PROMPT": "0", "GIT_ALLOW_PROTOCOL": "https:ssh:git:file", "GIT_ASKPASS": "true"}


class RepositoryUnavailable(Exception):
    """The repository cannot be fetched as configured: the instructor's to fix, said in a sentence."""


def _git(*args: str) -> subprocess.CompletedProcess:
    try:
        return subprocess.run(
            ["git", *args],
            capture_output=True,
            text=True,
            timeout=settings.CONTENT_GIT_TIMEOUT_S,
            env={**os.environ, **GIT_ENV},
        )
    except subprocess.TimeoutExpired:
        raise RepositoryUnavailable(
            _("git took longer than %(s)d s: is the repository reachable?") % {"s": settings.CONTENT_GIT_TIMEOUT_S}
        ) from None


def _last_line(text: str) -> str:
    lines = [line.strip() for line in text.strip().splitlines() if line.strip()]
    return lines[-1][:300] if lines else ""


def fetch_branch(url: str, branch: str, dest: Path) -> str:
    """Clone ``branch`` of ``url`` into ``dest`` (shallow); return the commit it is at."""
    if url.startswith("-") or branch.startswith("-"):
        raise RepositoryUnavailable(_("The repository address and branch cannot start with “-”."))
    heads = _git("ls-remote", "--heads", "--", url, branch)
    if heads.returncode != 0:
        raise RepositoryUnavailable(
            _("The repository %(url)s cannot be read: %(reason)s") % {"url": url, "reason": _last_line(heads.stderr)}
        )
    if not heads.stdout.strip():
        raise RepositoryUnavailable(
            _("The repository %(url)s has no branch “%(branch)s”.") % {"url": url, "branch": branch}
        )
    clone = _git("clone", "--quiet", "--depth", "1", "--single-branch", "--branch", branch, "--", url, str(dest))
    if clone.returncode != 0:
        raise RepositoryUnavailable(
            _("The repository %(url)s cannot be cloned: %(reason)s") % {"url": url, "reason": _last_line(clone.stderr)}
        )
    return _git("-C", str(dest), "rev-parse", "HEAD").stdout.strip()
