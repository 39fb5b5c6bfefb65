"""Candle events and candles: before, live or ended, and what the database refuses."""

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.support.factories import (
    CandleEventFactory,
    CandleFactory,
    MemorialFactory,
    WaveOfLightFactory,
)
from tributes.models import Candle, CandleEvent, EventState, ReminderSignup

pytestmark = pytest.mark.django_db

UTC = dt.UTC
LONDON = zoneinfo.ZoneInfo("Europe/London")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")
SECOND = dt.timedelta(seconds=1)


def _event(**overrides):
    defaults = {
        "local_date": dt.date(2026, 10, 15),
        "local_time": dt.time(19, 0),
        "time_zone": "Europe/London",
    }
    return CandleEventFactory(**{**defaults, **overrides})


def test_an_event_is_before_until_the_very_second_it_starts():
    event = _event()
    start = dt.datetime(2026, 10, 15, 18, 0, tzinfo=UTC)
    assert event.state(at=start - SECOND) == EventState.BEFORE


def test_an_event_is_live_from_the_very_second_it_starts():
    event = _event()
    start = dt.datetime(2026, 10, 15, 18, 0, tzinfo=UTC)
    assert event.state(at=start) == EventState.LIVE


def test_an_event_is_live_during_and_ended_at_its_end():
    event = _event()
    start = dt.datetime(2026, 10, 15, 18, 0, tzinfo=UTC)
    assert event.state(at=start + dt.timedelta(minutes=30)) == EventState.LIVE
    assert event.state(at=start + dt.timedelta(hours=1) - SECOND) == EventState.LIVE
    assert event.state(at=start + dt.timedelta(hours=1)) == EventState.ENDED
    assert event.state(at=start + dt.timedelta(days=1)) == EventState.ENDED


def test_a_london_event_on_the_day_clocks_go_forward_starts_at_the_summer_offset():
    # 29 March 2026: at 01:00 GMT London goes to 02:00 BST. 19:00 that evening is 18:00 UTC.
    event = _event(local_date=dt.date(2026, 3, 29))
    assert event.starts_at == dt.datetime(2026, 3, 29, 18, 0, tzinfo=UTC)
    # Before the change the same day, 00:30 is still GMT.
    early = _event(local_date=dt.date(2026, 3, 29), local_time=dt.time(0, 30))
    assert early.starts_at == dt.datetime(2026, 3, 29, 0, 30, tzinfo=UTC)


def test_a_london_event_on_the_day_clocks_go_back_lasts_its_real_hour():
    # 25 October 2026: at 02:00 BST London goes back to 01:00 GMT.
    event = _event(local_date=dt.date(2026, 10, 25), local_time=dt.time(0, 30))
    assert event.starts_at == dt.datetime(2026, 10, 24, 23, 30, tzinfo=UTC)
    # It lasts one real hour, whatever the clocks on the wall say.
    assert event.ends_at - event.starts_at == dt.timedelta(hours=1)
    assert event.state(at=dt.datetime(2026, 10, 25, 0, 29, 59, tzinfo=UTC)) == EventState.LIVE
    assert event.state(at=dt.datetime(2026, 10, 25, 0, 30, tzinfo=UTC)) == EventState.ENDED


def test_a_time_skipped_by_the_clocks_in_london_is_refused_with_a_clear_message():
    event = CandleEvent(title="Candles", local_date=dt.date(2026, 3, 29), local_time=dt.time(1, 30))
    event.time_zone = "Europe/London"
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "does not exist in UK time" in error.value.message_dict["local_time"][0]


def test_a_time_that_happens_twice_in_new_york_is_refused_with_a_clear_message():
    # 1 November 2026: New York goes from 02:00 EDT back to 01:00 EST, so 01:30 happens twice.
    event = CandleEvent(
        title="Candles",
        local_date=dt.date(2026, 11, 1),
        local_time=dt.time(1, 30),
        time_zone="America/New_York",
    )
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "happens twice in New York time" in error.value.message_dict["local_time"][0]


