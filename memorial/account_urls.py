"""The account pages: django-allauth's account views behind our own rate limits, and deletion.

Each allauth view keeps allauth's own limits (ACCOUNT_RATE_LIMITS) and also gets ours: its login
the admin login's "login" limit (many names tried from one address), every other page "account".
"""

from allauth.account import urls as allauth_urls
from django.urls import URLPattern, path

from tributes.security.ratelimits import rate_limited
from tributes.views.accounts import delete_account_view


def _limited(pattern: URLPattern) -> URLPattern:
    action = "login" if pattern.name == "account_login" else "account"
    return URLPattern(
        pattern.pattern, rate_limited(action)(pattern.callback), pattern.default_args, pattern.name
    )


urlpatterns = [
    *(_limited(pattern) for pattern in allauth_urls.urlpatterns),
    path("delete/", delete_account_view, name="account_delete"),
]
