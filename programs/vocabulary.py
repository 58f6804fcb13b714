"""The program language's words that the stored rows keep as choices: departments, data
types, severities, comparisons, units of measure, time frames and scopes.

Their one home, below both readers of them: programs.models stores them (each model keeps its
name for them, e.g. `DataElement.Type`, `Target.Measure`) and programs.definition checks a
program file against them, so neither module needs the other to know its words."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy


class Department(models.TextChoices):
    """The specialist departments (ban nghiệp vụ) of a provincial federation."""

    PROPAGANDA = "propaganda", _("Propaganda & Education Department")
    ORGANISATION = "organisation", _("Organisation Department")
    POLICY_LAW = "policy_law", _("Policy & Law Department")
    WOMEN = "women", _("Women's Affairs Department")
    FINANCE = "finance", _("Finance Department")
    OFFICE = "office", _("Office")
    INSPECTION = "inspection", _("Inspection Committee")


class ProgramStatus(models.TextChoices):
    """A program's life (Program.Status): written, issued, in force for its term, closed."""

    DRAFT = "draft", pgettext_lazy("program status", "draft")
    ISSUED = "issued", pgettext_lazy("program status", "issued")
    IN_FORCE = "in_force", pgettext_lazy("program status", "in force")
    CLOSED = "closed", pgettext_lazy("program status", "closed")


class ElementType(models.TextChoices):
    """What a data element holds (DataElement.Type)."""

    COUNT = "count", pgettext_lazy("data type", "number")
    BOOLEAN = "boolean", _("yes / no")
    QUALITY_CLASS = "quality_class", _("class A–D")
    DATE = "date", _("date")
    TEXT = "text", _("text")
    PERCENT = "percent", _("percent")


class Severity(models.TextChoices):
    """Whether a broken validation rule stops a report or only warns (ValidationRule.Severity)."""

    ERROR = "error", _("error")
    WARNING = "warning", _("warning")


class Comparison(models.TextChoices):
    """How a target's figure is held against its value (Target.Comparison)."""

    AT_LEAST = ">=", "≥"
    ABOVE = ">", ">"
    EQUAL = "=", "="


class Measure(models.TextChoices):
    """What a target's figure counts in, a unit of measure (Target.Measure): named apart from the union units."""

    PERCENT = "percent", _("percent")
    COUNT = "count", _("count")
    AVERAGE = "average", _("average per unit")


class Horizon(models.TextChoices):
    """When a target must hold (Target.Horizon): named apart from the reporting periods (reporting.Period)."""

    YEARLY = "yearly", _("every year")
    TERM = "term", _("by the end of the term")
    DEADLINE = "deadline", _("by a deadline")


class Scope(models.TextChoices):
    """Whose figure a target judges (Target.Scope)."""

    # Every unit's subtree is judged against the target (the default).
    UNIT = "unit", _("each unit's own")
    # A figure for the whole province (e.g. 100 houses a year): only the issuer's total is
    # judged; a subtree shows its contribution, its share of the province's figure.
    PROGRAM = "program", _("the whole province's")
