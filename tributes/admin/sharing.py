"""Who else looks after or reads a memorial, in the admin: invitations, guests, share links.

For the site's moderators to look at when a family asks for help. Only a hash of each token is
stored, and not even that is shown. Two actions call the families' own functions: cancelling
an invitation and revoking a share link (a link that went where it should not).
"""

from __future__ import annotations

from django.contrib import admin, messages
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tributes.admin.scoping import SiteModeratorsLookAdmin
from tributes.families import sharing
from tributes.models import Guest, Invitation, ShareLink


class InvitationStateFilter(admin.SimpleListFilter):
    title = _("state")
    parameter_name = "state"

    def lookups(self, request, model_admin):
        return [
            ("open", _("Open")),
            ("accepted", _("Accepted")),
            ("cancelled", _("Cancelled")),
            ("expired", _("Expired")),
        ]

    def queryset(self, request, queryset):
        now = timezone.now()
        value = self.value()
        if value == "open":
            return queryset.open()
        if value == "accepted":
            return queryset.filter(accepted_at__isnull=False)
        if value == "cancelled":
            return queryset.filter(accepted_at__isnull=True, cancelled_at__isnull=False)
        if value == "expired":
            return queryset.filter(
                accepted_at__isnull=True, cancelled_at__isnull=True, expires_at__lte=now
            )
        return queryset


@admin.register(Invitation)
class InvitationAdmin(SiteModeratorsLookAdmin):
    list_display = ["email", "memorial", "role", "state", "invited_by", "created_at", "expires_at"]
    list_filter = [InvitationStateFilter, "role", "hands_over"]
    search_fields = ["email", "memorial__name", "memorial__slug"]
    list_select_related = ["memorial", "invited_by"]
    date_hierarchy = "created_at"
    # Never the token's hash.
    fields = [
        "memorial",
        "email",
        "role",
        "hands_over",
        "invited_by",
        "created_at",
        "expires_at",
        "accepted_at",
        "accepted_by",
        "cancelled_at",
    ]
    actions = ["cancel_selected"]

    @admin.display(description=_("state"))
    def state(self, invitation: Invitation) -> str:
        if invitation.accepted_at:
            return _("Accepted")
        if invitation.cancelled_at:
            return _("Cancelled")
        return _("Open") if invitation.is_open() else _("Expired")

    @admin.action(description=_("Cancel the chosen invitations"), permissions=["view"])
    def cancel_selected(self, request, queryset):
        cancelled = 0
        for invitation in queryset.open():
            sharing.cancel_invitation(invitation)
            cancelled += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d invitation cancelled.", "%(count)d invitations cancelled.", cancelled
            )
            % {"count": cancelled},
            messages.SUCCESS,
        )


@admin.register(Guest)
class GuestAdmin(SiteModeratorsLookAdmin):
    list_display = ["user", "user_email", "memorial", "added_at"]
    search_fields = ["user__email", "user__username", "memorial__name", "memorial__slug"]
    list_select_related = ["user", "memorial"]
    date_hierarchy = "added_at"
    fields = ["memorial", "user", "user_email", "added_at"]
    readonly_fields = ["user_email"]

    @admin.display(description=_("email"), ordering="user__email")
    def user_email(self, guest: Guest) -> str:
        return guest.user.email


class WorkingFilter(admin.SimpleListFilter):
    title = _("working")
    parameter_name = "working"

    def lookups(self, request, model_admin):
        return [("yes", _("Working")), ("no", _("Revoked"))]

    def queryset(self, request, queryset):
        if self.value() == "yes":
            return queryset.working()
        if self.value() == "no":
            return queryset.filter(revoked_at__isnull=False)
        return queryset


@admin.register(ShareLink)
class ShareLinkAdmin(SiteModeratorsLookAdmin):
    list_display = ["pk", "memorial", "created_by", "created_at", "working"]
    list_filter = [WorkingFilter]
    search_fields = ["memorial__name", "memorial__slug"]
    list_select_related = ["memorial", "created_by"]
    date_hierarchy = "created_at"
    # Never the token's hash: the link itself exists only in the family's browser.
    fields = ["memorial", "created_by", "created_at", "revoked_at"]
    actions = ["revoke_selected"]

    @admin.display(description=_("working"), boolean=True)
    def working(self, link: ShareLink) -> bool:
        return link.revoked_at is None

    @admin.action(description=_("Revoke the chosen links"), permissions=["view"])
    def revoke_selected(self, request, queryset):
        revoked = queryset.working().update(revoked_at=timezone.now())
        self.message_user(
            request,
            ngettext("%(count)d link revoked.", "%(count)d links revoked.", revoked)
            % {"count": revoked},
            messages.SUCCESS,
        )
