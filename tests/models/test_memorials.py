import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError

from tests.support.factories import (
    MemorialFactory,
)
from tests.support.photos import jpeg, upload
from tributes.families.memorials import set_cover
from tributes.models import Memorial

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
    assert error.value.message_dict["died_on"] == ["The date of death cannot be before the birth."]


def test_slugs_are_readable_and_unique():
    first = MemorialFactory(name="Teddy Ashby", slug="")
    second = MemorialFactory(name="Teddy Ashby", slug="")
    assert first.slug == "teddy-ashby"
    assert second.slug == "teddy-ashby-2"


def test_a_name_with_no_latin_letters_still_gets_a_readable_address():
    assert MemorialFactory(name="李小龙", slug="").slug == "memorial"


def test_an_unknown_time_zone_is_refused():
    memorial = MemorialFactory.build(time_zone="Mars/Olympus_Mons")
    with pytest.raises(ValidationError) as error:
        memorial.full_clean()
    assert "time_zone" in error.value.message_dict


def test_a_new_cover_leaves_the_story_another_owner_just_saved(memorial):
    # Two owners at once: one changes the cover just after the other saved a new story.
    Memorial.objects.filter(pk=memorial.pk).update(story="Written by his mum a moment ago.")
    set_cover(memorial, upload(jpeg((480, 360))))
    memorial.refresh_from_db()
    assert memorial.cover_photo is not None
    assert memorial.story == "Written by his mum a moment ago."
