from django.contrib.sitemaps import Sitemap

from tributes.models import Memorial


class MemorialSitemap(Sitemap):
    """Only public memorials whose family chose to be found by search engines."""

    changefreq = "weekly"

    def items(self):
        return Memorial.objects.indexable().order_by("pk")

    def lastmod(self, memorial: Memorial):
        return memorial.updated_at
