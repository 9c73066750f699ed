"""The manifest schema: every level of a document is checked, and every refusal says where and what is allowed.

The two real manifests are tested with their loaders: exercise.toml in tests/graders/test_bundle.py,
quiz.toml in tests/graders/quiz/test_bundle.py.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from graders.bundle import BundleError
from graders.manifest import INTEGER, TEXT, Table, TableList, Value, check_manifest

SCHEMA = Table(
    {
        "name": TEXT,
        "size": INTEGER,
        "kind": Value((str,), choices=("a", "b")),
        "items": TableList(Table({"id": TEXT, "weight": INTEGER}), label_key="id"),
        "nested": Table({"inner": Table({"depth": INTEGER})}),
    },
    required=("name",),
)


@pytest.mark.parametrize(
    "document,reason",
    [
        ({"name": "x", "items": [{"id": "p", "wieght": 1}]}, "unknown key `wieght` in [[items]] 'p' of "),
        ({"name": "x", "items": [{"weight": 1, "extra": 2}]}, "unknown key `extra` in [[items]] #1 of "),
        ({"name": "x", "items": {"id": "p"}}, "[[items]] in base/thing/manifest.toml must be an array of tables"),
        ({"name": "x", "nested": {"inner": {"depht": 1}}}, "unknown key `depht` in [nested.inner] of "),
        ({"name": "x", "kind": "c"}, "`kind` in base/thing/manifest.toml must be one of a, b, not 'c'"),
        ({"size": 1}, "missing `name` in base/thing/manifest.toml"),
    ],
)
def test_every_level_is_checked(document, reason):
    with pytest.raises(BundleError) as error:
        check_manifest(document, SCHEMA, bundle_path=Path("/somewhere/base/thing"), file_name="manifest.toml")
    assert error.value.reason.startswith(reason)


def test_a_document_that_fits_passes():
    document = {"name": "x", "size": 3, "kind": "a", "items": [{"id": "p", "weight": 2}], "nested": {"inner": {}}}
    check_manifest(document, SCHEMA, bundle_path=Path("/somewhere/base/thing"), file_name="manifest.toml")
