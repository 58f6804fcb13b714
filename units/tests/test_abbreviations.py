"""A unit's name where space is short (a phone's table or chart): its own short name, else the
glossary's abbreviations, longest first, never cut; in a list's cell both, one shown by width."""

import pytest

from tiendo.lists import unit_name
from units.text import abbreviated_name


@pytest.mark.parametrize(("name", "short"), [
    ("Công đoàn cơ sở Công ty TNHH Giống cây trồng Bảo Giang", "CĐCS Công ty TNHH Giống cây trồng Bảo Giang"),
    ("Liên đoàn Lao động thị xã Tân Châu", "LĐLĐ TX Tân Châu"),
    ("Liên đoàn Lao động thành phố Long Xuyên", "LĐLĐ TP Long Xuyên"),
    ("Liên đoàn Lao động huyện Thoại Sơn", "LĐLĐ huyện Thoại Sơn"),
    ("Công đoàn các Khu công nghiệp tỉnh An Giang", "CĐ các KCN tỉnh An Giang"),
    ("Công đoàn ngành Y tế", "CĐ ngành Y tế"),
    ("Công đoàn cơ quan Liên đoàn Lao động tỉnh An Giang", "CĐ cơ quan LĐLĐ tỉnh An Giang"),
    ("Công đoàn Công ty trách nhiệm hữu hạn một thành viên Xổ số", "CĐ Công ty TNHH MTV Xổ số"),
    ("Công đoàn phường Long Xuyên", "CĐ phường Long Xuyên"),
    # decomposed letters (NFD), as some keyboards send them, are abbreviated alike
    ("Co\u0302ng đoa\u0300n cơ sơ\u0309 Trường Mỹ Bình", "CĐCS Trường Mỹ Bình"),
    ("Trường Tiểu học Mỹ Bình", "Trường Tiểu học Mỹ Bình"),  # nothing to abbreviate: unchanged
])
def test_names_are_abbreviated_by_the_glossarys_rules_never_cut(name, short):
    assert abbreviated_name(name) == short


def test_a_units_own_short_name_wins():
    assert abbreviated_name("Liên đoàn Lao động tỉnh An Giang", "LĐLĐ tỉnh") == "LĐLĐ tỉnh"


def test_a_lists_cell_holds_the_full_name_and_the_abbreviation_with_the_full_name_on_tap():
    cell = unit_name("Liên đoàn Lao động thị xã Tân Châu", "", "?unit=AG.887")
    assert cell == ('<a href="?unit=AG.887"><span class="name-full">Liên đoàn Lao động thị xã Tân Châu</span>'
                    '<span class="name-short" title="Liên đoàn Lao động thị xã Tân Châu">LĐLĐ TX Tân Châu</span></a>')
    assert unit_name("Trường Tiểu học Mỹ Bình") == "Trường Tiểu học Mỹ Bình"  # one name: no two spans
