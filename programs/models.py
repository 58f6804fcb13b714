"""An action program as data: Program → Section → Objective / Target / Task.

Everything here is loaded from a program file (programs/data/*.yaml) by programs.loading;
the file is the source of truth and these rows are what reports, indicators and documents
refer to. Only task follow-up (TaskProgress) is written through the pages.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from programs import vocabulary
from programs.definition import Bounds, UnitFilter, deadline_label, expand_kinds, parse_check, parse_expression
from programs.vocabulary import Department


class ProgramQuerySet(models.QuerySet):
    def current(self) -> Program | None:
        """The program the pages, documents and commands work on when none is named: the one
        whose term ends last. The one place that picks it, for the day several programs coexist."""
        return self.order_by("-term_end", "code").first()

    def asking(self):
        """Programs that ask units for reports: issued, in force or closed (not drafts)."""
        return self.filter(status__in=Program.ASKING)


class Program(models.Model):
    Status = vocabulary.ProgramStatus
    # A draft asks nobody; a closed program still asks for (and keeps) its term's periods.
    ASKING = (Status.ISSUED, Status.IN_FORCE, Status.CLOSED)

    code = models.SlugField(_("code"), max_length=80, unique=True)
    title = models.TextField(_("title"))
    issuer = models.CharField(_("issued by"), max_length=255)
    superior_body = models.CharField(_("superior body"), max_length=255, blank=True)
    issuing_unit = models.CharField(_("issuing unit"), max_length=255, blank=True)
    term_start = models.PositiveSmallIntegerField(_("term start"))
    term_end = models.PositiveSmallIntegerField(_("term end"))
    reporting_years = models.JSONField(_("reporting years"), default=list)
    lead_department = models.CharField(_("lead department"), max_length=120, blank=True)
    # The unit that issued the program; it applies to that unit's subtree (None: everywhere,
    # e.g. the national confederation's own program).
    issuer_unit = models.ForeignKey("units.Unit", on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="programs_issued", verbose_name=_("issuing unit (in the tree)"))
    status = models.CharField(_("status"), max_length=10, choices=Status.choices, default=Status.IN_FORCE)
    issued_on = models.DateField(_("issued on"), null=True, blank=True)
    in_force_from = models.DateField(_("in force from"), null=True, blank=True)
    closed_on = models.DateField(_("closed on"), null=True, blank=True)
    predecessor = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="successors", verbose_name=_("follows"))
    data_elements = models.ManyToManyField("DataElement", through="ProgramElement", related_name="programs",
                                           verbose_name=_("data elements"))
    # The rest of the document as the file has it: preamble, signature, recipients,
    # title lines, reporting arrangements. Only documents read these.
    document = models.JSONField(_("document text"), default=dict)
    source_file = models.CharField(_("source file"), max_length=255, blank=True)
    source_sha256 = models.CharField(_("source file checksum"), max_length=64, blank=True)
    loaded_at = models.DateTimeField(_("loaded at"), auto_now=True)

    objects = ProgramQuerySet.as_manager()

    class Meta:
        verbose_name = _("action program")
        verbose_name_plural = _("action programs")
        ordering = ["-term_end", "code"]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("programs:detail", args=[self.code])

    def elements(self) -> list[DataElement]:
        """The program's data elements in its file's order, each carrying this program's
        `reported_by`, `asked_of` and `position` (from its ProgramElement row)."""
        return [use.as_element() for use in self.element_uses.select_related("element")]

    def applies_to(self, unit) -> bool:
        """Whether the unit is in the issuer's subtree (every unit when the issuer is none)."""
        return self.issuer_unit_id is None or unit.path.startswith(self.issuer_unit.path)

    def expression_labels(self) -> dict[str, str]:
        """What the expressions' describe() (programs.definition) calls the codes of a definition: each data
        element by its label, each deadline by its words and due date."""
        labels = dict(self.data_elements.values_list("code", "label"))
        for code, text, due in self.deadlines.values_list("code", "text", "due"):
            labels[code] = deadline_label(text, due)
        return labels


class Section(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="sections", verbose_name=_("program"))
    parent = models.ForeignKey("self", on_delete=models.CASCADE, null=True, blank=True, related_name="children",
                               verbose_name=_("parent section"))
    number = models.CharField(_("number"), max_length=20)
    title = models.TextField(_("title"))
    position = models.PositiveIntegerField(_("position"), default=0)
    paragraphs = models.JSONField(_("paragraphs"), default=list, blank=True)
    target_statements = models.JSONField(_("target statements"), default=list, blank=True)

    class Meta:
        verbose_name = _("section")
        verbose_name_plural = _("sections")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["program", "number"], name="section_number_unique")]

    def __str__(self) -> str:
        return f"{self.number}. {self.title}"

    @property
    def depth(self) -> int:
        return self.number.count(".")


