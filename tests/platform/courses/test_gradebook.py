"""The score that counts (best or last), the gradebook and its CSV export."""

import csv
import io
from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from courses import assignments
from courses.models import Assignment, Membership
from courses.selectors import course_gradebook
from tests.platform.courses.fixtures import (
    CORRECT,
    WRONG_ABS,
    existed_since,
    make_assignment,
    make_quiz,
    quiz_try,
    submit,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded_course(world, zygote, django_user_model):
    """Week 1 counts the best attempt, Week 2 the last; Week 3 was due yesterday (10 % per day).

    All three hold relu and take work now, so every submission counts for all three, whichever
    page it was sent from: right, then right and wrong twice (the last one wrong).
    """
    now = timezone.now()
    best = world.assignment  # 10 points, best
    last = make_assignment(
        world.course,
        [world.exercise],
        title="Week 2",
        score_policy=Assignment.ScorePolicy.LAST,
        items=[assignments.ItemSpec(points=20, exercise=world.exercise)],
    )
    late = make_assignment(
        world.course,
        [world.exercise],
        title="Week 3",
        opens_at=now - timedelta(days=5),
        due_at=now - timedelta(hours=2),
    )
    tricky = django_user_model.objects.create_user(
        username="tricky", first_name="=SUM(A1:A9)", last_name="+1", email="@cmd|'/c calc'!a0"
    )
    Membership.objects.create(course=world.course, user=tricky)
    submit(world.student, world.exercise, CORRECT, late, zygote=zygote)
    for assignment in (best, last):
        submit(world.student, world.exercise, CORRECT, assignment, zygote=zygote)
        submit(world.student, world.exercise, WRONG_ABS, assignment, zygote=zygote)
    assignments.extension_grant(
        assignment=best, user=tricky, due_at=best.due_at + timedelta(days=2), granted_by=world.teacher
    )
    return world, (best, last, late), tricky


def test_best_and_last_count_as_each_assignment_says(graded_course):
    world, (best, last, late), _ = graded_course
    gradebook = course_gradebook(course=world.course)
    row = next(r for r in gradebook.rows if r.user == world.student)
    by_title = {cell.assignment.title: cell for cell in row.cells}
    assert by_title["Week 1"].points == 10.0  # best of 100 % and 30 %
    assert by_title["Week 2"].points == 6.0  # last: 30 % of 20
    assert by_title["Week 3"].points == 9.0 and by_title["Week 3"].is_late  # 10 % off for one started day
    assert row.total == 25.0 and row.max_total == 40.0


def test_a_gradebook_row_per_student_with_marks(client, graded_course):
    world, _, tricky = graded_course
    client.force_login(world.teacher)
    page = client.get(reverse("courses:gradebook", args=[world.course.pk])).content.decode()
    assert page.count('<th scope="row">') == 2  # students only, not the instructor or the TA
    assert 'title="late">L</span>' in page and ">E</span>" in page
    assert "=SUM(A1:A9) +1" in page  # shown as text (escaped HTML, no formula on a web page)


def test_the_gradebook_shows_zero_where_the_csv_does_and_a_column_per_exercise_on_request(client, graded_course):
    world, _, tricky = graded_course
    client.force_login(world.teacher)
    url = reverse("courses:gradebook", args=[world.course.pk])
    page = client.get(url).content.decode()
    tricky_row = page.split(tricky.username)[1].split("</tr>")[0]
    assert "—" not in tricky_row and 'title="not started">0</span>' in tricky_row
    assert 'class="num item-col' not in page
    per_item = client.get(url + "?items=1").content.decode()
    assert per_item.count('<th scope="col" class="num item-col">') == 3  # relu in each of the three weeks
    assert '<span class="small">relu</span>' in per_item


def read_csv(response):
    body = response.content.decode("utf-8")
    assert body.startswith("\ufeff")  # Excel reads UTF-8 only with a BOM
    return list(csv.reader(io.StringIO(body[1:])))


def test_csv_export_opens_cleanly_in_a_spreadsheet(client, graded_course):
    world, _, tricky = graded_course
    client.force_login(world.ta)
    response = client.get(reverse("courses:gradebook-csv", args=[world.course.pk]))
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith(f'attachment; filename="{world.course.slug}-gradebook-')
    assert b"\r\n" in response.content
    header, *rows = read_csv(response)
    # Assignments in the order of their due dates (Week 3 was due yesterday).
    assert header == [
        "username", "first name", "last name", "email",
        "Week 3 (/10)", "Week 3 marks", "Week 1 (/10)", "Week 1 marks", "Week 2 (/20)", "Week 2 marks",
        "total (/40)", "total %",
    ]  # fmt: skip
    by_user = {row[0]: row for row in rows}
    assert set(by_user) == {"student", "tricky"}
    assert by_user["student"][4:] == ["9", "late", "10", "", "6", "", "25", "62.5"]
    tricky_row = by_user["tricky"]
    # Cells a spreadsheet would run as formulas start with a quote.
    assert tricky_row[1:4] == ["'=SUM(A1:A9)", "'+1", "'@cmd|'/c calc'!a0"]
    assert tricky_row[6:8] == ["0", "extension"] and tricky_row[-2:] == ["0", "0"]


def test_csv_cells_are_quoted_when_they_hold_commas_or_quotes(client, world, django_user_model):
    odd = django_user_model.objects.create_user(username="odd", first_name='Anna, "the" first', last_name="Łukasz 王")
    Membership.objects.create(course=world.course, user=odd)
    client.force_login(world.teacher)
    response = client.get(reverse("courses:gradebook-csv", args=[world.course.pk]))
    assert '"Anna, ""the"" first",Łukasz 王' in response.content.decode("utf-8")
    by_user = {row[0]: row for row in read_csv(response)[1:]}
    assert by_user["odd"][1:3] == ['Anna, "the" first', "Łukasz 王"]


def test_the_student_page_lists_every_submission_with_code_and_verdict(client, graded_course):
    world, *_ = graded_course
    client.force_login(world.teacher)
    page = client.get(reverse("courses:student-detail", args=[world.course.pk, world.student.pk])).content.decode()
    assert page.count('class="submission-item"') == 5
    assert "return np.abs(x)" in page and "Negative inputs came back positive" in page
    assert "large_magnitudes" in page and "late 1 day" in page


def test_quiz_items_count_attempts_made_in_the_window(world):
    quiz = make_quiz()
    now = timezone.now()
    assignment = make_assignment(
        world.course,
        [],
        title="Quiz week",
        opens_at=now - timedelta(days=4),
        due_at=now - timedelta(days=1, hours=12),
        items=[assignments.ItemSpec(points=20, quiz=quiz)],
    )
    existed_since(assignment, now - timedelta(days=10))  # made before the tries below
    for score, when in ((1.0, now - timedelta(days=5)), (0.5, now - timedelta(days=2)), (1.0, now)):
        quiz_try(world.student, quiz, score, at=when)
    cell = next(r for r in course_gradebook(course=world.course).rows if r.user == world.student).cells
    cell = next(c for c in cell if c.assignment == assignment)
    # before the opening: ignored; on time: 50 %; two started days late: 100 % - 20 % = 80 % (best)
    assert cell.points == 16.0 and cell.is_late and cell.items[f"quiz:{quiz.pk}"].attempts == 2


def test_a_quiz_try_made_before_the_assignment_existed_does_not_count(client, world):
    """A try from before the assignment was created used to count, though its window had opened."""
    quiz = make_quiz()
    now = timezone.now()
    earlier = quiz_try(world.student, quiz, 0.706, at=now - timedelta(hours=2))
    assignment = make_assignment(
        world.course, [world.exercise], title="Week 3", items=[assignments.ItemSpec(points=10, quiz=quiz)]
    )  # opened three days ago, created now
    assert assignment.opens_at < earlier.created_at < assignment.counts_from
    row = next(r for r in course_gradebook(course=world.course).rows if r.user == world.student)
    assert next(c for c in row.cells if c.assignment == assignment).points == 0.0
    later = quiz_try(world.student, quiz, 0.5)
    row = next(r for r in course_gradebook(course=world.course).rows if r.user == world.student)
    assert next(c for c in row.cells if c.assignment == assignment).points == 5.0
    # The student's page lists the try the points come from, and only that one.
    client.force_login(world.teacher)
    page = client.get(reverse("courses:student-detail", args=[world.course.pk, world.student.pk])).content.decode()
    assert f'id="quiz-try-{later.pk}"' in page and f'id="quiz-try-{earlier.pk}"' not in page
    assert "0 submissions · 1 quiz try" in page
