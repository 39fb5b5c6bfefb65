"""Who is told that something waits: never an account that has been switched off."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.models import Group
from django.core import mail

from tests.support.factories import MemorialFactory, UserFactory
from tests.support.posting import post_tribute, run_due_tasks
from tributes.models import FamilySettings, Notify

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


def test_only_active_staff_in_the_moderators_group_are_told(
    client, django_capture_on_commit_callbacks
):
    moderators = Group.objects.get(name="Moderators")
    for name, active, staff, moderates in [
        ("on", True, True, True),
        ("off", False, True, True),
        ("left", True, False, True),
        ("other-staff", True, True, False),
    ]:
        user = UserFactory(username=name, email=f"{name}@example.org", is_active=active)
        user.is_staff = staff
        user.save()
        if moderates:
            user.groups.add(moderators)
    memorial = MemorialFactory(slug="site")
    recipients = notified_after_a_visitor_posts(
        client, memorial, django_capture_on_commit_callbacks
    )
    assert recipients == ["on@example.org"]


def test_owners_who_chose_a_digest_no_email_or_a_pause_are_not_told_each_time(
    client, django_capture_on_commit_callbacks
):
    owners = {
        name: UserFactory(username=name, email=f"{name}@example.org")
        for name in ["unset", "each", "digest", "nothing", "paused"]
    }
    FamilySettings.objects.create(user=owners["each"], notify=Notify.EACH)
    FamilySettings.objects.create(user=owners["digest"], notify=Notify.DIGEST)
    FamilySettings.objects.create(user=owners["nothing"], notify=Notify.NOTHING)
    FamilySettings.objects.create(user=owners["paused"], notify=Notify.EACH, paused=True)
    memorial = MemorialFactory(slug="family", family_moderates=True, owners=owners.values())
    recipients = notified_after_a_visitor_posts(
        client, memorial, django_capture_on_commit_callbacks
    )
    assert recipients == ["each@example.org", "unset@example.org"]
