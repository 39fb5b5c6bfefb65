"""Zones as people say them: the places we name, the chooser's search, and countdown words."""

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest

from tributes.zone_places import ZONE_PLACES
from tributes.zones import (
    countdown_words,
    is_place_zone,
    place_choices,
    places_by_offset,
    zone_for_place,
    zone_label,
    zone_time_name,
)

DAY = 24 * 60 * 60


@pytest.mark.parametrize(
    ("zone", "said"),
    [
        ("Europe/London", "UK time"),
        ("America/New_York", "New York time"),
        ("Asia/Kolkata", "India time"),
        ("Europe/Paris", "Paris time"),
        # An old name a browser without Temporal still sends is the zone under its current name.
        ("Asia/Calcutta", "India time"),
        ("Europe/Kiev", "Kyiv time"),
        # A zone we do not list still reads as a place.
        ("America/Indiana/Indianapolis", "Indianapolis time"),
    ],
)
def test_zones_are_named_as_people_say_them(zone, said):
    assert zone_time_name(zone) == said


def test_every_zone_we_name_is_canonical_and_named_once():
    zones = [entry[0] for entry in ZONE_PLACES]
    assert len(zones) == len(set(zones))
    links = {
        line.split()[2]
        for line in Path("/usr/share/zoneinfo/tzdata.zi").read_text(encoding="utf-8").splitlines()
        if line.startswith("L ")
    }
    assert set(zones) <= zoneinfo.available_timezones()
    assert not set(zones) & links
    # Aliases people know are never offered beside their canonical zone.
    assert "Asia/Calcutta" not in zones and "Asia/Kolkata" in zones


@pytest.mark.parametrize(
    "wall",
    [dt.datetime(2026, 10, 15, 19), dt.datetime(2027, 1, 15, 19), dt.datetime(2027, 7, 1, 19)],
)
def test_every_offset_in_use_in_the_world_has_a_place_we_name(wall):
    in_use = {
        wall.replace(tzinfo=zoneinfo.ZoneInfo(name)).utcoffset()
        for name in zoneinfo.available_timezones()
        if is_place_zone(name) and not name.startswith("Antarctica/")
    }
    assert in_use <= set(places_by_offset(wall))


def test_the_chooser_offers_human_places_never_raw_identifiers():
    choices = place_choices()
    assert choices["London, United Kingdom"] == "Europe/London"
    assert choices["Edinburgh, United Kingdom"] == "Europe/London"
    assert choices["Kolkata, India"] == "Asia/Kolkata"
    assert not [label for label in choices if "/" in label or "_" in label]
    assert zone_label("America/New_York") == "New York, United States"


@pytest.mark.parametrize(
    ("typed", "zone"),
    [
        ("Paris, France", "Europe/Paris"),
        ("  edinburgh,   united kingdom ", "Europe/London"),
        ("Tokyo", "Asia/Tokyo"),
        ("Japan", "Asia/Tokyo"),
        ("Asia/Tokyo", "Asia/Tokyo"),
        # Kingston is in Jamaica and on Norfolk Island: the city alone is not enough.
        ("Kingston", None),
        ("Kingston, Jamaica", "America/Jamaica"),
        # Australia has several zones: the country alone is not enough.
        ("Australia", None),
        ("Atlantis", None),
        ("", None),
    ],
)
def test_the_chooser_understands_what_a_visitor_types(typed, zone):
    assert zone_for_place(typed) == zone


@pytest.mark.parametrize(
    ("seconds", "words"),
    [
        (3 * DAY + 5 * 3600, "in 3 days"),
        (DAY + 1, "in 1 day"),
        # The last day: hours, then minutes.
        (DAY - 1, "in 23 hours"),
        (5 * 3600 + 59 * 60, "in 5 hours"),
        (3600, "in 1 hour"),
        (3599, "in 60 minutes"),
        (12 * 60, "in 12 minutes"),
        (11 * 60 + 1, "in 12 minutes"),
        (10, "in 1 minute"),
        (0, "now"),
    ],
)
def test_the_countdown_says_days_until_the_last_day_then_hours_then_minutes(seconds, words):
    assert countdown_words(seconds) == words
