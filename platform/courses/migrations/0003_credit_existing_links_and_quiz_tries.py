"""Move each submission's link to an assignment, with its late marks, into a credit row; credit quiz tries.

Existing data keeps its meaning: a submission made for an assignment counts for it with the same
marks (late, days, penalty, extension), and nothing else gains credit. Quiz tries had no link: they
were counted when read, if made in the assignment's window; they get the rows that rule gives,
except tries made before the assignment existed, which no longer count.
"""

from datetime import timedelta

from django.db import migrations

from courses.policy import Deadline, in_window

BATCH = 1000


def _deadline(assignment, extension) -> Deadline:
    """Assignment.deadline_for() as of this migration (historical models have no methods)."""
    penalty = assignment.late_penalty_per_day if assignment.late_policy == "penalty" else 0.0
    cutoff = assignment.cutoff_at
    if cutoff is None and assignment.late_policy == "cutoff":
        cutoff = assignment.due_at
    due = assignment.due_at
    if extension is not None and extension.due_at > assignment.due_at:
        shift: timedelta = extension.due_at - assignment.due_at
        due = extension.due_at
        cutoff = cutoff + shift if cutoff is not None else None
    return Deadline(
        opens_at=assignment.opens_at,
        due_at=due,
        cutoff_at=cutoff,
        penalty_per_day=penalty,
        original_due_at=assignment.due_at,
    )


def credit_existing_work(apps, schema_editor):
    Submission = apps.get_model("submissions", "Submission")
    QuizAttempt = apps.get_model("quizzes", "QuizAttempt")
    Assignment = apps.get_model("courses", "Assignment")
    AssignmentCredit = apps.get_model("courses", "AssignmentCredit")
    Extension = apps.get_model("courses", "Extension")
    Membership = apps.get_model("courses", "Membership")

    batch = []

    def add(row):
        batch.append(row)
        if len(batch) >= BATCH:
            AssignmentCredit.objects.bulk_create(batch)
            batch.clear()

    links = Submission.objects.filter(assignment__isnull=False).values_list(
        "pk", "assignment_id", "user_id", "is_late", "late_days", "late_penalty", "extension_applied"
    )
    for pk, assignment_id, user_id, is_late, late_days, late_penalty, extension_applied in links.iterator(
        chunk_size=BATCH
    ):
        add(
            AssignmentCredit(
                assignment_id=assignment_id,
                user_id=user_id,
                submission_id=pk,
                is_late=is_late,
                late_days=late_days,
                late_penalty=min(1.0, max(0.0, late_penalty)),
                extension_applied=extension_applied,
            )
        )

    for assignment in Assignment.objects.filter(items__quiz__isnull=False).distinct():
        quiz_ids = list(assignment.items.filter(quiz__isnull=False).values_list("quiz_id", flat=True))
        students = Membership.objects.filter(course_id=assignment.course_id, role="student").values("user_id")
        extensions = {e.user_id: e for e in Extension.objects.filter(assignment=assignment)}
        tries = QuizAttempt.objects.filter(
            quiz_id__in=quiz_ids, user_id__in=students, created_at__gte=assignment.created_at
        ).values_list("pk", "user_id", "created_at")
        for pk, user_id, created_at in tries.iterator(chunk_size=BATCH):
            lateness = _deadline(assignment, extensions.get(user_id)).judge(created_at)
            if not in_window(lateness):
                continue
            add(
                AssignmentCredit(
                    assignment_id=assignment.pk,
                    user_id=user_id,
                    quiz_attempt_id=pk,
                    is_late=lateness.is_late,
                    late_days=lateness.days_late,
                    late_penalty=lateness.penalty,
                    extension_applied=lateness.extension_applied,
                )
            )
    AssignmentCredit.objects.bulk_create(batch)


def link_submissions_again(apps, schema_editor):
    """Back to one link per submission: the credit row of its earliest-due assignment, with its marks."""
    Submission = apps.get_model("submissions", "Submission")
    AssignmentCredit = apps.get_model("courses", "AssignmentCredit")
    linked = set()
    changed = []
    rows = AssignmentCredit.objects.filter(submission__isnull=False).order_by("assignment__due_at", "assignment_id")
    for row in rows.select_related("submission").iterator(chunk_size=BATCH):
        if row.submission_id in linked:
            continue
        linked.add(row.submission_id)
        submission = row.submission
        submission.assignment_id = row.assignment_id
        submission.is_late, submission.late_days = row.is_late, row.late_days
        submission.late_penalty, submission.extension_applied = row.late_penalty, row.extension_applied
        changed.append(submission)
    Submission.objects.bulk_update(
        changed, ["assignment", "is_late", "late_days", "late_penalty", "extension_applied"], batch_size=BATCH
    )
    AssignmentCredit.objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0002_assignment_credit"),
        ("quizzes", "0002_questions_answers_and_attempt_tries"),
        ("submissions", "0004_submission_verdict_summary"),
    ]

    operations = [migrations.RunPython(credit_existing_work, link_submissions_again)]
