"""What tributes and comments share in the admin: the to-read filter, decisions, the audit trail
and the blocked terms."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import IS_POPUP_VAR
from django.core.exceptions import ObjectDoesNotExist
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from tributes.access import is_site_moderator
from tributes.admin.scoping import LookOnly, MemorialScopedAdmin
from tributes.models import (
    BlockedTerm,
    ModerationDecision,
    RejectionReason,
    Status,
)
from tributes.moderation import decisions, queue


class QueueFilter(admin.SimpleListFilter):
    """The moderation queue by default: what waits for approval or was published unread."""

    title = _("queue")
    parameter_name = "queue"

    def __init__(self, request, params, model, model_admin):
        # A raw-id lookup popup lists everything; the queue itself opens on what is to read.
        self.default = "all" if IS_POPUP_VAR in request.GET else "to_read"
        super().__init__(request, params, model, model_admin)

    def lookups(self, request, model_admin):
        return [
            ("to_read", _("To read (waiting, or published unread)")),
            ("pending", _("Waiting for approval")),
            ("unreviewed", _("Published without review")),
            ("approved", _("Published")),
            ("rejected", _("Rejected")),
            ("spam", _("Spam")),
            ("all", _("All")),
        ]

    def value(self):
        return super().value() or self.default

    def queryset(self, request, queryset):
        match self.value():
            case "to_read":
                return queryset.to_read()
            case "unreviewed":
                return queryset.unreviewed()
            case "pending" | "approved" | "rejected" | "spam" as status:
                return queryset.filter(status=status)
        return queryset

    def choices(self, changelist):
        for lookup, title in self.lookup_choices:
            yield {
                "selected": self.value() == lookup,
                "query_string": changelist.get_query_string({self.parameter_name: lookup}),
                "display": title,
            }


class ModerationActionForm(helpers.ActionForm):
    reason = forms.ChoiceField(
        label=_("Reason to reject:"),
        required=False,
        choices=[("", "---------"), *RejectionReason.choices],
    )


class ModerationDecisionInline(admin.TabularInline):
    model = ModerationDecision
    fields = ["decided_at", "decision", "reason", "decided_by"]
    readonly_fields = fields
    extra = 0
    can_delete = False
    verbose_name_plural = _("Moderation decisions")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("decided_by")


class TributeDecisionInline(ModerationDecisionInline):
    fk_name = "tribute"


class CommentDecisionInline(ModerationDecisionInline):
    fk_name = "comment"


class ModerationAdmin(MemorialScopedAdmin):
    """What tributes and comments share in the admin: the queue, decisions and their audit."""

    action_form = ModerationActionForm
    actions = ["approve_selected", "reject_selected", "mark_selected_as_spam", "restore_selected"]
    # The queue is read oldest first: nobody waits longer than the people before them.
    ordering = ["created_at"]
    list_per_page = 50
    content_fields: list[str] = []
    decision_fields = [
        "held_because",
        "status",
        "rejection_reason",
        "moderated_by",
        "moderated_at",
        "created_at",
        "updated_at",
    ]
    change_form_template = "admin/tributes/moderated_change_form.html"
    # Each list links to the moderation queue, where tributes and comments are read together.
    change_list_template = "admin/tributes/moderated_change_list.html"

    class Media:
        css = {"all": ["css/admin_moderation.css"]}

    def get_fields(self, request, obj=None):
        fields = [*self.content_fields, *self.decision_fields]
        if not is_site_moderator(request.user):
            # Visitors are told that their email is never shown; a family sees the words only.
            fields.remove("author_email")
        return fields

    def get_fieldsets(self, request, obj=None):
        fields = self.get_fields(request, obj)
        return [
            (_("What was written"), {"fields": [f for f in fields if f in self.content_fields]}),
            (_("Moderation"), {"fields": [f for f in fields if f in self.decision_fields]}),
        ]

    @admin.display(description=_("Author"), ordering="author_name")
    def author(self, item) -> str:
        return item.author_name

    @admin.display(description=_("Why it was held"))
    def held_because(self, item) -> str:
        return " ".join(queue.why_held(item, item.memorial)) or "—"

    def get_readonly_fields(self, request, obj=None):
        # Moderators decide; they never change anyone's words.
        return self.get_fields(request, obj)

    def get_search_fields(self, request):
        if is_site_moderator(request.user):
            return self.search_fields
        return [field for field in self.search_fields if field != "author_email"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        # Moderation never deletes: rejected items are kept and can be restored.
        return False

    def save_model(self, request, obj, form, change) -> None:
        # Every field is read-only: a full save would only write back stale values
        # (a love counted meanwhile), so there is nothing to save.
        if not change:
            super().save_model(request, obj, form, change)

    def _decide(self, request, queryset, decide, done: str) -> None:
        count = 0
        for item in queryset:
            try:
                decide(item)
            except ObjectDoesNotExist:
                # Its author deleted it while the moderator was reading the list.
                continue
            count += 1
        self.message_user(request, done % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Approve and publish selected"), permissions=["change"])
    def approve_selected(self, request, queryset) -> None:
        self._decide(
            request,
            queryset,
            lambda item: decisions.approve(item, by=request.user),
            _("Approved %(count)d."),
        )

    @admin.action(description=_("Reject selected (choose a reason)"), permissions=["change"])
    def reject_selected(self, request, queryset) -> None:
        reason = request.POST.get("reason", "")
        if reason not in RejectionReason.values:
            self.message_user(
                request,
                _("Please choose a reason to reject. Nothing was changed."),
                messages.WARNING,
            )
            return
        self._decide(
            request,
            queryset,
            lambda item: decisions.reject(item, by=request.user, reason=reason),
            _("Rejected %(count)d. They are kept, hidden, and can be restored."),
        )

    @admin.action(description=_("Mark selected as spam"), permissions=["change"])
    def mark_selected_as_spam(self, request, queryset) -> None:
        self._decide(
            request,
            queryset,
            lambda item: decisions.mark_spam(item, by=request.user),
            _("Marked %(count)d as spam. They are kept, hidden, and can be restored."),
        )

    @admin.action(description=_("Restore selected to the queue"), permissions=["change"])
    def restore_selected(self, request, queryset) -> None:
        self._decide(
            request,
            queryset.filter(status__in=[Status.REJECTED, Status.SPAM]),
            lambda item: decisions.restore(item, by=request.user),
            _("Put %(count)d back in the queue."),
        )

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The decision buttons under one item: the same decisions as the bulk actions.

        Handled before the form, which has nothing to save (every field is read-only).
        """
        decision = request.POST.get("_decision") if request.method == "POST" else None
        if object_id is None or decision is None:
            return super().changeform_view(request, object_id, form_url, extra_context)
        queryset = self.get_queryset(request).filter(pk=object_id)
        if not queryset.exists() or not self.has_change_permission(request, queryset.first()):
            # Out of this person's scope: the same answer as for an object that does not exist.
            return self._get_obj_does_not_exist_redirect(request, self.opts, object_id)
        actions = {
            "approve": self.approve_selected,
            "reject": self.reject_selected,
            "spam": self.mark_selected_as_spam,
            "restore": self.restore_selected,
        }
        if decision in actions:
            actions[decision](request, queryset)
        return HttpResponseRedirect(
            reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
        )

    def render_change_form(self, request, context, *args, **kwargs):
        context["rejection_reasons"] = RejectionReason.choices
        # Nothing here is edited, only decided: the decision buttons replace the save buttons.
        context.update(
            show_save=False, show_save_and_continue=False, show_save_and_add_another=False
        )
        return super().render_change_form(request, context, *args, **kwargs)


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(LookOnly, MemorialScopedAdmin):
    """The audit trail, read-only: who decided what, and when."""

    list_display = ["decided_at", "memorial", "item_label", "decision", "reason", "decided_by"]
    list_filter = ["decision", "reason", ("memorial", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["memorial", "decided_by"]
    search_fields = ["item_label", "memorial__name", "decided_by__username"]
    date_hierarchy = "decided_at"


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
