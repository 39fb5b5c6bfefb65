"""The family's own queue: the admin queue's list and decisions, for one memorial, on the site."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.support.factories import CommentFactory, MemorialFactory, TributeFactory
from tributes.models import Decision, ModerationDecision, RejectionReason, Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def moderated(owner):
    return MemorialFactory(name="Teddy Ashby", owners=[owner], family_moderates=True)


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def queue_url(memorial) -> str:
    return reverse("family:queue", kwargs={"slug": memorial.slug})


def test_the_queue_lists_what_waits_oldest_first(signed_in, moderated):
    first = TributeFactory(memorial=moderated, status=Status.PENDING, message="First words")
    CommentFactory(tribute=first, status=Status.PENDING, body="A comment waits")
    TributeFactory(memorial=moderated, status=Status.PENDING, message="Second words")
    page = signed_in.get(queue_url(moderated)).text
    assert page.index("First words") < page.index("A comment waits") < page.index("Second words")


def test_one_tap_approves_one_item_and_keeps_the_audit_trail(signed_in, owner, moderated):
    tribute = TributeFactory(memorial=moderated, status=Status.PENDING)
    response = signed_in.post(queue_url(moderated), {"decide_one": f"approve:tribute-{tribute.pk}"})
    assert response.status_code == 302
    tribute.refresh_from_db()
    assert tribute.status == Status.APPROVED
    assert tribute.moderated_by == owner
    decision = ModerationDecision.objects.get()
    assert (decision.decision, decision.decided_by) == (Decision.APPROVED, owner)


def test_rejecting_one_item_needs_a_reason(signed_in, moderated):
    tribute = TributeFactory(memorial=moderated, status=Status.PENDING, message="Hurtful words")
    response = signed_in.post(queue_url(moderated), {"decide_one": f"reject:tribute-{tribute.pk}"})
    assert response.status_code == 200
    assert "Please choose a reason to reject" in response.text
    tribute.refresh_from_db()
    assert tribute.status == Status.PENDING
    signed_in.post(
        queue_url(moderated),
        {
            "decide_one": f"reject:tribute-{tribute.pk}",
            f"reason-tribute-{tribute.pk}": RejectionReason.ABUSIVE,
        },
    )
    tribute.refresh_from_db()
    assert (tribute.status, tribute.rejection_reason) == (Status.REJECTED, RejectionReason.ABUSIVE)


def test_ticked_items_are_decided_together(signed_in, moderated):
    tributes = [TributeFactory(memorial=moderated, status=Status.PENDING) for _ in range(3)]
    comment = CommentFactory(tribute=tributes[0], status=Status.PENDING)
    signed_in.post(
        queue_url(moderated),
        {
            "item": [f"tribute-{t.pk}" for t in tributes[:2]] + [f"comment-{comment.pk}"],
            "decision": "approve",
        },
    )
    statuses = [t.status for t in [*tributes, comment] if not t.refresh_from_db()]
    assert statuses == [Status.APPROVED, Status.APPROVED, Status.PENDING, Status.APPROVED]


def test_the_family_cannot_decide_another_memorials_items(signed_in, moderated):
    elsewhere = TributeFactory(
        memorial=MemorialFactory(family_moderates=True), status=Status.PENDING
    )
    signed_in.post(queue_url(moderated), {"decide_one": f"approve:tribute-{elsewhere.pk}"})
    elsewhere.refresh_from_db()
    assert elsewhere.status == Status.PENDING


def test_what_the_site_moderators_rejected_never_reaches_the_family(
    signed_in, moderated, moderator
):
    from tributes.moderation import decisions

    refused = TributeFactory(memorial=moderated, status=Status.PENDING, message="Refused words")
    decisions.reject(refused, by=moderator, reason=RejectionReason.ABUSIVE)
    page = signed_in.get(queue_url(moderated)).text
    assert "Refused words" not in page
    signed_in.post(
        reverse("family:restore", kwargs={"slug": moderated.slug}),
        {"item": f"tribute-{refused.pk}"},
    )
    refused.refresh_from_db()
    assert refused.status == Status.REJECTED


def test_the_family_restores_what_it_hid(signed_in, moderated):
    tribute = TributeFactory(memorial=moderated, status=Status.PENDING, message="Second thoughts")
    signed_in.post(
        queue_url(moderated),
        {"decide_one": f"reject:tribute-{tribute.pk}", f"reason-tribute-{tribute.pk}": "other"},
    )
    assert "Second thoughts" in signed_in.get(queue_url(moderated)).text
    signed_in.post(
        reverse("family:restore", kwargs={"slug": moderated.slug}),
        {"item": f"tribute-{tribute.pk}"},
    )
    tribute.refresh_from_db()
    assert tribute.status == Status.PENDING
    assert ModerationDecision.objects.filter(decision=Decision.RESTORED).count() == 1


def test_a_memorial_the_site_moderates_has_no_family_queue(signed_in, owner):
    memorial = MemorialFactory(owners=[owner], family_moderates=False)
    TributeFactory(memorial=memorial, status=Status.PENDING, message="For the moderators")
    page = signed_in.get(queue_url(memorial))
    assert "moderators read what visitors write on this page" in page.text
    assert "For the moderators" not in page.text
    tribute = memorial.tributes.get()
    signed_in.post(queue_url(memorial), {"decide_one": f"approve:tribute-{tribute.pk}"})
    tribute.refresh_from_db()
    assert tribute.status == Status.PENDING


def test_an_owner_of_a_family_moderated_memorial_is_not_staff_and_moderates_here(client, owner):
    from django.test import Client

    from tests.support.factories import UserFactory

    # A site moderator makes the memorial family-moderated in the admin, where owners were once
    # made staff for it.
    parent = owner
    memorial = MemorialFactory(name="Teddy Ashby", owners=[parent])
    admin_client = Client()
    admin_client.force_login(UserFactory(username="root", is_staff=True, is_superuser=True))
    url = reverse("admin:tributes_memorial_change", args=[memorial.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {
        name: value
        for name, value in form.initial.items()
        if value is not None and name not in {"owners", "cover_photo"}
    }
    data.update(
        {
            "family_moderates": "on",
            "owners": [parent.pk],
            "born_on": "2026-03-09",
            "died_on": "2026-03-09",
            "_save": "Save",
        }
    )
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    memorial.refresh_from_db()
    parent.refresh_from_db()
    assert memorial.family_moderates
    assert not parent.is_staff
    assert not parent.groups.exists() and not parent.user_permissions.exists()
    # The admin stays closed to them; their own queue is where they read and decide.
    client.force_login(parent)
    assert client.get(reverse("admin:index")).url.startswith(reverse("admin:login"))
    tribute = TributeFactory(memorial=memorial, status=Status.PENDING, message="Kind words")
    assert "Kind words" in client.get(queue_url(memorial)).text
    client.post(queue_url(memorial), {"decide_one": f"approve:tribute-{tribute.pk}"})
    tribute.refresh_from_db()
    assert (tribute.status, tribute.moderated_by) == (Status.APPROVED, parent)
