"""The project owns its contracts: docs/catalog.md is the catalog outside clients rely on, kept in step."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Where the team's shared copy lives in this workplace; outside it there is nothing to compare with.
SHARED_CATALOGS = (ROOT.parent / "shared" / "catalog.md", Path("/work/shared/catalog.md"))


def test_the_catalog_in_docs_is_the_shared_contract():
    shared = next((path for path in SHARED_CATALOGS if path.exists()), None)
    if shared is None:
        pytest.skip("no shared catalog next to this checkout")
    assert (ROOT / "docs" / "catalog.md").read_text() == shared.read_text(), (
        f"docs/catalog.md differs from {shared}: copy it over (outside clients depend on the catalog)"
    )


def test_code_and_docs_point_to_documents_a_newcomer_has():
    pattern = re.compile(r"\.\./shared/|shared/design/|shared/catalog|\bissue \d+\b", re.IGNORECASE)
    offenders = []
    for path in ROOT.rglob("*"):
        if path.suffix not in {".py", ".md", ".html", ".toml", ".js", ".css"} and path.name != "Makefile":
            continue
        if any(part in {".venv", "node_modules", ".git", "test-artifacts", "var"} for part in path.parts):
            continue
        if path == Path(__file__).resolve():
            continue
        for number, line in enumerate(path.read_text(errors="replace").splitlines(), 1):
            if pattern.search(line):
                offenders.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()[:100]}")
    assert not offenders, "point to docs/ instead:\n" + "\n".join(offenders)
