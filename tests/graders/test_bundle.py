"""Exercise bundles: loading names the problem, exercise.toml is strict, the trusted parts run once."""

from __future__ import annotations

import shutil
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


EXERCISE_KEYS = (
    "(allowed here: `uuid`, `slug`, `function`, `topic`, `difficulty`, `order`, `points`, "
    "[title], [tolerance], [limits], [cases], [checks], `outputs`, `gradients`, [lab])"
)


def exercise_with(tmp_path: Path, old: str, new: str) -> Path:
    """exercises/relu copied to <tmp>/exercises/relu, so that messages name exercises/relu/exercise.toml."""
    folder = tmp_path / "exercises" / "relu"
    shutil.copytree(EXERCISES / "relu", folder, ignore=shutil.ignore_patterns("__pycache__"))
    text = (folder / "exercise.toml").read_text()
    assert old in text
    (folder / "exercise.toml").write_text(text.replace(old, new, 1))
    return folder


def refusal(folder: Path) -> str:
    with pytest.raises(BundleError) as error:
        load_bundle(folder)
    assert error.value.path == str(folder)
    return error.value.reason


# --- exercise.toml: one strict schema (graders/manifest.py) ---------------------------------------------


def test_a_misspelt_table_is_refused_not_replaced_by_the_defaults(tmp_path):
    reason = refusal(exercise_with(tmp_path, "[limits]", "[limit]"))
    assert reason == (f"unknown table [limit] in exercises/relu/exercise.toml; did you mean [limits]? {EXERCISE_KEYS}")


def test_a_misspelt_top_level_key_is_refused(tmp_path):
    reason = refusal(exercise_with(tmp_path, "points = 10", "pionts = 10"))
    assert reason.startswith("unknown key `pionts` in exercises/relu/exercise.toml; did you mean `points`?")


def test_a_misspelt_nested_key_is_refused(tmp_path):
    reason = refusal(exercise_with(tmp_path, "time_s = 2.0", "time = 2.0"))
    assert reason == (
        "unknown key `time` in [limits] of exercises/relu/exercise.toml; did you mean `time_s`? "
        "(allowed here: `time_s`, `memory_mib`, `budget_s`)"
    )


def test_an_unknown_nested_table_is_refused(tmp_path):
    reason = refusal(exercise_with(tmp_path, "[cases]", "[cases.extra]\nsize = 3\n\n[cases]"))
    assert reason.startswith("unknown table [cases.extra] in [cases] of exercises/relu/exercise.toml")


@pytest.mark.parametrize(
    "old,new,reason",
    [
        ("order = 10", "order = 10\nchecks = 5", "[checks] in exercises/relu/exercise.toml must be a table"),
        ("points = 10", 'points = "ten"', "`points` in exercises/relu/exercise.toml must be a number, not 'ten'"),
        (
            "memory_mib = 256",
            "memory_mib = 256.5",
            "`memory_mib` in [limits] of exercises/relu/exercise.toml must be an integer, not 256.5",
        ),
        ("points = 10", "points = true", "`points` in exercises/relu/exercise.toml must be a number, not True"),
        ('function = "relu"\n', "", "missing `function` in exercises/relu/exercise.toml"),
    ],
)
def test_values_of_the_wrong_kind_are_refused(tmp_path, old, new, reason):
    assert refusal(exercise_with(tmp_path, old, new)) == reason


def test_limits_take_a_time_budget(tmp_path):
    bundle = load_bundle(exercise_with(tmp_path, "memory_mib = 256", "memory_mib = 256\nbudget_s = 5.0"))
    assert bundle.limits.budget_s == 5.0 and bundle.limits.time_s == 2.0


def test_a_misspelt_lab_key_is_refused_too(tmp_path):
    folder = tmp_path / "bptt-gradient-norms"
    shutil.copytree(EXERCISES / "bptt-gradient-norms", folder)
    toml = folder / "exercise.toml"
    toml.write_text(toml.read_text().replace("clip_norm = 1.0", "clipnorm = 1.0"))
    with pytest.raises(BundleError, match="clipnorm"):
        load_bundle(folder)
