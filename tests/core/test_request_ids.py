"""Each request's id, on its response and on every log line written while it is served."""

from __future__ import annotations

import io
import json
import logging

import pytest
from django.conf import settings
from django.http import HttpResponse
from django.test import RequestFactory

from core.request_ids import RequestIdFilter, RequestIdMiddleware

# Closing a response tells Django's handlers the request finished; one tidies connections.
pytestmark = pytest.mark.django_db

logger = logging.getLogger("tests.request_ids")


@pytest.fixture
def json_lines():
    """Log lines as production writes them with LOG_FORMAT=json (the settings' formatter)."""
    formatter_config = dict(settings.LOGGING["formatters"]["json"])
    formatter_class = formatter_config.pop("()")
    module, _, name = formatter_class.rpartition(".")
    formatter = getattr(__import__(module, fromlist=[name]), name)(**formatter_config)
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.setFormatter(formatter)
    handler.addFilter(RequestIdFilter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    logger.removeHandler(handler)


def serve(headers: dict[str, str] | None = None) -> HttpResponse:
    """One request through the middleware, then closed, as a server closes each response."""

    def view(request):
        logger.info("serving")
        return HttpResponse("ok")

    response = RequestIdMiddleware(view)(RequestFactory().get("/", headers=headers or {}))
    response.close()  # sends request_finished
    return response


def test_each_log_line_of_a_request_carries_the_id_its_response_does(json_lines):
    response = serve()
    logger.info("after")

    serving, after = json_lines()
    assert serving["message"] == "serving"
    assert serving["request_id"] == response["X-Request-ID"]
    assert len(response["X-Request-ID"]) == 32
    assert after["request_id"] == "-"


def test_the_proxys_id_is_kept(json_lines):
    response = serve({"X-Request-ID": "7f3c2a9e-proxy-id"})

    assert response["X-Request-ID"] == "7f3c2a9e-proxy-id"
    assert json_lines()[0]["request_id"] == "7f3c2a9e-proxy-id"


@pytest.mark.parametrize("offered", ['x" injected="1', "short", "a" * 65, "id\nsecond line"])
def test_an_unfit_id_is_replaced(offered):
    response = serve({"X-Request-ID": offered})

    assert response["X-Request-ID"] != offered
    assert len(response["X-Request-ID"]) == 32
