"""The instructor dashboard: completion, scores, pass rates, failing cases, mistakes, activity, who is stuck."""

import json

import pytest
from django.urls import reverse

from catalog.models import Exercise
from courses import services
from courses.models import Membership
from dashboard.selectors import assignment_dashboard, course_dashboard
from tests.conftest import sync_only
from tests.platform.courses.fixtures import CORRECT, WRONG_ABS, make_assignment, submit

pytestmark = pytest.mark.django_db
# The derivative instead of the sigmoid, written without overflow warnings.
DERIVATIVE = "import numpy as np\n\ndef sigmoid(z):\n    s = 0.5 * (1 + np.tanh(0.5 * z))\n    return s * (1 - s)\n"


@pytest.fixture
def busy_course(world, zygote, tmp_path, django_user_model):
    sync_only(tmp_path, "relu", "sigmoid")
    sigmoid = Exercise.objects.get(slug="sigmoid")
    people = {"student": world.student}
    for name in ("ann", "ben", "idle", "stuck"):
        people[name] = django_user_model.objects.create_user(username=name)
        Membership.objects.create(course=world.course, user=people[name])
    relu, a1 = world.exercise, world.assignment
    submit(people["student"], relu, WRONG_ABS, a1, zygote=zygote)
    submit(people["student"], relu, CORRECT, a1, zygote=zygote)
    submit(people["ann"], relu, WRONG_ABS, a1, zygote=zygote)
    submit(people["ben"], relu, CORRECT, a1, zygote=zygote)
    for _ in range(5):
        submit(people["stuck"], relu, WRONG_ABS, a1, zygote=zygote)
    # Week 2 (relu and sigmoid) is set after those: relu work made before it existed does not count there.
    week2 = make_assignment(world.course, [world.exercise, sigmoid], title="Week 2")
    submit(people["student"], sigmoid, DERIVATIVE, week2, zygote=zygote)
    submit(world.teacher, relu, WRONG_ABS, a1, zygote=zygote)  # staff trying it out: not counted
    return world, people, week2


def test_course_aggregates(busy_course):
    world, people, week2 = busy_course
    board = course_dashboard(course=world.course)
    assert (board.students, board.started, board.submissions) == (5, 4, 10)
    assert [u.username for u in board.not_started] == ["idle"]
    completion = {a.title: (done, going, idle) for a, done, going, idle in board.completion}
    assert completion == {"Week 1": (4, 0, 1), "Week 2": (0, 1, 4)}

    rates = {r.slug: r for r in board.pass_rates}
    assert (rates["relu"].students_tried, rates["relu"].students_solved, rates["relu"].solved_rate) == (4, 2, 0.5)
    assert (rates["relu"].submissions, rates["relu"].submissions_full) == (9, 2)
    assert (rates["sigmoid"].students_tried, rates["sigmoid"].solved_rate) == (1, 0.0)

    top = board.failing_cases[0]
    assert top.slug == "relu" and top.fails == 7 and top.graded == 9 and top.students == 3
    assert any(c.hidden for c in board.failing_cases)  # staff see the hidden cases too

    mistakes = {(m.slug, m.key): m for m in board.mistakes}
    assert (mistakes[("relu", "absolute_value")].submissions, mistakes[("relu", "absolute_value")].students) == (7, 3)
    assert ("sigmoid", "derivative_instead") in mistakes
    assert board.mistakes[0].key == "absolute_value"  # the most frequent first

    assert [(s.user.username, s.slug, s.attempts) for s in board.stuck] == [("stuck", "relu", 5)]
    assert sum(full + other for _, full, other in board.timeline) == 10
    assert sum(full for _, full, _ in board.timeline) == 2
    assert sum(board.score_bins) == 4


def test_assignment_aggregates_are_scoped_to_it(busy_course):
    world, people, week2 = busy_course
    board = assignment_dashboard(course=world.course, assignment=week2)
    assert board.submissions == 1 and board.started == 1 and len(board.not_started) == 4
    assert [(m.slug, m.key) for m in board.mistakes] == [("sigmoid", "derivative_instead")]
    assert {r.slug for r in board.pass_rates} == {"relu", "sigmoid"}
    assert board.stuck == []


def test_the_dashboard_page_draws_real_charts_with_titles_and_axes(client, busy_course):
    world, *_ = busy_course
    client.force_login(world.teacher)
    response = client.get(reverse("dashboard:course", args=[world.course.pk]))
    page = response.content.decode()
    assert "vendor/chart.js/chart.umd.js" in page and "dashboard/charts.js" in page
    for chart in ("completion", "scores", "timeline", "pass_rates", "failing_cases", "mistakes"):
        assert f'data-chart="{chart}"' in page
    data = json.loads(page.split('<script id="chart-data" type="application/json">')[1].split("</script>")[0])
    assert data["titles"]["pass_rates"] == "Pass rate per exercise" and data["titles"]["scores_x"]
    assert data["pass_rates"]["labels"] == ["sigmoid", "relu"] and data["pass_rates"]["solved"] == [0.0, 50.0]
    assert data["mistakes"]["labels"][0] == "relu · absolute_value" and data["mistakes"]["counts"][0] == 7
    assert data["completion"]["not_started"] == [1, 4]
    assert "Negative inputs came back positive" in page  # the detector's message, for people
    assert 'hx-trigger="every 15s"' in page  # it fills in as students submit
    partial = client.get(reverse("dashboard:course", args=[world.course.pk]), HTTP_HX_REQUEST="true").content.decode()
    assert partial.lstrip().startswith('<div id="dashboard-body"') and "<html" not in partial


def test_an_empty_course_says_the_charts_fill_in_later(client, world):
    client.force_login(world.teacher)
    page = client.get(reverse("dashboard:course", args=[world.course.pk])).content.decode()
    assert "No data yet: it fills in as students submit." in page
    assert "Nobody is stuck." in page


def test_the_dashboard_fills_as_students_submit(client, world, zygote):
    client.force_login(world.teacher)
    url = reverse("dashboard:assignment", args=[world.course.pk, world.assignment.pk])
    assert 'id="stat-submissions">0<' in client.get(url).content.decode()
    submit(world.student, world.exercise, CORRECT, world.assignment, zygote=zygote)
    page = client.get(url, HTTP_HX_REQUEST="true").content.decode()
    assert 'id="stat-submissions">1<' in page and 'id="stat-started">1<' in page


def test_operators_with_several_courses_get_a_list(client, world, django_user_model):
    services.course_create(title="Second", created_by=world.teacher)
    client.force_login(world.teacher)
    page = client.get(reverse("dashboard:home")).content.decode()
    assert "Deep learning 101" in page and "Second" in page and "Another course" not in page