def test_a_new_york_event_on_the_day_clocks_go_forward_is_exact():
    # 8 March 2026: 02:00 EST becomes 03:00 EDT. 19:00 EDT is 23:00 UTC.
    event = _event(local_date=dt.date(2026, 3, 8), time_zone="America/New_York")
    assert event.starts_at == dt.datetime(2026, 3, 8, 23, 0, tzinfo=UTC)
    skipped = CandleEvent(
        title="Candles",
        local_date=dt.date(2026, 3, 8),
        local_time=dt.time(2, 30),
        time_zone="America/New_York",
    )
    with pytest.raises(ValidationError):
        skipped.full_clean()


def test_an_events_zone_defaults_to_its_memorials():
    memorial = MemorialFactory(time_zone="America/New_York")
    event = CandleEvent(
        memorial=memorial,
        title="Candles",
        slug="candles",
        local_date=dt.date(2026, 10, 15),
        local_time=dt.time(19, 0),
    )
    event.full_clean()
    event.save()
    assert event.time_zone == "America/New_York"
    assert event.starts_at == dt.datetime(2026, 10, 15, 23, 0, tzinfo=UTC)


def test_a_floating_event_starts_at_the_same_wall_time_in_each_zone(wave_of_light):
    auckland = zoneinfo.ZoneInfo("Pacific/Auckland")
    tokyo = zoneinfo.ZoneInfo("Asia/Tokyo")
    assert wave_of_light.start_in(auckland) == dt.datetime(2026, 10, 15, 6, 0, tzinfo=UTC)
    assert wave_of_light.start_in(tokyo) == dt.datetime(2026, 10, 15, 10, 0, tzinfo=UTC)
    assert wave_of_light.start_in(LONDON) == dt.datetime(2026, 10, 15, 18, 0, tzinfo=UTC)
    assert wave_of_light.start_in(NEW_YORK) == dt.datetime(2026, 10, 15, 23, 0, tzinfo=UTC)
    # At 18:30 UTC London is lit, Tokyo is done and New York still waits.
    at = dt.datetime(2026, 10, 15, 18, 30, tzinfo=UTC)
    assert wave_of_light.state(at=at, zone=LONDON) == EventState.LIVE
    assert wave_of_light.state(at=at, zone=tokyo) == EventState.ENDED
    assert wave_of_light.state(at=at, zone=NEW_YORK) == EventState.BEFORE


def test_a_floating_event_is_upcoming_until_it_has_passed_everywhere(wave_of_light):
    # At 06:00 UTC on 16 October it is 19:00 on the 15th in Niue and American Samoa (UTC-11).
    assert wave_of_light in CandleEvent.objects.upcoming(
        now=dt.datetime(2026, 10, 16, 6, 0, tzinfo=UTC)
    )
    assert wave_of_light not in CandleEvent.objects.upcoming(
        now=dt.datetime(2026, 10, 18, 0, 0, tzinfo=UTC)
    )


def test_a_fixed_event_stores_its_utc_instant_derived_from_wall_time_and_zone():
    event = CandleEventFactory(
        local_date=dt.date(2026, 10, 15), local_time=dt.time(19, 0), time_zone="Europe/London"
    )
    # British Summer Time is UTC+1 in mid-October.
    assert event.starts_at == dt.datetime(2026, 10, 15, 18, 0, tzinfo=dt.UTC)
    assert event.ends_at == dt.datetime(2026, 10, 15, 19, 0, tzinfo=dt.UTC)


def test_an_event_moved_to_another_zone_starts_at_that_zones_time():
    event = _event()
    assert event.start_in(LONDON) == dt.datetime(2026, 10, 15, 18, 0, tzinfo=UTC)
    event.time_zone = "America/New_York"
    event.save()
    assert event.starts_at == dt.datetime(2026, 10, 15, 23, 0, tzinfo=UTC)


def test_a_floating_event_has_no_single_instant():
    event = WaveOfLightFactory()
    assert event.starts_at is None and event.ends_at is None


def test_the_database_refuses_an_event_without_duration():
    with pytest.raises(IntegrityError, match="candle_event_lasts_some_time"):
        WaveOfLightFactory(duration=dt.timedelta(0))


def test_the_database_refuses_a_fixed_event_without_an_instant():
    event = CandleEventFactory()
    with pytest.raises(IntegrityError, match="candle_event_fixed_or_floating"):
        CandleEvent.objects.filter(pk=event.pk).update(starts_at=None, ends_at=None)


