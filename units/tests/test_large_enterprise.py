"""One rule for "doanh nghiệp có đông lao động" (T14): an enterprise (state or non-state
employer) with at least settings.LARGE_ENTERPRISE_WORKERS workers."""

import datetime

from django.core.management import call_command

from indicators.models import Rollup
from reporting.actions import do_open_period
from reporting.testing import make_report
from units.loading import bulk_add_children
from units.models import Ownership, Unit, UnitKind


def _grassroots(parent, code, ownership, workers):
    return Unit.objects.add_child(parent, instance=Unit(code=code, name=code, kind=UnitKind.GRASSROOTS,
                                                        ownership=ownership, workers=workers))


def test_the_flag_follows_ownership_and_workers_on_save(world, settings):
    settings.LARGE_ENTERPRISE_WORKERS = 1000
    at = _grassroots(world.long_xuyen, "AG.883.1", Ownership.NON_STATE, 1000)
    below = _grassroots(world.long_xuyen, "AG.883.2", Ownership.STATE, 999)
    agency = _grassroots(world.long_xuyen, "AG.883.3", Ownership.PUBLIC_SECTOR, 5000)
    assert (at.large_enterprise, below.large_enterprise, agency.large_enterprise) == (True, False, False)
    below.workers = 1500
    below.save(update_fields=["workers"])
    below.refresh_from_db()
    assert below.large_enterprise is True


def test_bulk_inserted_units_follow_the_rule(world, settings):
    settings.LARGE_ENTERPRISE_WORKERS = 300
    children = [Unit(code=f"AG.884.9{i}", name=f"u{i}", kind=UnitKind.GRASSROOTS, ownership=Ownership.NON_STATE,
                     workers=w) for i, w in enumerate((299, 300))]
    bulk_add_children(world.chau_doc, children)
    flags = dict(Unit.objects.filter(code__startswith="AG.884.9").values_list("workers", "large_enterprise"))
    assert flags == {299: False, 300: True}


def test_sync_after_the_setting_changes_recounts_the_rollups(world, program, settings):
    settings.LARGE_ENTERPRISE_WORKERS = 1000
    period = do_open_period("year", 2024, 0, datetime.date(2025, 1, 15), by=world.admin)
    # the factory (1,200 workers) is large at 1,000; the hospital (public sector) never is
    make_report(period, world.factory, "approved", authority_dialogue_proposed=True)
    call_command("refresh_rollups")

    def large_rows():
        return sorted(Rollup.objects.filter(view="then", period=period, element__code="authority_dialogue_proposed")
                      .values_list("large_enterprise", "yes"))

    assert large_rows() == [(True, 1)]
    settings.LARGE_ENTERPRISE_WORKERS = 2000
    call_command("sync_large_enterprises")
    world.factory.refresh_from_db()
    assert world.factory.large_enterprise is False
    assert large_rows() == [(False, 1)]
