# The link to one assignment and its late marks live in courses.AssignmentCredit now (one row per
# assignment a submission counts for); courses 0003 copied them there before these columns go.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("courses", "0003_credit_existing_links_and_quiz_tries"),
        ("submissions", "0004_submission_verdict_summary"),
    ]

    operations = [
        migrations.RemoveIndex(model_name="submission", name="submission_assignment_user"),
        migrations.RemoveField(model_name="submission", name="assignment"),
        migrations.RemoveField(model_name="submission", name="extension_applied"),
        migrations.RemoveField(model_name="submission", name="is_late"),
        migrations.RemoveField(model_name="submission", name="late_days"),
        migrations.RemoveField(model_name="submission", name="late_penalty"),
    ]
