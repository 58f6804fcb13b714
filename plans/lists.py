"""The plan status page's list of units (tiendo/lists.py): for one deadline and one of the
lists (on time, late, missing, late or missing), each unit with the union it belongs to, its
current plan and its contacts. Who is in which list is plans.status's; the table presents it."""

from __future__ import annotations

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html
from django.utils.text import capfirst
from django.utils.translation import gettext_lazy as _

from plans import status as plans
from programs.models import Program
from tiendo.lists import NAME, CodeColumn, ListTable, ParentColumn, UnitListFilter
from units.models import UnitQuerySet

STATE_WORDS = {plans.ON_TIME: _("On time"), plans.LATE: _("Late"), plans.MISSING: _("Missing")}


class PlanFilter(UnitListFilter):
    """Search and parent unit; which list (the status) is the page's tabs."""


class PlanTable(ListTable):
    list_name = "plans"
    title = _("Implementation plans")
    name = tables.Column(_("Unit"), attrs=NAME)
    code = CodeColumn()
    parent_name = ParentColumn()
    plan_state = tables.Column(_("Status"))
    plan_number = tables.Column(capfirst(_("document number")), default="")
    plan_issued_on = tables.DateColumn("d/m/Y", verbose_name=capfirst(_("issued on")), default="")
    contact_name = tables.Column(_("Contact person"), default="")
    phone = tables.Column(_("Phone"), default="")
    email = tables.Column(_("Email"), default="")

    def __init__(self, data: UnitQuerySet, *, program: Program, **kwargs):
        super().__init__(data, **kwargs)
        self.program = program

    def render_name(self, value, record):
        return format_html('<a href="{}">{}</a>', reverse("plans:unit", args=[self.program.code, record.code]), value)

    def render_plan_state(self, value):
        return render_to_string("plans/_status_badge.html", {"status": plans.state_name(value)})

    def value_plan_state(self, value):
        return str(STATE_WORDS[plans.state_name(value)])

    def value_plan_issued_on(self, value):
        return value

    def render_phone(self, value):
        return format_html('<a href="tel:{}">{}</a>', value.replace(" ", ""), value)

    def render_email(self, value):
        return format_html('<a href="mailto:{}">{}</a>', value, value)
