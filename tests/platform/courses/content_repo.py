"""A course content repository for tests: a local bare git repository and a working copy that pushes to it."""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

from graders.scaffold import scaffold

GIT_ENV = {
    **os.environ,
    "GIT_AUTHOR_NAME": "Instructor",
    "GIT_AUTHOR_EMAIL": "instructor@example.edu",
    "GIT_COMMITTER_NAME": "Instructor",
    "GIT_COMMITTER_EMAIL": "instructor@example.edu",
}
# A leaky ReLU that adds 1e-4: wrong under the scaffold's atol = 1e-9, right under atol = 1e-3.
OFF_BY_A_LITTLE = (
    "import numpy as np\n\ndef leaky_relu(x, alpha=0.1):\n    return np.where(x > 0, x, alpha * x) + 1e-4\n"
)
CORRECT = "import numpy as np\n\ndef leaky_relu(x, alpha=0.1):\n    return np.where(x > 0, x, alpha * x)\n"


def git(*args: str, cwd: Path) -> str:
    return subprocess.run(["git", *args], cwd=cwd, check=True, capture_output=True, text=True, env=GIT_ENV).stdout


class CourseRepository:
    """``url`` is what an instructor types in; ``work`` is their checkout."""

    def __init__(self, root: Path) -> None:
        root.mkdir(parents=True, exist_ok=True)
        self.bare = root / "course-content.git"
        self.work = root / "work"
        git("init", "--quiet", "--bare", "--initial-branch=main", str(self.bare), cwd=root)
        git("clone", "--quiet", str(self.bare), str(self.work), cwd=root)
        git("checkout", "--quiet", "-b", "main", cwd=self.work)
        (self.work / "exercises").mkdir()
        self.url = f"file://{self.bare}"

    def exercise(self, slug: str) -> Path:
        return scaffold("exercise", slug, self.work / "exercises")

    def quiz(self, slug: str) -> Path:
        """The scaffold's quiz: a single-choice question and a parameterized numeric one (params.py)."""
        (self.work / "quizzes").mkdir(exist_ok=True)
        return scaffold("quiz", slug, self.work / "quizzes")

    def edit(self, path: str, old: str, new: str) -> None:
        file = self.work / path
        text = file.read_text()
        assert old in text, (path, old)
        file.write_text(text.replace(old, new))

    def push(self, message: str = "content") -> None:
        git("add", "-A", cwd=self.work)
        git("commit", "--quiet", "-m", message, cwd=self.work)
        git("push", "--quiet", "origin", "main", cwd=self.work)


def good_and_broken(root: Path) -> CourseRepository:
    """leaky-relu passes the gate; broken's reference has a syntax error."""
    repository = CourseRepository(root)
    repository.exercise("leaky-relu")
    repository.exercise("broken")
    repository.edit("exercises/broken/reference.py", "def broken(x, alpha=0.1):", "def broken(x, alpha=0.1)")
    repository.push("a good and a broken exercise")
    return repository


def good_and_broken_quizzes(root: Path) -> CourseRepository:
    """activations-quiz passes; broken-params has a syntax error in params.py; no-such-option's answer is no option."""
    repository = CourseRepository(root)
    repository.quiz("activations-quiz")
    repository.quiz("broken-params")
    repository.edit("quizzes/broken-params/params.py", "def leaky(alpha, x):", "def leaky(alpha, x)")
    repository.quiz("no-such-option")
    repository.edit("quizzes/no-such-option/quiz.toml", 'answer = "a"', 'answer = "z"')
    repository.push("a good quiz and two broken ones")
    return repository
