from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from tributes.models import CandleEvent, Memorial
from tributes.sharing.rules import indexable_events


class HomeSitemap(Sitemap):
    changefreq = "daily"

    def items(self):
        return ["tributes:home"]

    def location(self, name: str) -> str:
        return reverse(name)


class MemorialSitemap(Sitemap):
    """Only public memorials whose family chose to be found by search engines."""

    changefreq = "weekly"

    def items(self):
        return Memorial.objects.indexable().order_by("pk")

    def lastmod(self, memorial: Memorial):
        return memorial.updated_at


class EventSitemap(Sitemap):
    """Site-wide candle events, and those of memorials the sitemap lists."""

    changefreq = "weekly"

    def items(self):
        return indexable_events().order_by("pk")

    def lastmod(self, event: CandleEvent):
        return event.created_at


SITEMAPS = {"home": HomeSitemap, "memorials": MemorialSitemap, "events": EventSitemap}
