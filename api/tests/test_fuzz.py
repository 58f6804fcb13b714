"""The schema-driven fuzzer: schemathesis makes requests for every operation of the published
schema (/api/v1/schema/) and calls the application with them (its WSGI entry, as a server
would) with an approver's token, checking that no answer is a server error and that every
answer fits the schema: a documented status, content type, headers and body. Bounded: a few
examples per operation.

Not asked: that every well-typed request is accepted (positive_data_acceptance) or every
ill-typed one refused (negative_data_rejection): a year in which no period exists, a program
code that names none, or control characters in an address (refused site-wide) are well-typed
and rightly answered 400 or 404; a name the API does not know in the query is ignored."""

import pytest
import schemathesis
from django.core import signals
from django.core.cache import cache
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, settings
from schemathesis import checks

from api.testing import TokenClient

EXAMPLES_PER_OPERATION = 3
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance, checks.response_headers_conformance]


@pytest.fixture
def _connection_kept():
    """Django's handler closes the database connection after each request; inside a test's
    transaction it must stay open, as Django's own test client keeps it."""
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# The published schema, fetched from the application itself (serving it reads no database).
schema = schemathesis.openapi.from_wsgi("/api/v1/schema/", get_wsgi_application())


@pytest.fixture
def approver_token(w, settings, _connection_kept):
    settings.API_REQUESTS_PER_MINUTE = 100_000
    cache.clear()
    return TokenClient(w.approver, "fuzz").secret


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
          phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
def test_no_operation_breaks_its_schema_or_the_server(case, approver_token):
    case.call_and_validate(headers={"Authorization": f"Bearer {approver_token}"}, checks=CHECKS)