def test_a_wall_time_skipped_by_the_clocks_going_forward_is_refused():
    # Clocks in London jump from 01:00 to 02:00 on 29 March 2026.
    event = CandleEventFactory.build(
        memorial=None,
        local_date=dt.date(2026, 3, 29),
        local_time=dt.time(1, 30),
        time_zone="Europe/London",
    )
    with pytest.raises(ValidationError, match="does not exist"):
        event.full_clean()


def test_a_wall_time_repeated_by_the_clocks_going_back_is_refused():
    # Clocks in New York go back from 02:00 to 01:00 on 1 November 2026.
    event = CandleEventFactory.build(
        memorial=None,
        local_date=dt.date(2026, 11, 1),
        local_time=dt.time(1, 30),
        time_zone="America/New_York",
    )
    with pytest.raises(ValidationError, match="happens twice"):
        event.full_clean()


def test_one_candle_per_visitor_per_event():
    event = CandleEventFactory()
    CandleFactory(event=event, memorial=None, visitor_key="same-visitor")
    with pytest.raises(IntegrityError, match="one_candle_per_visitor_per_event"):
        CandleFactory(event=event, memorial=None, visitor_key="same-visitor")


def test_a_visitor_may_light_many_candles_on_a_memorial_outside_events():
    memorial = MemorialFactory()
    CandleFactory(memorial=memorial, visitor_key="same-visitor")
    CandleFactory(memorial=memorial, visitor_key="same-visitor")
    assert Candle.objects.for_memorial(memorial).count() == 2


def test_a_candle_must_belong_to_an_event_or_a_memorial():
    with pytest.raises(IntegrityError, match="candle_belongs_somewhere"):
        CandleFactory(memorial=None, event=None)


def test_a_candle_cannot_go_out_before_it_is_lit():
    with transaction.atomic(), pytest.raises(IntegrityError, match="candle_burns_after_lighting"):
        lit = dt.datetime(2026, 10, 15, 18, tzinfo=dt.UTC)
        CandleFactory(lit_at=lit, burns_until=lit - dt.timedelta(minutes=1))


def test_a_fixed_event_is_upcoming_while_live_until_the_second_it_ends():
    event = _event(local_date=dt.date(2026, 10, 15))
    end = dt.datetime(2026, 10, 15, 19, 0, tzinfo=UTC)
    assert event in CandleEvent.objects.upcoming(now=end - dt.timedelta(minutes=30))
    assert event in CandleEvent.objects.upcoming(now=end - SECOND)
    # Ended an hour ago the same evening: no longer offered, though its date is today.
    assert event not in CandleEvent.objects.upcoming(now=end)
    assert event not in CandleEvent.objects.upcoming(now=end + dt.timedelta(hours=1))


def test_upcoming_events_are_those_not_yet_over_by_the_clock():
    event = _event(local_date=dt.date(2026, 10, 15))
    with time_machine.travel(dt.datetime(2026, 10, 15, 18, 59, 59, tzinfo=UTC), tick=False):
        assert event in CandleEvent.objects.upcoming()
    with time_machine.travel(dt.datetime(2026, 10, 15, 19, 0, tzinfo=UTC), tick=False):
        assert event not in CandleEvent.objects.upcoming()


def _unsaved_event(**fields):
    defaults = {
        "title": "Candles",
        "slug": "candles",
        "local_time": dt.time(19, 0),
        "time_zone": "Europe/London",
    }
    return CandleEvent(**{**defaults, **fields})


# Every zone must be able to show the end: a day either side of the wall time must still be
# before the year 10000.
@pytest.mark.parametrize(
    ("local_date", "local_time", "duration", "accepted"),
    [
        (dt.date(9999, 12, 30), dt.time(22, 0), dt.timedelta(hours=1), True),
        (dt.date(9999, 12, 30), dt.time(22, 0), dt.timedelta(hours=2), False),
        (dt.date(9999, 12, 30), dt.time(23, 0), dt.timedelta(hours=1), False),
    ],
)
def test_an_event_must_end_a_day_before_the_year_10000(local_date, local_time, duration, accepted):
    event = _unsaved_event(local_date=local_date, local_time=local_time, duration=duration)
    if accepted:
        event.full_clean()
        return
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert error.value.message_dict["duration"] == [
        "Please choose a date and length that end before the year 9999."
    ]


