"""Who may be shared beyond the link: the one place for previews, share images and the sitemap.

A public memorial may have a preview (title, description, image) wherever its link is posted. An
unlisted one is for people who were given the link: its page is noindex and has no preview image
or description, so that a link passed around does not carry the family's words and photo into
other sites' caches. A private memorial is never shown to anyone but its family.
"""

from __future__ import annotations

from django.db.models import Q

from tributes.models import CandleEvent, Memorial, Visibility


def memorial_is_shareable(memorial: Memorial) -> bool:
    return memorial.visibility == Visibility.PUBLIC


def event_is_shareable(event: CandleEvent) -> bool:
    """Site-wide events, and events of public memorials. Reads `event.memorial`."""
    return event.memorial_id is None or memorial_is_shareable(event.memorial)


def event_is_indexable(event: CandleEvent) -> bool:
    """Site-wide events, and events of memorials whose family let search engines list them."""
    return event.memorial_id is None or event.memorial.is_indexable


def indexable_events():
    """Events the sitemap lists (the same rule as `event_is_indexable`)."""
    return CandleEvent.objects.filter(
        Q(memorial__isnull=True) | Q(memorial__in=Memorial.objects.indexable())
    )
