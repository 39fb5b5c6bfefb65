"""Caches as a request finds them on a cold start: the shared cache and what each process keeps."""

from django.core.cache import cache

from tributes import shared_cache


def start_cold() -> None:
    """Empty the shared cache and what `shared_cache.shared_briefly` keeps in this process."""
    cache.clear()
    shared_cache.forget_kept_here()
