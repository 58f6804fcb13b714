"""Plausible, deterministic demo grassroots unions (Công đoàn cơ sở) for An Giang.

Pure Python, standard library only: no Django import, so it can be used from a management
command, a test or a one-off script alike.

    parents = AN_GIANG_PARENTS                     # or your own ParentSpec list
    for profile in generate_grassroots(1500, seed=2021, parents=parents):
        ...                                        # profile.code, .name, .workers, ...

The same (n, seed, parents) always gives the same profiles; only ``random.Random(seed)`` is
used, never the global random state or ``hash()``. The distribution follows what is known
about old An Giang (see shared/FACTS.md): about 1,500 grassroots unions, most of them in the
public sector (schools, health stations, agencies, communes), about 240–300 in non-state
enterprises (most under the industrial-zones union and the city federations of Long Xuyên
and Châu Đốc), a few dozen in state enterprises. Proportions scale with ``n``.

Commune and ward names are the real pre-2025 ones of each district of old An Giang
(province code 89), taken once from the ``vietnam-provinces`` 0.6.0 package (data of late
2024), with Phường Đông Xuyên (Long Xuyên) added back. Unit names built from them are
invented: a name may well match a real unit, but its figures are fiction.

Old Kiên Giang (province code 91 before July 2025) has its districts too, from the same package
(scripts/derive_divisions_2025.py): ``KIEN_GIANG_PARENTS`` generates grassroots unions under its
15 district federations (``ParentSpec.province = "Kiên Giang"``). Only districts: the sector
unions' and the province's word lists name An Giang's bodies.
"""

from __future__ import annotations

import bisect
import math
import random
import unicodedata
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field

__all__ = [
    "AN_GIANG_PARENTS",
    "CATEGORIES",
    "KIEN_GIANG_PARENTS",
    "KIEN_GIANG_SHARE",
    "OWNERSHIPS",
    "GrassrootsProfile",
    "ParentSpec",
    "generate_grassroots",
]


CATEGORIES = ("enterprise", "school", "health", "agency")
OWNERSHIPS = ("state", "non_state", "public_sector")
PARENT_KINDS = ("province", "district", "sector", "industrial_zone")


@dataclass(frozen=True)
class ParentSpec:
    """An upper-level union that grassroots unions are generated under.

    ``place`` is the town or district name used in unit names ("Long Xuyên", "Chợ Mới");
    use "An Giang" for a sector union, the industrial-zones union or the province.
    ``sector`` says which sector a ``kind="sector"`` union serves ("education" or
    "health"); when empty it is read from the code's last part (``GD`` education, ``YT``
    health), otherwise the sector gets a generic mix of agencies. ``province`` says whose
    districts ``place`` is among ("Châu Thành" is a district of both old provinces).
    """

    code: str
    kind: str
    place: str
    sector: str = ""
    province: str = "An Giang"


@dataclass(frozen=True)
class GrassrootsProfile:
    """One generated grassroots union."""

    parent_code: str
    code: str  # f"{parent_code}.{seq:05d}", seq counts from 1 under each parent
    name: str  # "Công đoàn Trường Tiểu học B Mỹ Hòa Hưng", "Công đoàn cơ sở Công ty TNHH May mặc Phú Thịnh"
    category: str  # enterprise | school | health | agency
    ownership: str  # state | non_state | public_sector
    workers: int
    members: int  # never more than workers
    officers: int  # union officers, 1..15, growing with size


# --------------------------------------------------------------------------------------
# Places: old An Giang's districts (admin codes 883–894) and their wards/townships/communes.
# --------------------------------------------------------------------------------------

# place -> (kind of district-level unit, admin code, wards, townships, communes)
_DISTRICTS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "Long Xuyên": (
        "thành phố", "883",
        ("Mỹ Bình", "Mỹ Long", "Mỹ Xuyên", "Đông Xuyên", "Bình Đức", "Bình Khánh", "Mỹ Phước",
         "Mỹ Quý", "Mỹ Thới", "Mỹ Thạnh", "Mỹ Hòa"),
        (),
        ("Mỹ Khánh", "Mỹ Hòa Hưng"),
    ),
    "Châu Đốc": (
        "thành phố", "884",
        ("Châu Phú A", "Châu Phú B", "Vĩnh Mỹ", "Núi Sam", "Vĩnh Ngươn"),
        (),
        ("Vĩnh Tế", "Vĩnh Châu"),
    ),
    "An Phú": (
        "huyện", "886",
        (),
        ("An Phú", "Long Bình", "Đa Phước"),
        ("Khánh An", "Khánh Bình", "Quốc Thái", "Nhơn Hội", "Phú Hữu", "Phú Hội", "Phước Hưng",
         "Vĩnh Lộc", "Vĩnh Hậu", "Vĩnh Trường", "Vĩnh Hội Đông"),
    ),
    "Tân Châu": (
        "thị xã", "887",
        ("Long Thạnh", "Long Hưng", "Long Châu", "Long Phú", "Long Sơn"),
        (),
        ("Phú Lộc", "Vĩnh Xương", "Vĩnh Hòa", "Tân Thạnh", "Tân An", "Long An", "Châu Phong",
         "Phú Vĩnh", "Lê Chánh"),
    ),
    "Phú Tân": (
        "huyện", "888",
        (),
        ("Phú Mỹ", "Chợ Vàm"),
        ("Long Hòa", "Phú Long", "Phú Lâm", "Phú Hiệp", "Phú Thạnh", "Hòa Lạc", "Phú Thành",
         "Phú An", "Phú Xuân", "Hiệp Xương", "Phú Bình", "Phú Thọ", "Phú Hưng",
         "Bình Thạnh Đông", "Tân Hòa", "Tân Trung"),
    ),
    "Châu Phú": (
        "huyện", "889",
        (),
        ("Cái Dầu", "Vĩnh Thạnh Trung"),
        ("Khánh Hòa", "Mỹ Đức", "Mỹ Phú", "Ô Long Vỹ", "Thạnh Mỹ Tây", "Bình Long", "Bình Mỹ",
         "Bình Thủy", "Đào Hữu Cảnh", "Bình Phú", "Bình Chánh"),
    ),
    "Tịnh Biên": (
        "thị xã", "890",
        ("Nhà Bàng", "Chi Lăng", "Núi Voi", "Nhơn Hưng", "An Phú", "Thới Sơn", "Tịnh Biên"),
        (),
        ("Văn Giáo", "An Cư", "An Nông", "Vĩnh Trung", "Tân Lợi", "An Hảo", "Tân Lập"),
    ),
    "Tri Tôn": (
        "huyện", "891",
        (),
        ("Tri Tôn", "Ba Chúc", "Cô Tô"),
        ("Lạc Quới", "Lê Trì", "Vĩnh Gia", "Vĩnh Phước", "Châu Lăng", "Lương Phi", "Lương An Trà",
         "Tà Đảnh", "Núi Tô", "An Tức", "Tân Tuyến", "Ô Lâm"),
    ),
    "Châu Thành": (
        "huyện", "892",
        (),
        ("An Châu", "Vĩnh Bình"),
        ("An Hòa", "Cần Đăng", "Vĩnh Hanh", "Bình Thạnh", "Bình Hòa", "Vĩnh An", "Hòa Bình Thạnh",
         "Vĩnh Lợi", "Vĩnh Nhuận", "Tân Phú", "Vĩnh Thành"),
    ),
    "Chợ Mới": (
        "huyện", "893",
        (),
        ("Chợ Mới", "Mỹ Luông", "Hội An"),
        ("Kiến An", "Mỹ Hội Đông", "Long Điền A", "Long Điền B", "Tấn Mỹ", "Kiến Thành",
         "Mỹ Hiệp", "Mỹ An", "Nhơn Mỹ", "Long Giang", "Long Kiến", "Bình Phước Xuân",
         "An Thạnh Trung", "Hòa Bình", "Hòa An"),
    ),
    "Thoại Sơn": (
        "huyện", "894",
        (),
        ("Núi Sập", "Phú Hòa", "Óc Eo"),
        ("Tây Phú", "An Bình", "Vĩnh Phú", "Vĩnh Trạch", "Phú Thuận", "Vĩnh Chánh", "Định Mỹ",
         "Định Thành", "Mỹ Phú Đông", "Vọng Đông", "Vĩnh Khánh", "Thoại Giang", "Bình Thành",
         "Vọng Thê"),
    ),
}

