from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from tributes.sitemaps import MemorialSitemap
from tributes.views import events, memorials, site_files

app_name = "tributes"

urlpatterns = [
    path("", memorials.home, name="home"),
    path("memorials/<slug:slug>/", memorials.memorial_detail, name="memorial"),
    path("candles/<slug:slug>/", events.event_detail, name="event"),
    path("robots.txt", site_files.robots_txt, name="robots"),
    path(".well-known/security.txt", site_files.security_txt, name="security_txt"),
    path(
        "sitemap.xml",
        require_safe(sitemap),
        {"sitemaps": {"memorials": MemorialSitemap}},
        name="sitemap",
    ),
]
