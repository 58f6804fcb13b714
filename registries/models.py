"""The registries behind the figures: the records a unit keeps of its collective agreements,
Mái ấm công đoàn houses, initiatives and labour disputes, from which the counts a report asks
for are derived (registries.counts).

Each record belongs to one unit (`unit`), the one that owns it: the enterprise's grassroots union
for an agreement, the beneficiary's union for a house, the union whose members made an
initiative, the union that followed a dispute (an upper-level union for a dispute where there is
no union yet). It is visible up that unit's subtree (accounts.permissions) and changed by whoever
enters the unit's data (can_edit_unit_data). A record stays attached to its unit when the unit
moves or closes; where it counts is read from the unit (registries.counts).
"""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from units.models import Unit


class QualityClass(models.TextChoices):
    A = "A", "A"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"


class FavourableTerm(models.TextChoices):
    """Where an agreement gives more than the law ("có lợi hơn cho người lao động")."""

    PAY = "pay", _("pay and allowances")
    WORKING_TIME = "working_time", _("working and rest time")
    SHIFT_MEALS = "shift_meals", _("shift meals")
    BONUSES = "bonuses", _("bonuses and gifts")
    INSURANCE = "insurance", _("insurance and health care")
    SAFETY = "safety", _("occupational safety")
    OTHER = "other", _("other")


class Record(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    note = models.TextField(_("note"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name=_("recorded by"), editable=False)
    recorded_at = models.DateTimeField(_("recorded at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


def agreement_upload_path(instance: CollectiveAgreement, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"registries/agreements/{instance.unit.code}-{instance.signed_on:%Y%m%d}.{extension}"


class CollectiveAgreement(Record):
    """A collective agreement (thỏa ước lao động tập thể) of an enterprise, kept by its grassroots
    union. One agreement at a time is in force for a union: a new one is recorded with the
    previous one's expiry date set, so that "the union has an agreement in force at the end of
    the year" is a count of rows (clean() refuses an overlap)."""

    number = models.CharField(_("document number"), max_length=60, blank=True)
    signed_on = models.DateField(_("signed on"))
    expires_on = models.DateField(_("expires on"), null=True, blank=True)
    workers_covered = models.PositiveIntegerField(_("workers covered"))
    quality_class = models.CharField(_("quality class"), max_length=1, choices=QualityClass.choices, blank=True)
    classed_year = models.PositiveSmallIntegerField(_("year classed"), null=True, blank=True)
    more_favourable = models.BooleanField(_("terms more favourable than the law"), default=False)
    favourable_terms = models.JSONField(_("which terms"), default=list, blank=True)
    file = models.FileField(_("file"), upload_to=agreement_upload_path, blank=True)

    class Meta:
        verbose_name = _("collective agreement")
        verbose_name_plural = _("collective agreements")
        ordering = ["-signed_on", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "signed_on"], name="agreement_unique_per_day")]
        indexes = [models.Index(fields=["unit", "signed_on"])]

    def __str__(self) -> str:
        return f"{self.unit} · {self.signed_on:%d/%m/%Y}"

    @staticmethod
    def in_force_q(day: datetime.date) -> Q:
        return Q(signed_on__lte=day) & (Q(expires_on__isnull=True) | Q(expires_on__gte=day))

    def clean(self):
        errors = {}
        if self.expires_on and self.signed_on and self.expires_on < self.signed_on:
            errors["expires_on"] = _("An agreement cannot expire before it is signed.")
        if bool(self.quality_class) != bool(self.classed_year):
            errors["classed_year"] = _("Give the class and the year it was classed together.")
        elif self.classed_year and self.signed_on and self.classed_year < self.signed_on.year:
            errors["classed_year"] = _("An agreement is classed in or after the year it is signed.")
        if self.favourable_terms and not self.more_favourable:
            errors["favourable_terms"] = _("Terms are listed only for an agreement more favourable than the law.")
        unknown = set(self.favourable_terms or []) - set(FavourableTerm.values)
        if unknown:
            errors["favourable_terms"] = _("Unknown terms: %(terms)s.") % {"terms": ", ".join(sorted(unknown))}
        if self.unit_id and self.signed_on and not errors:
            overlapping = CollectiveAgreement.objects.filter(unit_id=self.unit_id).exclude(pk=self.pk).filter(
                Q(expires_on__isnull=True) | Q(expires_on__gte=self.signed_on))
            if self.expires_on:
                overlapping = overlapping.filter(signed_on__lte=self.expires_on)
            if overlapping.exists():
                errors["signed_on"] = _("Another agreement of this union is in force then: set its expiry date "
                                        "first (one agreement at a time).")
        if errors:
            raise ValidationError(errors)


class UnionHome(Record):
    """A Mái ấm công đoàn house built or repaired for a member in need, kept by the beneficiary's
    union (the report counts the houses handed over to the unit's members, whoever paid)."""

    class Work(models.TextChoices):
        BUILT = "built", _("built")
        REPAIRED = "repaired", _("repaired")

    beneficiary = models.CharField(_("beneficiary member"), max_length=120)
    work = models.CharField(_("built or repaired"), max_length=10, choices=Work.choices, default=Work.BUILT)
    cost = models.PositiveBigIntegerField(_("cost (VND)"))
    union_support = models.PositiveBigIntegerField(_("union support (VND)"))
    sources = models.CharField(_("sources of funds"), max_length=255, blank=True)
    handed_over_on = models.DateField(_("handed over on"))

    class Meta:
        verbose_name = _("Mái ấm công đoàn house")
        verbose_name_plural = _("Mái ấm công đoàn houses")
        ordering = ["-handed_over_on", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "beneficiary", "handed_over_on"],
                                               name="home_unique_per_beneficiary_day")]
        indexes = [models.Index(fields=["unit", "handed_over_on"])]

    def __str__(self) -> str:
        return f"{self.beneficiary} · {self.handed_over_on:%d/%m/%Y}"

    def clean(self):
        if self.cost is not None and self.union_support is not None and self.union_support > self.cost:
            raise ValidationError({"union_support": _("The union's support cannot exceed the cost.")})


class Initiative(Record):
    """An initiative, solution or technical improvement (sáng kiến, giải pháp, cải tiến kỹ thuật)
    recognised in a year, kept by the union of its authors."""

    class Field(models.TextChoices):
        PRODUCTION = "production", _("production and technology")
        EDUCATION = "education", _("education")
        HEALTH = "health", _("health")
        ADMINISTRATION = "administration", _("administration")
        BUSINESS = "business", _("business and services")
        OTHER = "other", _("other")

    class Level(models.TextChoices):
        GRASSROOTS = "grassroots", _("grassroots")
        UPPER = "upper", _("district or sector")
        PROVINCE = "province", _("province")
        NATIONAL = "national", _("national")

    title = models.CharField(_("title"), max_length=255)
    authors = models.CharField(_("authors"), max_length=255)
    field = models.CharField(_("field"), max_length=20, choices=Field.choices)
    level = models.CharField(_("level recognised"), max_length=20, choices=Level.choices)
    year = models.PositiveSmallIntegerField(_("year recognised"))
    value = models.PositiveBigIntegerField(_("value (VND a year)"), null=True, blank=True)

    class Meta:
        verbose_name = _("initiative")
        verbose_name_plural = _("initiatives")
        ordering = ["-year", "title", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "title", "year"], name="initiative_unique_per_year")]
        indexes = [models.Index(fields=["unit", "year"])]

    def __str__(self) -> str:
        return f"{self.title} ({self.year})"


