"""The sharing and keepsake addresses, added to tributes/urls.py (namespace "tributes")."""

from django.urls import path

from tributes.views import sharing

urlpatterns = [
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
