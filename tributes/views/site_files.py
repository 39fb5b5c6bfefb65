import datetime as dt

from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_safe


@require_safe
def robots_txt(request):
    # Nothing is disallowed: a crawler must be able to fetch an unlisted or not-indexed page to
    # read its "noindex". The admin's address is deliberately not named here.
    lines = [
        "User-agent: *",
        "Disallow:",
        f"Sitemap: {settings.SITE_URL}{reverse('tributes:sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")


@require_safe
def security_txt(request):
    """RFC 9116: where to report a security problem."""
    expires = (timezone.now() + dt.timedelta(days=365)).replace(microsecond=0)
    lines = [
        f"Contact: mailto:{settings.SECURITY_CONTACT}",
        f"Expires: {expires.astimezone(dt.UTC).isoformat().replace('+00:00', 'Z')}",
        "Preferred-Languages: en",
        f"Canonical: {settings.SITE_URL}{reverse('tributes:security_txt')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
