"""Helpers for tests that write tributes and comments the way a browser does."""

from __future__ import annotations

import datetime as dt
import re

import time_machine
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.management.commands.db_worker import Worker
from django_tasks_db.models import DBTaskResult

from tributes.moderation import screening
from tributes.posting import services as posting
from tributes.security import tokens


def opened_a_minute_ago() -> dict:
    """The spam-check fields of a form a visitor opened a minute ago and did not fill in the
    honeypot of (tributes/spam.py): such a form is neither refused nor held."""
    with time_machine.travel(timezone.now() - dt.timedelta(minutes=1)):
        started = screening.form_started_token()
    return {screening.HONEYPOT_FIELD: "", screening.STARTED_FIELD: started}


def tribute_payload(**overrides) -> dict:
    payload = {
        **opened_a_minute_ago(),
        "author_name": "Sam Carter",
        "relationship": "friend of the family",
        "message": "Thinking of you all tonight.",
        "emblem": "candle",
        "author_email": "",
        "submission_key": tokens.new_submission_key(),
    }
    payload.update(overrides)
    return payload


def comment_payload(**overrides) -> dict:
    payload = {
        **opened_a_minute_ago(),
        "author_name": "Jo Lee",
        "body": "Sending so much love.",
        "author_email": "",
        "submission_key": tokens.new_submission_key(),
    }
    payload.update(overrides)
    return payload


def write_tribute_url(memorial) -> str:
    return reverse("tributes:write_tribute", kwargs={"slug": memorial.slug})


def write_comment_url(tribute) -> str:
    return reverse(
        "tributes:write_comment", kwargs={"slug": tribute.memorial.slug, "pk": tribute.pk}
    )


def post_tribute(client, memorial, **overrides):
    return client.post(write_tribute_url(memorial), tribute_payload(**overrides))


def post_comment(client, tribute, **overrides):
    return client.post(write_comment_url(tribute), comment_payload(**overrides))


def post_directly(memorial, *, email="", message="Thinking of you.", user=None):
    """A tribute posted through the posting service itself, without a form or a browser."""
    return posting.post_tribute(
        memorial=memorial,
        author_name="Sam",
        author_email=email,
        message=message,
        submission_key=tokens.new_submission_key(),
        user=user,
    ).item


def private_token(response) -> str:
    """The token in the private link a successful post redirects to."""
    match = re.search(r"/your-(?:tribute|comment)/([^/]+)/", response["Location"])
    assert match, response["Location"]
    return match.group(1)


def run_due_tasks() -> int:
    """Run the queued tasks that are due now, in this process, through django_tasks_db's worker."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="tests",
        excluded_queue_names=[],
    )
    ran = 0
    while (result := DBTaskResult.objects.ready().order_by("run_after").first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran
