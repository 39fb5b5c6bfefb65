"""What the screening holds back, and for whom: visitors' words wait, the family's do not."""

import logging

import pytest

from tests.support.factories import MemorialFactory, TributeFactory
from tests.support.posting import post_comment, post_tribute
from tributes.models import BlockedTerm, Comment, ModerationMode, Status, Tribute

pytestmark = pytest.mark.django_db

TWO_LINKS = "Our fundraiser: www.for-teddy.example.org and https://example.org/teddy"


def security_log(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "tributes.security"]


@pytest.mark.parametrize("mode", ModerationMode.values)
def test_the_familys_own_words_with_links_are_published_at_once_and_not_marked_held(
    client, owner, mode
):
    memorial = MemorialFactory(slug="ours", moderation_mode=mode, owners=[owner])
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.WORD, value="fundraiser")
    client.force_login(owner)
    assert post_tribute(client, memorial, message=TWO_LINKS).status_code == 302
    tribute = Tribute.objects.get()
    assert (tribute.status, tribute.hold_reasons) == (Status.APPROVED, [])
    assert not Tribute.objects.to_read().exists()
    assert "www.for-teddy.example.org" in client.get(memorial.get_absolute_url()).text


def test_a_held_tribute_and_a_held_comment_are_logged_by_kind_and_reason_never_by_words(
    client, caplog
):
    caplog.set_level(logging.INFO, logger="tributes.security")
    memorial = MemorialFactory(slug="open", moderation_mode=ModerationMode.OPEN)
    post_tribute(client, memorial, message=TWO_LINKS)
    post_comment(client, TributeFactory(memorial=memorial), body=f"Yes. {TWO_LINKS}")
    assert Tribute.objects.get(message=TWO_LINKS).status == Status.PENDING
    assert Comment.objects.get().status == Status.PENDING
    held = [line for line in security_log(caplog) if line.startswith("held")]
    assert held == [
        "held for moderation kind=tribute reasons=links",
        "held for moderation kind=comment reasons=links",
    ]
    assert not any("example.org" in line for line in security_log(caplog))
