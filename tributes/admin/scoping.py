"""The admin's scoping: every list, page, action and choice limited to the person's memorials.

Who may work on which memorial is decided in tributes/access.py (`memorials_in_scope`). Every
admin built on `MemorialScopedAdmin` applies that scope to its changelist, change view, actions
(they receive the scoped queryset), foreign-key choice lists and raw-id lookups; the admin's
"View on site" link goes through `view_on_site` below.
"""

from __future__ import annotations

from django.contrib import admin
from django.contrib.contenttypes.models import ContentType
from django.contrib.contenttypes.views import shortcut
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from tributes.access import is_site_moderator, memorials_in_scope
from tributes.models import Comment, Memorial, Photo, Tribute


class MemorialScopedAdmin(admin.ModelAdmin):
    # The lookup from this admin's model to its memorial ("" for Memorial itself).
    memorial_lookup = "memorial"
    # Tributes and comments are only the family's to moderate when the memorial says so.
    family_moderated_only = True

    def scope(self, request) -> QuerySet[Memorial] | None:
        return memorials_in_scope(request.user, family_moderated_only=self.family_moderated_only)

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        memorials = self.scope(request)
        if memorials is None:
            return queryset
        field = f"{self.memorial_lookup}__in" if self.memorial_lookup else "pk__in"
        return queryset.filter(**{field: memorials.values("pk")})

    def changelist_view(self, request, extra_context=None):
        # PostgreSQL cannot compare text with a NUL: a filter such as ?status__exact=%00 would
        # fail inside the query. It is a kind 400 instead.
        if any("\x00" in name or "\x00" in value for name, value in request.GET.items()):
            return render(request, "400.html", status=400)
        return super().changelist_view(request, extra_context)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        memorials = self.scope(request)
        if memorials is not None:
            related = db_field.related_model
            if related is Memorial:
                kwargs["queryset"] = memorials
            elif related is Tribute:
                kwargs["queryset"] = Tribute.objects.filter(memorial__in=memorials)
            elif related is Comment:
                kwargs["queryset"] = Comment.objects.filter(tribute__memorial__in=memorials)
            elif related is Photo:
                kwargs["queryset"] = Photo.objects.filter(memorial__in=memorials)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class LookOnly:
    """An admin to look at, never to add, change or delete (a ModelAdmin mixin)."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


class SiteModeratorsLookAdmin(LookOnly, admin.ModelAdmin):
    """For the site's moderators only, and only to look: what families decided (invitations,
    guests, links, reminders) is changed by the families on their own pages, never here.

    Other staff see none of it. Actions that call the families' own functions may be added
    with `permissions=["view"]`.
    """

    def has_view_permission(self, request, obj=None) -> bool:
        return is_site_moderator(request.user) and super().has_view_permission(request, obj)


def view_on_site(request, content_type_id: int, object_id: str):
    """The admin's "View on site" redirect, for objects this person may open in the admin only.

    Django's own (`admin:view_on_site`) sends any staff user to any object's public address,
    a private memorial's included. Here the object must be in the person's admin queryset
    (scoped above) and viewable by them, or the answer is a 404 that says nothing.
    """
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    model_admin = admin.site._registry.get(model)
    if model_admin is None or not model_admin.has_view_or_change_permission(request):
        raise Http404
    try:
        in_scope = model_admin.get_queryset(request).filter(pk=object_id).exists()
    except (ValueError, ValidationError):
        in_scope = False
    if not in_scope:
        raise Http404
    return shortcut(request, content_type_id, object_id)
