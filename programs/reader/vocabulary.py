"""The words of union documents that name units, people and actors, with the code names of
shared/GLOSSARY.md. One table per question, searched in lower case."""

from __future__ import annotations

import re

from programs.definition import UPPER_UNION_KINDS

ALL_KINDS = ["province", *UPPER_UNION_KINDS, "grassroots"]
UPPER = list(UPPER_UNION_KINDS)

# What a target measures, as (pattern, unit kinds, filter, note). The first one found right
# after the target's figure (or after "mỗi") says whose data it is.
Subject = tuple[re.Pattern, list[str], dict, str]
TARGET_SUBJECTS: list[Subject] = [(re.compile(p, re.IGNORECASE), k, f, n) for p, k, f, n in [
    (r"(?<!\w)(?:mỗi |các )?cấp công đoàn|công đoàn các cấp", ALL_KINDS, {}, ""),
    (r"công đoàn cấp (?:trên )?(?:trực tiếp )?(?:cơ sở|trên)|cđ cấp trên|công đoàn (?:các )?(?:xã|phường|đặc khu)",
     UPPER, {}, ""),
    (r"liên đoàn lao động (?:huyện|quận|thị|thành phố)|lđlđ (?:huyện|cấp huyện)", ["district"], {}, ""),
    (r"công đoàn ngành|cđ ngành", ["sector"], {}, ""),
    (r"doanh nghiệp (?:nhà nước|khu vực nhà nước)|dnnn\b", ["grassroots"], {"ownership": ["state"]}, ""),
    (r"doanh nghiệp (?:khu vực )?ngoài (?:khu vực )?nhà nước|dn ngoài (?:nhà nước|nn)|doanh nghiệp tư nhân",
     ["grassroots"], {"ownership": ["non_state"]}, ""),
    (r"(?:cđcs|công đoàn cơ sở) (?:doanh nghiệp|ở doanh nghiệp|tại doanh nghiệp) có đông (?:lao động|công nhân)"
     r"|doanh nghiệp có đông (?:lao động|công nhân)", ["grassroots"], {"large_enterprise": True}, ""),
    (r"doanh nghiệp có (?:từ )?[\d.]+ (?:lao động|công nhân) trở lên", UPPER, {},
     "enterprises without a union are not in the hierarchy: each upper-level union counts those of its area"),
    (r"cơ quan hành chính|đơn vị sự nghiệp|khu vực (?:hành chính )?sự nghiệp|khu vực công", ["grassroots"],
     {"ownership": ["public_sector"]}, ""),
    (r"tranh chấp lao động|ngừng việc|đình công", UPPER, {},
     "disputes also happen where there is no grassroots union: upper-level unions count those of their area"),
    (r"thỏa ước|thoả ước|doanh nghiệp có (?:tổ chức )?công đoàn|doanh nghiệp", ["grassroots"],
     {"enterprise": True}, ""),
    (r"cán bộ (?:công đoàn cơ sở|cđcs)|cán bộ công đoàn|đoàn viên|người lao động|công nhân|viên chức|lao động|"
     r"cnvclđ|cnlđ|nlđ|cán bộ", ["grassroots"], {}, ""),
    (r"công đoàn cơ sở|cđcs", ["grassroots"], {}, ""),
    (r"sáng kiến|giải pháp|cải tiến|mái ấm|căn nhà|nhà", ["grassroots"], {}, ""),
]]

# Who carries out a task: (pattern, responsible code).
ACTORS: list[tuple[re.Pattern, str]] = [(re.compile(p, re.IGNORECASE), code) for p, code in [
    (r"ban thường vụ", "standing_committee"),
    (r"ban nghiệp vụ", "department"),
    (r"ban tuyên giáo", "lead_department"),
    (r"ban chấp hành công đoàn các cấp|công đoàn các cấp|các cấp công đoàn|mỗi cấp công đoàn", "all_levels"),
    (r"công đoàn cấp (?:trên )?(?:trực tiếp )?(?:cơ sở|trên)|cđ cấp trên|công đoàn (?:các )?(?:xã|phường)",
     "upper_union"),
    (r"liên đoàn lao động (?:huyện|quận|thị|thành phố)|lđlđ (?:huyện|cấp huyện)", "district"),
    (r"công đoàn ngành|cđ ngành", "sector"),
    (r"công đoàn (?:các )?khu công nghiệp|cđ (?:các )?kcn", "industrial_zone"),
    (r"công đoàn cơ sở|cđcs", "grassroots"),
]]

# Which provincial department follows a task, from its words: (department, words).
DEPARTMENT_WORDS: list[tuple[str, tuple[str, ...]]] = [
    ("propaganda", ("tuyên truyền", "quán triệt", "giáo dục", "truyền thông", "văn hóa", "nghị quyết", "học tập")),
    ("organisation", ("kết nạp", "đoàn viên", "thành lập", "cán bộ công đoàn", "tổ chức công đoàn", "đảng",
                      "bồi dưỡng", "phân loại")),
    ("policy_law", ("chính sách", "pháp luật", "thỏa ước", "thương lượng", "đối thoại", "an toàn", "bảo hiểm",
                    "tranh chấp", "phúc lợi", "mái ấm", "chăm lo", "việc làm")),
    ("office", ("thi đua", "khen thưởng", "sáng kiến")),
    ("women", ("nữ", "bình đẳng giới", "gia đình")),
    ("finance", ("tài chính", "kinh phí", "đoàn phí")),
    ("inspection", ("kiểm tra", "giám sát")),
]
LEAD_DEPARTMENT = {"ban tuyên giáo": "propaganda", "ban tổ chức": "organisation",
                   "ban chính sách": "policy_law", "ban nữ công": "women", "văn phòng": "office",
                   "ban tài chính": "finance", "ủy ban kiểm tra": "inspection"}
