"""Which memorials a person working in the admin may see and act on.

Site moderators (superusers and the Moderators group) work on every memorial. A family owner with
staff access works only on the memorials they own: for tributes and comments only where the family
moderates, for candle events on all of their memorials. Every admin built on `MemorialScopedAdmin`
applies that scope to its changelist, change view, actions (they receive the scoped queryset),
foreign-key choice lists and raw-id lookups.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet

from tributes.models import Comment, Memorial, Photo, Tribute
from tributes.roles import MODERATORS_GROUP


def is_site_moderator(user) -> bool:
    if user.is_superuser:
        return True
    cached = getattr(user, "_is_site_moderator", None)
    if cached is None:
        cached = user.groups.filter(name=MODERATORS_GROUP).exists()
        user._is_site_moderator = cached
    return cached


def memorials_in_scope(user, *, family_moderated_only: bool) -> QuerySet[Memorial] | None:
    """The memorials `user` may work on in the admin, or None for every memorial."""
    if is_site_moderator(user):
        return None
    memorials = Memorial.objects.filter(owners=user)
    if family_moderated_only:
        memorials = memorials.filter(family_moderates=True)
    return memorials


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
