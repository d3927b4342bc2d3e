"""Request rates per signed-in user and per anonymous address (settings.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"])."""

import logging

from redis.exceptions import RedisError
from rest_framework.settings import api_settings
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle

log = logging.getLogger(__name__)


class _Rate:
    def get_rate(self):
        # Read per request rather than once at import, so a changed setting takes effect.
        return api_settings.DEFAULT_THROTTLE_RATES.get(self.scope)

    def allow_request(self, request, view):
        try:
            return super().allow_request(request, view)
        except (OSError, RedisError) as error:
            # The cache holding the counts is down: serve the API unthrottled rather than not at all.
            log.warning("API throttling skipped, its cache is unavailable: %s", error)
            return True


class AnonymousRate(_Rate, AnonRateThrottle):
    pass


class UserRate(_Rate, UserRateThrottle):
    pass
