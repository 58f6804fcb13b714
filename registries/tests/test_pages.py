"""The registries' pages: a unit sees its subtree's records only, enters one on a phone form,
downloads the list as .xlsx (which imports back as duplicates, refused), drills down from a figure."""

import datetime
import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from accounts.testing import login
from registries.models import UnionHome
from registries.testing import agreement, dispute, home
from tests.factories import (
    ApproverFactory,
    DistrictFactory,
    GrassrootsFactory,
    PeriodFactory,
    ReporterFactory,
    UnitFactory,
)


@pytest.fixture
def place(db):
    province = UnitFactory(code="P")
    d1 = DistrictFactory(parent=province, code="P.D1")
    d2 = DistrictFactory(parent=province, code="P.D2")
    g1 = GrassrootsFactory(parent=d1, code="P.D1.G1")
    g2 = GrassrootsFactory(parent=d2, code="P.D2.G2")
    home(g1, datetime.date(2025, 3, 1), "Nhà Của Một")
    home(g2, datetime.date(2025, 4, 1), "Nhà Của Hai")
    return province, d1, d2, g1, g2


def test_a_unit_lists_its_subtree_only(client, place):
    province, d1, d2, g1, g2 = place
    login(client, ApproverFactory(unit=d1))
    page = client.get(reverse("registries:list", args=["homes", "P.D1"])).content.decode()
    assert "Nhà Của Một" in page and "Nhà Của Hai" not in page
    assert client.get(reverse("registries:list", args=["homes", "P.D2"])).status_code == 404
    other = UnionHome.objects.get(beneficiary="Nhà Của Hai")
    assert client.get(reverse("registries:edit", args=["homes", other.pk])).status_code == 404


def test_the_phone_form_records_one_house_for_a_union_below(client, place):
    province, d1, d2, g1, g2 = place
    approver = ApproverFactory(unit=d1)
    login(client, approver)
    url = reverse("registries:new", args=["homes", "P.D1"])
    form = client.get(url).content.decode()
    assert 'type="date"' in form and 'inputmode="numeric"' in form and "P.D1.G1" in form
    response = client.post(url, {"unit": "P.D1.G1", "beneficiary": "Võ Thị Ba", "work": "built", "cost": "170000000",
                                 "union_support": "200000000", "handed_over_on": "2025-05-06"})
    assert response.status_code == 400 and not UnionHome.objects.filter(beneficiary="Võ Thị Ba").exists()
    response = client.post(url, {"unit": "P.D1.G1", "beneficiary": "Võ Thị Ba", "work": "built", "cost": "170000000",
                                 "union_support": "55000000", "handed_over_on": "2025-05-06"})
    assert response.status_code == 302
    house = UnionHome.objects.get(beneficiary="Võ Thị Ba")
    assert (house.unit, house.recorded_by, house.union_support) == (g1, approver, 55_000_000)
    # a union outside the page's unit is not offered, and not accepted
    response = client.post(url, {"unit": "P.D2.G2", "beneficiary": "Ngoài", "work": "built", "cost": "1",
                                 "union_support": "1", "handed_over_on": "2025-05-06"})
    assert response.status_code == 400 and not UnionHome.objects.filter(beneficiary="Ngoài").exists()


def test_a_reporter_reads_the_list_above_but_enters_nothing_there(client, place):
    province, d1, d2, g1, g2 = place
    login(client, ReporterFactory(unit=d1))
    assert client.get(reverse("registries:new", args=["homes", "P.D1.G1"])).status_code == 403
    house = UnionHome.objects.get(beneficiary="Nhà Của Một")
    assert client.post(reverse("registries:delete", args=["homes", house.pk])).status_code == 403
    assert UnionHome.objects.filter(pk=house.pk).exists()


def test_the_xlsx_holds_the_list_and_imports_back_as_duplicates(client, place):
    province, d1, d2, g1, g2 = place
    login(client, ApproverFactory(unit=d1))
    response = client.get(reverse("registries:export", args=["homes", "P.D1"]))
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Mã đơn vị", "Tên đơn vị", "Đoàn viên được hỗ trợ")
    assert [(row[0], row[2]) for row in rows[1:]] == [("P.D1.G1", "Nhà Của Một")]
    file = io.BytesIO(response.content)
    file.name = "lai.xlsx"
    again = client.post(reverse("registries:import", args=["homes", "P.D1"]), {"file": file})
    assert again.status_code == 400
    assert "Đã có trong sổ" in again.content.decode()
    assert UnionHome.objects.count() == 2


