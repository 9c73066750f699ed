"""Enrolment by an uploaded CSV (good rows in, bad rows listed with why) and by join code."""

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from courses import enrolment, services
from courses.models import Membership
from tests.platform.courses.fixtures import make_user

pytestmark = pytest.mark.django_db


@pytest.fixture
def roster(django_user_model):
    users = {name: make_user(django_user_model, name) for name in ("alice", "bob", "carol", "dave")}
    make_user(django_user_model, "twin1", email="twin@example.edu")
    make_user(django_user_model, "twin2", email="twin@example.edu")
    make_user(django_user_model, "gone", is_active=False)
    return users


def enrolled(course):
    return dict(Membership.objects.filter(course=course).values_list("user__username", "role"))


def test_good_rows_are_enrolled_and_bad_rows_listed_with_the_reason(world, roster):
    data = (
        "\ufeffUsername,Email,Role\r\n"
        "alice,,\r\n"
        ",bob@example.edu,student\r\n"
        "carol,,TA\r\n"
        "nobody,,\r\n"
        ",twin@example.edu,\r\n"
        "dave,alice@example.edu,\r\n"
        "alice,,\r\n"
        "gone,,\r\n"
        ",,\r\n"
        "dave,,professor\r\n"
        "student,,\r\n"
    ).encode()
    report = enrolment.membership_enrol_csv(course=world.course, data=data)
    assert report.ok
    assert [(line, user) for line, user, _ in report.enrolled] == [(2, "alice"), (3, "bob"), (4, "carol")]
    reasons = {problem.line: problem.reason for problem in report.errors}
    assert reasons == {
        5: "no account with the username “nobody”",
        6: "several accounts share the email “twin@example.edu”; give the username instead",
        7: "the username “dave” and the email “alice@example.edu” belong to different accounts",
        8: "alice is already on line 2",
        9: "the account “gone” is deactivated",
        11: "unknown role “professor” (use student, ta or instructor)",
    }
    assert [(line, user, why) for line, user, why in report.unchanged] == [(12, "student", "already enrolled")]
    roles = enrolled(world.course)
    assert roles["alice"] == roles["bob"] == "student" and roles["carol"] == "ta"
    assert "nobody" not in roles and "dave" not in roles


def test_a_headerless_list_and_semicolons_work(world, roster):
    report = enrolment.membership_enrol_csv(course=world.course, data=b"alice\ncarol@example.edu\n")
    assert [user for _, user, _ in report.enrolled] == ["alice", "carol"]
    report = enrolment.membership_enrol_csv(course=world.course, data=b"email;role\ndave@example.edu;student\n")
    assert [user for _, user, _ in report.enrolled] == ["dave"]


@pytest.mark.parametrize(
    "data,message",
    [
        (b"name,surname\nAlice,A\n", "The header needs a “username” or an “email” column (found “name”, “surname”)."),
        ("username\nalice\n".encode("utf-16"), "The file is not UTF-8 text"),
        (b"", "The file has no rows."),
    ],
)
def test_an_unusable_file_enrols_nobody_and_says_why(world, roster, data, message):
    report = enrolment.membership_enrol_csv(course=world.course, data=data)
    assert message in report.file_error and not report.enrolled
    assert set(enrolled(world.course)) == {"teacher", "student", "assistant"}


def test_the_members_page_shows_the_report(client, world, roster):
    client.force_login(world.teacher)
    upload = SimpleUploadedFile("class.csv", b"username\nalice\nnobody\n", content_type="text/csv")
    page = client.post(reverse("courses:member-enrol", args=[world.course.pk]), {"file": upload}).content.decode()
    assert "1 student enrolled" in page and "1 row not enrolled" in page
    assert "no account with the username “nobody”" in page
    assert "alice" in enrolled(world.course)


def test_a_student_can_join_with_the_code_and_a_wrong_code_is_refused(world, roster):
    alice = roster["alice"]
    membership, created = services.membership_join(user=alice, code=f"  {world.course.join_code.lower()} ")
    assert created and membership.role == "student" and membership.course == world.course
    assert services.membership_join(user=alice, code=world.course.join_code)[1] is False
    with pytest.raises(ValidationError, match="No course has this join code"):
        services.membership_join(user=roster["bob"], code="NOPE1234")
    old_code = world.course.join_code
    services.course_join_code_reset(course=world.course, join_open=False)
    with pytest.raises(ValidationError, match="No course has this join code"):
        services.membership_join(user=roster["bob"], code=old_code)
    with pytest.raises(ValidationError, match="not accepting students by join code"):
        services.membership_join(user=roster["bob"], code=world.course.join_code)


def test_join_view_enrols_and_redirects_to_the_course(client, world, roster):
    client.force_login(roster["bob"])
    response = client.post(reverse("courses:course-join"), {"code": world.course.join_code})
    assert response.status_code == 302 and response["Location"] == reverse(
        "courses:course-detail", args=[world.course.pk]
    )
    response = client.post(reverse("courses:course-join"), {"code": "WRONG"}, follow=True)
    assert "No course has this join code" in response.content.decode()


def test_a_student_can_be_in_several_courses(world, roster):
    for course in (world.course, world.other_course):
        services.membership_join(user=roster["alice"], code=course.join_code)
    assert Membership.objects.filter(user=roster["alice"]).count() == 2


def test_the_last_instructor_cannot_be_removed(world):
    membership = Membership.objects.get(course=world.course, user=world.teacher)
    with pytest.raises(ValidationError, match="at least one instructor"):
        services.membership_remove(membership=membership)


def test_a_file_over_the_size_limit_is_refused_unread(client, world):
    client.force_login(world.teacher)
    big = SimpleUploadedFile("big.csv", b"username\n" + b"x" * (enrolment.MAX_CSV_BYTES + 10), content_type="text/csv")
    response = client.post(reverse("courses:member-enrol", args=[world.course.pk]), {"file": big})
    assert response.status_code == 400 and "upload the class in parts" in response.content.decode()
