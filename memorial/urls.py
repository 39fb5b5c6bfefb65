from django.conf import settings
from django.contrib import admin
from django.urls import include, path

from tributes.admin.scoping import view_on_site

admin.site.site_header = "Memorial moderation"
admin.site.site_title = "Memorial"
admin.site.index_title = "Moderation and memorials"

urlpatterns = [
    # Before the admin's own "r/" address, which sends any staff user to any object's page.
    path(
        f"{settings.ADMIN_URL}r/<int:content_type_id>/<path:object_id>/",
        admin.site.admin_view(view_on_site),
        name="scoped_view_on_site",
    ),
    path(settings.ADMIN_URL, admin.site.urls),
    path("", include("tributes.urls")),
]

handler400 = "tributes.views.errors.bad_request"
handler403 = "tributes.views.errors.permission_denied"
handler404 = "tributes.views.errors.page_not_found"
handler500 = "tributes.views.errors.server_error"
