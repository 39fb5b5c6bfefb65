from django.contrib import admin, messages
from django.http import FileResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from tributes import family_data
from tributes.admin_scoping import MemorialScopedAdmin
from tributes.models import (
    BlockedTerm,
    Candle,
    CandleEvent,
    Comment,
    Love,
    Memorial,
    Photo,
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
    actions = ["download_everything", "erase_everything"]

    @admin.action(description=_("Download everything (a ZIP of texts and photos)"))
    def download_everything(self, request, queryset):
        if queryset.count() != 1:
            self.message_user(
                request, _("Please choose one memorial to download."), messages.WARNING
            )
            return None
        memorial = queryset.get()
        archive = family_data.export_memorial(memorial, by=request.user)
        return FileResponse(
            archive,
            as_attachment=True,
            filename=f"{memorial.slug}.zip",
            content_type="application/zip",
        )

    @admin.action(
        description=_("Delete with every tribute, comment, candle and photo file"),
        permissions=["delete"],
    )
    def erase_everything(self, request, queryset):
        """Ask once, then erase. Needs only the right to delete the memorial itself: a family
        deciding to remove their memorial removes everything written on it."""
        if request.POST.get("confirm") == "yes":
            count = queryset.count()
            family_data.erase_memorials(queryset, by=request.user)
            self.message_user(
                request,
                _("Deleted %(count)d memorial(s) with everything on them.") % {"count": count},
                messages.SUCCESS,
            )
            return None
        context = {
            **self.admin_site.each_context(request),
            "title": _("Delete everything?"),
            "opts": self.model._meta,
            "memorials": family_data.erasure_summary(queryset),
            "action": "erase_everything",
            "action_checkbox_name": admin.helpers.ACTION_CHECKBOX_NAME,
        }
        return TemplateResponse(request, "admin/tributes/memorial/erase_confirmation.html", context)

    # Deleting a memorial here, one or several, also removes its photo files from storage.
    def delete_model(self, request, obj):
        family_data.erase_memorials([obj], by=request.user)

    def delete_queryset(self, request, queryset):
        family_data.erase_memorials(queryset, by=request.user)


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


@admin.register(Candle)
class CandleAdmin(MemorialScopedAdmin):
    family_moderated_only = False
    list_display = ["name", "message", "event", "memorial", "lit_at", "burns_until"]
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


@admin.register(BlockedTerm)
class BlockedTermAdmin(admin.ModelAdmin):
    """Site-wide list of words and email domains that hold a message for moderation."""

    list_display = ["value", "kind", "note", "created_at"]
    list_filter = ["kind"]
    search_fields = ["value", "note"]

    def save_model(self, request, obj, form, change):
        if not change:
            obj.created_by = request.user
        super().save_model(request, obj, form, change)
