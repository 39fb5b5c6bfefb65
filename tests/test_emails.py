import datetime as dt

import pytest
import time_machine
from django.core import mail
from django.db import transaction
from django.urls import reverse
from django_tasks_db.models import DBTaskResult

from tests.support.factories import CommentFactory, MemorialFactory, TributeFactory
from tests.support.posting import (
    post_comment,
    post_directly,
    post_tribute,
    private_token,
    run_due_tasks,
)
from tributes import emails
from tributes.models import ModerationMode, OutgoingEmail, RejectionReason, Status
from tributes.moderation import decisions

pytestmark = pytest.mark.django_db


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks):
    return lambda: django_capture_on_commit_callbacks(execute=True)


def html_of(message) -> str:
    [(content, mimetype)] = message.alternatives
    assert mimetype == "text/html"
    return content


def test_an_author_with_an_email_receives_their_private_link(client, memorial, on_commit):
    with on_commit():
        response = post_tribute(client, memorial, author_email="sam@example.org")
    run_due_tasks()  # the worker sends what the request queued
    [message] = mail.outbox
    token = private_token(response)
    assert message.to == ["sam@example.org"]
    assert message.subject == "Your tribute to Teddy Ashby: your private link"
    assert f"/your-tribute/{token}/" in message.body
    assert f"/your-tribute/{token}/" in html_of(message)
    assert "A moderator will read it before it appears" in message.body


def test_a_comment_author_receives_their_private_link(client, memorial, on_commit):
    tribute = TributeFactory(memorial=memorial)
    with on_commit():
        response = post_comment(client, tribute, author_email="jo@example.org")
    run_due_tasks()  # the worker sends what the request queued
    [message] = mail.outbox
    assert f"/your-comment/{private_token(response)}/" in message.body


def test_no_email_is_sent_to_an_author_who_gave_none(client, memorial, on_commit):
    with on_commit():
        post_tribute(client, memorial, author_email="")
    run_due_tasks()  # the worker sends what the request queued
    assert mail.outbox == []


def test_a_resent_form_does_not_send_the_link_twice(client, memorial, on_commit):
    from tests.support.posting import tribute_payload, write_tribute_url

    payload = tribute_payload(author_email="sam@example.org")
    with on_commit():
        client.post(write_tribute_url(memorial), payload)
        client.post(write_tribute_url(memorial), payload)
    run_due_tasks()  # the worker sends what the request queued
    assert len(mail.outbox) == 1


def test_nothing_is_sent_when_the_post_is_rolled_back(memorial):
    # The email is written to the outbox in the post's own transaction: both go, or neither.
    with pytest.raises(RuntimeError), transaction.atomic():
        post_directly(memorial, email="sam@example.org")
        raise RuntimeError("the post failed after it was saved")
    assert not OutgoingEmail.objects.exists()
    run_due_tasks()
    assert mail.outbox == []


def test_an_author_who_asked_is_told_when_their_tribute_is_published(
    client, moderator, memorial, on_commit
):
    post_tribute(client, memorial, author_email="sam@example.org", notify_on_publish="on")
    run_due_tasks()
    mail.outbox.clear()  # the private link
    tribute = memorial.tributes.get()
    with on_commit():
        decisions.approve(tribute, by=moderator)
    run_due_tasks()  # the worker sends what the request queued
    [message] = mail.outbox
    assert message.to == ["sam@example.org"]
    assert message.subject == "Your tribute to Teddy Ashby is published"
    assert f"#tribute-{tribute.pk}" in message.body
    assert f"#tribute-{tribute.pk}" in html_of(message)


def test_a_comment_author_who_asked_is_told_when_it_is_published(moderator, on_commit):
    comment = CommentFactory(
        status=Status.PENDING, author_email="jo@example.org", notify_on_publish=True
    )
    with on_commit():
        decisions.approve(comment, by=moderator)
    run_due_tasks()  # the worker sends what the request queued
    [message] = mail.outbox
    assert "Your comment on the memorial to" in message.subject


def test_an_author_who_did_not_ask_is_not_told(moderator, on_commit):
    tribute = TributeFactory(status=Status.PENDING, author_email="sam@example.org")
    with on_commit():
        decisions.approve(tribute, by=moderator)
    run_due_tasks()  # the worker sends what the request queued
    assert mail.outbox == []


@pytest.mark.parametrize("decide", ["reject", "spam"])
def test_nothing_is_ever_sent_about_a_rejection(moderator, on_commit, decide):
    tribute = TributeFactory(
        status=Status.PENDING, author_email="sam@example.org", notify_on_publish=True
    )
    with on_commit():
        if decide == "reject":
            decisions.reject(tribute, by=moderator, reason=RejectionReason.ABUSIVE)
        else:
            decisions.mark_spam(tribute, by=moderator)
    run_due_tasks()  # the worker sends what the request queued
    assert mail.outbox == []


