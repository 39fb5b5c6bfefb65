from django.conf import settings
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.utils.cache import patch_cache_control
from django.views.decorators.http import require_safe

from tributes.access import can_see_photo, share_links_held
from tributes.models import Photo, Visibility


@require_safe
def photo_file(request, pk: int, width: int):
    """One rendition of a photo, to whoever may see it: never from a public media address."""
    photo = get_object_or_404(Photo.objects.select_related("memorial", "tribute"), pk=pk)
    name = photo.rendition_name(width)
    if name is None or not can_see_photo(
        request.user, photo, share_links=share_links_held(request)
    ):
        raise Http404
    if settings.PHOTOS_IN_BUCKET:
        # The bucket is private: send the browser to a signed address that expires in minutes.
        response = HttpResponseRedirect(default_storage.url(name))
    else:
        try:
            response = FileResponse(default_storage.open(name), content_type="image/webp")
        except FileNotFoundError:
            raise Http404 from None
    if photo.memorial.visibility == Visibility.PUBLIC and photo.is_on_show():
        # A redirect to a signed address must not outlive the signature.
        max_age = 60 if settings.PHOTOS_IN_BUCKET else settings.PHOTO_PUBLIC_CACHE_SECONDS
        patch_cache_control(response, public=True, max_age=max_age)
    else:
        patch_cache_control(response, private=True, no_store=True)
    response.headers["Cross-Origin-Resource-Policy"] = "same-origin"
    return response