# Old Kiên Giang's districts (admin codes 899–914; 901 unused), same shape, from vietnam-provinces
# 0.6.0 (data of 2025-01-04) through scripts/derive_divisions_2025.py, names as the package spells
# them ("Tân Hoà" beside "Tân Hòa").
_KG_DISTRICTS: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]] = {
    "Rạch Giá": (
        "thành phố", "899",
        ("Vĩnh Thanh", "Vĩnh Quang", "Vĩnh Hiệp", "Vĩnh Thanh Vân", "Vĩnh Lạc", "An Hòa", "An Bình",
         "Rạch Sỏi", "Vĩnh Lợi", "Vĩnh Thông"),
        (),
        ("Phi Thông",),
    ),
    "Hà Tiên": (
        "thành phố", "900",
        ("Tô Châu", "Đông Hồ", "Bình San", "Pháo Đài", "Mỹ Đức"),
        (),
        ("Tiên Hải", "Thuận Yên"),
    ),
    "Kiên Lương": (
        "huyện", "902",
        (),
        ("Kiên Lương",),
        ("Kiên Bình", "Hòa Điền", "Dương Hòa", "Bình An", "Bình Trị", "Sơn Hải", "Hòn Nghệ"),
    ),
    "Hòn Đất": (
        "huyện", "903",
        (),
        ("Hòn Đất", "Sóc Sơn"),
        ("Bình Sơn", "Bình Giang", "Mỹ Thái", "Nam Thái Sơn", "Mỹ Hiệp Sơn", "Sơn Kiên", "Sơn Bình",
         "Mỹ Thuận", "Lình Huỳnh", "Thổ Sơn", "Mỹ Lâm", "Mỹ Phước"),
    ),
    "Tân Hiệp": (
        "huyện", "904",
        (),
        ("Tân Hiệp",),
        ("Tân Hội", "Tân Thành", "Tân Hiệp B", "Tân Hoà", "Thạnh Đông B", "Thạnh Đông", "Tân Hiệp A",
         "Tân An", "Thạnh Đông A", "Thạnh Trị"),
    ),
    "Châu Thành": (
        "huyện", "905",
        (),
        ("Minh Lương",),
        ("Mong Thọ A", "Mong Thọ B", "Mong Thọ", "Giục Tượng", "Vĩnh Hòa Hiệp", "Vĩnh Hoà Phú", "Minh Hòa",
         "Bình An", "Thạnh Lộc"),
    ),
    "Giồng Riềng": (
        "huyện", "906",
        (),
        ("Giồng Riềng",),
        ("Thạnh Hưng", "Thạnh Phước", "Thạnh Lộc", "Thạnh Hòa", "Thạnh Bình", "Bàn Thạch", "Bàn Tân Định",
         "Ngọc Thành", "Ngọc Chúc", "Ngọc Thuận", "Hòa Hưng", "Hoà Lợi", "Hoà An", "Long Thạnh", "Vĩnh Thạnh",
         "Vĩnh Phú", "Hòa Thuận", "Ngọc Hoà"),
    ),
    "Gò Quao": (
        "huyện", "907",
        (),
        ("Gò Quao",),
        ("Vĩnh Hòa Hưng Bắc", "Định Hòa", "Thới Quản", "Định An", "Thủy Liễu", "Vĩnh Hòa Hưng Nam",
         "Vĩnh Phước A", "Vĩnh Phước B", "Vĩnh Tuy", "Vĩnh Thắng"),
    ),
    "An Biên": (
        "huyện", "908",
        (),
        ("Thứ Ba",),
        ("Tây Yên", "Tây Yên A", "Nam Yên", "Hưng Yên", "Nam Thái", "Nam Thái A", "Đông Thái", "Đông Yên"),
    ),
    "An Minh": (
        "huyện", "909",
        (),
        ("Thứ Mười Một",),
        ("Thuận Hoà", "Đông Hòa", "Đông Thạnh", "Tân Thạnh", "Đông Hưng", "Đông Hưng A", "Đông Hưng B",
         "Vân Khánh", "Vân Khánh Đông", "Vân Khánh Tây"),
    ),
    "Vĩnh Thuận": (
        "huyện", "910",
        (),
        ("Vĩnh Thuận",),
        ("Vĩnh Bình Bắc", "Vĩnh Bình Nam", "Bình Minh", "Vĩnh Thuận", "Tân Thuận", "Phong Đông",
         "Vĩnh Phong"),
    ),
    "Phú Quốc": (
        "thành phố", "911",
        ("Dương Đông", "An Thới"),
        (),
        ("Cửa Cạn", "Gành Dầu", "Cửa Dương", "Hàm Ninh", "Dương Tơ", "Bãi Thơm", "Thổ Châu"),
    ),
    "Kiên Hải": (
        "huyện", "912",
        (),
        (),
        ("Hòn Tre", "Lại Sơn", "An Sơn", "Nam Du"),
    ),
    "U Minh Thượng": (
        "huyện", "913",
        (),
        (),
        ("Thạnh Yên", "Thạnh Yên A", "An Minh Bắc", "Vĩnh Hòa", "Hoà Chánh", "Minh Thuận"),
    ),
    "Giang Thành": (
        "huyện", "914",
        (),
        (),
        ("Vĩnh Phú", "Vĩnh Điều", "Tân Khánh Hòa", "Phú Lợi", "Phú Mỹ"),
    ),
}

