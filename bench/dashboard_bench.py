"""The course dashboard of a big class: how long one refresh takes, against reading the full verdicts.

Builds a course of --students students with --per-student graded submissions each, every one with a
real verdict (a wrong relu graded in the sandbox: failing cases with previews, a named mistake), then
times, in the same run and on the same rows:
  dashboard    dashboard.selectors.course_dashboard(), which reads Submission.verdict_summary
  baseline     what the dashboard read before the summary existed: every row's full verdict JSON,
               walked for failed cases and mistakes (the aggregation it fed)
and prints both with their ratio. The dashboard page refreshes every 15 s while an instructor has it
open, so this is a recurring cost.

    python bench/dashboard_bench.py [--students 300] [--per-student 20] [--repeat 5]
                                    [--database-url postgres://...]   (default: SQLite in a temp folder)
With --database-url the database must be a scratch one: the script migrates it and fills it.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WRONG_RELU = "import numpy as np\n\ndef relu(x):\n    return np.abs(x)\n"


def setup_django(database_url: str | None, folder: Path) -> None:
    sys.path[:0] = [str(ROOT), str(ROOT / "platform")]
    os.environ["DJANGO_SETTINGS_MODULE"] = "config.settings"
    os.environ["DJANGO_DEBUG"] = "1"
    os.environ["DLGRADE_VAR_DIR"] = str(folder)
    if database_url:
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)


def build(students: int, per_student: int):
    from django.contrib.auth import get_user_model
    from django.utils import timezone

    from catalog.models import Exercise
    from catalog.services import exercise_sync
    from courses import assignments, services
    from courses.models import AssignmentCredit, Membership
    from graders.bundle import load_bundle
    from graders.engine import grade
    from graders.sandbox import Zygote
    from submissions.models import Submission, summarize_verdict

    exercise_sync(root=ROOT / "exercises")
    zygote = Zygote()
    try:
        verdict = grade(load_bundle(ROOT / "exercises" / "relu"), WRONG_RELU, zygote=zygote).to_dict()
    finally:
        zygote.close()
    user_model = get_user_model()
    teacher = user_model.objects.create_user("bench-teacher", password="x")
    course = services.course_create(title="Dashboard bench", created_by=teacher)
    exercises = list(Exercise.objects.filter(slug__in=["relu", "sigmoid", "softmax", "conv-forward", "lstm-step"]))
    now = timezone.now()
    assignment = assignments.assignment_create(
        course=course,
        title="Everything",
        opens_at=now - timedelta(days=10),
        due_at=now + timedelta(days=5),
        items=[assignments.ItemSpec(points=10, exercise=e) for e in exercises],
    )
    users = user_model.objects.bulk_create([user_model(username=f"bench-{i}") for i in range(students)])
    Membership.objects.bulk_create([Membership(course=course, user=u) for u in users])
    rng = random.Random(0)
    rows = []
    for user in users:
        for _ in range(per_student):
            full = rng.random() < 0.4
            row = Submission(
                user=user,
                exercise=rng.choice(exercises),
                source=WRONG_RELU,
                status="graded",
                score=1.0 if full else 0.3,
                verdict=verdict,
                verdict_summary=summarize_verdict(verdict),  # what submission_record_verdict stores
            )
            rows.append(row)
    Submission.objects.bulk_create(rows, batch_size=1000)
    # What the credit rule would have written for these (all on time, all counted), in bulk.
    AssignmentCredit.objects.bulk_create(
        [AssignmentCredit(assignment=assignment, user_id=row.user_id, submission=row) for row in rows], batch_size=1000
    )
    return course, assignment, len(rows), len(str(verdict))


def read_full_verdicts(assignment) -> int:
    """The baseline: the rows and full verdicts the dashboard used to load, walked the same way."""
    from submissions.models import Submission

    counted = 0
    rows = Submission.objects.filter(assignment_credits__assignment=assignment).values_list(
        "user_id", "exercise_id", "assignment_credits__assignment_id", "status", "score", "created_at", "verdict"
    )
    for *_fields, verdict in rows.iterator(chunk_size=500):
        counted += sum(1 for case in (verdict or {}).get("cases", ()) if case.get("status") != "pass")
        counted += len((verdict or {}).get("mistakes", ()))
    return counted


def timed(function, repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, default=300)
    parser.add_argument("--per-student", type=int, default=20)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--database-url", default=None)
    args = parser.parse_args()

    with tempfile.TemporaryDirectory(prefix="dlgrade-dashboard-bench-") as folder:
        setup_django(args.database_url, Path(folder))
        from django.db import connection

        from dashboard.selectors import course_dashboard

        started = time.perf_counter()
        course, assignment, count, verdict_chars = build(args.students, args.per_student)
        print(
            f"{count} graded submissions ({args.students} students x {args.per_student}), verdict {verdict_chars} "
            f"chars each; database {connection.vendor}; built in {time.perf_counter() - started:.1f} s"
        )
        board = course_dashboard(course=course)  # warm the caches both ways
        assert board.submissions == count, (board.submissions, count)
        read_full_verdicts(assignment)
        dashboard, baseline = [], []
        for _ in range(args.repeat):  # interleaved, so load on the machine hits both alike
            dashboard += timed(lambda: course_dashboard(course=course), 1)
            baseline += timed(lambda: read_full_verdicts(assignment), 1)
        d, b = statistics.median(dashboard), statistics.median(baseline)
        print(f"{'':36s}{'median ms':>10s}  runs")
        print(f"{'dashboard (reads verdict_summary)':36s}{d:10.0f}  " + " ".join(f"{t:.0f}" for t in dashboard))
        print(f"{'baseline: loading the full verdicts':36s}{b:10.0f}  " + " ".join(f"{t:.0f}" for t in baseline))
        print(f"ratio baseline / dashboard: {b / d:.1f}x (the baseline is only the read the old dashboard did first)")


if __name__ == "__main__":
    main()
