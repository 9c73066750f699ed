"""Every course view for a student, a student of another course, an instructor of another course, a TA and the instructor.

Non-members get 404 (a course they are not in does not exist for them); members without the role get 403.
"""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils.html import escape

from courses import assignments
from courses.models import Regrade
from courses.regrades import services as regrade_services
from tests.platform.courses.fixtures import CORRECT, WRONG_ABS, submit

pytestmark = pytest.mark.django_db

PERSONAS = ("student", "other_student", "other_teacher", "ta", "teacher")
# expected status for: student, other_student, other_teacher, ta, teacher
MEMBERS = (200, 404, 404, 200, 200)
STAFF = (403, 404, 404, 200, 200)
STAFF_ACTION = (403, 404, 404, 302, 302)
INSTRUCTOR = (403, 404, 404, 403, 200)
INSTRUCTOR_ACTION = (403, 404, 404, 403, 302)


@pytest.fixture
def objects(world, zygote, django_capture_on_commit_callbacks):
    submission = submit(world.student, world.exercise, WRONG_ABS, world.assignment, zygote=zygote)
    submit(world.student, world.exercise, CORRECT, world.assignment, zygote=zygote)
    extension = assignments.extension_grant(
        assignment=world.assignment,
        user=world.student,
        due_at=world.assignment.due_at + timedelta(days=1),
        granted_by=world.teacher,
    )
    with django_capture_on_commit_callbacks():
        regrade = regrade_services.regrade_preview(
            course=world.course, exercise=world.exercise, requested_by=world.teacher
        )
    return {"submission": submission, "extension": extension, "regrade": regrade}


def c(world):
    return world.course.pk


VIEWS = [
    ("course-detail", "get", lambda w, o: reverse("courses:course-detail", args=[c(w)]), MEMBERS),
    ("join-code", "post", lambda w, o: reverse("courses:course-join-code", args=[c(w)]), INSTRUCTOR_ACTION),
    ("member-list", "get", lambda w, o: reverse("courses:member-list", args=[c(w)]), STAFF),
    ("member-enrol", "post", lambda w, o: reverse("courses:member-enrol", args=[c(w)]), (403, 404, 404, 403, 400)),
    (
        "member-remove",
        "post",
        lambda w, o: reverse("courses:member-remove", args=[c(w), w.course.memberships.get(user=w.ta).pk]),
        INSTRUCTOR_ACTION,
    ),
    ("assignment-create", "get", lambda w, o: reverse("courses:assignment-create", args=[c(w)]), INSTRUCTOR),
    (
        "assignment-create-post",
        "post",
        lambda w, o: reverse("courses:assignment-create", args=[c(w)]),
        (403, 404, 404, 403, 400),
    ),
    (
        "assignment-detail",
        "get",
        lambda w, o: reverse("courses:assignment-detail", args=[c(w), w.assignment.pk]),
        MEMBERS,
    ),
    (
        "assignment-update",
        "get",
        lambda w, o: reverse("courses:assignment-update", args=[c(w), w.assignment.pk]),
        INSTRUCTOR,
    ),
    (
        "assignment-banner",
        "get",
        lambda w, o: reverse("courses:assignment-banner", args=[c(w), w.assignment.pk, "relu"]),
        MEMBERS,
    ),
    (
        "extension-grant",
        "post",
        lambda w, o: reverse("courses:extension-grant", args=[c(w), w.assignment.pk]),
        STAFF_ACTION,
    ),
    (
        "extension-revoke",
        "post",
        lambda w, o: reverse("courses:extension-revoke", args=[c(w), w.assignment.pk, o["extension"].pk]),
        STAFF_ACTION,
    ),
    ("gradebook", "get", lambda w, o: reverse("courses:gradebook", args=[c(w)]), STAFF),
    ("gradebook-csv", "get", lambda w, o: reverse("courses:gradebook-csv", args=[c(w)]), STAFF),
    ("student-detail-own", "get", lambda w, o: reverse("courses:student-detail", args=[c(w), w.student.pk]), MEMBERS),
    (
        "student-detail-ta",
        "get",
        lambda w, o: reverse("courses:student-detail", args=[c(w), w.ta.pk]),
        (404, 404, 404, 200, 200),
    ),
    ("regrade-list", "get", lambda w, o: reverse("courses:regrade-list", args=[c(w)]), INSTRUCTOR),
    ("regrade-create", "post", lambda w, o: reverse("courses:regrade-create", args=[c(w)]), INSTRUCTOR_ACTION),
    ("regrade-detail", "get", lambda w, o: reverse("courses:regrade-detail", args=[c(w), o["regrade"].pk]), INSTRUCTOR),
    (
        "regrade-progress",
        "get",
        lambda w, o: reverse("courses:regrade-progress", args=[c(w), o["regrade"].pk]),
        INSTRUCTOR,
    ),
    (
        "regrade-apply",
        "post",
        lambda w, o: reverse("courses:regrade-apply", args=[c(w), o["regrade"].pk]),
        INSTRUCTOR_ACTION,
    ),
    (
        "regrade-resume",
        "post",
        lambda w, o: reverse("courses:regrade-resume", args=[c(w), o["regrade"].pk]),
        INSTRUCTOR_ACTION,
    ),
    (
        "regrade-discard",
        "post",
        lambda w, o: reverse("courses:regrade-discard", args=[c(w), o["regrade"].pk]),
        INSTRUCTOR_ACTION,
    ),
    (
        "regrade-rollback",
        "post",
        lambda w, o: reverse("courses:regrade-rollback", args=[c(w), o["regrade"].pk]),
        INSTRUCTOR_ACTION,
    ),
    ("submission-detail", "get", lambda w, o: reverse("submissions:detail", args=[o["submission"].pk]), MEMBERS),
    ("submission-panel", "get", lambda w, o: reverse("submissions:panel", args=[o["submission"].pk]), MEMBERS),
    (
        "exercise-for-assignment",
        "get",
        lambda w, o: reverse("exercises:detail", args=["relu"]) + f"?assignment={w.assignment.pk}",
        MEMBERS,
    ),
]


