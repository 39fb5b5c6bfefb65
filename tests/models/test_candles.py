"""Candle events and candles: before, live or ended, and what the database refuses."""

import datetime as dt
import zoneinfo

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.support.factories import (
    CandleEventFactory,
    CandleFactory,
    MemorialFactory,
    WaveOfLightFactory,
)
from tributes.models import Candle, CandleEvent, EventState

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
    assert not event.family_candle_is_lit(at=start - SECOND)


def test_an_event_is_live_at_its_start_and_the_family_candle_is_lit_then():
    event = _event()
    start = dt.datetime(2026, 10, 15, 18, 0, tzinfo=UTC)
    assert event.state(at=start) == EventState.LIVE
    assert event.is_live(at=start)
    assert event.family_candle_is_lit(at=start)


def test_an_event_is_live_during_and_ended_at_its_end():
    event = _event()
    start = dt.datetime(2026, 10, 15, 18, 0, tzinfo=UTC)
    assert event.state(at=start + dt.timedelta(minutes=30)) == EventState.LIVE
    assert event.state(at=start + dt.timedelta(hours=1) - SECOND) == EventState.LIVE
    assert event.state(at=start + dt.timedelta(hours=1)) == EventState.ENDED
    assert event.family_candle_is_lit(at=start + dt.timedelta(days=1))


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
    assert "does not exist in Europe/London" in error.value.message_dict["local_time"][0]


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
    assert "happens twice in America/New_York" in error.value.message_dict["local_time"][0]


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
