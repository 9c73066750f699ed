"""An instructor's commands: scaffold a bundle, check it, and read what to fix when it fails."""

from __future__ import annotations

import io

import pytest
from django.core.management import CommandError, call_command


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_a_scaffolded_exercise_and_quiz_pass_check_content(tmp_path):
    assert "wrote" in run("new_exercise", "leaky-relu", "--root", str(tmp_path))
    assert "wrote" in run("new_quiz", "activations-quiz", "--root", str(tmp_path))
    report = run("check_content", str(tmp_path))
    assert "ok    leaky-relu (exercise)" in report and "ok    activations-quiz (quiz)" in report
    assert "2 bundle(s) pass the quality gate." in report
    # Every field of the manifest comes with a comment saying what it is for.
    manifest = (tmp_path / "leaky-relu" / "exercise.toml").read_text().splitlines()
    fields = [i for i, line in enumerate(manifest) if line and not line.startswith("#")]
    assert [manifest[i] for i in fields if not manifest[i - 1].startswith("#")] == []


def test_check_content_names_bundle_file_and_reason_and_exits_1(tmp_path):
    run("new_exercise", "leaky-relu", "--root", str(tmp_path))
    run("new_exercise", "good-one", "--root", str(tmp_path))
    (tmp_path / "leaky-relu" / "starter.py").write_text("def leaky_relu(x, alpha=0.1):\n    return x if x > 0 else x\n")
    (tmp_path / "leaky-relu" / "cases.py").write_text(
        "import numpy as np\nfrom graders.cases import Case\n\ndef make_cases(rng)\n"
    )
    out = io.StringIO()
    with pytest.raises(CommandError, match=r"1 of 2 bundle\(s\) fail the quality gate"):
        call_command("check_content", str(tmp_path), stdout=out)
    report = out.getvalue()
    assert "FAIL  leaky-relu (exercise)\n      cases.py: SyntaxError" in report
    assert "ok    good-one (exercise)" in report


def test_check_content_on_a_folder_without_bundles(tmp_path):
    with pytest.raises(CommandError):
        call_command("check_content", str(tmp_path), stdout=io.StringIO())
    with pytest.raises(CommandError, match="does not exist"):
        call_command("check_content", str(tmp_path / "nope"), stdout=io.StringIO())


def test_new_exercise_refuses_a_bad_slug(tmp_path):
    with pytest.raises(CommandError, match="may use only a-z"):
        call_command("new_exercise", "My Exercise", "--root", str(tmp_path))
    assert list(tmp_path.iterdir()) == []


def test_a_deployment_content_folder_is_synced_through_the_gate(tmp_path, settings, db):
    from catalog.models import Exercise

    folder = tmp_path / "dept"
    call_command("new_exercise", "leaky-relu", "--root", str(folder / "exercises"), stdout=io.StringIO())
    call_command("new_exercise", "relu", "--root", str(folder / "exercises"), stdout=io.StringIO())
    (folder / "exercises" / "relu" / "mistakes.py").write_text(
        (folder / "exercises" / "relu" / "mistakes.py")
        .read_text()
        .replace("np.maximum(x, 0.0)", "np.where(x > 0, x, alpha * x)")
    )
    settings.CONTENT_DIRS = [folder]
    builtin = tmp_path / "builtin"
    builtin.mkdir()
    out, err = io.StringIO(), io.StringIO()
    call_command("sync_exercises", "--root", str(builtin), stdout=out, stderr=err)
    assert "dept exercises: 1 created" in out.getvalue() and "1 bad" in out.getvalue()
    # The same slug as a built-in exercise cannot clash: the folder's bundles are namespaced.
    assert "relu" in err.getvalue() and "mistakes.py: mistake 'plain_relu' scores full marks" in err.getvalue()
    assert list(Exercise.objects.values_list("slug", "is_public")) == [("dept--leaky-relu", True)]
