"""Who is told that something waits: never an account that has been switched off."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail

from tests.support.factories import MemorialFactory, UserFactory
from tests.support.posting import post_tribute, run_due_tasks

pytestmark = pytest.mark.django_db

NOON = dt.datetime(2026, 10, 15, 12, 0, tzinfo=dt.UTC)


def notified_after_a_visitor_posts(client, memorial, capture) -> list[str]:
    with time_machine.travel(NOON, tick=False), capture(execute=True):
        assert post_tribute(client, memorial).status_code == 302
        run_due_tasks()
    return sorted(m.to[0] for m in mail.outbox if "to read on the memorial" in m.subject)


def test_a_deactivated_owner_is_not_told_and_the_other_owner_is(
    client, django_capture_on_commit_callbacks
):
    mum = UserFactory(email="mum@example.org")
    dad = UserFactory(email="dad@example.org", is_active=False)
    memorial = MemorialFactory(slug="family", family_moderates=True, owners=[mum, dad])
    recipients = notified_after_a_visitor_posts(
        client, memorial, django_capture_on_commit_callbacks
    )
    assert recipients == ["mum@example.org"]


def test_a_family_whose_only_owner_is_deactivated_gets_no_email(
    client, django_capture_on_commit_callbacks
):
    gone = UserFactory(email="gone@example.org", is_active=False)
    memorial = MemorialFactory(slug="family", family_moderates=True, owners=[gone])
    assert (
        notified_after_a_visitor_posts(client, memorial, django_capture_on_commit_callbacks) == []
    )


def test_a_deactivated_or_non_staff_site_moderator_is_not_told(
    client, django_capture_on_commit_callbacks
):
    moderators = Group.objects.get(name="Moderators")
    for name, active, staff in [("on", True, True), ("off", False, True), ("left", True, False)]:
        user = UserFactory(username=name, email=f"{name}@example.org", is_active=active)
        user.is_staff = staff
        user.save()
        user.groups.add(moderators)
    memorial = MemorialFactory(slug="site")
    recipients = notified_after_a_visitor_posts(
        client, memorial, django_capture_on_commit_callbacks
    )
    assert recipients == ["on@example.org"]
