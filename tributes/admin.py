from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.views.main import IS_POPUP_VAR
from django.core.exceptions import ObjectDoesNotExist
from django.db import transaction
from django.db.models import Q
from django.http import FileResponse, HttpResponseRedirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from tributes import admin_queue, candles, family_data, moderation
from tributes.admin_scoping import MemorialScopedAdmin, is_site_moderator
from tributes.images import PhotoField, admin_thumbnail, save_photo
from tributes.models import (
    BlockedTerm,
    Candle,
    CandleEvent,
    Comment,
    Love,
    Memorial,
    ModerationDecision,
    Photo,
    RejectionReason,
    ReminderSignup,
    Status,
    Tribute,
)


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
            previous = obj.cover_photo
            alt_text = form.cleaned_data.get("cover_alt_text") or _("Photo of %(name)s") % {
                "name": obj.name
            }
            obj.cover_photo = save_photo(upload, memorial=obj, alt_text=alt_text)
            obj.save(update_fields=["cover_photo", "updated_at"])
            # A replaced cover that belongs to no tribute is no longer shown anywhere.
            if previous is not None and not Tribute.objects.filter(photo=previous).exists():
                previous.delete()

    def save_related(self, request, form, formsets, change) -> None:
        super().save_related(request, form, formsets, change)
        # Owners of a memorial the family moderates get staff access scoped to it; those who no
        # longer moderate any memorial lose it.
        memorial = form.instance
        moderation.refresh_family_moderator_access(
            {*memorial.owners.all(), *moderation.family_moderators()}
        )

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
        unreviewed = Q(status=Status.APPROVED, moderated_at__isnull=True)
        match self.value():
            case "to_read":
                return queryset.filter(Q(status=Status.PENDING) | unreviewed)
            case "unreviewed":
                return queryset.filter(unreviewed)
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
        return " ".join(admin_queue.why_held(item, item.memorial)) or "—"

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
            lambda item: moderation.approve(item, by=request.user),
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
            lambda item: moderation.reject(item, by=request.user, reason=reason),
            _("Rejected %(count)d. They are kept, hidden, and can be restored."),
        )

    @admin.action(description=_("Mark selected as spam"), permissions=["change"])
    def mark_selected_as_spam(self, request, queryset) -> None:
        self._decide(
            request,
            queryset,
            lambda item: moderation.mark_spam(item, by=request.user),
            _("Marked %(count)d as spam. They are kept, hidden, and can be restored."),
        )

    @admin.action(description=_("Restore selected to the queue"), permissions=["change"])
    def restore_selected(self, request, queryset) -> None:
        self._decide(
            request,
            queryset.filter(status__in=[Status.REJECTED, Status.SPAM]),
            lambda item: moderation.restore(item, by=request.user),
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


@admin.register(Tribute)
class TributeAdmin(ModerationAdmin):
    list_display = [
        "created_at",
        "memorial",
        "author",
        "words",
        "thumbnail",
        "status",
        "moderated_by",
        "moderated_at",
    ]
    list_display_links = ["created_at", "author"]
    list_filter = [
        QueueFilter,
        ("memorial", admin.RelatedOnlyFieldListFilter),
        "memorial__moderation_mode",
    ]
    search_fields = ["author_name", "author_email", "message", "memorial__name"]
    list_select_related = ["memorial", "moderated_by", "photo"]
    content_fields = [
        "memorial",
        "author_name",
        "author_email",
        "notify_on_publish",
        "relationship",
        "emblem",
        "message",
        "photo_preview",
        "love_count",
    ]
    inlines = [TributeDecisionInline]

    def get_urls(self):
        # The moderation queue of tributes and comments together (tributes/admin_queue.py).
        queue = self.admin_site.admin_view(self.moderation_queue_view)
        return [
            path("queue/", queue, name="tributes_moderation_queue"),
            *super().get_urls(),
        ]

    def moderation_queue_view(self, request):
        return admin_queue.moderation_queue(request, admin_site=self.admin_site)

    @admin.display(description=_("Photo"))
    def thumbnail(self, tribute: Tribute):
        return admin_thumbnail(tribute.photo)

    @admin.display(description=_("Photo"))
    def photo_preview(self, tribute: Tribute):
        return admin_thumbnail(tribute.photo, width=400)

    @admin.display(description=_("Tribute"))
    def words(self, tribute: Tribute) -> str:
        return Truncator(tribute.message).chars(300)


@admin.register(Comment)
class CommentAdmin(ModerationAdmin):
    memorial_lookup = "tribute__memorial"
    list_display = [
        "created_at",
        "memorial",
        "author",
        "words",
        "status",
        "moderated_by",
        "moderated_at",
    ]
    list_display_links = ["created_at", "author"]
    list_filter = [QueueFilter, ("tribute__memorial", admin.RelatedOnlyFieldListFilter)]
    search_fields = ["author_name", "author_email", "body", "tribute__memorial__name"]
    list_select_related = ["tribute__memorial", "moderated_by"]
    content_fields = [
        "tribute",
        "author_name",
        "author_email",
        "notify_on_publish",
        "body",
    ]
    inlines = [CommentDecisionInline]

    @admin.display(description=_("Memorial"), ordering="tribute__memorial__name")
    def memorial(self, comment: Comment) -> Memorial:
        return comment.tribute.memorial

    @admin.display(description=_("Comment"))
    def words(self, comment: Comment) -> str:
        return Truncator(comment.body).chars(300)


@admin.register(ModerationDecision)
class ModerationDecisionAdmin(MemorialScopedAdmin):
    """The audit trail, read-only: who decided what, and when."""

    list_display = ["decided_at", "memorial", "item_label", "decision", "reason", "decided_by"]
    list_filter = ["decision", "reason", ("memorial", admin.RelatedOnlyFieldListFilter)]
    list_select_related = ["memorial", "decided_by"]
    search_fields = ["item_label", "memorial__name", "decided_by__username"]
    date_hierarchy = "decided_at"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


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
        count = candles.show_words(queryset, by=request.user)
        shown = ngettext(
            "The name and message of %(count)d candle are now shown.",
            "The names and messages of %(count)d candles are now shown.",
            count,
        )
        self.message_user(request, shown % {"count": count}, messages.SUCCESS)


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
