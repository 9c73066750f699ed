# The question types are listed by graders/quiz/registry.py alone: the column keeps no choices of its
# own (a new type needs no migration) and leaves room for longer type names. Stored rows are unchanged.

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("quizzes", "0002_questions_answers_and_attempt_tries"),
    ]

    operations = [
        migrations.AlterField(
            model_name="question",
            name="qtype",
            field=models.CharField(max_length=40),
        ),
    ]
