from django.urls import path

from tributes.views import events, memorials

app_name = "tributes"

urlpatterns = [
    path("", memorials.home, name="home"),
    path("memorials/<slug:slug>/", memorials.memorial_detail, name="memorial"),
    path("candles/<slug:slug>/", events.event_detail, name="event"),
]