def test_approving_an_already_published_item_sends_nothing_more(moderator, on_commit):
    tribute = TributeFactory(
        status=Status.APPROVED, author_email="sam@example.org", notify_on_publish=True
    )
    with on_commit():
        decisions.approve(tribute, by=moderator)
    run_due_tasks()  # the worker sends what the request queued
    assert mail.outbox == []


def test_a_tribute_published_at_once_says_so_in_the_private_link_email(client, on_commit):
    memorial = MemorialFactory(moderation_mode=ModerationMode.OPEN)
    with on_commit():
        post_tribute(client, memorial, author_email="sam@example.org")
    run_due_tasks()  # the worker sends what the request queued
    [message] = mail.outbox
    assert "It is on the memorial page now" in message.body


def test_names_are_not_html_escaped_in_the_plain_text_part_but_are_in_html(client, on_commit):
    memorial = MemorialFactory(name="Ada & <Bo>")
    with on_commit():
        post_tribute(client, memorial, author_name="Sam & Jo", author_email="s@example.org")
    run_due_tasks()  # the worker sends what the request queued
    [message] = mail.outbox
    assert "Dear Sam & Jo," in message.body
    assert "Ada & <Bo>" in message.subject
    assert "Sam &amp; Jo" in html_of(message)
    assert "&lt;Bo&gt;" in html_of(message)


def test_a_mail_server_that_is_down_never_loses_a_tribute(
    client, memorial, settings, django_capture_on_commit_callbacks
):
    settings.MAILERS = {"default": {"BACKEND": "tests.support.failing_mail.EmailBackend"}}
    with django_capture_on_commit_callbacks(execute=True):
        response = post_tribute(client, memorial, author_email="sam@example.org")
    run_due_tasks()  # the worker sends what the request queued
    assert mail.outbox == []  # the failing server was really used
    assert response.status_code == 302
    assert memorial.tributes.count() == 1
    assert client.get(response["Location"]).status_code == 200


def test_no_email_leaves_inside_a_web_request(client, memorial, settings):
    # A mail server that is down (or slow) is never asked during the request: the post is
    # answered at once, and its email waits in the outbox for the worker.
    settings.MAILERS = {"default": {"BACKEND": "tests.support.failing_mail.EmailBackend"}}
    response = post_tribute(client, memorial, author_email="sam@example.org")
    assert response.status_code == 302
    email = OutgoingEmail.objects.get()
    assert email.to == "sam@example.org" and email.sent_at is None
    assert DBTaskResult.objects.filter(task_path="tributes.emails.deliver").count() == 1


def test_reminder_sign_up_with_the_mail_server_down_answers_and_the_email_is_retried(
    client, event, settings
):
    from tests.support.mail_backends import FirstAttemptFails

    FirstAttemptFails.attempts = 0
    settings.MAILERS = {"default": {"BACKEND": "tests.support.mail_backends.FirstAttemptFails"}}
    before = event.starts_at - dt.timedelta(days=1)
    with time_machine.travel(before, tick=False):
        url = reverse("tributes:event_remind", args=[event.slug])
        response = client.post(url, {"email": "sam@example.org", "minutes_before": "60"})
        assert response.status_code == 302
        assert run_due_tasks() == 1  # the server drops the first attempt
        assert mail.outbox == []
    email = OutgoingEmail.objects.get()
    assert email.sent_at is None and email.attempts == 1
    with time_machine.travel(before + emails.RETRY_DELAYS[0], tick=False):
        run_due_tasks()
    [message] = mail.outbox
    assert message.subject.startswith("Please confirm your reminder")
    email.refresh_from_db()
    assert email.sent_at is not None


def test_a_moderator_approving_is_not_kept_waiting_by_the_mail_server(moderator, settings):
    settings.MAILERS = {"default": {"BACKEND": "tests.support.failing_mail.EmailBackend"}}
    tribute = TributeFactory(
        status=Status.PENDING, author_email="sam@example.org", notify_on_publish=True
    )
    decisions.approve(tribute, by=moderator)
    assert OutgoingEmail.objects.get().subject.startswith("Your tribute to")


def test_every_attempt_at_one_email_carries_the_same_message_id(settings, memorial):
    settings.MAILERS = {"default": {"BACKEND": "tests.support.failing_mail.EmailBackend"}}
    post_directly(memorial, email="sam@example.org")
    email = OutgoingEmail.objects.get()
    assert emails.deliver.call(email.pk) == "will try again"
    settings.MAILERS = {"default": {"BACKEND": "django.core.mail.backends.locmem.EmailBackend"}}
    assert emails.deliver.call(email.pk) == "sent"
    [message] = mail.outbox
    expected = emails.message_id("outbox", email.pk, email.created_at)
    assert message.message()["Message-ID"] == expected
