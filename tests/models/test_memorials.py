import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from tests.support.factories import (
    CandleEventFactory,
    CandleFactory,
    MemorialFactory,
    TributeFactory,
    WaveOfLightFactory,
)
from tributes.models import Candle, CandleEvent, Love, Memorial, Status, Tribute

pytestmark = pytest.mark.django_db


def test_a_baby_may_be_born_and_die_on_the_same_day():
    memorial = MemorialFactory(born_on=dt.date(2026, 3, 9), died_on=dt.date(2026, 3, 9))
    memorial.full_clean()


def test_the_database_refuses_a_death_before_birth():
    with pytest.raises(IntegrityError, match="memorial_died_on_or_after_birth"):
        MemorialFactory(born_on=dt.date(2026, 3, 9), died_on=dt.date(2026, 3, 8))


def test_a_death_before_birth_is_explained_on_the_date_field():
    memorial = Memorial(name="Alfie", born_on=dt.date(2026, 3, 9), died_on=dt.date(2026, 3, 8))
    with pytest.raises(ValidationError) as error:
        memorial.full_clean()
    assert "died_on" in error.value.message_dict


def test_slugs_are_readable_and_unique():
    first = MemorialFactory(name="Teddy Ashby", slug="")
    second = MemorialFactory(name="Teddy Ashby", slug="")
    assert first.slug == "teddy-ashby"
    assert second.slug == "teddy-ashby-2"


def test_an_unknown_time_zone_is_refused():
    memorial = MemorialFactory.build(time_zone="Mars/Olympus_Mons")
    with pytest.raises(ValidationError) as error:
        memorial.full_clean()
    assert "time_zone" in error.value.message_dict


def test_an_unknown_status_is_refused_by_the_database():
    tribute = TributeFactory()
    with pytest.raises(IntegrityError, match="tribute_status_valid"):
        Tribute.objects.filter(pk=tribute.pk).update(status="maybe")


def test_published_only_returns_approved_tributes():
    memorial = MemorialFactory()
    approved = TributeFactory(memorial=memorial, status=Status.APPROVED)
    for status in [Status.PENDING, Status.REJECTED, Status.SPAM]:
        TributeFactory(memorial=memorial, status=status)
    assert list(Tribute.objects.for_memorial(memorial).published()) == [approved]


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


def test_one_love_per_visitor_per_tribute():
    tribute = TributeFactory()
    Love.objects.create(tribute=tribute, visitor_key="same-visitor")
    with pytest.raises(IntegrityError, match="one_love_per_visitor"):
        Love.objects.create(tribute=tribute, visitor_key="same-visitor")
