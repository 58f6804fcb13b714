"""Implementation plans: a unit's own plan implementing the program ("chương trình, kế hoạch
thực hiện"), as the signed document it issued.

The model was born in `reporting`; it moved here keeping its table (db_table), so that no row
moved (migrations reporting 0004 / plans 0001 change Django's state only).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from programs.models import Deadline, Program
from units.models import Unit


def plan_upload_path(instance: ImplementationPlan, filename: str) -> str:
    extension = filename.rsplit(".", 1)[-1].lower()
    return f"plans/{instance.program.code}/{instance.unit.code}-{instance.issued_on:%Y%m%d}.{extension}"


class ImplementationPlan(models.Model):
    """A unit's plan for a program. The newest upload is the unit's current plan."""

    program = models.ForeignKey(Program, on_delete=models.PROTECT, related_name="plans", verbose_name=_("program"))
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="plans", verbose_name=_("unit"))
    deadline = models.ForeignKey(Deadline, on_delete=models.SET_NULL, null=True, blank=True, related_name="plans",
                                 verbose_name=_("deadline"))
    file = models.FileField(_("file"), upload_to=plan_upload_path)
    original_name = models.CharField(_("original file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"))
    content_type = models.CharField(_("file type"), max_length=100)
    document_number = models.CharField(_("document number"), max_length=60, blank=True)
    issued_on = models.DateField(_("issued on"))
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    uploaded_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        db_table = "reporting_implementationplan"  # its table from when it lived in reporting
        verbose_name = _("Implementation plan")
        verbose_name_plural = _("Implementation plans")
        ordering = ["-uploaded_at", "-id"]
        indexes = [models.Index(fields=["program", "unit"], name="reporting_i_program_a81ca9_idx")]

    def __str__(self) -> str:
        return f"{self.unit} · {self.issued_on:%d/%m/%Y}"