# Relative number of grassroots unions per upper-level union (≈ expected count at n=1,500).
_DISTRICT_WEIGHT = {
    "Long Xuyên": 160, "Châu Đốc": 118, "Chợ Mới": 128, "Châu Phú": 108, "Phú Tân": 105,
    "Thoại Sơn": 108, "Châu Thành": 97, "Tân Châu": 97, "Tri Tôn": 95, "Tịnh Biên": 86,
    "An Phú": 86,
}
_DEFAULT_DISTRICT_WEIGHT = 100
# Kiên Giang's, for its own n (invented, by size: the three cities hold most enterprises and staff).
_KG_DISTRICT_WEIGHT = {
    "Rạch Giá": 190, "Phú Quốc": 150, "Hà Tiên": 75, "Kiên Lương": 85, "Hòn Đất": 110, "Tân Hiệp": 95,
    "Châu Thành": 95, "Giồng Riềng": 115, "Gò Quao": 90, "An Biên": 80, "An Minh": 80, "Vĩnh Thuận": 70,
    "Kiên Hải": 30, "U Minh Thượng": 55, "Giang Thành": 45,
}
_KIND_WEIGHT = {"province": 75, "industrial_zone": 98}
_SECTOR_WEIGHT = {"education": 75, "health": 52}
_DEFAULT_SECTOR_WEIGHT = 60

# Share of enterprises among a district's grassroots unions: the two cities hold most of
# the province's enterprises outside the industrial zones.
_DISTRICT_ENTERPRISE_SHARE = {"Long Xuyên": 0.42, "Châu Đốc": 0.26}
_DEFAULT_DISTRICT_ENTERPRISE_SHARE = 0.10
_KG_DISTRICT_ENTERPRISE_SHARE = {"Rạch Giá": 0.36, "Phú Quốc": 0.40, "Hà Tiên": 0.22, "Kiên Lương": 0.18}

# Local trades that show up in enterprise names besides the common ones.
_LOCAL_TRADES = {
    "Long Xuyên": ("Dược phẩm", "In ấn", "Thương mại Dịch vụ", "Tư vấn Xây dựng"),
    "Châu Đốc": ("Mắm", "Du lịch", "Khách sạn", "Thương mại Dịch vụ"),
    "An Phú": ("Thủy sản", "Nuôi trồng thủy sản"),
    "Tân Châu": ("Dệt lụa", "Thủy sản", "Vận tải thủy"),
    "Phú Tân": ("Lương thực", "Xay xát lúa gạo", "Dệt chiếu"),
    "Châu Phú": ("Lương thực", "Thủy sản", "Thức ăn chăn nuôi"),
    "Tịnh Biên": ("Khai thác đá", "Đường thốt nốt", "Du lịch"),
    "Tri Tôn": ("Khai thác đá", "Đường thốt nốt", "Vật liệu xây dựng"),
    "Châu Thành": ("Thức ăn chăn nuôi", "Bao bì", "Thủy sản"),
    "Chợ Mới": ("Cơ khí", "Rau quả", "Thủy sản"),
    "Thoại Sơn": ("Lương thực", "Xay xát lúa gạo", "Vật tư nông nghiệp"),
}
_KG_LOCAL_TRADES = {
    "Rạch Giá": ("Chế biến thủy sản", "Vận tải biển", "Thương mại Dịch vụ", "Đóng tàu"),
    "Hà Tiên": ("Du lịch", "Xi măng", "Thủy sản"),
    "Kiên Lương": ("Xi măng", "Khai thác đá", "Vật liệu xây dựng"),
    "Hòn Đất": ("Lương thực", "Xay xát lúa gạo", "Vật liệu xây dựng"),
    "Tân Hiệp": ("Lương thực", "Xay xát lúa gạo"),
    "Châu Thành": ("Chế biến thủy sản", "Thức ăn chăn nuôi"),
    "Giồng Riềng": ("Lương thực", "Xay xát lúa gạo"),
    "Gò Quao": ("Lương thực", "Thủy sản"),
    "An Biên": ("Nuôi trồng thủy sản", "Thủy sản"),
    "An Minh": ("Nuôi trồng thủy sản", "Thủy sản"),
    "Vĩnh Thuận": ("Nuôi trồng thủy sản", "Lương thực"),
    "Phú Quốc": ("Du lịch", "Khách sạn", "Nước mắm", "Ngọc trai", "Vận tải biển"),
    "Kiên Hải": ("Thủy sản", "Du lịch"),
    "U Minh Thượng": ("Lương thực", "Nuôi trồng thủy sản"),
    "Giang Thành": ("Lương thực", "Vật liệu xây dựng"),
}


@dataclass(frozen=True)
class _Province:
    """One old province's district tables, keyed by place."""

    districts: dict[str, tuple[str, str, tuple[str, ...], tuple[str, ...], tuple[str, ...]]]
    weight: dict[str, int]
    enterprise_share: dict[str, float]
    trades: dict[str, tuple[str, ...]]


_PROVINCES = {
    "An Giang": _Province(_DISTRICTS, _DISTRICT_WEIGHT, _DISTRICT_ENTERPRISE_SHARE, _LOCAL_TRADES),
    "Kiên Giang": _Province(_KG_DISTRICTS, _KG_DISTRICT_WEIGHT, _KG_DISTRICT_ENTERPRISE_SHARE, _KG_LOCAL_TRADES),
}

# --------------------------------------------------------------------------------------
# Word lists.
# --------------------------------------------------------------------------------------

