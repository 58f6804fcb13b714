"""The published schema: served as OpenAPI 3 JSON, every field and parameter described in
Vietnamese and English, its documentation page served from our own static files; and a client
written from the schema alone (operations found by their operationId, addresses built from the
schema's paths, nothing imported from the project) submits a report and reads it back."""

import re

import pytest
from django.core.cache import cache
from django.test import Client

from api.testing import TokenClient

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def _schema() -> dict:
    answer = Client().get("/api/v1/schema/")
    assert answer.status_code == 200 and answer["Content-Type"].startswith("application/vnd.oai.openapi+json")
    return answer.json()


def _undescribed(schema: dict) -> list[str]:
    missing = []
    for name, component in schema["components"]["schemas"].items():
        for field, spec in component.get("properties", {}).items():
            text = spec.get("description", "")
            if " / " not in text:
                missing.append(f"{name}.{field}")
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            for parameter in operation.get("parameters", []):
                if " / " not in parameter.get("description", ""):
                    missing.append(f"{method} {path} {parameter['name']}")
            if " / " not in operation.get("summary", ""):
                missing.append(f"{method} {path} summary")
    return missing


def test_every_field_and_parameter_is_described_in_both_languages(db):
    schema = _schema()
    assert schema["openapi"].startswith("3.")
    assert _undescribed(schema) == []


def test_the_documentation_page_needs_nothing_from_outside(world):
    client = Client()
    client.force_login(world.reporter)
    page = client.get("/api/v1/docs/").content.decode()
    addresses = re.findall(r'(?:src|href)="([^"]+)"', page)
    assert addresses and all(a.startswith("/") for a in addresses), addresses
    assert "/static/drf_spectacular_sidecar/swagger-ui-dist/swagger-ui-bundle.js" in page
    assert "http://" not in page and "https://" not in page


# --- a client that knows only the schema ---------------------------------------------------------------
class SchemaClient:
    def __init__(self, http, schema: dict):
        self.http, self.operations = http, {}
        for path, operations in schema["paths"].items():
            for method, operation in operations.items():
                self.operations[operation["operationId"]] = (method, path)

    def call(self, operation_id: str, path_values: dict | None = None, query: dict | None = None,
             body: dict | None = None):
        method, path = self.operations[operation_id]
        url = re.sub(r"\{(\w+)\}", lambda m: str((path_values or {})[m.group(1)]), path)
        if method == "get":
            return self.http.get(url, query or {})
        return getattr(self.http, method)(url, body or {}, content_type="application/json")


SCHOOL_2024 = {"workers": 41, "members": 41, "officers": 3, "officers_trained": 3, "resolution_disseminated": True,
               "implementation_plan_built": True, "workers_informed": 35, "workers_upskilled": 36,
               "authority_dialogue_proposed": False, "cba_signed": True, "cba_more_favourable": True,
               "cba_quality_class": "A", "union_homes": 0, "initiatives": 1, "creative_model_applied": True,
               "effective_model": True, "party_referrals": 0}


def test_a_client_written_from_the_schema_submits_a_report_and_reads_it_back(w):
    schema = _schema()
    reporter = SchemaClient(TokenClient(w.reporter), schema)
    approver = SchemaClient(TokenClient(w.approver), schema)
    found = reporter.call("reports_list", query={"year": 2024, "unit": w.school.code}).json()["results"]
    assert len(found) == 1 and found[0]["status"] == "draft"
    report = found[0]
    saved = reporter.call("reports_partial_update", {"id": report["id"]},
                          body={"version": report["version"], "values": SCHOOL_2024})
    assert saved.status_code == 200, saved.content
    submitted = reporter.call("reports_submit", {"id": report["id"]}, body={"version": saved.json()["version"]})
    assert submitted.status_code == 200, submitted.content
    approved = approver.call("reports_approve", {"id": report["id"]}, body={"version": submitted.json()["version"]})
    assert approved.status_code == 200, approved.content
    back = reporter.call("reports_retrieve", {"id": report["id"]}).json()
    assert back["status"] == "approved" and back["values"] == SCHOOL_2024
    results = reporter.call("results_list", query={"year": 2024, "unit": w.school.code}).json()["results"]
    assert any(r["reported"] == 1 for r in results)
