"""What search engines may list: the home page, public events, memorials by the family's choice."""

from __future__ import annotations

import pytest

from tests.support.factories import CandleEventFactory, MemorialFactory
from tributes.models import Visibility

pytestmark = pytest.mark.django_db


def test_the_sitemap_lists_the_home_page_and_events_that_may_be_listed(client):
    found = MemorialFactory(slug="found", allow_search_indexing=True)
    quiet = MemorialFactory(slug="quiet", allow_search_indexing=False)
    unlisted = MemorialFactory(visibility=Visibility.UNLISTED, allow_search_indexing=True)
    private = MemorialFactory(visibility=Visibility.PRIVATE, allow_search_indexing=True)
    CandleEventFactory(memorial=None, slug="wave", is_floating=True, time_zone="")
    CandleEventFactory(memorial=found, slug="found-candles")
    for memorial, slug in [(quiet, "quiet"), (unlisted, "unlisted"), (private, "private")]:
        CandleEventFactory(memorial=memorial, slug=f"{slug}-candles")
    sitemap = client.get("/sitemap.xml").content.decode()
    assert "<loc>http://testserver/</loc>" in sitemap
    assert "/candles/wave/</loc>" in sitemap
    assert "/candles/found-candles/</loc>" in sitemap
    for hidden in ("quiet-candles", "unlisted-candles", "private-candles"):
        assert f"/candles/{hidden}/" not in sitemap


def test_site_wide_events_and_those_of_indexed_memorials_may_be_indexed(client):
    wave = CandleEventFactory(memorial=None, is_floating=True, time_zone="")
    found = CandleEventFactory(memorial=MemorialFactory(allow_search_indexing=True))
    for event in (wave, found):
        assert 'content="index, follow"' in client.get(event.get_absolute_url()).text


@pytest.mark.parametrize(
    ("visibility", "indexing"),
    [(Visibility.PUBLIC, False), (Visibility.UNLISTED, True)],
)
def test_events_of_memorials_kept_from_search_engines_are_not_indexed(client, visibility, indexing):
    memorial = MemorialFactory(visibility=visibility, allow_search_indexing=indexing)
    event = CandleEventFactory(memorial=memorial)
    assert 'content="noindex, nofollow"' in client.get(event.get_absolute_url()).text


def test_the_home_page_may_be_indexed(client):
    assert 'content="index, follow"' in client.get("/").text
