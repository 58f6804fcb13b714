"""Search ignores case and Vietnamese diacritics, whichever way the text was typed."""

import unicodedata

import pytest

from units.models import Unit
from units.text import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Châu Đốc", "chau doc"),
        ("LONG XUYÊN", "long xuyen"),
        ("Thoại  Sơn", "thoai son"),
        ("đoàn viên", "doan vien"),
        (unicodedata.normalize("NFD", "Tịnh Biên"), "tinh bien"),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("chau doc", {"AG.884", "AG.884.00001"}),
        ("CHÂU ĐỐC", {"AG.884", "AG.884.00001"}),
        ("LONG XUYEN", {"AG.883"}),
        ("long xuyên", {"AG.883"}),
        (unicodedata.normalize("NFD", "Mỹ Bình"), {"AG.883.00001"}),
        ("phu thinh may", {"AG.883.00002"}),
        ("ag.yt", {"AG.YT", "AG.YT.00001"}),
        ("không có đâu", set()),
    ],
)
def test_search_finds_units_whatever_the_accents(world, query, expected):
    assert set(Unit.objects.search(query).values_list("code", flat=True)) == expected
