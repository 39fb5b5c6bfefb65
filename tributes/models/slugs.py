"""Readable unique web addresses for memorials and candle events."""

from __future__ import annotations

from django.db import models


def unique_slug(model: type[models.Model], base: str) -> str:
    """`base`, or `base-2`, `base-3`... : the first that no row of `model` uses yet.

    One query per taken candidate; the unique constraint on `slug` still decides a race.
    """
    slug, n = base, 1
    while model._default_manager.filter(slug=slug).exists():
        n += 1
        slug = f"{base}-{n}"
    return slug