_BRAND_FIRST = (
    "Phú", "Tân", "Hoàng", "Thành", "Minh", "Long", "Hưng", "Vĩnh", "Thịnh", "Thuận", "Đại",
    "Kim", "Nam", "Việt", "Quang", "An", "Bình", "Hòa", "Mỹ", "Hải", "Trường", "Toàn", "Gia",
    "Hồng", "Ngọc", "Đức", "Phước", "Tấn", "Hiệp", "Thái", "Trung", "Đông", "Tây", "Bảo",
    "Cửu", "Sông", "Hậu", "Sao", "Thiên", "Vạn",
)
_BRAND_SECOND = (
    "Thịnh", "Phát", "Long", "Hưng", "Lợi", "Thành", "Tiến", "Đạt", "Phú", "Khang", "An",
    "Nguyên", "Vượng", "Hòa", "Tài", "Lộc", "Quang", "Nam", "Sơn", "Huy", "Mỹ", "Gia", "Phong",
    "Tín", "Ngân", "Hải", "Minh", "Việt", "Tâm", "Hậu", "Giang", "Kiệt", "Trí", "Thuận",
)
_COMMON_TRADES = (
    "Thương mại", "Thương mại Dịch vụ", "Xây dựng", "Vận tải", "Lương thực", "Vật liệu xây dựng",
    "Dịch vụ Nông nghiệp", "Thủy sản", "Xăng dầu", "Điện máy", "Dịch vụ Bảo vệ", "Giống cây trồng",
    "Thực phẩm", "Nước giải khát", "Nội thất", "Cơ khí", "Dịch vụ Vệ sinh", "Công nghệ",
)
_IZ_TRADES = (
    "May mặc", "May mặc", "Thủy sản", "Chế biến thủy sản", "Giày da", "Giày da",
    "Chế biến lương thực", "Bao bì", "Thức ăn chăn nuôi", "Dược phẩm", "Chế biến gỗ", "Nhựa",
    "Xuất nhập khẩu nông sản", "Thực phẩm", "Dệt may", "Túi xách", "Cơ khí chính xác",
    "Chế biến rau quả", "Điện tử", "Phân bón",
)
_STATE_TRADES_PROVINCE = (
    "Xổ số kiến thiết", "Khai thác thủy lợi", "Xây lắp", "Cấp thoát nước", "Môi trường đô thị",
    "Phát hành sách", "Lâm nghiệp", "Vận tải thủy", "Công trình giao thông", "Lương thực",
)
_STATE_BRANCHES_DISTRICT = (
    "Điện lực {p}",
    "Trung tâm Viễn thông {p}",
    "Bưu điện {dl}",
    "Ngân hàng Nông nghiệp và Phát triển nông thôn chi nhánh {dl}",
    "Xí nghiệp Điện nước {p}",
    "Công ty TNHH MTV Công trình công cộng {p}",
)
_KINDERGARTEN_NAMES = (
    "Họa Mi", "Sơn Ca", "Hoa Sen", "Vàng Anh", "Tuổi Thơ", "Hướng Dương", "Măng Non", "Hoa Hồng",
    "Bình Minh", "Sao Mai", "Hoa Mai", "Anh Đào", "Rạng Đông", "Ánh Dương", "Hoa Phượng",
    "Bông Sen", "Thiên Thần", "Hoa Cúc",
)
_SCHOOL_FIGURES = (
    "Nguyễn Trãi", "Lê Lợi", "Trần Hưng Đạo", "Lê Quý Đôn", "Nguyễn Du", "Nguyễn Bỉnh Khiêm",
    "Chu Văn An", "Lý Thường Kiệt", "Quang Trung", "Nguyễn Huệ", "Võ Thị Sáu", "Lê Văn Tám",
    "Kim Đồng", "Phan Bội Châu", "Phan Châu Trinh", "Nguyễn Đình Chiểu", "Tôn Đức Thắng",
    "Thoại Ngọc Hầu", "Thủ Khoa Nghĩa", "Nguyễn Văn Trỗi", "Huỳnh Thị Hưởng", "Nguyễn Hữu Cảnh",
    "Trần Quốc Toản", "Lê Hồng Phong", "Võ Trường Toản", "Nguyễn Khuyến", "Lương Thế Vinh",
    "Nguyễn Thị Minh Khai", "Châu Văn Liêm", "Hồ Tùng Mậu", "Mạc Đĩnh Chi", "Ngô Quyền",
    "Hai Bà Trưng", "Trần Phú", "Nguyễn Trung Trực", "Lê Văn Duyệt", "Phạm Hùng", "Võ Văn Kiệt",
)
_PRIMARY_LETTERS = ("A", "A", "A", "A", "B", "B", "B", "C", "C", "D")
_DISTRICT_OFFICES = (
    "Phòng Giáo dục và Đào tạo", "Phòng Tài chính - Kế hoạch", "Phòng Tài nguyên và Môi trường",
    "Phòng Lao động - Thương binh và Xã hội", "Phòng Nông nghiệp và Phát triển nông thôn",
    "Phòng Kinh tế - Hạ tầng", "Phòng Văn hóa và Thông tin", "Phòng Nội vụ", "Phòng Tư pháp",
    "Phòng Y tế", "Thanh tra", "Văn phòng HĐND và UBND", "Trung tâm Văn hóa - Thể thao",
    "Đài Truyền thanh", "Chi cục Thuế", "Kho bạc Nhà nước", "Bảo hiểm xã hội", "Chi cục Thống kê",
    "Tòa án nhân dân", "Viện Kiểm sát nhân dân", "Chi cục Thi hành án dân sự",
    "Ủy ban Mặt trận Tổ quốc Việt Nam", "Ban Quản lý dự án đầu tư xây dựng",
    "Trung tâm Phát triển quỹ đất", "Khối Đảng - Đoàn thể",
)
_PARTY_COMMITTEE = {"thành phố": "Thành ủy", "thị xã": "Thị ủy", "huyện": "Huyện ủy"}
_PROVINCE_AGENCIES = (
    "Văn phòng Tỉnh ủy An Giang", "Văn phòng Ủy ban nhân dân tỉnh An Giang",
    "Văn phòng Đoàn ĐBQH và HĐND tỉnh An Giang", "Sở Tài chính tỉnh An Giang",
    "Sở Kế hoạch và Đầu tư tỉnh An Giang", "Sở Tư pháp tỉnh An Giang", "Sở Nội vụ tỉnh An Giang",
    "Sở Công Thương tỉnh An Giang", "Sở Xây dựng tỉnh An Giang",
    "Sở Giao thông vận tải tỉnh An Giang", "Sở Tài nguyên và Môi trường tỉnh An Giang",
    "Sở Nông nghiệp và Phát triển nông thôn tỉnh An Giang",
    "Sở Lao động - Thương binh và Xã hội tỉnh An Giang",
    "Sở Văn hóa, Thể thao và Du lịch tỉnh An Giang", "Sở Khoa học và Công nghệ tỉnh An Giang",
    "Sở Thông tin và Truyền thông tỉnh An Giang", "Thanh tra tỉnh An Giang",
    "Ban Dân tộc tỉnh An Giang", "Cục Thuế tỉnh An Giang", "Kho bạc Nhà nước An Giang",
    "Bảo hiểm xã hội tỉnh An Giang", "Cục Thống kê tỉnh An Giang", "Cục Hải quan An Giang",
    "Tòa án nhân dân tỉnh An Giang", "Viện Kiểm sát nhân dân tỉnh An Giang",
    "Cục Thi hành án dân sự tỉnh An Giang", "Ban Quản lý Khu kinh tế tỉnh An Giang",
    "Chi cục Thủy lợi tỉnh An Giang", "Chi cục Kiểm lâm tỉnh An Giang",
    "Trung tâm Xúc tiến Thương mại và Đầu tư tỉnh An Giang", "Thư viện tỉnh An Giang",
    "Bảo tàng tỉnh An Giang", "Trung tâm Dịch vụ việc làm An Giang",
    "Quỹ Đầu tư phát triển tỉnh An Giang", "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh An Giang",
    "Hội Nông dân tỉnh An Giang", "Tỉnh đoàn An Giang", "Hội Liên hiệp Phụ nữ tỉnh An Giang",
    "Hội Cựu chiến binh tỉnh An Giang", "Liên minh Hợp tác xã tỉnh An Giang",
    "Liên hiệp các Hội Khoa học và Kỹ thuật tỉnh An Giang", "Ban Tổ chức Tỉnh ủy An Giang",
    "Ban Tuyên giáo Tỉnh ủy An Giang", "Ban Dân vận Tỉnh ủy An Giang", "Ủy ban Kiểm tra Tỉnh ủy An Giang",
    "Đảng ủy Khối cơ quan và doanh nghiệp tỉnh An Giang", "Chi cục Quản lý thị trường tỉnh An Giang",
    "Chi cục Trồng trọt và Bảo vệ thực vật tỉnh An Giang", "Chi cục Chăn nuôi và Thú y tỉnh An Giang",
    "Chi cục Thủy sản tỉnh An Giang", "Chi cục Phát triển nông thôn tỉnh An Giang",
    "Chi cục Bảo vệ môi trường tỉnh An Giang", "Chi cục Tiêu chuẩn Đo lường Chất lượng tỉnh An Giang",
    "Trung tâm Khuyến nông tỉnh An Giang",
    "Trung tâm Nước sạch và Vệ sinh môi trường nông thôn tỉnh An Giang",
    "Trung tâm Công nghệ thông tin và Truyền thông tỉnh An Giang",
    "Trung tâm Phát triển quỹ đất tỉnh An Giang",
    "Văn phòng Đăng ký đất đai tỉnh An Giang", "Trung tâm Trợ giúp pháp lý nhà nước tỉnh An Giang",
    "Trung tâm Dịch vụ đấu giá tài sản tỉnh An Giang", "Trung tâm Hành chính công tỉnh An Giang",
    "Trung tâm Văn hóa - Nghệ thuật tỉnh An Giang",
    "Trung tâm Huấn luyện và Thi đấu thể dục thể thao tỉnh An Giang",
    "Ban Quản lý dự án đầu tư xây dựng và khu vực phát triển đô thị tỉnh An Giang",
    "Ban Quản lý Khu du lịch quốc gia Núi Sam", "Trung tâm Bảo trợ xã hội tỉnh An Giang",
    "Cơ sở Cai nghiện ma túy tỉnh An Giang", "Hội Chữ thập đỏ tỉnh An Giang",
)
_PROVINCE_SCHOOLS = (
    "Trường Đại học An Giang", "Trường Chính trị Tôn Đức Thắng", "Trường Cao đẳng Nghề An Giang",
    "Trường Cao đẳng Y tế An Giang", "Trường Trung cấp Kinh tế - Kỹ thuật An Giang",
    "Trường Trung cấp Văn hóa Nghệ thuật An Giang",
)
_EDUCATION_SPECIAL = (
    "Trường THPT chuyên Thoại Ngọc Hầu", "Trường THPT chuyên Thủ Khoa Nghĩa",
    "Trường Phổ thông Dân tộc nội trú tỉnh An Giang", "Trung tâm Giáo dục thường xuyên tỉnh An Giang",
    "Trường Phổ thông Thực hành Sư phạm", "Trường Khuyết tật tỉnh An Giang",
)
_EDUCATION_AGENCIES = ("Cơ quan Sở Giáo dục và Đào tạo tỉnh An Giang",)
_HEALTH_SPECIAL = (
    "Bệnh viện Đa khoa Trung tâm An Giang", "Bệnh viện Đa khoa khu vực tỉnh An Giang",
    "Bệnh viện Đa khoa khu vực Tân Châu", "Bệnh viện Sản - Nhi An Giang",
    "Bệnh viện Tim mạch An Giang", "Bệnh viện Mắt - Tai Mũi Họng - Răng Hàm Mặt An Giang",
    "Bệnh viện Tâm thần tỉnh An Giang", "Bệnh viện Y học cổ truyền An Giang",
    "Trung tâm Kiểm soát bệnh tật tỉnh An Giang", "Trung tâm Pháp y tỉnh An Giang",
    "Trung tâm Kiểm nghiệm tỉnh An Giang", "Trung tâm Giám định y khoa tỉnh An Giang",
)
_HEALTH_AGENCIES = (
    "Cơ quan Sở Y tế tỉnh An Giang", "Chi cục An toàn vệ sinh thực phẩm tỉnh An Giang",
    "Chi cục Dân số - Kế hoạch hóa gia đình tỉnh An Giang",
)


