"""Joining by link or code: sign in first if needed, one button joins, domains and the on/off switch hold."""

from __future__ import annotations

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from courses.models import Membership

pytestmark = pytest.mark.django_db


def test_a_stranger_on_the_join_link_is_sent_to_sign_up_and_back(client, world):
    url = reverse("courses:course-join-link", args=[world.course.join_code])
    page = client.get(url).content.decode()
    assert "Deep learning 101" in page
    assert f"{reverse('account_signup')}?next=" in page and f"{reverse('account_login')}?next=" in page


def test_a_signed_in_student_joins_with_one_button_and_a_get_joins_nobody(client, world, other_student):
    client.force_login(other_student)
    url = reverse("courses:course-join-link", args=[world.course.join_code.lower()])
    assert client.get(url).status_code == 200
    assert not Membership.objects.filter(course=world.course, user=other_student).exists()
    joined = client.post(reverse("courses:course-join"), {"code": world.course.join_code})
    assert joined["Location"] == reverse("courses:course-detail", args=[world.course.pk])
    assert client.get(url)["Location"] == joined["Location"]  # a member goes straight in


def test_an_unknown_code_says_so(client):
    assert "No course has this join code" in client.get("/courses/join/NOPE1234/").content.decode()


def test_joining_can_be_limited_to_verified_addresses_at_a_domain(client, world, other_student):
    client.force_login(world.teacher)
    policy = reverse("courses:course-join-code", args=[world.course.pk])
    client.post(policy, {"action": "policy", "join_open": "on", "email_domains": "@Uni.example  cs.uni.example"})
    world.course.refresh_from_db()
    assert world.course.join_email_domains == "uni.example cs.uni.example"
    client.post(policy, {"action": "policy", "join_open": "on", "email_domains": "not a domain!"})
    world.course.refresh_from_db()
    assert world.course.join_email_domains == "uni.example cs.uni.example"  # a bad value changes nothing

    client.force_login(other_student)
    other_student.email = "o@uni.example"
    other_student.save()
    address = EmailAddress.objects.create(user=other_student, email="o@uni.example", verified=False, primary=True)
    refused = client.post(reverse("courses:course-join"), {"code": world.course.join_code}, follow=True)
    assert "verified address at @uni.example" in refused.content.decode()
    assert not Membership.objects.filter(course=world.course, user=other_student).exists()
    address.verified = True
    address.save()
    client.post(reverse("courses:course-join"), {"code": world.course.join_code})
    assert Membership.objects.filter(course=world.course, user=other_student, role="student").exists()


def test_self_enrolment_can_be_turned_off(client, world, other_student):
    client.force_login(world.teacher)
    client.post(reverse("courses:course-join-code", args=[world.course.pk]), {"action": "policy", "email_domains": ""})
    client.force_login(other_student)
    refused = client.post(reverse("courses:course-join"), {"code": world.course.join_code}, follow=True)
    assert "not accepting students by join code" in refused.content.decode()