def test_the_records_behind_a_figure(client, place):
    province, d1, d2, g1, g2 = place
    period = PeriodFactory(year=2025)
    dispute(d1, datetime.date(2025, 2, 1), "Công ty Có Công Đoàn", union_took_part=True)
    dispute(d1, datetime.date(2025, 3, 1), "Công ty Không Có")
    dispute(d1, datetime.date(2024, 3, 1), "Công ty Năm Trước", union_took_part=True)
    login(client, ApproverFactory(unit=d1))
    url = reverse("registries:list", args=["disputes", "P.D1"])
    page = client.get(url, {"element": "disputes_with_union", "period": period.pk}).content.decode()
    assert "Công ty Có Công Đoàn" in page
    assert "Công ty Không Có" not in page and "Công ty Năm Trước" not in page


def test_the_target_page_links_a_figure_to_its_records(client, world, period):
    """T15 (Mái ấm houses) for Long Xuyên, 2024: the link lists the houses behind the figure."""
    home(world.school, datetime.date(2024, 5, 1), "Nhà Năm 2024")
    home(world.school, datetime.date(2023, 5, 1), "Nhà Năm 2023")
    login(client, world.approver)
    page = client.get(reverse("dashboards:target", args=["T15"]), {"unit": "AG.883", "year": 2024})
    links = page.context["registry_links"]
    assert [link["url"] for link in links] == [
        "/registries/homes/AG.883/?element=union_homes&year=2024&program=an-giang-xi-2020-2025&target=T15"]
    listed = client.get(links[0]["url"]).content.decode()
    assert "Nhà Năm 2024" in listed and "Nhà Năm 2023" not in listed
    # T08, collective agreements of class A or B among those signed: both expressions are a registry's, over
    # enterprises only (the school's agreement is not behind the figure)
    agreement(world.school, datetime.date(2022, 1, 1), quality_class="A", classed_year=2022)
    agreement(world.factory, datetime.date(2023, 1, 1), quality_class="B", classed_year=2023)
    page = client.get(reverse("dashboards:target", args=["T08"]), {"unit": "AG.883", "year": 2024})
    assert [link["url"].split("?")[1] for link in page.context["registry_links"]] == [
        "element=cba_quality_class&year=2024&program=an-giang-xi-2020-2025&target=T08&classes=AB",
        "element=cba_signed&year=2024&program=an-giang-xi-2020-2025&target=T08"]
    listed = client.get(page.context["registry_links"][0]["url"]).content.decode()
    assert world.factory.name in listed and world.school.name not in listed


def test_an_agreement_keeps_its_signed_file(client, place, media):
    from django.core.files.uploadedfile import SimpleUploadedFile

    from plans.testing import PDF_BYTES
    from registries.models import CollectiveAgreement

    province, d1, d2, g1, g2 = place
    login(client, ApproverFactory(unit=d1))
    url = reverse("registries:new", args=["agreements", "P.D1.G1"])
    data = {"unit": "P.D1.G1", "number": "3/TƯLĐTT", "signed_on": "2025-02-01", "workers_covered": "40",
            "quality_class": "B", "classed_year": "2025", "more_favourable": "on", "favourable_terms": ["pay"]}
    refused = client.post(url, {**data, "file": SimpleUploadedFile("thoa-uoc.pdf", b"not a pdf", "application/pdf")})
    assert refused.status_code == 400 and not CollectiveAgreement.objects.exists()
    saved = client.post(url, {**data, "file": SimpleUploadedFile("thoa-uoc.pdf", PDF_BYTES, "application/pdf")})
    assert saved.status_code == 302
    agreement = CollectiveAgreement.objects.get()
    assert (agreement.favourable_terms, agreement.quality_class, agreement.more_favourable) == (["pay"], "B", True)
    download = client.get(reverse("registries:edit", args=["agreements", agreement.pk]), {"file": "1"})
    assert b"".join(download.streaming_content) == PDF_BYTES
    # a second agreement in force at the same time is refused: the first must expire first
    overlap = client.post(url, {**data, "signed_on": "2025-06-01"})
    assert overlap.status_code == 400 and CollectiveAgreement.objects.count() == 1
