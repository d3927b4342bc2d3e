from rest_framework.permissions import IsAuthenticated


class SignedIn(IsAuthenticated):
    """Signed in (token, Basic or session). A request without credentials counts against the anonymous rate before
    it is refused, so it can be throttled too: DRF checks throttles only after permissions."""

    def has_permission(self, request, view):
        if super().has_permission(request, view):
            return True
        view.check_throttles(request)
        return False
