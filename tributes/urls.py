from django.urls import path

from tributes.views import events, memorials, photos

app_name = "tributes"

urlpatterns = [
    path("", memorials.home, name="home"),
    path("memorials/<slug:slug>/", memorials.memorial_detail, name="memorial"),
    path("candles/<slug:slug>/", events.event_detail, name="event"),
    path("photos/<int:pk>/<int:width>.webp", photos.photo_file, name="photo"),
]