class LabourDispute(Record):
    """A collective labour dispute, collective work stoppage or strike in an enterprise, kept by
    the union that followed it (an upper-level union where the enterprise has no union)."""

    class Kind(models.TextChoices):
        DISPUTE = "dispute", _("collective labour dispute")
        STOPPAGE = "stoppage", _("collective work stoppage")
        STRIKE = "strike", _("strike")

    enterprise = models.CharField(_("enterprise"), max_length=255)
    kind = models.CharField(_("kind"), max_length=10, choices=Kind.choices, default=Kind.STOPPAGE)
    started_on = models.DateField(_("started on"))
    ended_on = models.DateField(_("ended on"), null=True, blank=True)
    workers_involved = models.PositiveIntegerField(_("workers involved"))
    cause = models.TextField(_("cause"))
    union_took_part = models.BooleanField(_("the union took part in settling it"), default=False)
    union_role = models.TextField(_("how the union took part"), blank=True)
    outcome = models.TextField(_("outcome"), blank=True)

    class Meta:
        verbose_name = _("labour dispute")
        verbose_name_plural = _("labour disputes")
        ordering = ["-started_on", "id"]
        constraints = [models.UniqueConstraint(fields=["unit", "enterprise", "started_on"],
                                               name="dispute_unique_per_enterprise_day")]
        indexes = [models.Index(fields=["unit", "started_on"])]

    def __str__(self) -> str:
        return f"{self.enterprise} · {self.started_on:%d/%m/%Y}"

    def clean(self):
        errors = {}
        if self.ended_on and self.started_on and self.ended_on < self.started_on:
            errors["ended_on"] = _("A dispute cannot end before it starts.")
        if self.union_role and not self.union_took_part:
            errors["union_role"] = _("Say how the union took part only when it did.")
        if errors:
            raise ValidationError(errors)
