"""Every refusal of the API has one shape, {"detail": …, "errors": [{"field", "message"}]},
whoever refuses: a view, DRF (a bad body, a missing token, too many requests), or Django before
the API is reached (an address with control characters, a path that matches nothing)."""

from __future__ import annotations

import json
from http import HTTPStatus

from django.http import HttpResponse
from rest_framework.views import exception_handler

API_PREFIX = "/api/v1/"


def _flattened(detail, field: str = "") -> list[dict]:
    if isinstance(detail, dict):
        return [item for key, value in detail.items()
                for item in _flattened(value, f"{field}.{key}" if field else str(key))]
    if isinstance(detail, list):
        return [item for value in detail for item in _flattened(value, field)]
    return [{"field": field, "message": str(detail)}]


def handle(exc, context):
    """DRF's exception handler, its answer reshaped."""
    response = exception_handler(exc, context)
    if response is None:
        return None
    data = response.data
    if isinstance(data, dict) and set(data) == {"detail"}:
        response.data = {"detail": str(data["detail"])}
    else:
        response.data = {"detail": "Yêu cầu có lỗi. / The request has problems.", "errors": _flattened(data)}
    return response


class JsonErrors:
    """An error answered as an HTML page to an API address becomes the same problem as JSON."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if (request.path.startswith(API_PREFIX) and response.status_code >= 400
                and response.get("Content-Type", "").startswith("text/html")):
            reason = HTTPStatus(response.status_code).phrase if response.status_code in HTTPStatus._value2member_map_ \
                else "Error"
            # A refusal that says why in words (tiendo.views.bad_request) keeps its words.
            detail = getattr(response, "refusal", None) or reason
            replaced = HttpResponse(json.dumps({"detail": detail}, ensure_ascii=False), status=response.status_code,
                                    content_type="application/json")
            for header in ("Retry-After", "WWW-Authenticate", "Allow"):
                if header in response:
                    replaced[header] = response[header]
            return replaced
        return response
