from pathlib import Path

import pytest

from graders.bundle import BundleError, discover, load_bundle, validate_bundle
from tests.conftest import EXERCISES, FIXTURES

BROKEN = FIXTURES / "exercises"


@pytest.mark.parametrize(
    "folder,reason",
    [
        ("missing-files", "missing exercise.toml, reference.py, cases.py"),
        ("bad-toml", "exercise.toml is not valid TOML"),
        ("wrong-slug", "must match the folder name"),
    ],
)
def test_load_names_the_problem(folder, reason):
    with pytest.raises(BundleError) as error:
        load_bundle(BROKEN / folder)
    assert reason in error.value.reason
    assert error.value.path.endswith(folder)


@pytest.mark.parametrize(
    "folder,reason",
    [
        ("broken-reference", "the reference gives NaN or inf in case"),
        ("no-hidden-cases", "at least one visible and one hidden"),
        ("unknown-purpose", "unknown case purpose values near 1e-12"),
    ],
)
def test_validation_runs_the_trusted_parts(folder, reason):
    with pytest.raises(BundleError) as error:
        validate_bundle(load_bundle(BROKEN / folder))
    assert reason in error.value.reason


def test_discover_reports_bad_bundles_and_loads_the_rest(tmp_path: Path):
    (tmp_path / "relu").symlink_to(EXERCISES / "relu")
    for folder in BROKEN.iterdir():
        (tmp_path / folder.name).symlink_to(folder)
    bundles, errors = discover(tmp_path)
    assert [b.slug for b in bundles] == ["relu"]
    assert sorted(Path(e.path).name for e in errors) == sorted(f.name for f in BROKEN.iterdir())


def test_cases_are_seeded_and_reproducible():
    first, second = load_bundle(EXERCISES / "relu"), load_bundle(EXERCISES / "relu")
    for a, b in zip(first.cases, second.cases, strict=True):
        assert a.name == b.name
        assert all((x == y).all() for x, y in zip(a.args, b.args, strict=True))
