"""Demo registries that agree with the demo reports: every record is made from a report's values
(any status, every year), so that the registry's count of each figure is the figure the unit
reported and the target pages can drill down to the records behind their numbers.

* a grassroots union reporting cba_signed has an agreement in force at the year's end, of the
  class it reported (classed the year it was signed) and with the more favourable terms it
  reported; a run of years with the same answers is one agreement, a change is a new one (the
  previous expiring on 31 December);
* `union_homes` houses handed over during the year (VND 120–180 million each, VND 50–60 million
  from the union: FACTS.md), `initiatives` initiatives recognised in the year;
* an upper-level union's `labour_disputes` disputes during the year, the first
  `disputes_with_union` of them with the union taking part.

Houses and disputes of the current year are dated before today. Records are written in bulk,
once: a registry that already holds records is left as it is."""

from __future__ import annotations

import datetime
import random
from collections import defaultdict

from django.db import transaction
from django.utils import timezone

from registries.models import CollectiveAgreement, FavourableTerm, Initiative, LabourDispute, UnionHome
from reporting.models import DataValue
from units.models import Unit

ELEMENTS = ("cba_signed", "cba_quality_class", "cba_more_favourable", "union_homes", "initiatives",
            "labour_disputes", "disputes_with_union")
FAMILY = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Trương", "Đặng", "Bùi", "Đỗ", "Ngô", "Dương", "Lý")
MIDDLE = ("Văn", "Thị", "Minh", "Thanh", "Ngọc", "Hữu", "Kim", "Quốc", "Thị Kim", "Hoàng")
GIVEN = ("An", "Bình", "Châu", "Dũng", "Hạnh", "Hiếu", "Hoa", "Hùng", "Lan", "Lộc", "Mai", "Nam", "Nga", "Phúc",
         "Phương", "Sang", "Tâm", "Thảo", "Thủy", "Trung", "Tuấn", "Vy", "Xuân", "Yến")
SOURCES = ("Quỹ Xã hội Công đoàn; doanh nghiệp; gia đình", "Quỹ Mái ấm công đoàn tỉnh; gia đình",
           "Công đoàn cấp trên; nhà hảo tâm; gia đình", "Quỹ Xã hội Công đoàn; ngân hàng chính sách; gia đình")
SUBJECTS = {
    Initiative.Field.EDUCATION: ("dạy học môn Toán lớp {n}", "quản lý học sinh bán trú", "dạy đọc cho học sinh lớp 1",
                                 "kiểm tra đánh giá bằng phần mềm", "thư viện số của trường", "công tác chủ nhiệm lớp"),
    Initiative.Field.HEALTH: ("quy trình tiếp nhận bệnh nhân", "quản lý thuốc tại khoa", "chăm sóc người bệnh sau mổ",
                              "hẹn khám qua điện thoại", "phân loại rác thải y tế"),
    Initiative.Field.ADMINISTRATION: ("lưu trữ hồ sơ điện tử", "giải quyết thủ tục một cửa", "quản lý văn bản đến",
                                      "tiếp nhận phản ánh của người dân"),
    Initiative.Field.PRODUCTION: ("dây chuyền đóng gói", "máy cắt vải", "khuôn ép đế giày",
                                  "hệ thống chiếu sáng xưởng", "băng tải phân loại cá", "lò sấy lúa",
                                  "quy trình kiểm tra chất lượng", "máy bơm nước"),
    Initiative.Field.BUSINESS: ("quản lý kho hàng", "chăm sóc khách hàng", "thu tiền điện qua ứng dụng"),
}
VERBS = ("Cải tiến", "Giải pháp nâng cao hiệu quả", "Ứng dụng công nghệ thông tin trong", "Hợp lý hóa",
         "Sáng kiến đổi mới")
TRADES = ("May", "Giày da", "Thủy sản", "Chế biến gạo", "Xây dựng", "Điện tử")
CAUSES = ("Chậm trả lương tháng {m}", "Không tăng lương theo mức lương tối thiểu vùng", "Cắt giảm tiền thưởng cuối năm",
          "Bữa ăn giữa ca không bảo đảm", "Tăng ca kéo dài", "Chậm đóng bảo hiểm xã hội")
ROLES = ("Đại diện người lao động đối thoại với chủ doanh nghiệp", "Phối hợp Phòng Lao động hòa giải",
         "Hướng dẫn người lao động gửi yêu cầu bằng văn bản, tham gia thương lượng")
OUTCOMES = ("Doanh nghiệp trả đủ lương, người lao động trở lại làm việc", "Hai bên thống nhất lộ trình tăng lương",
            "Doanh nghiệp cam kết cải thiện bữa ăn ca", "Người lao động trở lại làm việc sau 2 ngày")


def _day(rng: random.Random, year: int, today: datetime.date, first_month: int = 1) -> datetime.date:
    last = min(datetime.date(year, 12, 31), today - datetime.timedelta(days=1))
    first = datetime.date(year, first_month, 1)
    return first + datetime.timedelta(days=rng.randint(0, max(0, (last - first).days)))


def _unique(taken: set, draw) -> str:
    """A drawn text not yet taken (the registries refuse the same record twice)."""
    for _attempt in range(20):
        text = draw()
        if text not in taken:
            break
    else:
        text = f"{draw()} ({len(taken) + 1})"
    taken.add(text)
    return text


def _person(rng: random.Random) -> str:
    return f"{rng.choice(FAMILY)} {rng.choice(MIDDLE)} {rng.choice(GIVEN)}"


