from django import template
from django.db.models import Q

from tributes.admin_scoping import memorials_in_scope
from tributes.models import Comment, Status, Tribute

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_queue(context) -> dict:
    """How many tributes and comments wait for this admin user (two queries)."""
    user = context["request"].user
    memorials = memorials_in_scope(user, family_moderated_only=True)
    to_read = Q(status=Status.PENDING) | Q(status=Status.APPROVED, moderated_at__isnull=True)
    tributes = Tribute.objects.filter(to_read)
    comments = Comment.objects.filter(to_read)
    if memorials is not None:
        tributes = tributes.filter(memorial__in=memorials.values("pk"))
        comments = comments.filter(tribute__memorial__in=memorials.values("pk"))
    return {
        "tributes": tributes.count() if user.has_perm("tributes.view_tribute") else None,
        "comments": comments.count() if user.has_perm("tributes.view_comment") else None,
        # The moderation queue (tributes/admin_queue.py) is for those who may decide.
        "can_moderate": user.has_perm("tributes.change_tribute")
        or user.has_perm("tributes.change_comment"),
    }
