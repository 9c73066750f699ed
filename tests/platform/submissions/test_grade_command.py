"""`manage.py grade` as outside clients call it (../shared/catalog.md): a real subprocess, stdout parsed."""

import json
import subprocess
import sys

import pytest

from tests.conftest import ROOT

CORRECT = "import numpy as np\n\ndef relu(x):\n    return np.maximum(x, 0.0)\n"
SYNTAX_ERROR = "def relu(x)\n    return x\n"
WRONG = "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n"


def run_grade(*args: str) -> subprocess.CompletedProcess:
    env_python = [sys.executable, str(ROOT / "manage.py"), "grade", *args]
    return subprocess.run(env_python, capture_output=True, text=True, cwd=ROOT, timeout=120)


@pytest.fixture
def files(tmp_path):
    paths = {}
    for name, source in (("a.py", CORRECT), ("b.py", SYNTAX_ERROR), ("c.py", WRONG)):
        (tmp_path / name).write_text(source)
        paths[name] = str(tmp_path / name)
    return paths


def test_prints_one_json_line_per_file_in_order(files):
    result = run_grade("relu", files["a.py"], files["b.py"], files["c.py"], "--json", "--workers", "2")
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    records = [json.loads(line) for line in lines]
    assert [r["file"] for r in records] == [files["a.py"], files["b.py"], files["c.py"]]

    ok, syntax, wrong = records
    assert (ok["status"], ok["score"], ok["passed"], ok["total"]) == ("graded", 1.0, 10, 10)
    assert ok["cases"][0] == {"name": "vector", "status": "pass", "message": ""}

    assert (syntax["status"], syntax["score"]) == ("graded", 0.0)
    assert {c["status"] for c in syntax["cases"]} == {"error"}
    assert syntax["message"] == "SyntaxError at line 1: expected ':': def relu(x)"

    assert wrong["status"] == "graded" and wrong["score"] == 0.3 and wrong["exercise"] == "relu"
    hidden = next(c for c in wrong["cases"] if c["name"] == "large_magnitudes")
    assert hidden["status"] == "fail" and "expected" not in hidden["message"].replace("expected values", "")


@pytest.mark.parametrize(
    "args,error",
    [
        (("no-such-exercise", "x.py", "--json"), "unknown exercise 'no-such-exercise'"),
        (("relu", "/nonexistent.py", "--json"), "no such file: /nonexistent.py"),
    ],
)
def test_usage_errors_exit_2_with_one_line(args, error):
    result = run_grade(*args)
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.strip().splitlines() == [f"CommandError: {error}"]
