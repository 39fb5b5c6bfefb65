from django.http import HttpResponseServerError
from django.shortcuts import render
from django.template import loader

from tributes.security.kept_text import kept_text


def page_not_found(request, exception):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors here: the error may have come from one of them.
    return HttpResponseServerError(loader.get_template("500.html").render())


def bad_request(request, exception):
    # Reached when a form post is larger than DATA_UPLOAD_MAX_MEMORY_SIZE or otherwise unreadable:
    # its body cannot be read, so there is no text to give back here.
    return render(request, "400.html", status=400)


def permission_denied(request, exception):
    return render(request, "403.html", status=403)


def _sent_from_this_site(request) -> bool:
    origin = request.META.get("HTTP_ORIGIN")
    if origin is None:
        return True
    scheme = "https" if request.is_secure() else "http"
    return origin == f"{scheme}://{request.get_host()}"


def csrf_failure(request, reason=""):
    """A form arrived without a valid security token (usually a page left open for a long time).

    The text is shown back to copy, but there is deliberately no button that resends it: a forged
    cross-site post must not become one click away from being accepted. Text posted from another
    site is not shown at all, so nobody can make this page display their words.
    """
    kept = kept_text(request) if _sent_from_this_site(request) else []
    return render(request, "403_csrf.html", {"kept": kept}, status=403)
