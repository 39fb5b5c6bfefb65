"""The one place that decides who may open a memorial."""

from __future__ import annotations

from django.http import HttpRequest
from django.shortcuts import get_object_or_404

from tributes.models import Memorial


def get_visible_memorial(request: HttpRequest, slug: str) -> Memorial:
    """The memorial at `slug`, or 404 when it is private and the visitor is not an owner."""
    return get_object_or_404(Memorial.objects.visible_to(request.user), slug=slug)
