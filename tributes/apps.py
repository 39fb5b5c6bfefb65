from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.autoreload import autoreload_started


def watch_page_styles(sender, **kwargs) -> None:
    """The development server restarts when a stylesheet changes: pages carry it inline, read
    once, with its hash in the policy (memorial/page_styles.py)."""
    from memorial.page_styles import STATIC

    sender.watch_dir(STATIC / "css", "*.css")


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
        self.scope_view_on_site()
        autoreload_started.connect(watch_page_styles)

    @staticmethod
    def limit_admin_logins() -> None:
        """Slow password spraying: many usernames tried from one address (see RATE_LIMITS)."""
        from django.contrib import admin

        from tributes.admin.login import AdminLoginForm
        from tributes.security.ratelimits import rate_limited

        admin.site.login_form = AdminLoginForm
        admin.site.login = rate_limited("login")(admin.site.login)

    @staticmethod
    def scope_view_on_site() -> None:
        """The admin's "View on site" address, before Django's own, which sends any staff user
        to any object's page (tributes/admin/scoping.py)."""
        from django.contrib import admin
        from django.urls import path

        from tributes.admin.scoping import view_on_site

        site_urls = admin.site.get_urls

        def get_urls():
            scoped = admin.site.admin_view(view_on_site)
            route = "r/<int:content_type_id>/<path:object_id>/"
            return [path(route, scoped, name="view_on_site"), *site_urls()]

        admin.site.get_urls = get_urls