def _nfc(value: str) -> str:
    return unicodedata.normalize("NFC", value)


def _cumulative(weights: Sequence[float]) -> list[float]:
    total, out = 0.0, []
    for weight in weights:
        total += weight
        out.append(total)
    return out


class _Choice:
    """A weighted choice with precomputed cumulative weights (one rng.random() per pick)."""

    __slots__ = ("items", "cum", "total")

    def __init__(self, pairs: Sequence[tuple[object, float]]) -> None:
        pairs = [(item, weight) for item, weight in pairs if weight > 0]
        self.items = [item for item, _ in pairs]
        self.cum = _cumulative([weight for _, weight in pairs])
        self.total = self.cum[-1]

    def __call__(self, rng: random.Random):
        return self.items[bisect.bisect_right(self.cum, rng.random() * self.total)]


def _log_uniform(rng: random.Random, low: int, high: int) -> int:
    """Heavy-ish tail inside [low, high]: uniform in the logarithm."""
    return int(math.exp(rng.uniform(math.log(low), math.log(high + 1)))) if high > low else low


# Size bands (low, high, weight): a band is picked, then a log-uniform size inside it.
_ENTERPRISE_BANDS = {
    # district federations and the province: mostly small and medium firms
    "local": _Choice([((20, 149), 0.82), ((150, 599), 0.15), ((600, 999), 0.025), ((1000, 6000), 0.005)]),
    # industrial zones: factories, larger on the whole (FACTS.md: 238 non-state CĐCS with
    # 53,700 workers in 2023, i.e. about 225 a union on average)
    "industrial_zone": _Choice([((40, 299), 0.62), ((300, 999), 0.325), ((1000, 6000), 0.055)]),
    # state enterprises and their branches
    "state": _Choice([((30, 299), 0.88), ((300, 999), 0.11), ((1000, 2500), 0.01)]),
}


