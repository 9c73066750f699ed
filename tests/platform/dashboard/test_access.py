"""Dashboards are for the course's staff: 404 outside the course, 403 for its students."""

import pytest
from django.urls import reverse

from tests.platform.courses.fixtures import CORRECT, submit

pytestmark = pytest.mark.django_db

PERSONAS = ("student", "other_student", "other_teacher", "ta", "teacher")
EXPECTED = (403, 404, 404, 200, 200)


@pytest.mark.parametrize("htmx", [False, True], ids=["page", "refresh"])
@pytest.mark.parametrize("scope", ["course", "assignment"])
@pytest.mark.parametrize("persona", PERSONAS)
def test_dashboard_views_for_every_persona(client, world, zygote, persona, scope, htmx):
    submit(world.student, world.exercise, CORRECT, world.assignment, zygote=zygote)
    args = [world.course.pk] if scope == "course" else [world.course.pk, world.assignment.pk]
    client.force_login(getattr(world, persona))
    headers = {"HTTP_HX_REQUEST": "true"} if htmx else {}
    response = client.get(reverse(f"dashboard:{scope}", args=args), **headers)
    assert response.status_code == EXPECTED[PERSONAS.index(persona)]
    if response.status_code == 200:
        assert "student" in response.content.decode()


def test_dashboards_need_sign_in(client, world):
    for url in (
        reverse("dashboard:home"),
        reverse("dashboard:course", args=[world.course.pk]),
        reverse("dashboard:assignment", args=[world.course.pk, world.assignment.pk]),
    ):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_the_dashboard_home_lists_only_courses_one_teaches(client, world):
    client.force_login(world.student)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "You do not teach a course yet." in page and "Deep learning 101" not in page
    client.force_login(world.other_teacher)
    assert client.get(reverse("dashboard:home"))["Location"] == reverse(
        "dashboard:course", args=[world.other_course.pk]
    )
