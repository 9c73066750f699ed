"""An instructor runs a course through the pages: create it, set an assignment, grant an extension."""

from datetime import timedelta

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse
from django.utils import timezone

from courses.models import Assignment, Course, Extension, Membership
from tests.platform.courses.fixtures import CORRECT, credit_of, submit

pytestmark = pytest.mark.django_db
FORMAT = "%Y-%m-%dT%H:%M"


def local(moment):
    return timezone.localtime(moment).strftime(FORMAT)


def test_instructor_creates_a_course_and_becomes_its_instructor(client, teacher):
    teacher.user_permissions.add(Permission.objects.get(codename="add_course"))
    client.force_login(teacher)
    response = client.post(reverse("courses:course-create"), {"title": "Neural nets, spring", "description": "Tue/Thu"})
    course = Course.objects.get()
    assert response["Location"] == reverse("courses:member-list", args=[course.pk])
    assert course.slug == "neural-nets-spring" and len(course.join_code) == 8
    assert Membership.objects.get(course=course).role == "instructor"
    page = client.get(response["Location"]).content.decode()
    assert course.join_code in page and "Enrol from a CSV" in page


def assignment_form(world, **overrides):
    now = timezone.now()
    data = {
        "title": "Week 2: clipping",
        "description": "",
        "opens_at": local(now - timedelta(days=1)),
        "due_at": local(now + timedelta(days=6)),
        "late_policy": "penalty",
        "late_penalty_percent": "20",
        "cutoff_at": "",
        "max_attempts": "5",
        "min_interval_s": "10",
        "score_policy": "last",
        f"exercise_{world.exercise.pk}": "on",
        f"exercise_{world.exercise.pk}_points": "25",
    }
    data.update(overrides)
    return data


def test_instructor_sets_an_assignment_with_its_policy(client, world):
    client.force_login(world.teacher)
    form = client.get(reverse("courses:assignment-create", args=[world.course.pk])).content.decode()
    assert 'type="datetime-local"' in form and f'name="exercise_{world.exercise.pk}"' in form
    response = client.post(reverse("courses:assignment-create", args=[world.course.pk]), assignment_form(world))
    assignment = Assignment.objects.get(title="Week 2: clipping")
    assert response["Location"] == reverse("courses:assignment-detail", args=[world.course.pk, assignment.pk])
    assert (assignment.late_penalty_per_day, assignment.max_attempts, assignment.min_interval_s) == (0.2, 5, 10)
    assert assignment.score_policy == "last"
    assert [(item.exercise.slug, item.points) for item in assignment.items.all()] == [("relu", 25.0)]
    page = client.get(response["Location"]).content.decode()
    assert "late: −20% per day" in page and "last attempt counts" in page and "5 attempts" in page


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"due_at": "2020-01-01T00:00"}, "The due date must come after the opening date."),
        ({"cutoff_at": "2020-01-01T00:00"}, "The cut-off cannot come before the due date."),
        ({"exercise_1": "", "exercise_1_points": ""}, "Choose at least one exercise or quiz."),
    ],
)
def test_a_bad_assignment_is_refused_with_the_reason(client, world, overrides, message):
    client.force_login(world.teacher)
    data = assignment_form(world)
    if "exercise_1" in overrides:
        data.pop(f"exercise_{world.exercise.pk}")
        overrides = {}
    data.update(overrides)
    response = client.post(reverse("courses:assignment-create", args=[world.course.pk]), data)
    assert response.status_code == 400 and message in response.content.decode()
    assert not Assignment.objects.filter(title="Week 2: clipping").exists()


def test_moving_the_due_date_judges_stored_submissions_again(client, world):
    submission = submit(world.student, world.exercise, CORRECT, world.assignment)
    assert not credit_of(submission, world.assignment).is_late
    client.force_login(world.teacher)
    now = timezone.now()
    data = assignment_form(
        world,
        title="Week 1",
        opens_at=local(now - timedelta(days=3)),
        due_at=local(now - timedelta(days=2) + timedelta(minutes=30)),
    )
    response = client.post(reverse("courses:assignment-update", args=[world.course.pk, world.assignment.pk]), data)
    assert response.status_code == 302
    credit = credit_of(submission, world.assignment)
    assert (credit.is_late, credit.late_days, credit.late_penalty) == (True, 2, 0.4)


def test_a_ta_grants_an_extension_from_the_assignment_page(client, world):
    client.force_login(world.ta)
    page = client.get(
        reverse("courses:assignment-detail", args=[world.course.pk, world.assignment.pk])
    ).content.decode()
    assert "Grant extension" in page and "Edit" not in page.split("<h1>")[1].split("</div>")[0]
    due = local(world.assignment.due_at + timedelta(days=2))
    client.post(
        reverse("courses:extension-grant", args=[world.course.pk, world.assignment.pk]),
        {"user": world.student.pk, "due_at": due, "reason": "flu"},
    )
    extension = Extension.objects.get()
    assert (extension.user, extension.reason, extension.granted_by) == (world.student, "flu", world.ta)
    client.force_login(world.student)
    page = client.get(
        reverse("courses:assignment-detail", args=[world.course.pk, world.assignment.pk])
    ).content.decode()
    assert "your extension" in page


def test_students_see_their_assignments_state_and_score(client, world, zygote):
    submit(world.student, world.exercise, CORRECT, world.assignment, zygote=zygote)
    client.force_login(world.student)
    page = client.get(reverse("courses:course-detail", args=[world.course.pk])).content.decode()
    assert "Week 1" in page and "10 / 10" in page and "open" in page
    page = client.get(
        reverse("courses:assignment-detail", args=[world.course.pk, world.assignment.pk])
    ).content.decode()
    assert "✓ solved" in page and f"?assignment={world.assignment.pk}" in page


def test_the_nav_links_courses_and_shows_the_dashboard_to_those_who_teach(client, world):
    client.force_login(world.student)
    page = client.get(reverse("courses:course-list")).content.decode()
    assert f'href="{reverse("courses:course-list")}"' in page and f'href="{reverse("dashboard:home")}"' not in page
    client.force_login(world.teacher)
    page = client.get(reverse("courses:course-list")).content.decode()
    assert f'href="{reverse("dashboard:home")}"' in page
    assert client.get(reverse("dashboard:home"))["Location"] == reverse("dashboard:course", args=[world.course.pk])
