"""Link previews (Open Graph, Twitter card, description) and the share links of a page."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.templatetags.static import static
from django.urls import reverse
from django.utils.text import Truncator
from django.utils.translation import gettext as _

from tributes.models import CandleEvent, Memorial, Photo
from tributes.sharing import cards
from tributes.sharing.book import print_width
from tributes.sharing.rules import event_is_indexable, event_is_shareable, memorial_is_shareable

register = template.Library()

DESCRIPTION_CHARACTERS = 160


def _absolute(path: str) -> str:
    return f"{settings.SITE_URL}{path}"


def _card_image(view: str, slug: str, card: cards.Card) -> str:
    return _absolute(f"{reverse(view, kwargs={'slug': slug})}?v={card.fingerprint}")


def _description(text: str, fallback: str) -> str:
    text = " ".join(text.split())
    return Truncator(text).chars(DESCRIPTION_CHARACTERS) if text else fallback


@register.inclusion_tag("tributes/_share_meta.html")
def memorial_share_meta(memorial: Memorial) -> dict:
    """Preview meta of a public memorial; nothing at all for an unlisted or private one."""
    if not memorial_is_shareable(memorial):
        return {"share": None}
    card = cards.memorial_card(memorial)
    title = _("Remembering %(name)s") % {"name": memorial.name}
    fallback = _("Remembering %(name)s. Leave a tribute or light a candle.") % {
        "name": memorial.name
    }
    return {
        "share": {
            "type": "article",
            "title": title,
            "description": _description(memorial.story, fallback),
            "url": _absolute(memorial.get_absolute_url()),
            "image": _card_image("tributes:memorial_share_image", memorial.slug, card),
            "image_alt": " · ".join([title, *card.lines]),
            "large_image": True,
        },
        "SITE_NAME": settings.SITE_NAME,
    }


@register.inclusion_tag("tributes/_share_meta.html")
def event_share_meta(event: CandleEvent) -> dict:
    if not event_is_shareable(event):
        return {"share": None}
    card = cards.event_card(event)
    return {
        "share": {
            "type": "article",
            "title": event.title,
            "description": _description(event.message, " · ".join(card.lines)),
            "url": _absolute(event.get_absolute_url()),
            "image": _card_image("tributes:event_share_image", event.slug, card),
            "image_alt": " · ".join([event.title, *card.lines]),
            "large_image": True,
        },
        "SITE_NAME": settings.SITE_NAME,
    }


@register.inclusion_tag("tributes/_share_meta.html")
def home_share_meta() -> dict:
    return {
        "share": {
            "type": "website",
            "title": settings.SITE_NAME,
            "description": _(
                "A quiet place to remember someone you lost: their story, the words of people "
                "who loved them, and candles lit together."
            ),
            "url": _absolute(reverse("tributes:home")),
            "image": _absolute(static("img/icons/icon-512.png")),
            "image_alt": _("A lit candle"),
            "large_image": False,
        },
        "SITE_NAME": settings.SITE_NAME,
    }


@register.inclusion_tag("tributes/_share.html")
def share_links(url: str, title: str) -> dict:
    """A plain link to copy, and buttons (static/js/share.js) for the Web Share API and copying."""
    return {"url": _absolute(url), "title": title}


@register.inclusion_tag("tributes/_share_button.html")
def share_button(url: str, title: str) -> dict:
    """One quiet button (share sheet or copy) for the top of a page; without JavaScript, a link
    to the page's full share section."""
    return {"url": _absolute(url), "title": title}


@register.filter
def print_url(photo: Photo) -> str:
    """The address of the rendition a printed page uses (the widest kept)."""
    return photo.rendition_url(print_width(photo))


@register.filter(name="event_is_indexable")
def event_is_indexable_filter(event: CandleEvent) -> bool:
    """Whether search engines may list the event's page (rules.event_is_indexable)."""
    return event_is_indexable(event)
