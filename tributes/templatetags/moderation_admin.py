from django import template

from tributes.moderation.queue import to_read_in_scope

register = template.Library()


@register.simple_tag(takes_context=True)
def moderation_queue(context) -> dict:
    """How many tributes and comments wait for this admin user (two queries)."""
    user = context["request"].user
    tributes, comments = to_read_in_scope(user)
    return {
        "tributes": tributes.count() if user.has_perm("tributes.view_tribute") else None,
        "comments": comments.count() if user.has_perm("tributes.view_comment") else None,
        # The moderation queue (tributes/admin/queue.py) is for those who may decide.
        "can_moderate": user.has_perm("tributes.change_tribute")
        or user.has_perm("tributes.change_comment"),
    }
