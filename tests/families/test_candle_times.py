"""The family's candle times: tonight at 19:00 in two taps, moving and cancelling tell people."""

from __future__ import annotations

import datetime as dt
from urllib.parse import urlsplit

import pytest
import time_machine
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from tests.support.factories import CandleEventFactory, MemorialFactory
from tests.support.posting import run_due_tasks
from tributes.models import CandleEvent, ReminderSignup, Service

# These tests commit, as the site does; the worker (run_due_tasks) sends what was queued.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def memorial(owner):
    return MemorialFactory(name="Teddy Ashby", owners=[owner], time_zone="Australia/Sydney")


@pytest.fixture
def signed_in(client, owner):
    client.force_login(owner)
    return client


def confirmed_signup(event, email="friend@example.org"):
    return ReminderSignup.objects.create(
        event=event,
        email=email,
        time_zone="Europe/London",
        confirm_token_hash=email,
        confirmed_at=timezone.now(),
    )


def test_tonight_at_seven_is_in_the_memorials_zone(signed_in, memorial):
    # 06:00 UTC is 17:00 in Sydney (summer time): tonight is still to come there.
    with time_machine.travel(dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC), tick=False):
        page = signed_in.get(reverse("family:candle_times", kwargs={"slug": memorial.slug}))
        assert "Tonight at 19:00" in page.text
        response = signed_in.post(reverse("family:tonight", kwargs={"slug": memorial.slug}))
    event = CandleEvent.objects.get()
    assert response.url == event.get_absolute_url()
    assert (event.local_date, event.local_time, event.time_zone) == (
        dt.date(2026, 12, 1),
        dt.time(19, 0),
        "Australia/Sydney",
    )
    assert event.starts_at == dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC)


def test_after_seven_it_offers_tomorrow(signed_in, memorial):
    with time_machine.travel(dt.datetime(2026, 12, 1, 10, 0, tzinfo=dt.UTC), tick=False):
        signed_in.post(reverse("family:tonight", kwargs={"slug": memorial.slug}))
    assert CandleEvent.objects.get().local_date == dt.date(2026, 12, 2)


def test_candle_times_are_shown_in_the_time_people_say_never_a_zone_identifier(signed_in, memorial):
    CandleEventFactory(
        memorial=memorial,
        time_zone=memorial.time_zone,
        local_date=dt.date(2027, 1, 14),
        local_time=dt.time(19, 0),
    )
    with time_machine.travel(dt.datetime(2026, 12, 1, 6, 0, tzinfo=dt.UTC), tick=False):
        page = signed_in.get(reverse("family:candle_times", kwargs={"slug": memorial.slug})).text
    assert "Thursday 14 January 2027, 19:00 Sydney time" in page
    assert "In Sydney time, the memorial's time zone." in page
    assert "Australia/Sydney" not in page


def test_moving_a_candle_time_tells_everyone_who_asked_for_a_reminder(signed_in, memorial):
    event = CandleEventFactory(memorial=memorial, time_zone=memorial.time_zone)
    confirmed_signup(event)
    new_date = event.local_date + dt.timedelta(days=1)
    signed_in.post(
        reverse("family:edit_event", kwargs={"slug": memorial.slug, "pk": event.pk}),
        {
            "title": event.title,
            "local_date": new_date.isoformat(),
            "local_time": "20:00",
            "duration": "3600",
            "message": "",
        },
    )
    event.refresh_from_db()
    assert event.local_date == new_date
    run_due_tasks()
    [message] = mail.outbox
    assert message.to == ["friend@example.org"]
    assert "moved" in message.body
    # They can still stop hearing about it, in one click.
    unsubscribe = urlsplit(message.extra_headers["List-Unsubscribe"].strip("<>")).path
    assert signed_in.post(unsubscribe).status_code == 200
    assert ReminderSignup.objects.get().unsubscribed_at is not None


def test_a_time_the_clocks_skip_is_refused_next_to_the_field(signed_in, owner):
    memorial = MemorialFactory(owners=[owner], time_zone="Europe/London")
    response = signed_in.post(
        reverse("family:candle_times", kwargs={"slug": memorial.slug}),
        {"title": "Candles", "local_date": "2027-03-28", "local_time": "01:30", "duration": "3600"},
    )
    # The zone as the family says it, not its identifier.
    assert "01:30 does not exist in UK time that day: the clocks go forward" in response.text
    assert not CandleEvent.objects.exists()


def test_cancelling_a_candle_time_tells_everyone_and_deletes_it(signed_in, memorial):
    event = CandleEventFactory(memorial=memorial, time_zone=memorial.time_zone)
    confirmed_signup(event)
    url = reverse("family:cancel_event", kwargs={"slug": memorial.slug, "pk": event.pk})
    assert "1 person asked for a reminder" in signed_in.get(url).text
    signed_in.post(url)
    assert not CandleEvent.objects.exists()
    run_due_tasks()
    [message] = mail.outbox
    assert "cancelled" in message.body


def test_the_service_is_shown_and_its_candle_time_is_one_tap(signed_in, memorial):
    signed_in.post(
        reverse("family:service", kwargs={"slug": memorial.slug}),
        {
            "title": "The funeral",
            "local_date": "2026-12-10",
            "local_time": "11:00",
            "place": "St Mary's Church, Hill Street",
            "note": "",
            "shown": "on",
        },
    )
    assert "St Mary&#x27;s Church" in signed_in.get(memorial.get_absolute_url()).text
    signed_in.post(reverse("family:service_candle", kwargs={"slug": memorial.slug}))
    event = CandleEvent.objects.get()
    assert (event.local_date, event.local_time) == (dt.date(2026, 12, 10), dt.time(11, 0))
    Service.objects.update(shown=False)
    assert "St Mary" not in signed_in.get(memorial.get_absolute_url()).text


@pytest.mark.parametrize(
    ("at", "date", "said"),
    [
        # 19:00 in Sydney (summer time) is 08:00 UTC: a second before, tonight is still to come.
        (dt.datetime(2026, 12, 1, 7, 59, 59, tzinfo=dt.UTC), dt.date(2026, 12, 1), "Tonight"),
        (dt.datetime(2026, 12, 1, 8, 0, tzinfo=dt.UTC), dt.date(2026, 12, 2), "Tomorrow"),
    ],
    ids=["a-second-before-seven", "at-seven"],
)
def test_at_seven_sharp_the_candle_time_is_tomorrows(signed_in, memorial, at, date, said):
    with time_machine.travel(at, tick=False):
        response = signed_in.post(
            reverse("family:tonight", kwargs={"slug": memorial.slug}), follow=True
        )
    assert CandleEvent.objects.get().local_date == date
    assert f'">{said} at 19:00: the candle time is set.</p>' in response.text
