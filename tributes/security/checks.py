"""Deployment checks of our own, run by `manage.py check --deploy`."""

from __future__ import annotations

from django.conf import settings
from django.core import checks


@checks.register(checks.Tags.security, deploy=True)
def rate_limits_use_a_shared_cache(app_configs, **kwargs) -> list[checks.CheckMessage]:
    """Counters in one process's memory let each worker count on its own: a deployment must
    share them through Redis."""
    backend = settings.CACHES["default"]["BACKEND"]
    if backend.endswith(("LocMemCache", "DummyCache")):
        return [
            checks.Warning(
                "Rate limits and login throttling are kept in one process's memory.",
                hint="Set REDIS_URL so every worker shares the same counters.",
                id="tributes.W001",
            )
        ]
    return []
