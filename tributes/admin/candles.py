"""Candle events, reminders and candles in the admin."""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tributes.access import is_site_moderator
from tributes.admin.scoping import MemorialScopedAdmin
from tributes.candles import lighting
from tributes.models import (
    Candle,
    CandleEvent,
    ReminderSignup,
)


@admin.register(CandleEvent)
class CandleEventAdmin(MemorialScopedAdmin):
    family_moderated_only = False
    list_display = ["title", "memorial", "local_date", "local_time", "time_zone", "is_floating"]
    list_filter = ["is_floating"]
    search_fields = ["title", "memorial__name"]
    list_select_related = ["memorial"]
    raw_id_fields = ["memorial"]
    readonly_fields = ["starts_at", "ends_at", "created_by"]

    def get_exclude(self, request, obj=None):
        # Site-wide and floating events are for site moderators; families add events to a memorial.
        if is_site_moderator(request.user):
            return super().get_exclude(request, obj)
        return ["is_floating"]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        if not is_site_moderator(request.user):
            form.base_fields["memorial"].required = True
        # An empty web address is made from the title and date when the event is saved.
        form.base_fields["slug"].required = False
        form.base_fields["time_zone"].help_text = _(
            "Empty means the memorial's time zone (or the site's for a site-wide event)."
        )
        return form

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(ReminderSignup)
class ReminderSignupAdmin(MemorialScopedAdmin):
    memorial_lookup = "event__memorial"
    family_moderated_only = False
    list_display = [
        "email",
        "event",
        "minutes_before",
        "confirmed_at",
        "sent_at",
        "unsubscribed_at",
    ]
    list_filter = ["confirmed_at", "sent_at"]
    search_fields = ["email", "event__title"]
    list_select_related = ["event"]
    readonly_fields = ["event", "email", "time_zone", "created_at", "sent_at", "attempts"]


@admin.register(Candle)
class CandleAdmin(MemorialScopedAdmin):
    family_moderated_only = False
    list_display = ["name", "message", "words_held", "event", "memorial", "lit_at", "burns_until"]
    list_filter = ["words_held"]
    search_fields = ["name", "message"]
    list_select_related = ["event", "memorial"]
    raw_id_fields = ["event", "memorial"]
    actions = ["show_words_selected"]

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if is_site_moderator(request.user):
            return queryset
        # Held words are for whoever moderates the memorial, as with tributes: a family sees
        # them only where it moderates, and otherwise never reads what was held from them.
        return queryset.exclude(words_held=True, memorial__family_moderates=False)

    @admin.action(description=_("Show the words of selected candles"), permissions=["change"])
    def show_words_selected(self, request, queryset) -> None:
        count = lighting.show_words(queryset, by=request.user)
        shown = ngettext(
            "The name and message of %(count)d candle are now shown.",
            "The names and messages of %(count)d candles are now shown.",
            count,
        )
        self.message_user(request, shown % {"count": count}, messages.SUCCESS)
