from django.conf import settings


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
            from tributes.views.errors import request_too_large

            return request_too_large(request)
        return self.get_response(request)
