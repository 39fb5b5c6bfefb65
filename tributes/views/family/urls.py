"""The family's own pages, under /family/ (namespace "family")."""

from django.urls import path

from tributes.views.family import memorials, queue

app_name = "family"

urlpatterns = [
    path("", memorials.dashboard, name="dashboard"),
    path("new/", memorials.create_memorial, name="create"),
    path("<slug:slug>/", memorials.memorial_home, name="memorial"),
    path("<slug:slug>/edit/", memorials.edit_memorial, name="edit"),
    path("<slug:slug>/queue/", queue.queue, name="queue"),
    path("<slug:slug>/queue/restore/", queue.restore, name="restore"),
]
