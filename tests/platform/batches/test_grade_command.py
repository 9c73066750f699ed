"""`manage.py grade` as outside clients call it (docs/catalog.md): a real subprocess, stdout parsed."""

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


# -- folders, zip archives, CSV, --output, the progress bar ---------------------------------


def make_export(path, entries):
    import zipfile

    with zipfile.ZipFile(path, "w") as archive:
        for name, data in entries:
            archive.writestr(name, data)
    return str(path)


def test_folders_and_zips_are_graded_in_order_and_bad_entries_named_on_stderr(files, tmp_path):
    folder = tmp_path / "lms"
    (folder / "zoe").mkdir(parents=True)
    (folder / "adam").mkdir()
    (folder / "zoe" / "relu.py").write_text(WRONG)
    (folder / "adam" / "relu.py").write_text(CORRECT)
    (folder / "adam" / "feedback.txt").write_text("good")
    export = make_export(
        tmp_path / "export.zip",
        [("s1/relu.py", CORRECT), ("../../evil.py", "import os"), ("s2/notes.pdf", b"%PDF"), ("s2/relu.py", WRONG)],
    )
    result = run_grade("relu", files["a.py"], str(folder), export, "--json", "--workers", "2")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [r["file"] for r in records] == [
        files["a.py"],
        f"{folder}/adam/relu.py",
        f"{folder}/zoe/relu.py",
        f"{export}/s1/relu.py",
        f"{export}/s2/relu.py",
    ]
    assert [r["score"] for r in records] == [1.0, 1.0, 0.3, 1.0, 0.3]
    stderr = result.stderr.splitlines()
    assert f"skipped {folder}/adam/feedback.txt: not a Python file" in stderr
    assert f"skipped {export}/../../evil.py: path goes outside the archive (..)" in stderr
    assert f"skipped {export}/s2/notes.pdf: not a Python file" in stderr
    assert not (tmp_path.parent / "evil.py").exists() and not (ROOT.parent / "evil.py").exists()
    assert "\r" not in result.stderr  # no progress bar when stderr is not a terminal


def test_csv_to_an_output_file_leaves_stdout_empty(files, tmp_path):
    report = tmp_path / "out" / "report.csv"
    report.parent.mkdir()
    result = run_grade("relu", files["a.py"], files["c.py"], "--format", "csv", "--output", str(report))
    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    rows = list(__import__("csv").reader(report.read_text().splitlines()))
    assert rows[0][:8] == ["file", "exercise", "status", "score", "passed", "total", "message", "mistakes"]
    assert rows[0][8] == "case:vector" and len(rows[0]) == 8 + 10
    assert rows[1][:6] == [files["a.py"], "relu", "graded", "1.0", "10", "10"]
    assert rows[2][3] == "0.3" and rows[2][7] == "absolute_value"


def test_json_lines_to_an_output_file(files, tmp_path):
    report = tmp_path / "report.jsonl"
    result = run_grade("relu", files["a.py"], "--json", "--output", str(report))
    assert result.returncode == 0 and result.stdout == ""
    assert json.loads(report.read_text())["score"] == 1.0


@pytest.mark.parametrize(
    "args,error",
    [
        (("--json", "--format", "csv"), "--json and --format csv contradict each other"),
        (
            ("--output", "/nonexistent-folder/report.csv"),
            "cannot write /nonexistent-folder/report.csv: No such file or directory",
        ),
        (("--workers", "0"), "--workers must be at least 1"),
    ],
)
def test_more_usage_errors_exit_2(files, args, error):
    result = run_grade("relu", files["a.py"], *args)
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.strip().splitlines() == [f"CommandError: {error}"]


def test_a_broken_zip_is_a_usage_error(tmp_path):
    fake = tmp_path / "export.zip"
    fake.write_text("not a zip")
    result = run_grade("relu", str(fake), "--json")
    assert (result.returncode, result.stdout) == (2, "")
    assert result.stderr.startswith(f"CommandError: not a valid zip archive: {fake}")


def test_an_archive_with_nothing_to_grade_prints_nothing_and_exits_0(tmp_path):
    export = make_export(tmp_path / "empty.zip", [("readme.txt", "x")])
    result = run_grade("relu", export, "--json")
    assert (result.returncode, result.stdout) == (0, "")
    assert "no Python files to grade" in result.stderr


def test_progress_bar_goes_to_a_terminals_stderr_never_to_stdout(files):
    import os
    import pty

    leader, follower = pty.openpty()
    try:
        process = subprocess.Popen(
            [
                sys.executable,
                str(ROOT / "manage.py"),
                "grade",
                "relu",
                files["a.py"],
                files["b.py"],
                files["c.py"],
                "--json",
            ],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            stderr=follower,
            text=True,
        )
        os.close(follower)
        stdout, _ = process.communicate(timeout=120)
        chunks = []
        while True:
            try:
                chunk = os.read(leader, 65536)
            except OSError:  # the terminal closed with the process
                break
            if not chunk:
                break
            chunks.append(chunk)
    finally:
        os.close(leader)
    terminal = b"".join(chunks).decode()
    assert process.returncode == 0
    assert [json.loads(line)["file"] for line in stdout.splitlines()] == [files["a.py"], files["b.py"], files["c.py"]]
    assert "\r" not in stdout and "[" not in stdout.split('"cases"')[0]
    assert "relu [" in terminal and " 3/3 " in terminal


HOSTILE_FRAMES = (
    "import numpy as np\n_import = __import__\n\n\ndef relu(x):\n"
    "    os, struct = _import('os', {}), _import('struct', {})\n"
    "    raw = b'[' * 200000 + b']' * 200000\n"
    "    for fd in range(3, 20):\n"
    "        try:\n"
    "            os.write(fd, struct.pack('>I', len(raw)) + raw)\n"
    "        except OSError:\n"
    "            pass\n"
    "    return np.maximum(x, 0.0)\n"
)
LEAKY = "import numpy as np\n\ndef relu(x):\n    raise ValueError(repr(x.tolist()))\n"


def test_hostile_files_cost_only_their_own_score_and_leak_nothing(tmp_path):
    # A malformed frame used to crash the command (exit 1, a traceback, no record for anyone), and an
    # `error` in a hidden case kept its exception text: the hidden inputs, in the JSON and CSV.
    paths = []
    for name, source in (("honest.py", CORRECT), ("frames.py", HOSTILE_FRAMES), ("leaky.py", LEAKY), ("z.py", CORRECT)):
        (tmp_path / name).write_text(source)
        paths.append(str(tmp_path / name))
    result = run_grade("relu", *paths, "--json")
    assert result.returncode == 0, result.stderr
    records = [json.loads(line) for line in result.stdout.splitlines()]
    assert [(r["file"], r["status"]) for r in records] == [(path, "graded") for path in paths]
    assert [r["score"] for r in records][::3] == [1.0, 1.0] and records[1]["score"] < 1.0
    leaky = records[2]
    hidden = [c for c in leaky["cases"] if c["name"] in ("large_magnitudes", "tiny_values", "non_contiguous")]
    assert len(hidden) == 3
    for case in hidden:  # the fixed wording and what the case checks, never the exception text (the inputs)
        assert case["message"].startswith("Your code raised ValueError (hidden case: the message is not shown)")
        assert "[" not in case["message"] and "What this case checks" in case["message"]
    csv = run_grade("relu", paths[2], "--format", "csv")
    assert csv.returncode == 0 and "ValueError" not in csv.stdout  # statuses per case, no student text
