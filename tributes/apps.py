from django.apps import AppConfig
from django.db.models.signals import post_migrate


class TributesConfig(AppConfig):
    name = "tributes"
    verbose_name = "Memorials and tributes"

    def ready(self) -> None:
        from tributes import signals
        from tributes.roles import sync_after_migrate
        from tributes.security import checks  # noqa: F401 (registers the deploy checks)
        from tributes.security import log as security_log

        post_migrate.connect(sync_after_migrate, sender=self)
        signals.connect()
        security_log.connect()
        self.limit_admin_logins()

    @staticmethod
    def limit_admin_logins() -> None:
        """Slow password spraying: many usernames tried from one address (see RATE_LIMITS)."""
        from django.contrib import admin

        from tributes.security.ratelimits import rate_limited

        admin.site.login = rate_limited("login")(admin.site.login)
