from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from memorial.health import healthz

admin.site.site_header = "Memorial moderation"
admin.site.site_title = "Memorial"
admin.site.index_title = "Moderation and memorials"

urlpatterns = [
    path(settings.ADMIN_URL, admin.site.urls),
    path("accounts/", include("memorial.account_urls")),
    path("family/", include("tributes.views.family.urls")),
    path("healthz", healthz, name="healthz"),
    path("", include("tributes.urls")),
]

handler400 = "tributes.views.errors.bad_request"
handler403 = "tributes.views.errors.permission_denied"
handler404 = "tributes.views.errors.page_not_found"
handler500 = "tributes.views.errors.server_error"
# allauth looks here for the page to show when one of its rate limits is reached.
handler429 = "tributes.views.accounts.account_rate_limited"