def _field(unit: Unit) -> str:
    name = unit.name.lower()
    if unit.ownership in ("state", "non_state"):
        return Initiative.Field.PRODUCTION
    if "trường" in name or "mầm non" in name or "giáo dục" in name:
        return Initiative.Field.EDUCATION
    if "bệnh viện" in name or "y tế" in name or "trạm" in name:
        return Initiative.Field.HEALTH
    return Initiative.Field.ADMINISTRATION


def reported(elements=ELEMENTS) -> dict[int, dict[int, dict[str, object]]]:
    """{unit id: {year: {element code: value}}} of every report (one query)."""
    found: dict[int, dict[int, dict]] = defaultdict(lambda: defaultdict(dict))
    rows = DataValue.objects.filter(element__code__in=elements, report__period__kind="year").values_list(
        "report__unit_id", "report__period__year", "element__code", "number", "text")
    for unit_id, year, code, number, text in rows.iterator(chunk_size=5000):
        if code == "cba_quality_class":
            found[unit_id][year][code] = text or None
        else:
            found[unit_id][year][code] = None if number is None else int(number)
    return found


@transaction.atomic
def create_demo_registries(seed: int = 2020, today: datetime.date | None = None) -> dict[str, int]:
    today = today or timezone.localdate()
    if any(model.objects.exists() for model in (CollectiveAgreement, UnionHome, Initiative, LabourDispute)):
        return {}
    rng = random.Random(seed)
    values = reported()
    units = Unit.objects.in_bulk(list(values))
    agreements, homes, initiatives, disputes = [], [], [], []
    for unit_id in sorted(values):
        unit, years = units[unit_id], values[unit_id]
        agreements += _agreements(unit, years, rng)
        for year in sorted(years):
            got = years[year]
            for n in range(got.get("union_homes") or 0):
                cost = rng.randrange(120, 181, 5) * 1_000_000
                homes.append(UnionHome(
                    unit=unit, beneficiary=_person(rng), work=UnionHome.Work.BUILT if rng.random() < 0.7
                    else UnionHome.Work.REPAIRED, cost=cost, union_support=rng.randrange(50, 61, 5) * 1_000_000,
                    sources=rng.choice(SOURCES), handed_over_on=_day(rng, year, today, first_month=1 + n % 12)))
            field, titles = _field(unit), set()
            for _n in range(got.get("initiatives") or 0):
                subjects = SUBJECTS[field]
                title = _unique(titles, lambda subjects=subjects: f"{rng.choice(VERBS)} {rng.choice(subjects)}".format(
                    n=rng.randint(1, 5)))
                initiatives.append(Initiative(
                    unit=unit, title=title, authors=", ".join(
                        _person(rng) for _ in range(rng.randint(1, 3))), field=field,
                    level=rng.choices(Initiative.Level.values, weights=(80, 14, 5, 1))[0], year=year,
                    value=rng.randrange(5, 200, 5) * 1_000_000 if field == Initiative.Field.PRODUCTION else None))
            with_union, enterprises = got.get("disputes_with_union") or 0, set()
            for n in range(got.get("labour_disputes") or 0):
                started = _day(rng, year, today)
                disputes.append(LabourDispute(
                    unit=unit, enterprise=_unique(enterprises, lambda: f"Công ty TNHH {rng.choice(TRADES)} "
                                                  f"{rng.choice(GIVEN)} {rng.choice(GIVEN)}"),
                    kind=rng.choices(LabourDispute.Kind.values, weights=(30, 65, 5))[0],
                    started_on=started, ended_on=min(today, started + datetime.timedelta(days=rng.randint(0, 4))),
                    workers_involved=rng.randint(30, 900), cause=rng.choice(CAUSES).format(m=rng.randint(1, 12)),
                    union_took_part=n < with_union, union_role=rng.choice(ROLES) if n < with_union else "",
                    outcome=rng.choice(OUTCOMES)))
    CollectiveAgreement.objects.bulk_create(agreements, batch_size=2000)
    UnionHome.objects.bulk_create(homes, batch_size=2000)
    Initiative.objects.bulk_create(initiatives, batch_size=2000)
    LabourDispute.objects.bulk_create(disputes, batch_size=2000)
    return {"agreements": len(agreements), "houses": len(homes), "initiatives": len(initiatives),
            "disputes": len(disputes)}


def _agreements(unit: Unit, years: dict[int, dict], rng: random.Random) -> list[CollectiveAgreement]:
    """One agreement per run of reported years with the same answers (signed, class, more favourable)."""
    runs: list[list] = []
    for year in sorted(years):
        got = years[year]
        if not got.get("cba_signed"):
            continue
        answer = (got.get("cba_quality_class") or "", bool(got.get("cba_more_favourable")))
        if runs and runs[-1][1] == year - 1 and runs[-1][2] == answer:
            runs[-1][1] = year
        else:
            runs.append([year, year, answer])
    last_year = max(years)
    made = []
    for first, last, (quality, favourable) in runs:
        terms = rng.sample([FavourableTerm.PAY, FavourableTerm.SHIFT_MEALS, FavourableTerm.BONUSES,
                            FavourableTerm.WORKING_TIME], k=rng.randint(1, 3)) if favourable else []
        made.append(CollectiveAgreement(
            unit=unit, number=f"{rng.randint(1, 40)}/TƯLĐTT", signed_on=datetime.date(first, rng.randint(1, 6),
                                                                                          rng.randint(1, 28)),
            # the last one runs on while the union lasts (a union closed in 2025 ends it on its last day)
            expires_on=(unit.valid_to if last == last_year else datetime.date(last, 12, 31)),
            workers_covered=max(1, unit.workers), quality_class=quality, classed_year=first if quality else None,
            more_favourable=favourable, favourable_terms=terms))
    return made
