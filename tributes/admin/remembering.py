"""What families asked to be told, and their funeral or service, in the admin: to look only.

Remembering days, each owner's email choices and the service are the family's; the site's
moderators may look (when an owner asks why a reminder did not come) and change nothing.
"""

from __future__ import annotations

from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tributes.admin.scoping import SiteModeratorsLookAdmin
from tributes.models import FamilySettings, RememberingDay, Service


@admin.register(RememberingDay)
class RememberingDayAdmin(SiteModeratorsLookAdmin):
    list_display = ["memorial", "user", "kind", "days_before", "last_sent_for"]
    list_filter = ["kind", "days_before"]
    search_fields = ["memorial__name", "memorial__slug", "user__email", "user__username"]
    list_select_related = ["memorial", "user"]
    fields = ["memorial", "user", "kind", "days_before", "last_sent_for"]
    readonly_fields = ["last_sent_for"]


@admin.register(FamilySettings)
class FamilySettingsAdmin(SiteModeratorsLookAdmin):
    list_display = ["user", "user_email", "notify", "paused", "digest_sent_on"]
    list_filter = ["notify", "paused"]
    search_fields = ["user__email", "user__username"]
    list_select_related = ["user"]
    fields = ["user", "notify", "paused", "digest_sent_on"]
    readonly_fields = ["digest_sent_on"]

    @admin.display(description=_("email"), ordering="user__email")
    def user_email(self, row: FamilySettings) -> str:
        return row.user.email


@admin.register(Service)
class ServiceAdmin(SiteModeratorsLookAdmin):
    list_display = ["memorial", "title", "local_date", "local_time", "shown"]
    list_filter = ["shown"]
    search_fields = ["memorial__name", "memorial__slug", "title", "place"]
    list_select_related = ["memorial"]
    date_hierarchy = "local_date"
    fields = ["memorial", "title", "local_date", "local_time", "place", "note", "shown"]
