"""The quality gate on one bundle: a scaffolded bundle passes; each kind of broken bundle is named with its file."""

from __future__ import annotations

import pytest

from graders.content_check import check_path, latex_problems
from graders.scaffold import ScaffoldError, scaffold


@pytest.fixture
def exercise(tmp_path):
    return scaffold("exercise", "leaky-relu", tmp_path)


def problems(path, zygote):
    return [(p.bundle, p.file, p.reason) for report in check_path(path, zygote) for p in report.problems]


def test_a_scaffolded_exercise_and_quiz_pass_every_check(tmp_path, zygote):
    scaffold("exercise", "leaky-relu", tmp_path)
    scaffold("quiz", "activations-quiz", tmp_path)
    reports = check_path(tmp_path, zygote)
    assert [(r.name, r.kind, r.problems) for r in reports] == [
        ("activations-quiz", "quiz", []),
        ("leaky-relu", "exercise", []),
    ]
    assert "mistakes" in reports[1].checks and "deterministic" in reports[1].checks


def test_a_syntax_error_names_the_file(exercise, zygote):
    (exercise / "reference.py").write_text("def leaky_relu(x, alpha=0.1)\n    return x\n")
    [(bundle, file, reason)] = problems(exercise, zygote)
    assert (bundle, file) == ("leaky-relu", "reference.py") and "SyntaxError" in reason


def test_a_reference_that_crashes_on_a_case(exercise, zygote):
    # In place: fails on the read-only case.
    (exercise / "reference.py").write_text("def leaky_relu(x, alpha=0.1):\n    x[x < 0] *= alpha\n    return x\n")
    [(bundle, file, reason)] = problems(exercise, zygote)
    assert (bundle, file) == ("leaky-relu", "reference.py") and "read-only" in reason


def test_a_wrong_reference_marks_the_correct_solutions_wrong(exercise, zygote):
    (exercise / "reference.py").write_text(
        "import numpy as np\n\ndef leaky_relu(x, alpha=0.1):\n    return np.abs(x)\n"
    )
    found = problems(exercise, zygote)
    assert {f for _, f, r in found if "a correct solution is marked wrong" in r} == {
        "solutions/loop.py",
        "solutions/maximum.py",
    }


def test_cases_that_change_from_run_to_run(exercise, zygote):
    cases = exercise / "cases.py"
    cases.write_text(cases.read_text().replace("rng.standard_normal((3, 4))", "np.random.standard_normal((3, 4))"))
    assert [(f, "different cases each time" in r) for _, f, r in problems(exercise, zygote)] == [("cases.py", True)]


def test_a_mistake_the_cases_cannot_see(exercise, zygote):
    mistakes = exercise / "mistakes.py"
    # A "mistake" that is right: nothing can tell it from the reference.
    mistakes.write_text(mistakes.read_text().replace("np.maximum(x, 0.0)", "np.where(x > 0, x, alpha * x)"))
    found = problems(exercise, zygote)
    assert [(f, r.startswith("mistake 'plain_relu'") and "scores full marks" in r) for _, f, r in found] == [
        ("mistakes.py", True)
    ] * 2


def test_broken_latex_and_missing_descriptions(exercise, zygote):
    (exercise / "statement.zh.md").write_text("编写 $\\frac{a}{b$ 和 $x")
    cases = exercise / "cases.py"
    cases.write_text(cases.read_text().replace('description_zh="一个含有 0 的短向量",', ""))
    found = {(f, r.split(":")[0]) for _, f, r in problems(exercise, zygote)}
    assert (
        found
        == {
            ("statement.zh.md", "a $ opens a formula that never closes"),
            ("statement.zh.md", "unbalanced braces in $\\frac{a}{b$ 和 $x$"),
            ("cases.py", "visible cases need description= and description_zh="),
        }
        or ("statement.zh.md", "a $ opens a formula that never closes") in found
    )


def test_latex_problems():
    assert latex_problems("$a_t$, $$\\sum_i x_i$$ and a price in `$5`") == []
    assert latex_problems("$\\begin{cases} 1 \\end{matrix}$") == [
        "\\end{matrix} without its \\begin in $\\begin{cases} 1 \\end{matrix}$"
    ]
    assert latex_problems("a formula $x\nover two lines$") == []


def test_a_slow_reference(exercise, zygote):
    toml = exercise / "exercise.toml"
    toml.write_text(toml.read_text().replace("time_s = 2.0", "time_s = 0.01"))
    reference = exercise / "reference.py"
    reference.write_text(
        "import time\n" + reference.read_text().replace("    return", "    time.sleep(0.01)\n    return")
    )
    found = problems(exercise, zygote)
    assert any(f == "cases.py" and "more than 25% of limits.time_s" in r for _, f, r in found), found


def test_a_broken_quiz_names_its_file(tmp_path, zygote):
    quiz = scaffold("quiz", "activations-quiz", tmp_path)
    (quiz / "params.py").write_text(
        "import random\n\ndef draw_leaky(rng):\n    return {'alpha': random.random(), 'x': -1.0}\n\ndef leaky(alpha, x):\n    return alpha * x\n"
    )
    [(bundle, file, reason)] = problems(quiz, zygote)
    assert bundle == "activations-quiz" and file in ("params.py", "quiz.toml") and "leaky-relu-value" in reason


def test_the_same_uuid_twice(tmp_path, zygote):
    first = scaffold("exercise", "leaky-relu", tmp_path)
    second = scaffold("exercise", "leaky-relu-two", tmp_path)
    toml = second / "exercise.toml"
    uuid = (first / "exercise.toml").read_text().split('uuid = "')[1].split('"')[0]
    toml.write_text(
        "\n".join(f'uuid = "{uuid}"' if line.startswith("uuid =") else line for line in toml.read_text().splitlines())
    )
    assert [(b, r.startswith(f"uuid {uuid} is also used by")) for b, _, r in problems(tmp_path, zygote)] == [
        ("leaky-relu-two", True)
    ]


def test_scaffold_refuses_a_bad_slug_and_an_existing_folder(tmp_path):
    with pytest.raises(ScaffoldError, match="may use only a-z"):
        scaffold("exercise", "Leaky_ReLU", tmp_path)
    scaffold("exercise", "leaky-relu", tmp_path)
    with pytest.raises(ScaffoldError, match="already exists"):
        scaffold("exercise", "leaky-relu", tmp_path)


def test_code_that_cannot_run_in_the_sandbox_where_students_are_graded(exercise, zygote):
    # Fine in the check's own process, refused where a course's code runs when students are graded.
    cases = exercise / "cases.py"
    cases.write_text("import os\n" + cases.read_text())
    [(bundle, file, reason)] = problems(exercise, zygote)
    assert bundle == "leaky-relu" and "in the sandbox, where students are graded" in reason
    assert "Import of `os` is refused" in reason
