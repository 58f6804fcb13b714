"""A printable copy of one unit's report, laid out as the unit signs, stamps and files it: the
union document's header (issuing body top left, national motto top right, place and date), the
values, the signature block, and the trail of its submission, returns and approval."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.permissions import get_visible_unit_or_404
from exports.formatting import abbreviated, capitals, place_and_date, place_of
from reporting import actions
from reporting.elements import elements_for
from reporting.history import history
from reporting.models import Period, Report, shown_value
from tiendo.formatting import percent
from units.models import Unit, UnitKind

# The body's code in the document's number, as the documents module writes it ("Số: …/BC-CĐCS").
BODY_CODES = {UnitKind.PROVINCE: "LĐLĐ", UnitKind.DISTRICT: "LĐLĐ", UnitKind.SECTOR: "CĐN",
              UnitKind.INDUSTRIAL_ZONE: "CĐKCN", UnitKind.GRASSROOTS: "CĐCS"}
TRAIL_SHOWN = 100


def _shown(element, value) -> str:
    if element.type == "percent" and value is not None:
        return percent(value)
    return shown_value(value)


@login_required
def report_print(request: HttpRequest, period_id: int, unit_code: str) -> HttpResponse:
    period = get_object_or_404(Period.objects, pk=period_id)
    unit = get_visible_unit_or_404(request.user, unit_code)
    report = Report.objects.filter(period=period, unit=unit).first()
    elements = elements_for(period, unit)
    if report is None or not elements:
        raise Http404
    values, comments = actions.values_of(report), actions.comments_of(report)
    rows = [{"element": e, "value": _shown(e, values.get(e.code)), "comment": comments.get(e.code, "")}
            for e in sorted(elements, key=lambda element: element.group != "")]
    root = Unit.objects.get_root(unit)
    parent = None if unit.is_root() else Unit.objects.get_parent(unit)
    place = place_of(unit.name) or (place_of(parent.name) if parent else None) or place_of(root.name) or ""
    sent_on = timezone.localdate(report.submitted_at) if report.submitted_at else None
    steps = list(reversed(history(report, {e.code: e.label for e in elements}, limit=TRAIL_SHOWN)))
    return render(request, "reporting/print.html", {
        "report": report, "period": period, "unit": unit, "parent": parent, "rows": rows, "steps": steps,
        "superior_body": capitals(abbreviated(parent.name)) if parent else _("VIETNAM GENERAL CONFEDERATION OF LABOUR"),
        "issuing_body": capitals(unit.name),
        "body_code": BODY_CODES.get(unit.kind, "CĐ"),
        "place_date": place_and_date(place, sent_on) if sent_on else "",
        "place": place,
        "on_behalf_of": _("ON BEHALF OF THE EXECUTIVE COMMITTEE") if unit.is_grassroots
        else _("ON BEHALF OF THE STANDING COMMITTEE"),
        "printed_at": timezone.now(),
    })
