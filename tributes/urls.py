from django.urls import path

from tributes.views import events, memorials, photos, tributes

app_name = "tributes"

urlpatterns = [
    path("", memorials.home, name="home"),
    path("memorials/<slug:slug>/", memorials.memorial_detail, name="memorial"),
    path("candles/<slug:slug>/", events.event_detail, name="event"),
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
]
