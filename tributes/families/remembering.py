"""Remembering days and the daily digest: what an owner asked to be told, once a day.

`send_daily(today=...)` is run by the worker's housekeeping every few hours
(`manage.py send_family_reminders`, tributes/management/housekeeping.py). It emails each owner who asked for it, a few days before the birthday, the day
they died, the due date or Baby Loss Awareness Day (15 October), and the daily digest of what
waits on the memorials they read first. These go to owners only, never as greetings to anyone
else, and never while the owner has paused emails. Each is sent once however often it runs: the
row remembers for which day it was sent (a conditional UPDATE, in the same transaction as the
email written to the outbox, which the `deliver` task sends).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from tributes import emails
from tributes.models import Memorial
from tributes.models.families import FamilySettings, Notify, RememberingDay
from tributes.moderation.notices import waiting_for_moderation

AWARENESS_DAY = (10, 15)


def _on_or_after(month: int, day: int, today: dt.date) -> dt.date:
    """The next `month`/`day` from `today` on; 29 February is the 28th in other years."""
    for year in (today.year, today.year + 1):
        try:
            candidate = dt.date(year, month, day)
        except ValueError:
            candidate = dt.date(year, month, day - 1)
        if candidate >= today:
            return candidate
    raise AssertionError("unreachable")


def next_occurrence(day: RememberingDay, *, today: dt.date) -> dt.date | None:
    """The next date of this remembering day, or None when the memorial lacks that date."""
    memorial = day.memorial
    if day.kind == RememberingDay.Kind.AWARENESS:
        return _on_or_after(*AWARENESS_DAY, today)
    source = {
        RememberingDay.Kind.BIRTHDAY: memorial.born_on,
        RememberingDay.Kind.DEATH: memorial.died_on,
        RememberingDay.Kind.DUE_DATE: memorial.due_on,
    }[day.kind]
    return _on_or_after(source.month, source.day, today) if source else None


@dataclass(frozen=True)
class Due:
    day: RememberingDay
    on: dt.date


def reminders_due(*, today: dt.date) -> list[Due]:
    """Remembering days whose reminder falls today (or was missed in the last days)."""
    paused = FamilySettings.objects.filter(paused=True).values("user")
    rows = (
        RememberingDay.objects.select_related("memorial", "user")
        .filter(user__is_active=True)
        .exclude(user__in=paused)
    )
    due = []
    for row in rows:
        if not row.memorial.owners.filter(pk=row.user_id).exists():
            continue  # No longer an owner: reminders are for owners only.
        on = next_occurrence(row, today=today)
        if on is None or row.last_sent_for == on:
            continue
        if (on - today).days <= row.days_before:
            due.append(Due(row, on))
    return due


def digests_due(*, today: dt.date) -> list[tuple[FamilySettings, list[tuple[Memorial, int]]]]:
    """Owners who chose a daily digest, with what waits on each memorial they read first."""
    due = []
    chosen = FamilySettings.objects.select_related("user").filter(
        notify=Notify.DIGEST, paused=False, user__is_active=True
    )
    for settings_row in chosen.exclude(digest_sent_on=today):
        waiting = []
        for memorial in Memorial.objects.filter(owners=settings_row.user, family_moderates=True):
            count = waiting_for_moderation(memorial).total
            if count:
                waiting.append((memorial, count))
        if waiting:
            due.append((settings_row, waiting))
    return due


def send_daily(*, today: dt.date | None = None) -> int:
    """Queue today's remembering-day reminders and digests; returns how many emails were queued."""
    today = today or timezone.localdate()
    sent = 0
    for item in reminders_due(today=today):
        with transaction.atomic():
            updated = (
                RememberingDay.objects.filter(pk=item.day.pk)
                .exclude(last_sent_for=item.on)
                .update(last_sent_for=item.on)
            )
            if updated:
                emails.send_remembering_day(item.day, on=item.on)
                sent += 1
    for settings_row, waiting in digests_due(today=today):
        with transaction.atomic():
            updated = (
                FamilySettings.objects.filter(pk=settings_row.pk)
                .exclude(digest_sent_on=today)
                .update(digest_sent_on=today)
            )
            if updated:
                emails.send_moderation_digest(settings_row.user, waiting)
                sent += 1
    return sent