class Objective(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("program"))
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="objectives", verbose_name=_("section"))
    code = models.CharField(_("code"), max_length=40)
    text = models.TextField(_("wording"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("objective")
        verbose_name_plural = _("objectives")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["program", "code"], name="objective_code_unique")]

    def __str__(self) -> str:
        return self.code


class DataElement(models.Model):
    """The catalogue entry of a figure units report: what it means (label, type, aggregation,
    bounds), shared by code across every program that asks for it (ProgramElement), so a
    figure typed once feeds them all."""

    Type = vocabulary.ElementType

    code = models.CharField(_("code"), max_length=60, unique=True)
    label = models.CharField(_("label"), max_length=255)
    help = models.TextField(_("help text"), blank=True)
    type = models.CharField(_("data type"), max_length=20, choices=Type.choices)
    aggregation = models.CharField(_("aggregation"), max_length=20)
    min_value = models.DecimalField(_("smallest value"), max_digits=14, decimal_places=2, null=True, blank=True)
    max_value = models.DecimalField(_("largest value"), max_digits=14, decimal_places=2, null=True, blank=True)

    class Meta:
        verbose_name = _("data element")
        verbose_name_plural = _("data elements")
        ordering = ["code"]

    def __str__(self) -> str:
        return self.label

    # The parsed objects of the program language (programs.definition), built from the stored fields.
    @property
    def bounds(self):
        return Bounds.of(self.type, self.min_value, self.max_value)

    @property
    def asked_of_filter(self):
        """Of an element carrying a program's use (Program.elements, ProgramElement.as_element)."""
        return UnitFilter.parse(self.asked_of)


class ProgramElement(models.Model):
    """A program's use of a catalogue element: who this program asks for it, and where it
    stands in the program file."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="element_uses",
                                verbose_name=_("program"))
    element = models.ForeignKey(DataElement, on_delete=models.PROTECT, related_name="uses",
                                verbose_name=_("data element"))
    reported_by = models.JSONField(_("reported by"), default=list)
    # Only units matching this filter are asked (e.g. {"enterprise": true}); empty: all.
    asked_of = models.JSONField(_("asked of"), default=dict, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("program's data element")
        verbose_name_plural = _("program's data elements")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["program", "element"], name="program_element_unique")]

    def __str__(self) -> str:
        return f"{self.program.code}: {self.element.code}"

    @property
    def asked_of_filter(self):
        return UnitFilter.parse(self.asked_of)

    def as_element(self) -> DataElement:
        """The element carrying this use's fields (reported_by, asked_of, position, asked_by)."""
        element = self.element
        element.reported_by, element.asked_of, element.position = self.reported_by, self.asked_of, self.position
        element.asked_by = self.program
        return element


class ValidationRule(models.Model):
    Severity = vocabulary.Severity

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="validation_rules",
                                verbose_name=_("program"))
    code = models.CharField(_("code"), max_length=60)
    rule = models.CharField(_("rule"), max_length=255, help_text="e.g. members <= workers")
    severity = models.CharField(_("severity"), max_length=10, choices=Severity.choices)
    message = models.TextField(_("message"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("validation rule")
        verbose_name_plural = _("validation rules")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["program", "code"], name="validation_rule_code_unique")]

    def __str__(self) -> str:
        return self.code

    @property
    def parsed(self):
        """The check as a typed rule: Compare, Implies or YearOverYear (programs.definition),
        parsed once per rule text (a sheet of 2,000 rows checks every rule on each row)."""
        remembered = self.__dict__.get("_parsed")
        if remembered is None or remembered[0] != self.rule:
            remembered = self.__dict__["_parsed"] = (self.rule, parse_check(self.rule))
        return remembered[1]


class Deadline(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="deadlines", verbose_name=_("program"))
    code = models.CharField(_("code"), max_length=60)
    text = models.TextField(_("wording"))
    due = models.DateField(_("due on"))
    applies_to = models.JSONField(_("applies to"), default=list)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due", "position"]
        constraints = [models.UniqueConstraint(fields=["program", "code"], name="deadline_code_unique")]

    def __str__(self) -> str:
        return self.code

    @property
    def kinds(self) -> list[str]:
        """The unit kinds the deadline applies to, the shorthand `upper_union` spelled out
        (the loader stores them spelled out; a row stored by an older load may not be)."""
        return expand_kinds(self.applies_to)

    @property
    def applies_to_filter(self):
        """The units the deadline binds (`upper_union` spelled out), as a UnitFilter."""
        return UnitFilter.parse({"kind": self.applies_to})


