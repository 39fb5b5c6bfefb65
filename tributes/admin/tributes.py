"""Tributes, comments and love in the admin: the lists moderators read."""

from __future__ import annotations

from django.contrib import admin
from django.urls import path
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _

from tributes.admin import queue as queue_page
from tributes.admin.moderation import (
    CommentDecisionInline,
    ModerationAdmin,
    QueueFilter,
    TributeDecisionInline,
)
from tributes.admin.photos import admin_thumbnail
from tributes.admin.scoping import MemorialScopedAdmin
from tributes.models import (
    Comment,
    Love,
    Memorial,
    Tribute,
)


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
        # The moderation queue of tributes and comments together (tributes/admin/queue.py).
        queue = self.admin_site.admin_view(self.moderation_queue_view)
        return [
            path("queue/", queue, name="tributes_moderation_queue"),
            *super().get_urls(),
        ]

    def moderation_queue_view(self, request):
        return queue_page.moderation_queue(request, admin_site=self.admin_site)

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


@admin.register(Love)
class LoveAdmin(MemorialScopedAdmin):
    memorial_lookup = "tribute__memorial"
    list_display = ["tribute", "created_at"]
    list_select_related = ["tribute"]
    raw_id_fields = ["tribute"]
