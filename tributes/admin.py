from django import forms
from django.contrib import admin
from django.db import transaction
from django.utils.translation import gettext_lazy as _

from tributes.admin_scoping import MemorialScopedAdmin
from tributes.images import PhotoField, admin_thumbnail, save_photo
from tributes.models import Candle, CandleEvent, Comment, Love, Memorial, Photo, Tribute


class MemorialAdminForm(forms.ModelForm):
    """The memorial form with a cover upload; the admin supplies the model and its fields."""

    cover_upload = PhotoField(
        label=_("Upload a new cover photo"),
        required=False,
        help_text=_(
            "A JPEG, PNG, WebP, GIF or HEIC image. It replaces the current cover; location and "
            "camera details are removed before it is stored."
        ),
    )
    cover_alt_text = forms.CharField(
        label=_("Description of the new cover photo"),
        max_length=300,
        required=False,
        help_text=_('For people who cannot see it. Left empty: "Photo of" and their name.'),
    )

    def clean_cover_photo(self):
        photo = self.cleaned_data.get("cover_photo")
        # Only one of this memorial's own photos can be its cover.
        if photo is not None and photo.memorial_id != self.instance.pk:
            raise forms.ValidationError(_("Please choose a photo of this memorial."))
        return photo


@admin.register(Memorial)
class MemorialAdmin(MemorialScopedAdmin):
    memorial_lookup = ""
    family_moderated_only = False
    list_display = [
        "cover_thumbnail",
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
    form = MemorialAdminForm
    readonly_fields = ["cover_preview"]
    list_select_related = ["cover_photo"]

    @admin.display(description=_("Cover"))
    def cover_thumbnail(self, memorial: Memorial):
        return admin_thumbnail(memorial.cover_photo)

    @admin.display(description=_("Current cover photo"))
    def cover_preview(self, memorial: Memorial):
        return admin_thumbnail(memorial.cover_photo, width=200)

    def save_model(self, request, obj, form, change) -> None:
        upload = form.cleaned_data.get("cover_upload")
        with transaction.atomic():
            super().save_model(request, obj, form, change)
            if upload is None:
                return
            previous = obj.cover_photo
            alt_text = form.cleaned_data.get("cover_alt_text") or _("Photo of %(name)s") % {
                "name": obj.name
            }
            obj.cover_photo = save_photo(upload, memorial=obj, alt_text=alt_text)
            obj.save(update_fields=["cover_photo", "updated_at"])
            # A replaced cover that belongs to no tribute is no longer shown anywhere.
            if previous is not None and not Tribute.objects.filter(photo=previous).exists():
                previous.delete()


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
    list_display = ["name", "event", "memorial", "lit_at", "burns_until"]
    search_fields = ["name", "message"]
    list_select_related = ["event", "memorial"]
    raw_id_fields = ["event", "memorial"]


@admin.register(Photo)
class PhotoAdmin(MemorialScopedAdmin):
    list_display = ["thumbnail", "pk", "memorial", "alt_text", "width", "height", "created_at"]
    list_display_links = ["thumbnail", "pk"]
    list_select_related = ["memorial"]
    search_fields = ["alt_text", "memorial__name"]
    fields = ["preview", "memorial", "alt_text", "width", "height", "created_at"]
    readonly_fields = ["preview", "memorial", "width", "height", "created_at"]

    @admin.display(description=_("Photo"))
    def thumbnail(self, photo: Photo):
        return admin_thumbnail(photo)

    @admin.display(description=_("Photo"))
    def preview(self, photo: Photo):
        return admin_thumbnail(photo, width=400)

    def has_add_permission(self, request) -> bool:
        # Photos come only from uploads on a memorial or a tribute, through the image pipeline.
        return False


@admin.register(Love)
class LoveAdmin(MemorialScopedAdmin):
    memorial_lookup = "tribute__memorial"
    list_display = ["tribute", "created_at"]
    list_select_related = ["tribute"]
    raw_id_fields = ["tribute"]
