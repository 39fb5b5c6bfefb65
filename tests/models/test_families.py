"""Invitations and share links: which ones still work, where the family and the invited meet them.

The emailed round trip (invite, email, accept) is in tests/families/test_sharing.py; here the rows
are made directly, so each state (waiting, accepted, cancelled, expired, revoked) is met at once.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse

from tests.support.factories import MemorialFactory, UserFactory
from tributes.families import sharing
from tributes.models import Invitation, ShareLink, Visibility
from tributes.models.families import INVITATION_LIFETIME
from tributes.security.tokens import hash_token

pytestmark = pytest.mark.django_db

SENT = dt.datetime(2026, 10, 1, 9, 0, tzinfo=dt.UTC)


@pytest.fixture
def private(owner):
    return MemorialFactory(name="Teddy Ashby", owners=[owner], visibility=Visibility.PRIVATE)


def invitation(memorial, email, token, *, sent=SENT, **fields) -> Invitation:
    return Invitation.objects.create(
        memorial=memorial,
        email=email,
        token_hash=hash_token(token),
        created_at=sent,
        expires_at=sent + INVITATION_LIFETIME,
        **fields,
    )


def invitation_page(client, token):
    return client.get(reverse("family:invitation", kwargs={"token": token}))


def test_the_family_sees_only_the_invitations_still_waiting(client, owner, private):
    invitation(private, "waiting@example.org", "waiting")
    invitation(private, "accepted@example.org", "accepted", accepted_at=SENT)
    invitation(private, "cancelled@example.org", "cancelled", cancelled_at=SENT)
    invitation(private, "expired@example.org", "expired", sent=SENT - INVITATION_LIFETIME)
    client.force_login(owner)
    with time_machine.travel(SENT + dt.timedelta(days=1), tick=False):
        page = client.get(reverse("family:people", kwargs={"slug": private.slug})).text
    assert "waiting@example.org" in page
    for gone in ("accepted", "cancelled", "expired"):
        assert f"{gone}@example.org" not in page


def test_an_invitation_link_works_for_seven_days_to_the_second(client, private):
    invitation(private, "dad@example.org", "for-dad")
    with time_machine.travel(SENT + INVITATION_LIFETIME - dt.timedelta(seconds=1), tick=False):
        assert invitation_page(client, "for-dad").status_code == 200
    with time_machine.travel(SENT + INVITATION_LIFETIME, tick=False):
        assert invitation_page(client, "for-dad").status_code == 404


@pytest.mark.parametrize("state", ["accepted_at", "cancelled_at"])
def test_a_used_or_cancelled_invitation_link_no_longer_works(client, private, state):
    invitation(private, "dad@example.org", "for-dad", **{state: SENT})
    with time_machine.travel(SENT + dt.timedelta(days=1), tick=False):
        assert invitation_page(client, "for-dad").status_code == 404


def test_a_cancelled_invitation_cannot_be_accepted_even_by_its_own_address(private):
    dad = UserFactory(username="dad", email="dad@example.org")
    EmailAddress.objects.create(user=dad, email=dad.email, verified=True, primary=True)
    invitation(private, "dad@example.org", "for-dad", cancelled_at=SENT)
    with (
        time_machine.travel(SENT + dt.timedelta(days=1), tick=False),
        pytest.raises(sharing.InvitationRefused),
    ):
        sharing.accept("for-dad", user=dad)
    assert dad not in private.owners.all()


def test_a_share_link_opens_the_private_memorial_until_the_family_turns_it_off(
    client, owner, private
):
    ShareLink.objects.create(memorial=private, token_hash=hash_token("shared"), created_by=owner)
    opened = client.get(reverse("family:shared", kwargs={"token": "shared"}))
    assert opened.status_code == 302
    assert client.get(private.get_absolute_url()).status_code == 200
    assert sharing.revoke_share_links(private) == 1
    assert client.get(private.get_absolute_url()).status_code == 404
    assert client.get(reverse("family:shared", kwargs={"token": "shared"})).status_code == 404
