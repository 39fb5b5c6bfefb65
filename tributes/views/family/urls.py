"""The family's own pages, under /family/ (namespace "family")."""

from django.urls import path

from tributes.views.family import candles, invitations, memorials, people, queue, settings

app_name = "family"

urlpatterns = [
    path("", memorials.dashboard, name="dashboard"),
    path("new/", memorials.create_memorial, name="create"),
    path("settings/", settings.notifications, name="settings"),
    path("invitation/<str:token>/", invitations.invitation, name="invitation"),
    path("shared/<str:token>/", invitations.shared, name="shared"),
    path("<slug:slug>/", memorials.memorial_home, name="memorial"),
    path("<slug:slug>/edit/", memorials.edit_memorial, name="edit"),
    path("<slug:slug>/publish/", memorials.publish, name="publish"),
    path("<slug:slug>/queue/", queue.queue, name="queue"),
    path("<slug:slug>/queue/restore/", queue.restore, name="restore"),
    path("<slug:slug>/people/", people.people, name="people"),
    path("<slug:slug>/people/invite/", people.invite_owner, name="invite_owner"),
    path("<slug:slug>/people/guests/invite/", people.invite_guest, name="invite_guest"),
    path(
        "<slug:slug>/people/invitations/<int:pk>/cancel/",
        people.cancel_invitation,
        name="cancel_invitation",
    ),
    path(
        "<slug:slug>/people/owners/<int:user_id>/remove/", people.remove_owner, name="remove_owner"
    ),
    path(
        "<slug:slug>/people/guests/<int:user_id>/remove/", people.remove_guest, name="remove_guest"
    ),
    path("<slug:slug>/people/link/", people.share_link, name="share_link"),
    path("<slug:slug>/candles/", candles.candle_times, name="candle_times"),
    path("<slug:slug>/candles/tonight/", candles.tonight, name="tonight"),
    path("<slug:slug>/candles/<int:pk>/", candles.edit_event, name="edit_event"),
    path("<slug:slug>/candles/<int:pk>/cancel/", candles.cancel_event, name="cancel_event"),
    path("<slug:slug>/service/", candles.service, name="service"),
    path("<slug:slug>/service/candle/", candles.service_candle, name="service_candle"),
    path("<slug:slug>/remembering/", settings.remembering_days, name="remembering"),
    path("<slug:slug>/download/", memorials.download, name="download"),
    path("<slug:slug>/delete/", memorials.delete, name="delete"),
]
