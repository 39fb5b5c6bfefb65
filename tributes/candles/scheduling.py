"""A family schedules, moves and cancels its own candle times.

Everyone who confirmed a reminder is told when the time moves (and reminded again before the new
time) or when it is cancelled. The new reminder is queued for the new time; a reminder task
queued for the old time finds the event moved and sends nothing (`reminders.send_reminder`
checks the time first).
"""

from __future__ import annotations

import datetime as dt
from functools import partial

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from tributes import emails
from tributes.candles import reminders
from tributes.models import CandleEvent, Memorial

EVENING = dt.time(19, 0)


def tonight(memorial: Memorial, *, at: dt.datetime | None = None) -> tuple[dt.date, str]:
    """The date of the next 19:00 in the memorial's zone, and how to say it."""
    now = (at or timezone.now()).astimezone(memorial.zone)
    if now.time() < EVENING:
        return now.date(), _("Tonight at 19:00")
    return now.date() + dt.timedelta(days=1), _("Tomorrow at 19:00")


@transaction.atomic
def schedule(event: CandleEvent, *, by) -> CandleEvent:
    """Save a new candle time of the family's memorial (checked: a wall time that exists)."""
    event.created_by = by
    event.full_clean(exclude=["slug"])
    event.save()
    return event


def _tell_each(event: CandleEvent, *, cancelled: bool) -> int:
    signups = list(event.reminders.active())
    # Written to the outbox in the caller's transaction, while the event still exists: the
    # worker delivers them, trying again while the mail server is down.
    for signup in signups:
        emails.send_event_changed(
            signup, cancelled=cancelled, unsubscribe_token=reminders.unsubscribe_token(signup)
        )
    return len(signups)


@transaction.atomic
def move(event: CandleEvent, *, previous_start: dt.datetime | None) -> int:
    """Save the changed event; if its start moved, tell and re-remind everyone. Returns how many."""
    event.full_clean(exclude=["slug"])
    event.save()
    if previous_start == event.starts_at:
        return 0
    told = _tell_each(event, cancelled=False)
    now = timezone.now()
    for signup in event.reminders.active():
        signup.sent_at = None
        signup.save(update_fields=["sent_at"])
        if now < signup.starts_at:
            run_after = max(signup.remind_at, now)
            transaction.on_commit(
                partial(reminders.send_reminder.using(run_after=run_after).enqueue, signup.pk)
            )
    return told


@transaction.atomic
def cancel(event: CandleEvent) -> int:
    """Delete the event (its candles and reminders go with it) after telling who asked."""
    told = _tell_each(event, cancelled=True)
    event.delete()
    return told