class Target(models.Model):
    Comparison = vocabulary.Comparison
    Measure = vocabulary.Measure  # a unit of measure, named apart from the union units
    Horizon = vocabulary.Horizon  # when the target must hold, named apart from reporting.Period
    Scope = vocabulary.Scope

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="targets", verbose_name=_("program"))
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="targets", verbose_name=_("section"))
    code = models.CharField(_("code"), max_length=40)
    text = models.TextField(_("wording"))
    short_label = models.CharField(_("short label"), max_length=120, blank=True)
    comparison = models.CharField(_("comparison"), max_length=2, choices=Comparison.choices)
    value = models.DecimalField(_("target value"), max_digits=14, decimal_places=2)
    unit = models.CharField(_("unit of measure"), max_length=10, choices=Measure.choices)
    period = models.CharField(_("time frame"), max_length=10, choices=Horizon.choices)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    accumulate = models.CharField(_("accumulation"), max_length=10, blank=True)
    applies_to = models.JSONField(_("applies to"), default=list)
    scope = models.CharField(_("scope"), max_length=10, choices=Scope.choices, default=Scope.UNIT)
    numerator = models.JSONField(_("numerator"))
    denominator = models.JSONField(_("denominator"), null=True, blank=True)
    note = models.TextField(_("note"), blank=True)
    # The target of the predecessor program this one carries on (the file's `continues`): one
    # series across both terms, the old one's final figure being this one's baseline.
    continues = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="continued_by", verbose_name=_("continues"))
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("target")
        verbose_name_plural = _("targets")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["program", "code"], name="target_code_unique")]

    def __str__(self) -> str:
        return f"{self.code} {self.short_label}"

    # The parsed expressions of the program language (programs.definition): Sum, Count,
    # CountClass, Units, PlansOnTime or PlansExpected, each with element, where, deadline,
    # aggregation and describe().
    @property
    def numerator_expr(self):
        return parse_expression(self.numerator)

    @property
    def denominator_expr(self):
        return parse_expression(self.denominator) if self.denominator else None

    @property
    def applies_to_filter(self):
        return UnitFilter.parse({"kind": self.applies_to})


class Task(models.Model):
    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("program"))
    section = models.ForeignKey(Section, on_delete=models.CASCADE, related_name="tasks", verbose_name=_("section"))
    code = models.CharField(_("code"), max_length=40)
    text = models.TextField(_("wording"))
    responsible = models.JSONField(_("responsible units"), default=list)
    responsible_text = models.CharField(_("responsible (as written)"), max_length=255, blank=True)
    department = models.CharField(_("department in charge"), max_length=20, choices=Department.choices, blank=True)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_codes = models.JSONField(_("deadlines"), default=list, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("task")
        verbose_name_plural = _("tasks")
        ordering = ["position"]
        constraints = [models.UniqueConstraint(fields=["program", "code"], name="task_code_unique")]

    def __str__(self) -> str:
        return self.code


class ProgramRevision(models.Model):
    """One load of a program file that changed something, with what changed."""

    program = models.ForeignKey(Program, on_delete=models.CASCADE, related_name="revisions")
    loaded_at = models.DateTimeField(auto_now_add=True)
    loaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    source_sha256 = models.CharField(max_length=64)
    # [{"path": "targets.T05.value", "before": 100, "after": 95}, ...]
    changes = models.JSONField(default=list)

    class Meta:
        ordering = ["-loaded_at", "-id"]

    def __str__(self) -> str:
        return f"{self.program.code} @ {self.loaded_at:%d/%m/%Y %H:%M}"


class TaskProgress(models.Model):
    """A dated note on how a task is going; the newest one gives the task's status."""

    class Status(models.TextChoices):
        NOT_STARTED = "not_started", _("not started")
        IN_PROGRESS = "in_progress", _("in progress")
        DONE = "done", _("done")

    task = models.ForeignKey(Task, on_delete=models.CASCADE, related_name="progress", verbose_name=_("task"))
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    note = models.TextField(_("note"), blank=True)
    on_date = models.DateField(_("date"))
    department = models.CharField(_("department"), max_length=20, choices=Department.choices, blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, verbose_name=_("recorded by"))
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)

    class Meta:
        ordering = ["-on_date", "-recorded_at", "-id"]
        verbose_name = _("task progress note")
        verbose_name_plural = _("task progress notes")

    def __str__(self) -> str:
        return f"{self.task.code}: {self.get_status_display()} ({self.on_date:%d/%m/%Y})"
