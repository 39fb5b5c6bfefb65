from django.conf import settings
from django.http import HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_GET


@require_GET
def robots_txt(request):
    # Nothing is disallowed: a crawler must be able to fetch an unlisted or not-indexed page to
    # read its "noindex". The admin's address is deliberately not named here.
    lines = [
        "User-agent: *",
        "Disallow:",
        f"Sitemap: {settings.SITE_URL}{reverse('tributes:sitemap')}",
    ]
    return HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
