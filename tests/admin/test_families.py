"""What families decided, in the admin: for the site's moderators to look at, never a token."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.support.factories import MemorialFactory, UserFactory
from tributes.models import (
    FamilySettings,
    Guest,
    Invitation,
    Notify,
    RememberingDay,
    Service,
    ShareLink,
)

pytestmark = pytest.mark.django_db

MODELS = ["invitation", "guest", "sharelink", "familysettings", "rememberingday", "service"]
TOKEN_HASHES = ["a1" * 32, "b2" * 32]


@pytest.fixture
def decided(owner):
    memorial = MemorialFactory(name="Ottoline Quist", owners=[owner])
    now = timezone.now()
    invitation = Invitation.objects.create(
        memorial=memorial,
        email="gran@example.org",
        token_hash=TOKEN_HASHES[0],
        invited_by=owner,
        expires_at=now + dt.timedelta(days=7),
    )
    link = ShareLink.objects.create(memorial=memorial, token_hash=TOKEN_HASHES[1], created_by=owner)
    guest = Guest.objects.create(memorial=memorial, user=UserFactory(username="aunt"))
    settings_row = FamilySettings.objects.create(user=owner, notify=Notify.DIGEST)
    day = RememberingDay.objects.create(memorial=memorial, user=owner, kind="birthday")
    service = Service.objects.create(
        memorial=memorial,
        local_date=dt.date(2026, 12, 10),
        local_time=dt.time(11, 0),
        place="St Mary's, Church Lane",
    )
    return {
        "invitation": invitation,
        "sharelink": link,
        "guest": guest,
        "familysettings": settings_row,
        "rememberingday": day,
        "service": service,
    }


def changelist(model: str) -> str:
    return reverse(f"admin:tributes_{model}_changelist")


def change(model: str, obj) -> str:
    return reverse(f"admin:tributes_{model}_change", args=[obj.pk])


@pytest.mark.parametrize("model", MODELS)
def test_a_site_moderator_looks_at_what_families_decided_and_never_a_token(
    client, moderator, decided, model
):
    client.force_login(moderator)
    listing = client.get(changelist(model))
    assert listing.status_code == 200
    assert len(listing.context["cl"].result_list) == 1
    page = client.get(change(model, decided[model]))
    assert page.status_code == 200
    for text in (listing.text, page.text):
        assert not any(token in text for token in TOKEN_HASHES)
        assert "token_hash" not in text and "Token hash" not in text
    # Only to look: nothing is added, changed or deleted here.
    assert client.get(reverse(f"admin:tributes_{model}_add")).status_code == 403
    assert 'name="_save"' not in page.text
    url = reverse(f"admin:tributes_{model}_delete", args=[decided[model].pk])
    assert client.post(url, {"post": "yes"}).status_code == 403
    assert type(decided[model]).objects.filter(pk=decided[model].pk).exists()


@pytest.mark.parametrize("model", MODELS)
def test_staff_who_are_not_site_moderators_see_none_of_it(client, scoped_staff, decided, model):
    # Even an owner of the memorial made staff by hand: families use their own pages.
    assert client.get(changelist(model)).status_code == 403
    assert client.get(change(model, decided[model])).status_code == 403


def test_a_moderator_finds_an_invitation_by_address_and_by_state(client, moderator, decided):
    client.force_login(moderator)
    found = client.get(changelist("invitation"), {"q": "gran@example"})
    assert list(found.context["cl"].result_list) == [decided["invitation"]]
    assert client.get(changelist("invitation"), {"q": "nobody@"}).context["cl"].result_count == 0
    opened = client.get(changelist("invitation"), {"state": "open"}).context["cl"]
    assert opened.result_count == 1
    expired = client.get(changelist("invitation"), {"state": "expired"}).context["cl"]
    assert expired.result_count == 0
    by_memorial = client.get(changelist("guest"), {"q": "Ottoline"}).context["cl"]
    assert by_memorial.result_count == 1


def test_a_moderator_cancels_an_invitation_and_revokes_a_share_link(client, moderator, decided):
    client.force_login(moderator)
    for model, action in [("invitation", "cancel_selected"), ("sharelink", "revoke_selected")]:
        response = client.post(
            changelist(model),
            {"action": action, "_selected_action": [decided[model].pk], "index": 0},
            follow=True,
        )
        assert response.status_code == 200
    decided["invitation"].refresh_from_db()
    decided["sharelink"].refresh_from_db()
    assert decided["invitation"].cancelled_at is not None
    assert not decided["invitation"].is_open()
    assert decided["sharelink"].revoked_at is not None
    working = client.get(changelist("sharelink"), {"working": "yes"}).context["cl"]
    assert working.result_count == 0
