from django.contrib.sitemaps.views import sitemap
from django.urls import path
from django.views.decorators.http import require_safe

from tributes.sitemaps import SITEMAPS
from tributes.views import candles, events, memorials, photos, sharing, site_files, tributes

app_name = "tributes"

# The pages asked for most at the 7pm rush come first: Django tries the patterns in order.
urlpatterns = [
    path("", memorials.home, name="home"),
    path("memorials/<slug:slug>/", memorials.memorial_detail, name="memorial"),
    path("candles/<slug:slug>/", events.event_detail, name="event"),
    path("candles/<slug:slug>/light/", events.light_candle, name="event_light"),
    path("candles/<slug:slug>/status.json", events.event_status, name="event_status"),
    path("memorials/<slug:slug>/tributes/new/", tributes.write_tribute, name="write_tribute"),
    path(
        "memorials/<slug:slug>/tributes/<int:pk>/comment/",
        tributes.write_comment,
        name="write_comment",
    ),
    path("memorials/<slug:slug>/tributes/<int:pk>/love/", tributes.send_love, name="send_love"),
    path("your-tribute/<str:token>/", tributes.your_tribute, name="your_tribute"),
    path(
        "your-tribute/<str:token>/delete/",
        tributes.delete_your_tribute,
        name="delete_your_tribute",
    ),
    path("your-comment/<str:token>/", tributes.your_comment, name="your_comment"),
    path(
        "your-comment/<str:token>/delete/",
        tributes.delete_your_comment,
        name="delete_your_comment",
    ),
    path("removed/", tributes.removed, name="removed"),
    path("photos/<int:pk>/<int:width>.webp", photos.photo_file, name="photo"),
    path("robots.txt", site_files.robots_txt, name="robots"),
    path(".well-known/security.txt", site_files.security_txt, name="security_txt"),
    path(
        "sitemap.xml",
        require_safe(sitemap),
        {"sitemaps": SITEMAPS},
        name="sitemap",
    ),
    path(
        "memorials/<slug:slug>/candles/light/",
        candles.light_memorial_candle,
        name="memorial_candle_light",
    ),
    path("candles/<slug:slug>/calendar.ics", events.event_ics, name="event_ics"),
    path("candles/<slug:slug>/wave/", events.event_wave, name="event_wave"),
    path("candles/<slug:slug>/remind/", events.remind_me, name="event_remind"),
    path("reminders/confirm/<str:token>/", events.reminder_confirm, name="reminder_confirm"),
    path(
        "reminders/unsubscribe/<str:token>/",
        events.reminder_unsubscribe,
        name="reminder_unsubscribe",
    ),
    path("time-zone/", events.choose_zone, name="choose_zone"),
    # Sharing and keepsakes: find a memorial, icons, share images, QR code, keepsake, memory book.
    path("find/", sharing.find_memorial, name="find"),
    path("favicon.ico", sharing.favicon, name="favicon"),
    path("manifest.webmanifest", sharing.web_manifest, name="manifest"),
    path(
        "memorials/<slug:slug>/share.png",
        sharing.memorial_share_image,
        name="memorial_share_image",
    ),
    path("memorials/<slug:slug>/qr.svg", sharing.memorial_qr_svg, name="memorial_qr"),
    path("memorials/<slug:slug>/card/", sharing.memorial_qr_card, name="memorial_qr_card"),
    path("memorials/<slug:slug>/keepsake/", sharing.memorial_keepsake, name="memorial_keepsake"),
    path(
        "memorials/<slug:slug>/memory-book.pdf",
        sharing.memorial_memory_book,
        name="memorial_memory_book",
    ),
    path("candles/<slug:slug>/share.png", sharing.event_share_image, name="event_share_image"),
]