def _officers_for(rng: random.Random, members: int) -> int:
    """Union officers: a lone chairperson in a tiny union, up to ~15 in a large one."""
    if members < 10:
        return 1
    if members < 30:
        return rng.randint(1, 3)
    if members < 100:
        return rng.randint(3, 5)
    if members < 300:
        return rng.randint(5, 7)
    if members < 1000:
        return rng.randint(7, 11)
    return rng.randint(9, 15)


# --------------------------------------------------------------------------------------
# Per-parent context: everything a name needs, computed once per parent.
# --------------------------------------------------------------------------------------


@dataclass
class _Place:
    place: str
    district_label: str  # "huyện Chợ Mới", "thành phố Long Xuyên", "tỉnh An Giang"
    party_committee: str  # "Huyện ủy Chợ Mới"
    commune_labels: list[str]  # "xã Mỹ Khánh", "phường Mỹ Bình", "thị trấn An Phú"
    commune_names: list[str]  # "Mỹ Khánh", "Mỹ Bình", "An Phú"
    trades: tuple[str, ...]
    # Names of which a place has only one (the committee of a commune, its health station,
    # a provincial department): each is handed out once, in a shuffled order, until the
    # list runs out. Filled lazily, one list per key.
    pools: dict[str, list[str]] = field(default_factory=dict)

    def take(self, rng: random.Random, key: str, items: Sequence[str]) -> str | None:
        pool = self.pools.get(key)
        if pool is None:
            pool = list(items)
            rng.shuffle(pool)
            self.pools[key] = pool
        return pool.pop() if pool else None


def _province_communes() -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for place in _DISTRICTS:
        out.extend(_district_communes(place))
    return out


def _district_communes(place: str, districts=_DISTRICTS) -> list[tuple[str, str]]:
    _, _, wards, towns, communes = districts[place]
    return (
        [(f"phường {name}", name) for name in wards]
        + [(f"thị trấn {name}", name) for name in towns]
        + [(f"xã {name}", name) for name in communes]
    )


_DISTRICT_LABELS = [f"{_DISTRICTS[p][0]} {p}" for p in _DISTRICTS]
_TOWNS = list(_DISTRICTS)


def _place_context(spec: ParentSpec) -> _Place:
    place = _nfc(spec.place.strip()) or "An Giang"
    province = _province_of(spec)
    if spec.kind == "district" and place in province.districts:
        kind = province.districts[place][0]
        communes = _district_communes(place, province.districts)
        trades = _COMMON_TRADES + province.trades.get(place, ())
    elif spec.kind == "district":
        kind = "huyện"
        communes = _PROVINCE_COMMUNES
        trades = _COMMON_TRADES
    else:
        kind = "tỉnh"
        communes = _PROVINCE_COMMUNES
        trades = _IZ_TRADES if spec.kind == "industrial_zone" else _COMMON_TRADES
    committee = {"tỉnh": "Tỉnh ủy"}.get(kind) or _PARTY_COMMITTEE[kind]
    return _Place(
        place=place,
        district_label=f"{kind} {place}",
        party_committee=f"{committee} {place}",
        commune_labels=[label for label, _ in communes],
        commune_names=[name for _, name in communes],
        trades=trades,
    )


_PROVINCE_COMMUNES = _province_communes()


def _sector_of(spec: ParentSpec) -> str:
    if spec.sector:
        return spec.sector
    tail = spec.code.rsplit(".", 1)[-1].upper()
    return {"GD": "education", "YT": "health"}.get(tail, "other")


def _province_of(spec: ParentSpec) -> _Province:
    return _PROVINCES.get(_nfc(spec.province.strip()), _PROVINCES["An Giang"])


def _parent_weight(spec: ParentSpec) -> float:
    if spec.kind == "district":
        return _province_of(spec).weight.get(_nfc(spec.place.strip()), _DEFAULT_DISTRICT_WEIGHT)
    if spec.kind == "sector":
        return _SECTOR_WEIGHT.get(_sector_of(spec), _DEFAULT_SECTOR_WEIGHT)
    return _KIND_WEIGHT[spec.kind]


def _cell_mix(spec: ParentSpec) -> list[tuple[str, str, float]]:
    """(category, ownership, share) for a parent; shares add up to 1."""
    if spec.kind == "district":
        place = _nfc(spec.place.strip())
        share = _province_of(spec).enterprise_share.get(place, _DEFAULT_DISTRICT_ENTERPRISE_SHARE)
        rest = 1.0 - share
        return [
            ("school", "public_sector", rest * 0.55),
            ("agency", "public_sector", rest * 0.30),
            ("health", "public_sector", rest * 0.15),
            ("enterprise", "non_state", share * 0.93),
            ("enterprise", "state", share * 0.07),
        ]
    if spec.kind == "industrial_zone":
        return [("enterprise", "non_state", 0.95), ("enterprise", "state", 0.05)]
    if spec.kind == "province":
        return [
            ("agency", "public_sector", 0.62),
            ("school", "public_sector", 0.05),
            ("enterprise", "state", 0.33 * 0.65),
            ("enterprise", "non_state", 0.33 * 0.35),
        ]
    sector = _sector_of(spec)
    if sector == "education":
        return [("school", "public_sector", 0.985), ("agency", "public_sector", 0.015)]
    if sector == "health":
        return [("health", "public_sector", 0.95), ("agency", "public_sector", 0.05)]
    return [
        ("agency", "public_sector", 0.6),
        ("school", "public_sector", 0.2),
        ("health", "public_sector", 0.2),
    ]


# --------------------------------------------------------------------------------------
# Names and sizes, one function per category.
# --------------------------------------------------------------------------------------

_SCHOOL_LEVEL = _Choice([("mn", 0.30), ("th", 0.45), ("thcs", 0.25)])
_EDU_SECTOR_KIND = _Choice([("thpt_commune", 0.45), ("thpt_figure", 0.28), ("thpt_town", 0.10),
                            ("gdnn", 0.09), ("special", 0.08)])
_HEALTH_SECTOR_KIND = _Choice([("special", 0.35), ("ttyt", 0.35), ("pk", 0.30)])
_FORM_SMALL = _Choice([("Công ty TNHH", 0.42), ("Công ty TNHH MTV", 0.13), ("Công ty Cổ phần", 0.22),
                       ("Doanh nghiệp tư nhân", 0.18), ("Hợp tác xã", 0.05)])
_FORM_LARGE = _Choice([("Công ty TNHH", 0.55), ("Công ty Cổ phần", 0.45)])


def _brand(rng: random.Random) -> str:
    first = rng.choice(_BRAND_FIRST)
    second = rng.choice(_BRAND_SECOND)
    while second == first:
        second = rng.choice(_BRAND_SECOND)
    return f"{first} {second}"


