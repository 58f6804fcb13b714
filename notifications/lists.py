"""The reminders sent, as a list (tiendo/lists.py): filtered by period, step, unit (search and
parent), sorted, paginated and downloaded."""

from __future__ import annotations

import django_filters
import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from notifications.models import Reminder
from reporting.models import Period
from tiendo.lists import NAME, CodeColumn, ListTable, UnitListFilter


def step_label(step: str) -> str:
    kind, _sep, days = step.partition("-")
    if kind == "before":
        return _("%(days)s days before the due date") % {"days": days}
    if kind == "after":
        return _("%(days)s days after the due date") % {"days": days}
    if kind == "manual":
        return _("sent by hand")
    return _("to the approver above")


class ReminderFilter(UnitListFilter):
    path_field = "unit__path"
    period = django_filters.ModelChoiceFilter(label=_("Reporting period"), queryset=Period.objects.all(),
                                              empty_label=_("All periods"))
    kind = django_filters.ChoiceFilter(label=_("Step"), method="of_kind", empty_label=_("All steps"), choices=[
        ("before", _("before the due date")), ("after", _("after the due date")),
        ("escalation", _("to the approver above")), ("manual", _("sent by hand"))])

    class Meta:
        model = Reminder
        fields: list[str] = []

    def of_kind(self, queryset, name, value):
        return queryset.filter(step__startswith=value) if value else queryset


class ReminderTable(ListTable):
    list_name = "reminders"
    title = _("Reminders sent")
    sent_at = tables.DateTimeColumn("d/m/Y H:i", verbose_name=_("When"), attrs={"cell": {"class": "code"}})
    unit = tables.Column(verbose_name=_("Unit"), accessor="unit__name", attrs=NAME)
    code = CodeColumn(accessor="unit__code", order_by="unit__code")
    period = tables.Column(verbose_name=_("Reporting period"), order_by=("period__year", "period__half"))
    step = tables.Column(verbose_name=_("Step"))
    recipients = tables.Column(verbose_name=_("Recipients"))
    sent_by = tables.Column(verbose_name=_("Sent by"), default="—")

    class Meta:
        sequence = ("sent_at", "unit", "step", "recipients", "period", "code", "sent_by")

    def render_step(self, value):
        return step_label(value)

    def value_step(self, value):
        return step_label(value)

    def render_sent_by(self, value):
        return value.get_full_name() or value.username
