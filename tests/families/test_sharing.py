"""Co-owners and guests: invitations by email, the last-owner rule, handing on, share links."""

from __future__ import annotations

import datetime as dt
import re

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from tests.support.factories import MemorialFactory, UserFactory
from tests.support.posting import run_due_tasks
from tributes.families import sharing
from tributes.models import Guest, Invitation, Visibility

# These tests commit, as the site does; the worker (run_due_tasks) sends what was queued.
pytestmark = pytest.mark.django_db(transaction=True)


def verified(username: str, email: str | None = None):
    user = UserFactory(username=username, email=email or f"{username}@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def signed_in(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def mum(db):
    return verified("mum")


@pytest.fixture
def memorial(mum):
    return MemorialFactory(name="Teddy Ashby", owners=[mum], visibility=Visibility.PRIVATE)


def invite_by_page(client, memorial, email, **extra) -> str:
    """Send an invitation from the family's page; the token from the emailed link."""
    client.post(
        reverse("family:invite_owner", kwargs={"slug": memorial.slug}),
        {"owner-email": email, **extra},
    )
    run_due_tasks()
    message = mail.outbox[-1]
    assert message.to == [email]
    return re.search(r"/family/invitation/([^/\s]+)/", message.body).group(1)


def invitation_url(token: str) -> str:
    return reverse("family:invitation", kwargs={"token": token})


def test_an_invited_co_owner_accepts_with_the_invited_address(mum, memorial):
    token = invite_by_page(signed_in(mum), memorial, "dad@example.org")
    dad = verified("dad")
    response = signed_in(dad).post(invitation_url(token))
    assert response.url == reverse("family:memorial", kwargs={"slug": memorial.slug})
    assert set(memorial.owners.all()) == {mum, dad}


def test_an_invitation_works_once(mum, memorial):
    token = invite_by_page(signed_in(mum), memorial, "dad@example.org")
    dad = verified("dad")
    signed_in(dad).post(invitation_url(token))
    sharing.remove_owner(memorial, dad)
    again = signed_in(dad).post(invitation_url(token))
    assert again.status_code == 404
    assert list(memorial.owners.all()) == [mum]


def test_an_invitation_expires_after_seven_days(mum, memorial):
    with time_machine.travel(dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)) as clock:
        token = invite_by_page(signed_in(mum), memorial, "dad@example.org")
        dad = verified("dad")
        clock.shift(dt.timedelta(days=7, minutes=1))
        assert signed_in(dad).get(invitation_url(token)).status_code == 404
        assert signed_in(dad).post(invitation_url(token)).status_code == 404
    assert list(memorial.owners.all()) == [mum]


def test_an_invitation_opened_by_another_account_does_nothing(mum, memorial):
    token = invite_by_page(signed_in(mum), memorial, "dad@example.org")
    someone = verified("someone")
    page = signed_in(someone).get(invitation_url(token))
    assert "this invitation is for dad@example.org" in page.text.lower()
    signed_in(someone).post(invitation_url(token))
    assert list(memorial.owners.all()) == [mum]
    assert Invitation.objects.get().accepted_at is None


def test_an_unverified_address_cannot_accept(mum, memorial):
    token = invite_by_page(signed_in(mum), memorial, "dad@example.org")
    unverified = UserFactory(username="dad", email="dad@example.org")
    signed_in(unverified).post(invitation_url(token))
    assert list(memorial.owners.all()) == [mum]


def test_a_newcomer_is_asked_to_sign_up_or_in_and_comes_back(mum, memorial):
    token = invite_by_page(signed_in(mum), memorial, "dad@example.org")
    page = Client().get(invitation_url(token))
    assert page.status_code == 200
    assert f"{reverse('account_signup')}?next=" in page.text


def test_a_cancelled_invitation_no_longer_works(mum, memorial):
    token = invite_by_page(signed_in(mum), memorial, "dad@example.org")
    invitation = Invitation.objects.get()
    signed_in(mum).post(
        reverse("family:cancel_invitation", kwargs={"slug": memorial.slug, "pk": invitation.pk})
    )
    assert signed_in(verified("dad")).post(invitation_url(token)).status_code == 404


def test_the_last_owner_cannot_be_removed_or_step_back(mum, memorial):
    with pytest.raises(sharing.LastOwner):
        sharing.remove_owner(memorial, mum)
    signed_in(mum).post(
        reverse("family:remove_owner", kwargs={"slug": memorial.slug, "user_id": mum.pk})
    )
    assert list(memorial.owners.all()) == [mum]


def test_a_co_owner_is_removed_and_then_sees_nothing(mum, memorial):
    dad = verified("dad")
    memorial.owners.add(dad)
    signed_in(mum).post(
        reverse("family:remove_owner", kwargs={"slug": memorial.slug, "user_id": dad.pk})
    )
    assert list(memorial.owners.all()) == [mum]
    assert signed_in(dad).get(memorial.get_absolute_url()).status_code == 404


def test_handing_the_memorial_on_steps_the_inviter_back_once_accepted(mum, memorial):
    token = invite_by_page(
        signed_in(mum), memorial, "gran@example.org", **{"owner-hands_over": "on"}
    )
    assert list(memorial.owners.all()) == [mum]
    gran = verified("gran")
    signed_in(gran).post(invitation_url(token))
    assert list(memorial.owners.all()) == [gran]


def test_a_guest_reads_and_writes_on_a_private_memorial_and_strangers_still_get_404(mum, memorial):
    signed_in(mum).post(
        reverse("family:invite_guest", kwargs={"slug": memorial.slug}),
        {"guest-email": "aunt@example.org"},
    )
    run_due_tasks()
    token = re.search(r"/family/invitation/([^/\s]+)/", mail.outbox[-1].body).group(1)
    aunt = verified("aunt")
    response = signed_in(aunt).post(invitation_url(token))
    assert response.url == memorial.get_absolute_url()
    assert Guest.objects.filter(memorial=memorial, user=aunt).exists()
    assert signed_in(aunt).get(memorial.get_absolute_url()).status_code == 200
    assert (
        signed_in(aunt).get(reverse("family:memorial", kwargs={"slug": memorial.slug})).status_code
        == 404
    )
    assert signed_in(verified("stranger2")).get(memorial.get_absolute_url()).status_code == 404
    signed_in(mum).post(
        reverse("family:remove_guest", kwargs={"slug": memorial.slug, "user_id": aunt.pk})
    )
    assert signed_in(aunt).get(memorial.get_absolute_url()).status_code == 404


def test_a_share_link_opens_a_private_memorial_until_it_is_turned_off(mum, memorial):
    page = signed_in(mum).post(reverse("family:share_link", kwargs={"slug": memorial.slug}))
    url = re.search(r'value="(http[^"]+/family/shared/[^"]+)"', page.text).group(1)
    visitor = Client()
    assert visitor.get(memorial.get_absolute_url()).status_code == 404
    opened = visitor.get("/" + url.split("/", 3)[3], follow=True)
    assert opened.status_code == 200
    assert "Teddy Ashby" in opened.text
    signed_in(mum).post(
        reverse("family:share_link", kwargs={"slug": memorial.slug}), {"action": "revoke"}
    )
    assert visitor.get(memorial.get_absolute_url()).status_code == 404
