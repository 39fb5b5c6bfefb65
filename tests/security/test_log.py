"""The security log: one line per decision, export, erasure and sign-out, naming ids only.

Whoever looks into misuse reads these lines (the "tributes.security" logger) to learn who did
what to which item; none of them may carry a name, an email or the words of a post.
"""

import logging

import pytest
from django.urls import reverse

from tests.support.factories import CandleFactory, TributeFactory
from tests.support.posting import post_tribute
from tributes.candles.lighting import show_words
from tributes.families.data import erase_memorials, export_memorial
from tributes.models import BlockedTerm, Candle, Memorial
from tributes.moderation.decisions import approve, reject

pytestmark = pytest.mark.django_db


@pytest.fixture
def security_lines(caplog):
    caplog.set_level(logging.INFO, logger="tributes.security")

    def lines() -> list[str]:
        return [r.getMessage() for r in caplog.records if r.name == "tributes.security"]

    return lines


def test_a_moderation_decision_names_the_item_the_decision_and_the_moderator(
    memorial, moderator, security_lines
):
    kept, refused = TributeFactory(memorial=memorial), TributeFactory(memorial=memorial)
    approve(kept, by=moderator)
    reject(refused, by=moderator, reason="off_topic")
    assert security_lines() == [
        f"moderation tribute={kept.pk} status=approved by_user={moderator.pk} reason=-",
        f"moderation tribute={refused.pk} status=rejected by_user={moderator.pk} reason=off_topic",
    ]


def test_showing_held_candle_words_is_logged_with_how_many_and_by_whom(
    memorial, moderator, security_lines
):
    CandleFactory.create_batch(
        2, memorial=memorial, name="Sam Carter", message="Rest well", words_held=True
    )
    show_words(Candle.objects.all(), by=moderator)
    assert security_lines() == [f"candle words shown count=2 by_user={moderator.pk}"]
    assert "Sam Carter" not in " ".join(security_lines())


def test_an_export_and_an_erasure_name_the_memorial_and_who_asked(memorial, owner, security_lines):
    export_memorial(memorial, by=owner)
    memorial_id = memorial.pk
    erase_memorials(Memorial.objects.filter(pk=memorial_id), by=owner)
    assert security_lines() == [
        f"memorial exported memorial={memorial_id} by_user={owner.pk}",
        f"memorial erased memorial={memorial_id} files=0 by_user={owner.pk}",
    ]


def test_signing_out_is_logged_with_the_user_id_only(client, owner, security_lines):
    client.force_login(owner)
    client.post(reverse("account_logout"), secure=True)
    assert security_lines()[-1] == f"logout user={owner.pk}"


def test_the_log_is_wired_to_sign_ins_failures_lockouts_and_sign_outs(
    client, owner, settings, security_lines
):
    from axes.signals import user_locked_out
    from django.contrib.auth import signals

    from tributes.security import log

    wired = [
        (signals.user_logged_in, "security_log.login", log.user_logged_in),
        (signals.user_logged_out, "security_log.logout", log.user_logged_out),
        (signals.user_login_failed, "security_log.failed", log.user_login_failed),
        (user_locked_out, "security_log.locked_out", log.user_locked_out),
    ]
    for signal, uid, _receiver in wired:
        signal.disconnect(dispatch_uid=uid)
    try:
        # What the app does when it starts (tributes/apps.py).
        log.connect()
        client.force_login(owner)
        client.post(reverse("account_logout"), secure=True)
        for _ in range(settings.AXES_FAILURE_LIMIT):
            client.post(
                reverse("admin:login"),
                {"username": owner.username, "password": "guess"},
                REMOTE_ADDR="203.0.113.7",
                secure=True,
            )
    finally:
        for signal, uid, receiver in wired:
            signal.connect(receiver, dispatch_uid=uid)
    lines = security_lines()
    assert lines[:2] == [f"login succeeded user={owner.pk}", f"logout user={owner.pk}"]
    assert set(lines[2:]) == {"login failed", "login locked out after repeated failures"}


def test_a_held_post_is_logged_with_our_reason_codes_never_its_words(
    client, memorial, security_lines
):
    BlockedTerm.objects.create(kind=BlockedTerm.Kind.WORD, value="casino")
    links = "Casino! See www.cheap-pills.example.com and http://spam.example.net/offer"
    post_tribute(client, memorial, message=links)
    assert "held for moderation kind=tribute reasons=links,blocked_word" in security_lines()
    assert "cheap-pills" not in " ".join(security_lines())
