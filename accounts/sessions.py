"""Sessions end after a working day without activity (settings.SESSION_COOKIE_AGE), not a working day after signing in:
each request pushes the expiry back. The session is written at most every few minutes rather than on every request
(SESSION_SAVE_EVERY_REQUEST would add a database write to every page)."""

import time

REFRESH_EVERY = 300  # seconds: the expiry may lag the last request by this much
LAST_REFRESH = "_activity"


def mark_activity(sender, request, user, **kwargs) -> None:
    """On sign-in (user_logged_in): the session just written counts as the latest refresh."""
    if hasattr(request, "session"):
        request.session[LAST_REFRESH] = int(time.time())


class SlidingSessionMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            if now - request.session.get(LAST_REFRESH, 0) >= REFRESH_EVERY:
                request.session[LAST_REFRESH] = now  # modified: saved with a fresh expiry and cookie
        return self.get_response(request)
