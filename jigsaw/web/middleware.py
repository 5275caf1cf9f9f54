class NoStoreMiddleware:
    """Pages may carry personal data: no browser or proxy may keep a copy."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        response.setdefault("Cache-Control", "no-store")
        return response
