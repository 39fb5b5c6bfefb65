from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from tributes.admin_scoping import MemorialScopedAdmin, is_site_moderator
from tributes.models import (
    Candle,
    CandleEvent,
    Comment,
    Love,
    Memorial,
    Photo,
    ReminderSignup,
    Tribute,
)


@admin.register(Memorial)
class MemorialAdmin(MemorialScopedAdmin):
    memorial_lookup = ""
    family_moderated_only = False
    list_display = [
        "name",
        "slug",
        "visibility",
        "moderation_mode",
        "family_moderates",
        "updated_at",
    ]
    list_filter = ["visibility", "moderation_mode", "family_moderates"]
    search_fields = ["name", "slug"]
    prepopulated_fields = {"slug": ["name"]}
    filter_horizontal = ["owners"]
    raw_id_fields = ["cover_photo"]


@admin.register(Tribute)
class TributeAdmin(MemorialScopedAdmin):
    list_display = ["author_name", "memorial", "short_message", "emblem", "status", "created_at"]
    list_filter = ["status", "emblem", "memorial__moderation_mode"]
    search_fields = ["author_name", "author_email", "message", "memorial__name"]
    list_select_related = ["memorial"]
    raw_id_fields = ["memorial", "photo"]
    readonly_fields = ["moderated_by", "moderated_at", "love_count", "created_at"]
    date_hierarchy = "created_at"

    @admin.display(description="Message")
    def short_message(self, tribute: Tribute) -> str:
        return tribute.message[:80]


@admin.register(Comment)
class CommentAdmin(MemorialScopedAdmin):
    memorial_lookup = "tribute__memorial"
    list_display = ["author_name", "tribute", "short_body", "status", "created_at"]
    list_filter = ["status"]
    search_fields = ["author_name", "author_email", "body"]
    list_select_related = ["tribute", "tribute__memorial"]
    raw_id_fields = ["tribute"]
    readonly_fields = ["moderated_by", "moderated_at", "created_at"]

    @admin.display(description="Comment")
    def short_body(self, comment: Comment) -> str:
        return comment.body[:80]


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
    list_display = ["name", "event", "memorial", "lit_at", "burns_until"]
    search_fields = ["name", "message"]
    list_select_related = ["event", "memorial"]
    raw_id_fields = ["event", "memorial"]


@admin.register(Photo)
class PhotoAdmin(MemorialScopedAdmin):
    list_display = ["pk", "memorial", "alt_text", "width", "height", "created_at"]
    list_select_related = ["memorial"]
    raw_id_fields = ["memorial"]


@admin.register(Love)
class LoveAdmin(MemorialScopedAdmin):
    memorial_lookup = "tribute__memorial"
    list_display = ["tribute", "created_at"]
    list_select_related = ["tribute"]
    raw_id_fields = ["tribute"]
