"""{% page_styles %}: the site's stylesheet inside the page (memorial/page_styles.py says why)."""

from __future__ import annotations

from django import template
from django.conf import settings
from django.utils.html import format_html
from django.utils.safestring import mark_safe

from memorial.page_styles import inline_css

register = template.Library()


@register.simple_tag
def page_styles() -> str:
    # Our own stylesheet files, never anything a visitor wrote; the CSP allows it by its hash.
    css = inline_css(settings.STATIC_URL, settings.HASHED_STATIC_NAMES)
    return format_html("<style>{}</style>", mark_safe(css))  # noqa: S308
