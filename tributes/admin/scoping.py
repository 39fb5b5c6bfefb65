"""The admin's scoping: every list, page, action and choice limited to the person's memorials.

Who may work on which memorial is decided in tributes/access.py (`memorials_in_scope`). Every
admin built on `MemorialScopedAdmin` applies that scope to its changelist, change view, actions
(they receive the scoped queryset), foreign-key choice lists and raw-id lookups.
"""

from __future__ import annotations

from django.contrib import admin
from django.db.models import QuerySet

from tributes.access import memorials_in_scope
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