@pytest.mark.parametrize("name,method,url,expected", VIEWS, ids=[v[0] for v in VIEWS])
@pytest.mark.parametrize("persona", PERSONAS)
def test_every_view_for_every_persona(client, world, objects, persona, name, method, url, expected):
    client.force_login(getattr(world, persona))
    response = getattr(client, method)(url(world, objects))
    assert response.status_code == expected[PERSONAS.index(persona)], (persona, name, response.status_code)


@pytest.mark.parametrize("name,method,url,expected", VIEWS, ids=[v[0] for v in VIEWS])
def test_every_view_needs_sign_in(client, world, objects, name, method, url, expected):
    response = getattr(client, method)(url(world, objects))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_hidden_case_details_only_for_the_course_staff(client, world, objects):
    hidden = next(case for case in objects["submission"].verdict["cases"] if case["hidden"] and case["message"])
    explanation = escape(hidden["details"]["explanation"])  # the full story: course staff only
    url = reverse("submissions:detail", args=[objects["submission"].pk])
    for persona, sees in (("student", False), ("ta", True), ("teacher", True)):
        client.force_login(getattr(world, persona))
        page = client.get(url).content.decode()
        assert hidden["message"] in page  # everyone reads the platform's own sentence
        assert (explanation in page) is sees, persona
    client.force_login(world.student)
    own = client.get(reverse("courses:student-detail", args=[c(world), world.student.pk])).content.decode()
    assert hidden["name"] in own and explanation not in own
    client.force_login(world.teacher)
    staff = client.get(reverse("courses:student-detail", args=[c(world), world.student.pk])).content.decode()
    assert explanation in staff


def test_ids_of_another_course_do_not_leak_through_this_courses_urls(
    client, world, objects, zygote, django_capture_on_commit_callbacks
):
    from tests.platform.courses.fixtures import make_assignment

    other_assignment = make_assignment(world.other_course, [world.exercise])
    submit(world.other_student, world.exercise, CORRECT, other_assignment, zygote=zygote)
    with django_capture_on_commit_callbacks():
        other_regrade = regrade_services.regrade_preview(
            course=world.other_course, exercise=world.exercise, requested_by=world.other_teacher
        )
    client.force_login(world.teacher)
    for url in (
        reverse("courses:assignment-detail", args=[c(world), other_assignment.pk]),
        reverse("dashboard:assignment", args=[c(world), other_assignment.pk]),
        reverse("courses:student-detail", args=[c(world), world.other_student.pk]),
        reverse("courses:regrade-detail", args=[c(world), other_regrade.pk]),
    ):
        assert client.get(url).status_code == 404, url
    assert client.post(reverse("courses:regrade-apply", args=[c(world), other_regrade.pk])).status_code == 404
    assert Regrade.objects.get(pk=other_regrade.pk).status == "preview"


def test_students_see_only_their_own_scores(client, world, objects, django_user_model):
    from courses.models import Membership

    classmate = django_user_model.objects.create_user(username="classmate")
    Membership.objects.create(course=world.course, user=classmate)
    client.force_login(classmate)
    assert client.get(reverse("courses:student-detail", args=[c(world), world.student.pk])).status_code == 404
    assert client.get(reverse("submissions:detail", args=[objects["submission"].pk])).status_code == 404
    page = client.get(reverse("courses:course-detail", args=[c(world)])).content.decode()
    assert "not started" in page and "10 / 10" not in page


def test_only_platform_operators_or_permitted_users_create_courses(client, world, django_user_model):
    from django.contrib.auth.models import Permission

    client.force_login(world.teacher)
    assert client.get(reverse("courses:course-create")).status_code == 403
    world.teacher.user_permissions.add(Permission.objects.get(codename="add_course"))
    assert client.get(reverse("courses:course-create")).status_code == 200
    operator = django_user_model.objects.create_user(username="operator", is_staff=True)
    client.force_login(operator)
    assert client.get(reverse("courses:course-create")).status_code == 200
    # An operator is not a member: course pages stay closed to them (they use the admin).
    assert client.get(reverse("courses:gradebook", args=[c(world)])).status_code == 404


def test_the_course_list_shows_only_ones_own_courses(client, world):
    client.force_login(world.other_student)
    page = client.get(reverse("courses:course-list")).content.decode()
    assert "Another course" in page and "Deep learning 101" not in page
    client.force_login(world.teacher)
    page = client.get(reverse("courses:course-list")).content.decode()
    assert "Deep learning 101" in page and "Another course" not in page and "Courses you teach" in page
