from rest_framework.pagination import LimitOffsetPagination


class BoundedLimitOffset(LimitOffsetPagination):
    """?limit=&offset=: 100 rows by default, at most 1,000 a page whatever a client asks."""

    default_limit = 100
    max_limit = 1000
