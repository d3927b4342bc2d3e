"""Security tests use the API tests' data: uploads, observations and progress for the first few cities."""

from tests.api.conftest import api_data, fresh_throttle_counts  # noqa: F401  (fixtures)
