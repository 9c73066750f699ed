"""Roster invitations: accounts made for new emails, one-time links mailed by a real worker through real SMTP."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.core.cache import cache
from django.urls import reverse

from accounts.models import Profile
from courses import enrolment
from courses.models import Invitation, Membership

PASSWORD = "a-long-Passphrase-42"
ROSTER = (
    b"email,name,role\nann@uni.example,Ann Lee,student\nben@uni.example,Ben Okafor,\ncai@uni.example,Cai Wen,student\n"
)


@pytest.fixture(autouse=True)
def _fresh_cache():
    cache.clear()
    yield
    cache.clear()


def path_of(url: str) -> str:
    return "/" + url.split("://", 1)[1].split("/", 1)[1]


def roles(course):
    return dict(Membership.objects.filter(course=course).values_list("user__email", "role"))


@pytest.mark.django_db
def test_a_roster_of_new_emails_makes_accounts_and_invitations_once(world, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks() as sends:
        report = enrolment.membership_enrol_csv(course=world.course, data=ROSTER, invited_by=world.teacher)
    assert [email for _, email, _ in report.invited] == ["ann@uni.example", "ben@uni.example", "cai@uni.example"]
    assert len(sends) == 1  # one task message for the batch, sent after the commit
    ann = get_user_model().objects.get(email="ann@uni.example")
    assert (ann.username, ann.get_full_name(), ann.has_usable_password()) == ("ann", "Ann Lee", False)
    assert not EmailAddress.objects.get(user=ann).verified
    assert roles(world.course)["ann@uni.example"] == "student"
    assert Invitation.objects.filter(course=world.course, state="pending").count() == 3

    with django_capture_on_commit_callbacks() as sends:
        again = enrolment.membership_enrol_csv(course=world.course, data=ROSTER, invited_by=world.teacher)
    assert not again.invited and not again.enrolled and not again.errors and len(again.unchanged) == 3
    assert (
        sends == []
        and Invitation.objects.count() == 3
        and get_user_model().objects.filter(email__endswith="@uni.example").count() == 3
    )


@pytest.mark.django_db
def test_bad_rows_are_listed_and_create_nothing(world):
    data = (
        b"email,role\n"
        b"dan@uni.example,student\n"
        b"DAN@uni.example,student\n"
        b"not-an-email@,student\n"
        b"eve@uni.example,professor\n"
        b"teacher@example.edu,student\n"
    )
    report = enrolment.membership_enrol_csv(course=world.course, data=data, invited_by=world.teacher)
    reasons = {problem.line: problem.reason for problem in report.errors}
    assert reasons == {
        3: "DAN@uni.example is already on line 2",
        4: "“not-an-email@” is not a valid email address",
        5: "unknown role “professor” (use student, ta or instructor)",
        6: "teacher is already in the course as Instructor; change a role on the members page",
    }
    assert [email for _, email, _ in report.invited] == ["dan@uni.example"]
    assert not get_user_model().objects.filter(email__in=["eve@uni.example", "not-an-email@"]).exists()
    assert roles(world.course)["teacher@example.edu"] == "instructor"


@pytest.mark.django_db
def test_add_a_ta_by_email_existing_account_or_new(client, world, other_teacher, django_capture_on_commit_callbacks):
    client.force_login(world.teacher)
    url = reverse("courses:member-invite", args=[world.course.pk])
    assert client.post(url, {"email": "other_teacher@example.edu", "role": "instructor"}).status_code == 200
    with django_capture_on_commit_callbacks():
        assert client.post(url, {"email": "new.ta@uni.example", "role": "ta"}).status_code == 200
    assert roles(world.course)["other_teacher@example.edu"] == "instructor"
    assert Invitation.objects.get(email="new.ta@uni.example").role == "ta"
    client.force_login(world.ta)  # a TA cannot add people
    assert client.post(url, {"email": "x@uni.example", "role": "ta"}).status_code == 403


@pytest.mark.django_db(transaction=True)
def test_the_worker_mails_links_that_work_once_and_resend_and_revoke(client, smtp, grading_worker, world):
    Profile.objects.create(user=world.teacher, language="zh-hans")  # invitees get the inviter's language
    enrolment.membership_enrol_csv(course=world.course, data=ROSTER, invited_by=world.teacher)
    ann_mail = smtp.wait_for("ann@uni.example")[0]
    assert "Deep learning 101" in ann_mail.subject and "邀请" in ann_mail.subject + ann_mail.body
    smtp.wait_for("ben@uni.example")
    smtp.wait_for("cai@uni.example")
    link = path_of(ann_mail.link("/courses/invitations/"))

    page = client.get(link)
    assert page.status_code == 200 and "<code>ann</code>" in page.content.decode()
    mismatch = client.post(link, {"password1": PASSWORD, "password2": PASSWORD + "x"})
    assert mismatch.status_code == 400 and "differ" in mismatch.content.decode()
    accepted = client.post(link, {"password1": PASSWORD, "password2": PASSWORD})
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("courses:course-detail", args=[world.course.pk])
    assert client.get(accepted["Location"]).status_code == 200  # signed in, in the course
    ann = get_user_model().objects.get(email="ann@uni.example")
    assert ann.check_password(PASSWORD) and EmailAddress.objects.get(user=ann).verified
    assert Invitation.objects.get(user=ann).state == "accepted"

    client.post(reverse("logout"))
    reused = client.get(link)
    assert reused.status_code == 404 and "no longer valid" in reused.content.decode()
    assert client.post(reverse("login"), {"login": "ann@uni.example", "password": PASSWORD}).status_code == 302
    client.post(reverse("logout"))

    # Resend: a new link; the first stops working. Revoke: the link dies and Cai leaves the course.
    client.force_login(world.teacher)
    ben = Invitation.objects.get(email="ben@uni.example")
    first_link = path_of(smtp.to("ben@uni.example")[0].link("/courses/invitations/"))
    client.post(reverse("courses:invitation-resend", args=[world.course.pk, ben.pk]))
    second_link = path_of(smtp.wait_for("ben@uni.example", count=2)[1].link("/courses/invitations/"))
    assert first_link != second_link
    client.cookies["django_language"] = "en"  # Ann's sign-in chose her (the inviter's) Chinese
    members = client.get(reverse("courses:member-list", args=[world.course.pk])).content.decode()
    assert "ann@uni.example" in members and "Accepted" in members and "Invited" in members
    cai = Invitation.objects.get(email="cai@uni.example")
    cai_link = path_of(smtp.to("cai@uni.example")[0].link("/courses/invitations/"))
    client.post(reverse("courses:invitation-revoke", args=[world.course.pk, cai.pk]))
    client.post(reverse("logout"))
    assert client.get(first_link).status_code == 404
    assert client.get(second_link).status_code == 200
    assert client.get(cai_link).status_code == 404
    assert "cai@uni.example" not in roles(world.course)


@pytest.mark.django_db
def test_a_forged_invitation_link_says_it_is_not_valid(client):
    page = client.get(reverse("courses:invitation-accept", args=["forged-token"]))
    assert page.status_code == 404 and "no longer valid" in page.content.decode()


@pytest.mark.django_db
def test_an_expired_invitation_link_is_refused_and_resends_are_rate_limited(
    client, world, mailoutbox, settings, django_capture_on_commit_callbacks
):
    from datetime import timedelta

    from courses import invitations

    enrolment.membership_enrol_csv(course=world.course, data=b"email\nzoe@uni.example\n", invited_by=world.teacher)
    invitation = Invitation.objects.get(email="zoe@uni.example")
    invitations.invitation_send(invitation_id=invitation.pk)
    invitations.invitation_send(invitation_id=invitation.pk)  # a redelivered message sends nothing more
    assert len(mailoutbox) == 1
    invitation.refresh_from_db()
    link = path_of(re.search(r"https?://\S+/courses/invitations/\S+/", mailoutbox[0].body).group(0))
    assert client.get(link).status_code == 200
    Invitation.objects.filter(pk=invitation.pk).update(
        sent_at=invitation.sent_at - timedelta(days=settings.INVITATION_DAYS + 1)
    )
    assert client.get(link).status_code == 404

    settings.INVITATION_RATE = "1/3600"
    client.force_login(world.teacher)
    resend = reverse("courses:invitation-resend", args=[world.course.pk, invitation.pk])
    with django_capture_on_commit_callbacks():
        client.post(resend)
    refused = client.post(resend, follow=True).content.decode()
    assert "Too many invitations" in refused


@pytest.mark.django_db(transaction=True)
def test_when_the_mail_server_is_down_the_members_page_says_sending_failed(client, monkeypatch, request, world):
    import time

    from tests.mailbox import free_port

    monkeypatch.setenv("EMAIL_URL", f"smtp://127.0.0.1:{free_port()}")  # nothing listens there
    worker = request.getfixturevalue("grading_worker")
    enrolment.membership_enrol_csv(course=world.course, data=b"email\nyan@uni.example\n", invited_by=world.teacher)
    deadline = time.monotonic() + 60
    while not Invitation.objects.get(email="yan@uni.example").send_error:
        assert time.monotonic() < deadline, worker.log()
        time.sleep(0.2)
    invitation = Invitation.objects.get(email="yan@uni.example")
    assert (
        invitation.state == "pending" and invitation.sent_at is None and "Connection refused" in invitation.send_error
    )
    client.force_login(world.teacher)
    page = client.get(reverse("courses:member-list", args=[world.course.pk])).content.decode()
    assert "sending failed" in page
