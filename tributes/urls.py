from django.urls import path

from tributes.views import candles, events, memorials

app_name = "tributes"

urlpatterns = [
    path("", memorials.home, name="home"),
    path("memorials/<slug:slug>/", memorials.memorial_detail, name="memorial"),
    path("candles/<slug:slug>/", events.event_detail, name="event"),
    path(
        "memorials/<slug:slug>/candles/light/",
        candles.light_memorial_candle,
        name="memorial_candle_light",
    ),
    path("candles/<slug:slug>/light/", events.light_candle, name="event_light"),
    path("candles/<slug:slug>/status.json", events.event_status, name="event_status"),
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
]
