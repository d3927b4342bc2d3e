"""HTTP Basic on the API under the same sign-in lockout as the login form (django-axes)."""

from rest_framework.authentication import BasicAuthentication
from rest_framework.exceptions import AuthenticationFailed, Throttled

from accounts.lockout import lockout_message, lockout_minutes


class LockedOut(Throttled):
    """429 with Retry-After: too many failed passwords for this account or from this address."""


class LockableBasicAuthentication(BasicAuthentication):
    """Failed passwords count towards the lockout like the login form's; once an account or address is locked, the
    answer is 429 with the Chinese message, and no password is checked (axes refuses before the hasher runs).

    DRF hands django.contrib.auth its own Request, so axes marks that object, not the one its middleware sees: the
    mark is read here."""

    def authenticate_credentials(self, userid, password, request=None):
        try:
            return super().authenticate_credentials(userid, password, request)
        except AuthenticationFailed:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(wait=lockout_minutes() * 60, detail=lockout_message()) from None
            raise
