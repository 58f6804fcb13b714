"""The two forms of a unit filter — SQL for subtrees, Python for one unit — always agree."""

import pytest

from programs.definition import UnitFilter, parse_expression
from units.models import Unit

FILTERS = [
    {},
    {"kind": ["grassroots"]},
    {"kind": ["upper_union"]},
    {"kind": ["grassroots"], "enterprise": True},
    {"kind": ["grassroots"], "enterprise": False},
    {"ownership": ["non_state"]},
    {"ownership": ["state", "public_sector"]},
    {"large_enterprise": True},
    {"kind": ["grassroots"], "ownership": ["non_state"], "large_enterprise": True},
]


@pytest.mark.django_db
@pytest.mark.parametrize("where", FILTERS)
def test_sql_and_python_filters_agree(world, where):
    parsed = UnitFilter.parse(where)
    in_sql = set(Unit.objects.filter(parsed.q()).values_list("code", flat=True))
    in_python = {unit.code for unit in Unit.objects.all() if parsed.matches(unit)}
    assert in_sql == in_python


@pytest.mark.django_db
def test_filters_select_the_expected_units(world):
    def codes(where):
        return set(Unit.objects.filter(UnitFilter.parse(where).q()).values_list("code", flat=True))

    assert codes({"kind": ["upper_union"]}) == {"AG.883", "AG.884", "AG.YT"}
    assert codes({"kind": ["grassroots"], "enterprise": True}) == {"AG.883.00002"}
    assert codes({"large_enterprise": True}) == {"AG.883.00002"}


def test_describe_in_words(settings):
    labels = {"cba_signed": "Đã ký kết thỏa ước", "members": "Số đoàn viên", "cba_quality_class": "Xếp loại"}
    from django.utils import translation

    def words(expression):
        return parse_expression(expression).describe(labels)

    with translation.override("vi"):
        assert words({"units": {"kind": ["grassroots"], "ownership": ["non_state"]}}) == \
            "số công đoàn cơ sở ở doanh nghiệp ngoài nhà nước"
        assert words({"count": "cba_signed", "where": {"kind": ["grassroots"], "enterprise": True}}) == \
            "số công đoàn cơ sở ở doanh nghiệp trả lời Có ở mục “Đã ký kết thỏa ước”"
        assert words({"count_class": "cba_quality_class", "classes": ["A", "B"]}) == \
            "số đơn vị có “Xếp loại” đạt loại A hoặc B"
        assert words({"sum": "members", "where": {"kind": ["upper_union"]}}) == \
            "tổng “Số đoàn viên” của công đoàn cấp trên trực tiếp cơ sở"
