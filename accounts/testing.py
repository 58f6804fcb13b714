"""A small hierarchy and one user per role, shared by the tests of every app.

    AG  province                      admin (province administrator), viewer (standing committee)
    ├── AG.883 Long Xuyên district    approver
    │   ├── AG.883.00001 grassroots   reporter
    │   └── AG.883.00002 grassroots   (sibling of the reporter's union)
    ├── AG.884 Châu Đốc district      approver_cd
    │   └── AG.884.00001 grassroots   sibling_reporter (another branch)
    └── AG.YT health sector union     sector_viewer
        └── AG.YT.00001 grassroots
"""

from __future__ import annotations

from types import SimpleNamespace

from accounts.models import Role
from tests.factories import PASSWORD, UnitFactory, UserFactory
from units.models import Ownership, Unit, UnitKind

__all__ = ["PASSWORD", "build_world", "login"]


def _unit(parent: Unit | None, code: str, name: str, kind: str, **attributes) -> Unit:
    return UnitFactory(parent=parent, code=code, name=name, kind=kind, **attributes)


def _user(username: str, unit: Unit, role: str):
    return UserFactory(username=username, unit=unit, role=role)


def build_world() -> SimpleNamespace:
    w = SimpleNamespace()
    w.province = _unit(None, "AG", "Liên đoàn Lao động tỉnh An Giang", UnitKind.PROVINCE, short_name="LĐLĐ tỉnh")
    w.long_xuyen = _unit(w.province, "AG.883", "Liên đoàn Lao động thành phố Long Xuyên", UnitKind.DISTRICT)
    w.chau_doc = _unit(w.province, "AG.884", "Liên đoàn Lao động thành phố Châu Đốc", UnitKind.DISTRICT)
    w.health = _unit(w.province, "AG.YT", "Công đoàn ngành Y tế", UnitKind.SECTOR)
    w.school = _unit(
        w.long_xuyen, "AG.883.00001", "Công đoàn Trường Tiểu học Mỹ Bình", UnitKind.GRASSROOTS,
        ownership=Ownership.PUBLIC_SECTOR, workers=40, members=40, officers=3,
    )
    w.factory = _unit(
        w.long_xuyen, "AG.883.00002", "Công đoàn Công ty TNHH May mặc Phú Thịnh", UnitKind.GRASSROOTS,
        ownership=Ownership.NON_STATE, workers=1200, members=1000, officers=9,  # large: >= 1,000 workers
    )
    w.market = _unit(
        w.chau_doc, "AG.884.00001", "Công đoàn Ban Quản lý chợ Châu Đốc", UnitKind.GRASSROOTS,
        ownership=Ownership.PUBLIC_SECTOR, workers=25, members=22, officers=2,
    )
    w.hospital = _unit(
        w.health, "AG.YT.00001", "Công đoàn Bệnh viện Đa khoa Trung tâm An Giang", UnitKind.GRASSROOTS,
        ownership=Ownership.PUBLIC_SECTOR, workers=900, members=890, officers=11,
    )
    w.admin = _user("admin", w.province, Role.PROVINCE_ADMIN)
    w.viewer = _user("viewer", w.province, Role.VIEWER)
    w.approver = _user("approver", w.long_xuyen, Role.APPROVER)
    w.approver_cd = _user("approver_cd", w.chau_doc, Role.APPROVER)
    w.sector_viewer = _user("sector_viewer", w.health, Role.VIEWER)
    w.reporter = _user("reporter", w.school, Role.REPORTER)
    w.sibling_reporter = _user("sibling_reporter", w.market, Role.REPORTER)
    return w


def login(client, user):
    """Log `user` in on a test client. django-axes refuses a password check without a
    request, which Client.login does not give, so tests log in by session; the real login
    form is covered by accounts/tests/test_login.py and the browser tests."""
    client.logout()
    client.force_login(user)
    return client


# The environment the README gives for production, for tests that run manage.py as an operator would.
PRODUCTION = {
    "DEBUG": "0",
    "SECRET_KEY": "x7#kq2!vLr9@pW4zN8&cT1^mB6$hY3*eJ5%uG0(aS)dF-iK+oQ=",
    "ALLOWED_HOSTS": "tiendo.congdoanangiang.vn",
    "DATABASE_URL": "sqlite:////tmp/tiendo-deploy-check.sqlite3",
}