def _school(rng: random.Random, ctx: _Place, spec: ParentSpec) -> tuple[str, int]:
    if spec.kind == "district":
        level = _SCHOOL_LEVEL(rng)
        if level == "mn":
            if rng.random() < 0.5:
                commune = ctx.take(rng, "mg", ctx.commune_names)
                if commune:
                    return f"Trường Mẫu giáo {commune}", _log_uniform(rng, 10, 40)
            return f"Trường Mầm non {rng.choice(_KINDERGARTEN_NAMES)}", _log_uniform(rng, 10, 45)
        if level == "th":
            if rng.random() < 0.65:
                name = f"Trường Tiểu học {rng.choice(_PRIMARY_LETTERS)} {rng.choice(ctx.commune_names)}"
            else:
                name = f"Trường Tiểu học {rng.choice(_SCHOOL_FIGURES)}"
            return name, _log_uniform(rng, 15, 70)
        if rng.random() < 0.5:
            return f"Trường THCS {rng.choice(ctx.commune_names)}", _log_uniform(rng, 25, 90)
        return f"Trường THCS {rng.choice(_SCHOOL_FIGURES)}", _log_uniform(rng, 25, 90)
    if spec.kind == "sector" and _sector_of(spec) == "education":
        kind = _EDU_SECTOR_KIND(rng)
        if kind == "special":
            name = ctx.take(rng, "edu_special", _EDUCATION_SPECIAL)
            if name:
                return name, _log_uniform(rng, 40, 120)
            kind = "thpt_figure"
        if kind == "gdnn":
            label = ctx.take(rng, "gdnn", _DISTRICT_LABELS)
            if label:
                return f"Trung tâm GDNN - GDTX {label}", _log_uniform(rng, 20, 60)
            kind = "thpt_commune"
        if kind == "thpt_town":
            town = ctx.take(rng, "thpt_town", _TOWNS)
            if town:
                return f"Trường THPT {town}", _log_uniform(rng, 60, 120)
            kind = "thpt_commune"
        if kind == "thpt_commune":
            return f"Trường THPT {rng.choice(ctx.commune_names)}", _log_uniform(rng, 45, 120)
        return f"Trường THPT {rng.choice(_SCHOOL_FIGURES)}", _log_uniform(rng, 45, 120)
    name = ctx.take(rng, "province_school", _PROVINCE_SCHOOLS)
    if name is None:
        return f"Trường THPT {rng.choice(_SCHOOL_FIGURES)}", _log_uniform(rng, 45, 120)
    if name.startswith("Trường Đại học"):
        return name, _log_uniform(rng, 400, 800)
    return name, _log_uniform(rng, 40, 200)


def _health(rng: random.Random, ctx: _Place, spec: ParentSpec) -> tuple[str, int]:
    if spec.kind == "district":
        if rng.random() < 0.85:
            label = ctx.take(rng, "tyt", ctx.commune_labels)
            if label:
                return f"Trạm Y tế {label}", _log_uniform(rng, 10, 25)
        commune = ctx.take(rng, "pk", ctx.commune_names) or rng.choice(ctx.commune_names)
        return f"Phòng khám Đa khoa khu vực {commune}", _log_uniform(rng, 15, 45)
    kind = _HEALTH_SECTOR_KIND(rng)
    if kind == "special":
        name = ctx.take(rng, "health_special", _HEALTH_SPECIAL)
        if name:
            if name.startswith("Bệnh viện"):
                return name, _log_uniform(rng, 250, 1500)
            return name, _log_uniform(rng, 25, 120)
        kind = "ttyt"
    if kind == "ttyt":
        label = ctx.take(rng, "ttyt", _DISTRICT_LABELS)
        if label:
            return f"Trung tâm Y tế {label}", _log_uniform(rng, 120, 450)
    commune = ctx.take(rng, "pk", ctx.commune_names) or rng.choice(ctx.commune_names)
    return f"Phòng khám Đa khoa khu vực {commune}", _log_uniform(rng, 15, 45)


def _agency(rng: random.Random, ctx: _Place, spec: ParentSpec) -> tuple[str, int]:
    if spec.kind == "district":
        roll = rng.random()
        first = "ubnd" if roll < 0.45 else "party" if roll < 0.50 else "office"
        for key in (first, "ubnd", "office", "party"):
            if key == "ubnd":
                label = ctx.take(rng, "ubnd", ctx.commune_labels)
                if label:
                    return f"Ủy ban nhân dân {label}", _log_uniform(rng, 18, 45)
            elif key == "party":
                if ctx.take(rng, "party", (ctx.party_committee,)):
                    return f"Cơ quan {ctx.party_committee}", _log_uniform(rng, 20, 60)
            else:
                office = ctx.take(rng, "office", _DISTRICT_OFFICES)
                if office:
                    return f"{office} {ctx.district_label}", _log_uniform(rng, 10, 60)
        return f"{rng.choice(_DISTRICT_OFFICES)} {ctx.district_label}", _log_uniform(rng, 10, 60)
    if spec.kind == "sector":
        sector = _sector_of(spec)
        if sector == "education":
            name = ctx.take(rng, "edu_agency", _EDUCATION_AGENCIES) or rng.choice(_EDUCATION_AGENCIES)
            return name, _log_uniform(rng, 40, 90)
        if sector == "health":
            name = ctx.take(rng, "health_agency", _HEALTH_AGENCIES) or rng.choice(_HEALTH_AGENCIES)
            return name, _log_uniform(rng, 20, 90)
    name = ctx.take(rng, "province_agency", _PROVINCE_AGENCIES) or rng.choice(_PROVINCE_AGENCIES)
    return name, _log_uniform(rng, 25, 120)


def _enterprise(rng: random.Random, ctx: _Place, spec: ParentSpec, ownership: str) -> tuple[str, int]:
    if ownership == "state":
        low, high = _ENTERPRISE_BANDS["state"](rng)
        workers = _log_uniform(rng, low, high)
        if spec.kind == "district":
            template = ctx.take(rng, "state_branch", _STATE_BRANCHES_DISTRICT)
            if template:
                return template.format(dl=ctx.district_label, p=ctx.place), workers
        elif spec.kind == "province" and rng.random() < 0.6:
            trade = ctx.take(rng, "state_province", _STATE_TRADES_PROVINCE)
            if trade:
                return f"Công ty TNHH MTV {trade} An Giang", workers
        return f"Công ty Cổ phần {rng.choice(ctx.trades)} {_brand(rng)}", workers
    bands = _ENTERPRISE_BANDS["industrial_zone" if spec.kind == "industrial_zone" else "local"]
    low, high = bands(rng)
    workers = _log_uniform(rng, low, high)
    form = _FORM_SMALL(rng) if workers < 150 else _FORM_LARGE(rng)
    if form == "Hợp tác xã":
        if spec.kind == "industrial_zone":
            form = "Công ty TNHH"
        else:
            return f"Hợp tác xã Nông nghiệp {rng.choice(ctx.commune_names)}", min(workers, 60)
    return f"{form} {rng.choice(ctx.trades)} {_brand(rng)}", workers


