"""Memorials and their photos in the admin: cover uploads, download and erase."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.db import transaction
from django.http import FileResponse
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _

from tributes.admin.photos import admin_thumbnail
from tributes.admin.scoping import MemorialScopedAdmin
from tributes.families import data as family_data
from tributes.families.memorials import set_cover
from tributes.models import (
    Memorial,
    Photo,
)
from tributes.photos.fields import PhotoField


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
    actions = ["download_everything", "erase_everything"]
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
            set_cover(obj, upload, alt_text=form.cleaned_data.get("cover_alt_text") or "")

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
