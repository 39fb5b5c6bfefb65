"""Middleware of our own: the Permissions-Policy header, and refusing oversized requests."""

from django.conf import settings
from django.shortcuts import render


class PermissionsPolicyMiddleware:
    """Tell browsers this site never uses the camera, microphone, location or payments."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response


class RequestSizeLimitMiddleware:
    """Refuse a request whose declared body is larger than MAX_REQUEST_BODY_BYTES, with a kind 413.

    It runs before anything reads the body, so an oversized upload is never read into memory or
    onto disk. Form fields are further limited by DATA_UPLOAD_MAX_MEMORY_SIZE (a kind 400).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            length = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            length = 0
        if length > settings.MAX_REQUEST_BODY_BYTES:
            limit_mb = settings.MAX_REQUEST_BODY_BYTES // (1024 * 1024)
            return render(request, "413.html", {"limit_mb": limit_mb}, status=413)
        return self.get_response(request)
