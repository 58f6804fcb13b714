import pytest
from django.core.cache import cache

from api.testing import TokenClient
from reporting.actions import values_of
from reporting.models import Report

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _fresh_throttle():
    cache.clear()


def _body(response) -> str:
    return b"".join(response.streaming_content).decode()


def _csv(program, *rows) -> bytes:
    lines = ["dataSet,period,orgUnit,dataElement,value,comment"]
    lines += [",".join([program.code, *row]) for row in rows]
    return ("\n".join(lines) + "\n").encode()


def test_csv_values_go_out_and_come_back_in(w, program):
    client = TokenClient(w.approver)
    exported = client.get("/api/v1/values.csv", {"year": 2024})
    assert exported.status_code == 200 and exported["Content-Type"].startswith("text/csv")
    lines = _body(exported).splitlines()
    assert lines[0] == "dataSet,period,orgUnit,dataElement,value,comment"
    assert f"{program.code},2024-01-01/P1Y,{w.factory.code},workers,1200," in lines
    loaded = client.post("/api/v1/values.csv", _csv(program, ("2024", w.school.code, "workers", "41", ""),
                                                    ("2024-01-01/P1Y", w.school.code, "members", "40", "")),
                         content_type="text/csv")
    assert loaded.status_code == 200, loaded.content
    assert loaded.json() == {"reports": 1, "values": 2}
    assert values_of(w.school_report) == {"workers": 41, "members": 40}


def test_one_bad_row_and_nothing_is_written_each_problem_named(w, program):
    client = TokenClient(w.approver)
    answer = client.post("/api/v1/values.csv", _csv(
        program, ("2024", w.school.code, "workers", "41", ""),
        ("2024", w.school.code, "members", "-1", ""),
        ("2024", w.market.code, "workers", "3", ""),
        ("24", w.school.code, "officers", "2", ""),
        ("2024", w.factory.code, "workers", "5", "")), content_type="text/csv")
    assert answer.status_code == 400
    problems = {(p["where"], p["field"]) for p in answer.json()["errors"]}
    assert problems == {("row 3", "value"), ("row 4", "orgUnit"), ("row 5", "period"), ("row 6", "period")}
    assert values_of(w.school_report) == {}


def test_a_reporter_imports_only_their_own_units_rows(w, program):
    answer = TokenClient(w.reporter).post("/api/v1/values.csv", _csv(
        program, ("2024", w.school.code, "workers", "41", ""), ("2024", w.factory.code, "workers", "5", "")),
        content_type="text/csv")
    assert answer.status_code == 400
    assert [(p["where"], p["field"]) for p in answer.json()["errors"]] == [("row 3", "orgUnit")]
    assert values_of(w.school_report) == {}


ADX = """<?xml version="1.0" encoding="UTF-8"?>
<adx xmlns="urn:ihe:qrph:adx:2015">
  <group orgUnit="{unit}" period="2024-01-01/P1Y" dataSet="{program}">
    <dataValue dataElement="workers" value="{workers}"/>
    <dataValue dataElement="members" value="38"/>
  </group>
</adx>
"""


def test_adx_values_go_out_and_come_back_in(w, program):
    client = TokenClient(w.approver)
    exported = _body(client.get("/api/v1/values.adx", {"year": 2024}))
    assert f'<group orgUnit="{w.factory.code}" period="2024-01-01/P1Y" dataSet="{program.code}">' in exported
    assert '<dataValue dataElement="workers" value="1200"/>' in exported
    body = ADX.format(unit=w.school.code, program=program.code, workers=39).encode()
    loaded = client.post("/api/v1/values.adx", body, content_type="application/adx+xml")
    assert loaded.status_code == 200, loaded.content
    assert values_of(w.school_report) == {"workers": 39, "members": 38}
    steps = Report.objects.get(pk=w.school_report.pk).version
    assert steps == 1


def test_a_bad_adx_value_is_named_by_its_line(w, program):
    body = ADX.format(unit=w.school.code, program=program.code, workers="nhiều").encode()
    answer = TokenClient(w.approver).post("/api/v1/values.adx", body, content_type="application/adx+xml")
    assert answer.status_code == 400
    assert [(p["where"], p["field"]) for p in answer.json()["errors"]] == [("line 4", "value")]
    assert values_of(w.school_report) == {}


def test_adx_with_a_dtd_is_refused(w, program):
    body = (b'<?xml version="1.0"?><!DOCTYPE adx [<!ENTITY a "aaaa">]>'
            b'<adx xmlns="urn:ihe:qrph:adx:2015"><group orgUnit="x" period="2024" dataSet="y">'
            b'<dataValue dataElement="workers" value="&a;"/></group></adx>')
    answer = TokenClient(w.approver).post("/api/v1/values.adx", body, content_type="application/adx+xml")
    assert answer.status_code == 400 and answer.json()["errors"][0]["where"] == "line 1"