def test_a_site_wide_event_with_no_zone_given_is_at_the_sites_time_in_london():
    event = _unsaved_event(memorial=None, time_zone="", local_date=dt.date(2026, 10, 15))
    event.full_clean()
    event.save()
    assert event.time_zone == "Europe/London"
    assert event.starts_at == dt.datetime(2026, 10, 15, 18, 0, tzinfo=UTC)


def test_an_unknown_event_zone_is_explained_next_to_the_zone():
    event = _unsaved_event(time_zone="Mars/Olympus_Mons", local_date=dt.date(2026, 10, 15))
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "time_zone" in error.value.message_dict


@pytest.mark.parametrize("missing", ["local_date", "local_time"])
def test_an_event_without_its_date_or_time_is_a_form_error(missing):
    event = _unsaved_event(**{"local_date": dt.date(2026, 10, 15), missing: None})
    with pytest.raises(ValidationError) as error:
        event.full_clean()
    assert "This field cannot be null." in error.value.message_dict[missing]


def test_an_event_address_is_made_from_its_title_and_date():
    event = _event(title="Candles for Teddy", slug="")
    assert event.slug == "candles-for-teddy-2026-10-15"
    # A title with no Latin letters (an emoji, another script) still gets a readable address.
    assert _event(title="🕯️ 光", slug="").slug == "candles-2026-10-15"


LIT = dt.datetime(2026, 10, 15, 18, 0, tzinfo=UTC)


@pytest.fixture
def candles(memorial):
    return {
        "always": CandleFactory(memorial=memorial, lit_at=LIT, burns_until=None),
        "hour": CandleFactory(
            memorial=memorial, lit_at=LIT, burns_until=LIT + dt.timedelta(hours=1)
        ),
    }


@pytest.mark.parametrize(
    ("at", "burning"),
    [
        (LIT + dt.timedelta(hours=1) - SECOND, {"always", "hour"}),
        (LIT + dt.timedelta(hours=1), {"always"}),
        (LIT + dt.timedelta(days=3650), {"always"}),
    ],
)
def test_a_candle_burns_until_the_second_its_time_is_up_and_always_means_always(
    candles, at, burning
):
    with time_machine.travel(at, tick=False):
        assert {name for name, c in candles.items() if c.is_burning()} == burning
        assert set(Candle.objects.burning()) == {candles[name] for name in burning}
        assert set(Candle.objects.gone_out()) == set(candles.values()) - set(
            Candle.objects.burning()
        )


def test_only_confirmed_reminders_not_unsubscribed_are_ever_sent(event):
    def signup(email, **fields):
        return ReminderSignup.objects.create(
            event=event,
            email=email,
            time_zone="Europe/London",
            confirm_token_hash=email,
            **fields,
        )

    confirmed = signup("confirmed@example.org", confirmed_at=LIT)
    signup("waiting@example.org")
    signup("left@example.org", confirmed_at=LIT, unsubscribed_at=LIT)
    signup("never@example.org", unsubscribed_at=LIT)
    assert list(ReminderSignup.objects.active()) == [confirmed]


@pytest.mark.parametrize(
    ("event_fixture", "reader_zone", "remind_at"),
    [
        # A fixed London event at 19:00 (18:00 UTC) starts then for a reader in New York too.
        ("event", "America/New_York", dt.datetime(2026, 10, 15, 17, 0, tzinfo=UTC)),
        # The Wave of Light is at 19:00 where the reader is: 23:00 UTC in New York.
        ("wave_of_light", "America/New_York", dt.datetime(2026, 10, 15, 22, 0, tzinfo=UTC)),
    ],
)
def test_a_reminder_an_hour_before_is_due_an_hour_before_the_readers_start(
    request, event_fixture, reader_zone, remind_at
):
    event = request.getfixturevalue(event_fixture)
    signup = ReminderSignup(event=event, minutes_before=60, time_zone=reader_zone)
    assert signup.remind_at == remind_at
