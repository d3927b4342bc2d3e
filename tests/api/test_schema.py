"""Schemathesis against the OpenAPI schema the site serves: for every operation, examples that fit the schema and
examples that do not, sent as an administrator through the site's WSGI application; no answer may be a server error,
and every answer must have a status, content type and body the schema documents."""

import json

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, settings
from rest_framework.authtoken.models import Token
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


def generated_schema() -> dict:
    """The schema as /api/schema/ serves it (test_the_schema_tested_is_the_one_served checks they are the same)."""
    return json.loads(OpenApiJsonRenderer().render(SchemaGenerator().get_schema(request=None, public=True)))


schema = schemathesis.openapi.from_dict(generated_schema())


@pytest.fixture
def admin_token(admin_user, fresh_throttle_counts) -> dict:
    return {"Authorization": f"Token {Token.objects.create(user=admin_user).key}"}


@pytest.fixture
def wsgi_app():
    """The site's WSGI application in this process, on the test's database transaction: as Django's test client
    does, requests do not close the connection when they end."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield get_wsgi_application()
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.fixture
def two_cities(api_data):
    """Uploads, observations and progress for two cities, made once for all the examples of an operation."""
    return api_data(cities=2)


def test_the_schema_tested_is_the_one_served(client, admin_user):
    client.force_login(admin_user)
    served = client.get("/api/schema/", HTTP_ACCEPT="application/vnd.oai.openapi+json").json()
    assert served == generated_schema()
    assert len(served["paths"]) >= 15


@schema.parametrize()
@settings(max_examples=10, deadline=None, suppress_health_check=list(HealthCheck))
@pytest.mark.slow
def test_every_operation_answers_as_its_schema_says(case, wsgi_app, admin_token, two_cities):
    # identity: the WSGI transport hands schemathesis the body as sent, and the site gzips what a client accepts gzipped
    case.call_and_validate(headers={**admin_token, "Accept-Encoding": "identity"}, checks=CHECKS, app=wsgi_app)