# A name already used under the same parent is drawn again up to this many times before a
# distinguishing suffix ("(cơ sở 2)", "- Chi nhánh 2") is added.
_NAME_TRIES = 6
_PREFIX = {
    "enterprise": "Công đoàn cơ sở ",
    "school": "Công đoàn ",
    "health": "Công đoàn ",
    "agency": "Công đoàn ",
}
_MEMBER_RATIO = {"non_state": (0.70, 0.95), "state": (0.92, 1.0), "public_sector": (0.95, 1.0)}


# --------------------------------------------------------------------------------------
# Allocation and the public generator.
# --------------------------------------------------------------------------------------


def _allocate(n: int, parents: Sequence[ParentSpec], rng: random.Random) -> list[list[tuple[str, str, int]]]:
    """Split n over (parent, category, ownership) cells by largest remainder; then make sure
    every category that some parent can hold appears at least once when n allows it."""
    cells: list[tuple[int, str, str, float]] = []
    for index, spec in enumerate(parents):
        weight = _parent_weight(spec)
        for category, ownership, share in _cell_mix(spec):
            cells.append((index, category, ownership, weight * share))
    total = sum(cell[3] for cell in cells)
    exact = [n * cell[3] / total for cell in cells]
    counts = [int(value) for value in exact]
    short = n - sum(counts)
    # Largest fractional parts first; the seed breaks near-ties so the split varies a little.
    order = sorted(range(len(cells)), key=lambda i: (-(exact[i] - counts[i] + rng.random() * 1e-3), i))
    for i in order[:short]:
        counts[i] += 1

    available = [c for c in CATEGORIES if any(cell[1] == c for cell in cells)]
    if n >= len(available):
        for category in available:
            if any(counts[i] for i, cell in enumerate(cells) if cell[1] == category):
                continue
            candidates = [i for i, cell in enumerate(cells) if cell[1] == category]
            target = max(candidates, key=lambda i: cells[i][3])
            per_category = Counter()
            for i, cell in enumerate(cells):
                per_category[cell[1]] += counts[i]
            donors = [i for i, cell in enumerate(cells) if counts[i] > 0 and per_category[cell[1]] > 1]
            donor = max(donors, key=lambda i: (counts[i], -i))
            counts[donor] -= 1
            counts[target] += 1

    per_parent: list[list[tuple[str, str, int]]] = [[] for _ in parents]
    for i, (index, category, ownership, _) in enumerate(cells):
        if counts[i]:
            per_parent[index].append((category, ownership, counts[i]))
    return per_parent


def generate_grassroots(n: int, seed: int, parents: Sequence[ParentSpec]) -> Iterator[GrassrootsProfile]:
    """Yield exactly ``n`` plausible grassroots unions spread over ``parents``.

    Deterministic: the same ``(n, seed, parents)`` yields the same profiles in the same
    order (grouped by parent, in the order given; codes ``{parent}.{00001..}``). The split
    over parents, categories and ownership follows An Giang's structure and scales with
    ``n``; with ``n`` at least the number of categories the parents can hold, every such
    category appears at least once.
    """
    if n < 0:
        raise ValueError("n must not be negative")
    if n == 0:
        return
    if not parents:
        raise ValueError("at least one parent is needed")
    codes = [spec.code for spec in parents]
    if len(set(codes)) != len(codes):
        raise ValueError("parent codes must be unique")
    for spec in parents:
        if spec.kind not in PARENT_KINDS:
            raise ValueError(f"parent {spec.code}: kind must be one of {', '.join(PARENT_KINDS)}")

    rng = random.Random(seed)
    allocation = _allocate(n, parents, rng)
    for spec, cells in zip(parents, allocation, strict=True):
        slots = [(category, ownership) for category, ownership, count in cells for _ in range(count)]
        rng.shuffle(slots)
        ctx = _place_context(spec)
        used: dict[str, int] = {}
        for seq, (category, ownership) in enumerate(slots, start=1):
            for _attempt in range(_NAME_TRIES):
                if category == "enterprise":
                    base, workers = _enterprise(rng, ctx, spec, ownership)
                elif category == "school":
                    base, workers = _school(rng, ctx, spec)
                elif category == "health":
                    base, workers = _health(rng, ctx, spec)
                else:
                    base, workers = _agency(rng, ctx, spec)
                if base not in used:
                    break
            seen = used.get(base, 0) + 1
            used[base] = seen
            if seen > 1:
                base = f"{base} - Chi nhánh {seen}" if category == "enterprise" else f"{base} (cơ sở {seen})"
            low, high = _MEMBER_RATIO[ownership]
            members = min(workers, max(1, round(workers * rng.uniform(low, high))))
            yield GrassrootsProfile(
                parent_code=spec.code,
                code=f"{spec.code}.{seq:05d}",
                name=_PREFIX[category] + base,
                category=category,
                ownership=ownership,
                workers=workers,
                members=members,
                officers=_officers_for(rng, members),
            )


# The upper-level unions of units/data/an_giang.yaml that grassroots unions hang under, in
# its order (the province itself stands for "CĐCS trực thuộc tỉnh").
AN_GIANG_PARENTS: tuple[ParentSpec, ...] = (
    ParentSpec("AG", "province", "An Giang"),
    *(ParentSpec(f"AG.{_DISTRICTS[place][1]}", "district", place)
      for place in sorted(_DISTRICTS, key=lambda p: _DISTRICTS[p][1])),
    ParentSpec("AG.YT", "sector", "An Giang", "health"),
    ParentSpec("AG.GD", "sector", "An Giang", "education"),
    ParentSpec("AG.KCN", "industrial_zone", "An Giang"),
)

# Old Kiên Giang's demo grassroots unions per An Giang's: FACTS.md gives 2,956 grassroots unions in
# both old provinces; An Giang's demo default is 1,500 plus 17 named, Kiên Giang has 14 named, so
# (2,956 − 1,517 − 14) / 1,500 ≈ 0.95.
KIEN_GIANG_SHARE = 0.95

# Old Kiên Giang's district federations (units/data/kien_giang.yaml), in admin-code order. Its
# province and sector unions get no demo grassroots unions: their named ones are in the file.
KIEN_GIANG_PARENTS: tuple[ParentSpec, ...] = tuple(
    ParentSpec(f"KG.{_KG_DISTRICTS[place][1]}", "district", place, province="Kiên Giang")
    for place in sorted(_KG_DISTRICTS, key=lambda p: _KG_DISTRICTS[p][1])
)
